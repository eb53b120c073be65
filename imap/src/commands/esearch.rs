//! The ESEARCH response (RFC 4731 §3.1) of `SEARCH RETURN (…)` / `UID SEARCH RETURN (…)`, with
//! the MODSEQ result of CONDSTORE (RFC 7162 §3.1.5, RFC 4731 §3.2). Matching is
//! `commands::search`'s; this file only shapes the answer.

use std::num::{NonZeroU32, NonZeroU64};

use imap_next::imap_types::core::{Tag, Vec1};
use imap_next::imap_types::extensions::esearch::SearchReturnOption;
use imap_next::imap_types::response::Data;
use imap_next::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};

/// One matching message: its number (sequence number or UID, per the command) and MODSEQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub id: u32,
    pub modseq: u64,
}

/// The `* ESEARCH (TAG "…") [UID] …` answer.
///
/// - `RETURN ()` means `RETURN (ALL)` (RFC 4731 §3.1).
/// - With no match, MIN, MAX and ALL are left out but the response is still sent; COUNT is
///   always included ("COUNT 0") (RFC 4731 §3.1).
/// - `with_modseq` (the criteria name MODSEQ): the MODSEQ item is the highest mod-sequence of
///   the messages returned: all matches when ALL or COUNT is asked, else only those reported
///   by MIN/MAX (RFC 4731 §3.2, RFC 7162 §3.1.5). No match, no MODSEQ.
pub(crate) fn response(
    tag: &Tag<'static>,
    uid: bool,
    options: &[SearchReturnOption],
    matches: &[Match],
    with_modseq: bool,
) -> Data<'static> {
    let wants = |o: SearchReturnOption| {
        options.contains(&o) || (options.is_empty() && o == SearchReturnOption::All)
    };
    let lowest = matches.iter().min_by_key(|m| m.id);
    let highest = matches.iter().max_by_key(|m| m.id);
    let min = lowest
        .filter(|_| wants(SearchReturnOption::Min))
        .and_then(|m| NonZeroU32::new(m.id));
    let max = highest
        .filter(|_| wants(SearchReturnOption::Max))
        .and_then(|m| NonZeroU32::new(m.id));
    let all = if wants(SearchReturnOption::All) {
        let ids: Vec<u32> = matches.iter().map(|m| m.id).collect();
        compact_set(&ids)
    } else {
        None
    };
    let count =
        wants(SearchReturnOption::Count).then(|| u32::try_from(matches.len()).unwrap_or(u32::MAX));
    let modseq = if !with_modseq {
        None
    } else if wants(SearchReturnOption::All) || wants(SearchReturnOption::Count) {
        matches.iter().map(|m| m.modseq).max()
    } else {
        let ends = [
            lowest.filter(|_| min.is_some()),
            highest.filter(|_| max.is_some()),
        ];
        ends.into_iter().flatten().map(|m| m.modseq).max()
    }
    .and_then(NonZeroU64::new);
    Data::ESearch {
        tag: Some(tag.clone()),
        uid,
        min,
        max,
        all,
        count,
        modseq,
    }
}

