//! IMAP4 Extension to SEARCH Command for Controlling What Kind of Information Is Returned
//! (ESEARCH, RFC 4731), with `SAVE` (SEARCHRES, RFC 5182) and `MODSEQ` (RFC 7162).
//!
//! santemail patch: not in imap-codec 2.0.0-alpha.10 (upstream imap-codec#379).

use alloc::vec::Vec;
#[cfg(feature = "ext_condstore_qresync")]
use core::num::NonZeroU64;
use core::{
    fmt::{self, Write},
    num::NonZeroU32,
};

use abnf_core::streaming::{dquote, sp};
use imap_types::{
    core::Tag, extensions::esearch::SearchReturnOption, response::Data, sequence::SequenceSet,
};
use nom::{
    branch::alt,
    bytes::streaming::{tag, tag_no_case},
    combinator::{map, opt, value},
    multi::{many0, separated_list0},
    sequence::{delimited, preceded, tuple},
};

#[cfg(feature = "ext_condstore_qresync")]
use crate::extensions::condstore_qresync::mod_sequence_value;
use crate::{
    core::{number, nz_number, tag_imap},
    decode::IMAPResult,
    encode::{EncodeContext, EncodeIntoContext},
    sequence::sequence_set,
};

/// ```abnf
/// search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
/// search-return-opt  = "MIN" / "MAX" / "ALL" / "COUNT" /
///                      "SAVE" ; RFC 5182
/// ```
///
/// Note: Parses without the leading `SP`. Return option extensions are not supported.
pub(crate) fn search_return_opts(input: &[u8]) -> IMAPResult<&[u8], Vec<SearchReturnOption>> {
    preceded(
        tag_no_case(b"RETURN ("),
        nom::sequence::terminated(separated_list0(sp, search_return_opt), tag(b")")),
    )(input)
}

fn search_return_opt(input: &[u8]) -> IMAPResult<&[u8], SearchReturnOption> {
    alt((
        value(SearchReturnOption::Min, tag_no_case(b"MIN")),
        value(SearchReturnOption::Max, tag_no_case(b"MAX")),
        value(SearchReturnOption::All, tag_no_case(b"ALL")),
        value(SearchReturnOption::Count, tag_no_case(b"COUNT")),
        value(SearchReturnOption::Save, tag_no_case(b"SAVE")),
    ))(input)
}

/// One `search-return-data` item.
#[derive(Clone)]
enum ReturnData {
    Min(NonZeroU32),
    Max(NonZeroU32),
    All(SequenceSet),
    Count(u32),
    #[cfg(feature = "ext_condstore_qresync")]
    ModSeq(NonZeroU64),
}

/// ```abnf
/// search-return-data = "MIN" SP nz-number /
///                      "MAX" SP nz-number /
///                      "ALL" SP sequence-set /
///                      "COUNT" SP number /
///                      "MODSEQ" SP mod-sequence-value ; RFC 7162
/// ```
fn search_return_data(input: &[u8]) -> IMAPResult<&[u8], ReturnData> {
    alt((
        map(preceded(tag_no_case(b"MIN "), nz_number), ReturnData::Min),
        map(preceded(tag_no_case(b"MAX "), nz_number), ReturnData::Max),
        map(
            preceded(tag_no_case(b"ALL "), sequence_set),
            ReturnData::All,
        ),
        map(preceded(tag_no_case(b"COUNT "), number), ReturnData::Count),
        #[cfg(feature = "ext_condstore_qresync")]
        map(
            preceded(tag_no_case(b"MODSEQ "), mod_sequence_value),
            ReturnData::ModSeq,
        ),
    ))(input)
}

/// ```abnf
/// esearch-response  = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
/// search-correlator = SP "(" "TAG" SP tag-string ")"
/// tag-string        = astring ; RFC 9051 (RFC 4731: string)
/// ```
///
/// Note: The tag is accepted quoted or as an atom (a tag never needs a literal). Return data
/// extensions are not supported. If an item appears twice, the last one wins.
pub(crate) fn esearch_response(input: &[u8]) -> IMAPResult<&[u8], Data> {
    let mut parser = tuple((
        tag_no_case(b"ESEARCH"),
        opt(delimited(
            tag_no_case(b" (TAG "),
            alt((delimited(dquote, tag_imap, dquote), tag_imap)),
            tag(b")"),
        )),
        opt(tag_no_case(b" UID")),
        many0(preceded(sp, search_return_data)),
    ));

    let (remaining, (_, tag, uid, items)) = parser(input)?;

    let (mut min, mut max, mut all, mut count) = (None, None, None, None);
    #[cfg(feature = "ext_condstore_qresync")]
    let mut modseq = None;
    for item in items {
        match item {
            ReturnData::Min(n) => min = Some(n),
            ReturnData::Max(n) => max = Some(n),
            ReturnData::All(set) => all = Some(set),
            ReturnData::Count(n) => count = Some(n),
            #[cfg(feature = "ext_condstore_qresync")]
            ReturnData::ModSeq(n) => modseq = Some(n),
        }
    }

    Ok((
        remaining,
        Data::ESearch {
            tag,
            uid: uid.is_some(),
            min,
            max,
            all,
            count,
            #[cfg(feature = "ext_condstore_qresync")]
            modseq,
        },
    ))
}