/// The shortest sequence set of `ids` (any order, duplicates allowed): runs become ranges,
/// e.g. 2, 10, 11 → `2,10:11` (RFC 4731 §3.1 example). `None` for no id.
pub(crate) fn compact_set(ids: &[u32]) -> Option<SequenceSet> {
    let mut ids: Vec<NonZeroU32> = ids.iter().copied().filter_map(NonZeroU32::new).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut runs: Vec<Sequence> = Vec::new();
    let mut iter = ids.into_iter();
    let mut start = iter.next()?;
    let mut end = start;
    let close = |start: NonZeroU32, end: NonZeroU32| {
        if start == end {
            Sequence::Single(SeqOrUid::Value(start))
        } else {
            Sequence::Range(SeqOrUid::Value(start), SeqOrUid::Value(end))
        }
    };
    for id in iter {
        if end.get().checked_add(1) == Some(id.get()) {
            end = id;
        } else {
            runs.push(close(start, end));
            start = id;
            end = id;
        }
    }
    runs.push(close(start, end));
    Vec1::try_from(runs).ok().map(SequenceSet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imap_next::imap_types::extensions::esearch::SearchReturnOption::{All, Count, Max, Min};

    fn encode(data: &Data<'static>) -> String {
        use imap_codec::ResponseCodec;
        use imap_codec::encode::Encoder;
        use imap_next::imap_types::response::Response;
        let bytes = ResponseCodec::default()
            .encode(&Response::Data(data.clone()))
            .dump();
        String::from_utf8(bytes).unwrap_or_default()
    }

    fn matches(ids: &[(u32, u64)]) -> Vec<Match> {
        ids.iter()
            .map(|&(id, modseq)| Match { id, modseq })
            .collect()
    }

    #[test]
    fn compact_sets() {
        let cases: &[(&[u32], Option<&str>)] = &[
            (&[], None),
            (&[5], Some("5")),
            (&[2, 10, 11], Some("2,10:11")),
            (&[11, 2, 10, 10], Some("2,10:11")),
            (&[1, 2, 3, 5, 7, 8], Some("1:3,5,7:8")),
            (
                &[7, 4_000_000_000, 4_000_000_001],
                Some("7,4000000000:4000000001"),
            ),
        ];
        for (ids, want) in cases {
            let got = compact_set(ids).map(|s| {
                let data = Data::ESearch {
                    tag: None,
                    uid: false,
                    min: None,
                    max: None,
                    all: Some(s),
                    count: None,
                    modseq: None,
                };
                encode(&data)
                    .trim_start_matches("* ESEARCH ALL ")
                    .trim_end()
                    .to_string()
            });
            assert_eq!(got.as_deref(), *want, "{ids:?}");
        }
    }

    /// Table of (options, matches, with MODSEQ, expected wire line), after RFC 4731 §3.1.
    #[test]
    fn esearch_lines() {
        let tag = Tag::try_from("A282").unwrap_or_else(|_| unreachable!());
        let hits = matches(&[(2, 30), (10, 50), (11, 40)]);
        /// (options, matches, with MODSEQ, UID, wire line)
        type Case<'a> = (Vec<SearchReturnOption>, &'a [Match], bool, bool, &'a str);
        let cases: Vec<Case<'_>> = vec![
            (
                vec![Min, Count],
                &hits,
                false,
                false,
                "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3",
            ),
            (
                vec![],
                &hits,
                false,
                false,
                "* ESEARCH (TAG \"A282\") ALL 2,10:11",
            ),
            (
                vec![All],
                &hits,
                false,
                true,
                "* ESEARCH (TAG \"A282\") UID ALL 2,10:11",
            ),
            (
                vec![Max, Min],
                &hits,
                false,
                true,
                "* ESEARCH (TAG \"A282\") UID MIN 2 MAX 11",
            ),
            (
                vec![Min, Max, All, Count],
                &[],
                false,
                false,
                "* ESEARCH (TAG \"A282\") COUNT 0",
            ),
            (
                vec![Min, Max],
                &[],
                false,
                true,
                "* ESEARCH (TAG \"A282\") UID",
            ),
            (
                vec![Count],
                &hits,
                true,
                false,
                "* ESEARCH (TAG \"A282\") COUNT 3 MODSEQ 50",
            ),
            // Only MIN: the MODSEQ of the message MIN reports.
            (
                vec![Min],
                &hits,
                true,
                false,
                "* ESEARCH (TAG \"A282\") MIN 2 MODSEQ 30",
            ),
            (
                vec![Min, Max],
                &hits,
                true,
                false,
                "* ESEARCH (TAG \"A282\") MIN 2 MAX 11 MODSEQ 40",
            ),
            (
                vec![Count],
                &[],
                true,
                false,
                "* ESEARCH (TAG \"A282\") COUNT 0",
            ),
        ];
        for (options, found, with_modseq, uid, want) in cases {
            let got = encode(&response(&tag, uid, &options, found, with_modseq));
            assert_eq!(got, format!("{want}\r\n"), "{options:?}");
        }
    }
}