impl EncodeIntoContext for SearchReturnOption {
    fn encode_ctx(&self, ctx: &mut EncodeContext) -> fmt::Result {
        match self {
            Self::Min => ctx.write_all(b"MIN"),
            Self::Max => ctx.write_all(b"MAX"),
            Self::All => ctx.write_all(b"ALL"),
            Self::Count => ctx.write_all(b"COUNT"),
            Self::Save => ctx.write_all(b"SAVE"),
        }
    }
}

/// The fields of [`Data::ESearch`], encoded per RFC 4731, section 3.1 (`* ESEARCH (TAG "A282")
/// UID MIN 2 COUNT 3`). The tag is always quoted: tag characters never need escaping.
#[allow(clippy::too_many_arguments)]
pub(crate) fn encode_esearch(
    ctx: &mut EncodeContext,
    tag: Option<&Tag>,
    uid: bool,
    min: Option<NonZeroU32>,
    max: Option<NonZeroU32>,
    all: Option<&SequenceSet>,
    count: Option<u32>,
    #[cfg(feature = "ext_condstore_qresync")] modseq: Option<NonZeroU64>,
) -> fmt::Result {
    ctx.write_all(b"* ESEARCH")?;
    if let Some(tag) = tag {
        write!(ctx, " (TAG \"{}\")", tag.inner())?;
    }
    if uid {
        ctx.write_all(b" UID")?;
    }
    if let Some(min) = min {
        write!(ctx, " MIN {min}")?;
    }
    if let Some(max) = max {
        write!(ctx, " MAX {max}")?;
    }
    if let Some(all) = all {
        ctx.write_all(b" ALL ")?;
        all.encode_ctx(ctx)?;
    }
    if let Some(count) = count {
        write!(ctx, " COUNT {count}")?;
    }
    #[cfg(feature = "ext_condstore_qresync")]
    if let Some(modseq) = modseq {
        write!(ctx, " MODSEQ {modseq}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use imap_types::{
        command::{Command, CommandBody},
        core::{Charset, Vec1},
        response::Response,
        search::SearchKey,
    };

    use super::*;
    use crate::{
        CommandCodec, ResponseCodec,
        decode::Decoder,
        testing::{kat_inverse_command, kat_inverse_response, known_answer_test_encode},
    };

    fn search(uid: bool, ret: Option<Vec<SearchReturnOption>>) -> CommandBody<'static> {
        CommandBody::Search {
            charset: None,
            criteria: Vec1::from(SearchKey::All),
            uid,
            return_options: ret,
        }
    }

    #[test]
    fn test_kat_inverse_command_search_return() {
        use SearchReturnOption::*;

        kat_inverse_command(&[
            (
                b"A1 SEARCH RETURN (MIN COUNT) ALL\r\n".as_ref(),
                b"".as_ref(),
                Command::new("A1", search(false, Some(vec![Min, Count]))).unwrap(),
            ),
            (
                b"A2 UID SEARCH RETURN (MIN MAX ALL COUNT) ALL\r\n",
                b"",
                Command::new("A2", search(true, Some(vec![Min, Max, All, Count]))).unwrap(),
            ),
            // RFC 4731, section 3.1: `RETURN ()` is `RETURN (ALL)`, but still an ESEARCH.
            (
                b"A3 SEARCH RETURN () ALL\r\n",
                b"",
                Command::new("A3", search(false, Some(vec![]))).unwrap(),
            ),
            (
                b"A4 UID SEARCH RETURN (SAVE) ALL\r\n",
                b"",
                Command::new("A4", search(true, Some(vec![Save]))).unwrap(),
            ),
            // Without RETURN, nothing changes.
            (
                b"A5 SEARCH ALL\r\n",
                b"",
                Command::new("A5", search(false, None)).unwrap(),
            ),
        ]);
    }

    #[test]
    fn test_search_return_before_charset() {
        // RFC 4466: `search = "SEARCH" [search-return-opts] SP search-program`.
        let (rem, cmd) = CommandCodec::default()
            .decode(b"A6 search return (count) charset UTF-8 all\r\n")
            .unwrap();
        assert!(rem.is_empty());
        assert_eq!(
            cmd.body,
            CommandBody::Search {
                charset: Some(Charset::try_from("UTF-8").unwrap()),
                criteria: Vec1::from(SearchKey::All),
                uid: false,
                return_options: Some(vec![SearchReturnOption::Count]),
            }
        );
        known_answer_test_encode((cmd, b"A6 SEARCH RETURN (COUNT) CHARSET UTF-8 ALL\r\n"));

        // The RFC 4731 example.
        let (rem, cmd) = CommandCodec::default()
            .decode(
                b"A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"\r\n",
            )
            .unwrap();
        assert!(rem.is_empty());
        let CommandBody::Search {
            return_options,
            criteria,
            ..
        } = cmd.body
        else {
            panic!("not a SEARCH");
        };
        assert_eq!(
            return_options,
            Some(vec![SearchReturnOption::Min, SearchReturnOption::Count])
        );
        assert_eq!(criteria.as_ref().len(), 3);

        // RETURN options are a closed list.
        assert!(
            CommandCodec::default()
                .decode(b"A7 SEARCH RETURN (PARTIAL 1:5) ALL\r\n")
                .is_err()
        );
        // `CHARSET` must come after `RETURN`.
        assert!(
            CommandCodec::default()
                .decode(b"A8 SEARCH CHARSET UTF-8 RETURN (MIN) ALL\r\n")
                .is_err()
        );
    }

    fn esearch(
        tag: Option<&'static str>,
        uid: bool,
        min: Option<u32>,
        max: Option<u32>,
        all: Option<&str>,
        count: Option<u32>,
    ) -> Data<'static> {
        Data::ESearch {
            tag: tag.map(|t| Tag::try_from(t).unwrap()),
            uid,
            min: min.and_then(NonZeroU32::new),
            max: max.and_then(NonZeroU32::new),
            all: all.map(|s| SequenceSet::try_from(s).unwrap()),
            count,
            #[cfg(feature = "ext_condstore_qresync")]
            modseq: None,
        }
    }

    /// The examples of RFC 4731, section 3.1 (and RFC 9051, section 7.3.4), byte for byte.
    #[test]
    fn test_esearch_response_rfc_examples() {
        let tests: Vec<(&[u8], Data)> = vec![
            (
                b"* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
                esearch(Some("A282"), false, Some(2), None, None, Some(3)),
            ),
            (
                b"* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n",
                esearch(Some("A283"), false, None, None, Some("2,10:11"), None),
            ),
            (
                b"* ESEARCH (TAG \"A284\") MIN 4\r\n",
                esearch(Some("A284"), false, Some(4), None, None, None),
            ),
            (
                b"* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n",
                esearch(Some("A285"), true, Some(7), Some(3800), None, None),
            ),
            (
                b"* ESEARCH (TAG \"A286\") COUNT 15\r\n",
                esearch(Some("A286"), false, None, None, None, Some(15)),
            ),
            // No match: only the correlator (RFC 4731, section 3.1).
            (
                b"* ESEARCH (TAG \"A287\")\r\n",
                esearch(Some("A287"), false, None, None, None, None),
            ),
            (
                b"* ESEARCH (TAG \"A288\") UID COUNT 0\r\n",
                esearch(Some("A288"), true, None, None, None, Some(0)),
            ),
            (
                b"* ESEARCH\r\n",
                esearch(None, false, None, None, None, None),
            ),
            (
                b"* ESEARCH UID ALL 1:3,5\r\n",
                esearch(None, true, None, None, Some("1:3,5"), None),
            ),
        ];

        for (bytes, data) in tests {
            let response = Response::Data(data);
            kat_inverse_response(&[(bytes, b"".as_ref(), response.clone())]);
            known_answer_test_encode((response, bytes));
        }
    }

    #[cfg(feature = "ext_condstore_qresync")]
    #[test]
    fn test_esearch_response_modseq() {
        // RFC 7162, section 3.1.5.
        let bytes = b"* ESEARCH (TAG \"a\") ALL 1:3,5 MODSEQ 1236\r\n";
        let response = Response::Data(Data::ESearch {
            tag: Some(Tag::try_from("a").unwrap()),
            uid: false,
            min: None,
            max: None,
            all: Some(SequenceSet::try_from("1:3,5").unwrap()),
            count: None,
            modseq: NonZeroU64::new(1236),
        });
        kat_inverse_response(&[(bytes.as_ref(), b"".as_ref(), response.clone())]);
        known_answer_test_encode((response, bytes));
    }

    #[test]
    fn test_esearch_response_lenient_decoding() {
        // RFC 9051: `tag-string = astring`, so an unquoted tag is accepted too.
        let (rem, got) = ResponseCodec::default()
            .decode(b"* esearch (tag A1) uid count 2\r\n")
            .unwrap();
        assert!(rem.is_empty());
        assert_eq!(
            got,
            Response::Data(esearch(Some("A1"), true, None, None, None, Some(2)))
        );
    }
}
