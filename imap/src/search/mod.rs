//! SEARCH keys (RFC 3501 §6.4.4, RFC 9051 §6.4.4, MODSEQ RFC 7162 §3.1.5), SORT (RFC 5256 §3)
//! and THREAD=REFERENCES (RFC 5256 §4) over message views.
//!
//! A message is parsed at most once per call, and only if a key needs its content: flags,
//! sizes, dates, sequence and UID sets are answered from the metadata alone.

pub mod base_subject;
mod sort;
mod text;
mod thread;

use std::cell::OnceCell;

use imap_codec::imap_types::core::{AString, Charset};
use imap_codec::imap_types::extensions::sort::SortCriterion;
use imap_codec::imap_types::extensions::thread::Thread;
use imap_codec::imap_types::search::SearchKey;
use imap_codec::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};
use mail_parser::Message;
use store::flags::Flag;

use crate::fetch::MessageView;
use crate::fetch::mime::{parse_full, parse_headers};

/// What a search needs to know about the selected mailbox (to resolve `*`).
pub struct SearchContext {
    /// Highest sequence number (the number of messages).
    pub max_seq: u32,
    /// Highest UID in the mailbox.
    pub max_uid: u32,
}

/// Why a search could not be run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// RFC 9051 §6.4.4: answer `NO [BADCHARSET (UTF-8 US-ASCII)]`.
    #[error("unsupported charset")]
    BadCharset,
}

/// Checks the CHARSET of SEARCH/SORT/THREAD: only UTF-8 and US-ASCII (its subset) are known.
pub fn check_charset(charset: Option<&Charset<'_>>) -> Result<(), SearchError> {
    let name = match charset {
        None => return Ok(()),
        Some(Charset::Atom(a)) => a.as_ref().to_string(),
        Some(Charset::Quoted(q)) => q.as_ref().to_string(),
    };
    if name.eq_ignore_ascii_case("UTF-8") || name.eq_ignore_ascii_case("US-ASCII") {
        Ok(())
    } else {
        Err(SearchError::BadCharset)
    }
}

/// Whether a search key needs the message content (so the caller may skip loading blobs).
pub fn key_needs_raw(key: &SearchKey<'_>) -> bool {
    need(key) > Need::Nothing
}

/// Whether a key needs more than the top-level header block (BODY, TEXT).
pub fn key_needs_full(key: &SearchKey<'_>) -> bool {
    need(key) == Need::Full
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    Nothing,
    Headers,
    Full,
}

fn need(key: &SearchKey<'_>) -> Need {
    match key {
        SearchKey::And(keys) => keys
            .as_ref()
            .iter()
            .map(need)
            .max()
            .unwrap_or(Need::Nothing),
        SearchKey::Or(a, b) => need(a).max(need(b)),
        SearchKey::Not(k) => need(k),
        SearchKey::Body(_) | SearchKey::Text(_) => Need::Full,
        SearchKey::Bcc(_)
        | SearchKey::Cc(_)
        | SearchKey::From(_)
        | SearchKey::To(_)
        | SearchKey::Subject(_)
        | SearchKey::Header(..)
        | SearchKey::SentBefore(_)
        | SearchKey::SentOn(_)
        | SearchKey::SentSince(_) => Need::Headers,
        _ => Need::Nothing,
    }
}

/// One message under evaluation, parsed lazily.
struct Eval<'v, 'a> {
    view: &'v MessageView<'a>,
    ctx: &'v SearchContext,
    full: bool,
    parsed: OnceCell<Option<Message<'a>>>,
}

impl<'a> Eval<'_, 'a> {
    fn msg(&self) -> Option<&Message<'a>> {
        self.parsed
            .get_or_init(|| {
                if self.full {
                    parse_full(self.view.raw)
                } else {
                    parse_headers(self.view.raw)
                }
            })
            .as_ref()
    }

    fn internal_date(&self) -> Option<chrono::NaiveDate> {
        chrono::DateTime::from_timestamp(self.view.meta.internal_date, 0).map(|d| d.date_naive())
    }

    /// SENT* use the Date header. Without a usable one the message counts as sent on
    /// 1970-01-01, which is what Dovecot answers (RFC 9051 is silent).
    fn sent_date(&self) -> Option<chrono::NaiveDate> {
        self.msg()
            .and_then(text::sent_date)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(1970, 1, 1))
    }

    fn field_contains(&self, name: &str, needle: &AString<'_>) -> Result<bool, SearchError> {
        let needle = folded_needle(needle)?;
        let Some(msg) = self.msg() else {
            return Ok(false);
        };
        let values = text::folded_fields(msg, self.view.raw, name);
        // RFC 9051 §6.4.4 HEADER: an empty string matches every message that has the field.
        Ok(values.iter().any(|v| text::contains_folded(v, &needle)))
    }

    fn eval(&self, key: &SearchKey<'_>) -> Result<bool, SearchError> {
        let meta = self.view.meta;
        let flags = &meta.flags;
        Ok(match key {
            SearchKey::And(keys) => {
                for k in keys.as_ref() {
                    if !self.eval(k)? {
                        return Ok(false);
                    }
                }
                true
            }
            SearchKey::Or(a, b) => self.eval(a)? || self.eval(b)?,
            SearchKey::Not(k) => !self.eval(k)?,
            SearchKey::All => true,
            SearchKey::SequenceSet(set) => in_set(set, self.view.seq, self.ctx.max_seq),
            SearchKey::Uid(set) => in_set(set, meta.uid, self.ctx.max_uid),
            SearchKey::Answered => flags.contains(&Flag::Answered),
            SearchKey::Deleted => flags.contains(&Flag::Deleted),
            SearchKey::Draft => flags.contains(&Flag::Draft),
            SearchKey::Flagged => flags.contains(&Flag::Flagged),
            SearchKey::Seen => flags.contains(&Flag::Seen),
            SearchKey::Unanswered => !flags.contains(&Flag::Answered),
            SearchKey::Undeleted => !flags.contains(&Flag::Deleted),
            SearchKey::Undraft => !flags.contains(&Flag::Draft),
            SearchKey::Unflagged => !flags.contains(&Flag::Flagged),
            SearchKey::Unseen => !flags.contains(&Flag::Seen),
            SearchKey::Keyword(k) => flags.contains(&Flag::Keyword(k.as_ref().to_string())),
            SearchKey::Unkeyword(k) => !flags.contains(&Flag::Keyword(k.as_ref().to_string())),
            SearchKey::Recent => self.view.recent,
            SearchKey::Old => !self.view.recent,
            // RFC 3501 §6.4.4: NEW is "RECENT UNSEEN".
            SearchKey::New => self.view.recent && !flags.contains(&Flag::Seen),
            SearchKey::Larger(n) => meta.size > u64::from(*n),
            SearchKey::Smaller(n) => meta.size < u64::from(*n),
            // BEFORE/ON/SINCE compare the internal date, "disregarding time and timezone";
            // we use its UTC date, the zone INTERNALDATE is written in.
            SearchKey::Before(d) => self.internal_date().is_some_and(|x| x < *d.as_ref()),
            SearchKey::On(d) => self.internal_date().is_some_and(|x| x == *d.as_ref()),
            SearchKey::Since(d) => self.internal_date().is_some_and(|x| x >= *d.as_ref()),
            SearchKey::SentBefore(d) => self.sent_date().is_some_and(|x| x < *d.as_ref()),
            SearchKey::SentOn(d) => self.sent_date().is_some_and(|x| x == *d.as_ref()),
            SearchKey::SentSince(d) => self.sent_date().is_some_and(|x| x >= *d.as_ref()),
            SearchKey::Bcc(s) => self.field_contains("Bcc", s)?,
            SearchKey::Cc(s) => self.field_contains("Cc", s)?,
            SearchKey::From(s) => self.field_contains("From", s)?,
            SearchKey::To(s) => self.field_contains("To", s)?,
            SearchKey::Subject(s) => self.field_contains("Subject", s)?,
            SearchKey::Header(name, s) => {
                let name =
                    std::str::from_utf8(name.as_ref()).map_err(|_| SearchError::BadCharset)?;
                self.field_contains(name, s)?
            }
            SearchKey::Body(s) => {
                let needle = folded_needle(s)?;
                self.msg()
                    .is_some_and(|m| text::body_contains(m, &needle, 0))
            }
            SearchKey::Text(s) => {
                let needle = folded_needle(s)?;
                self.msg().is_some_and(|m| {
                    text::contains_folded(&text::folded_header(m, self.view.raw), &needle)
                        || text::body_contains(m, &needle, 0)
                })
            }
            SearchKey::ModSequence { modseq, .. } => meta.modseq >= *modseq,
            #[allow(unreachable_patterns)]
            _ => false,
        })
    }
}

/// The search string as folded UTF-8 (CHARSET is UTF-8 or US-ASCII, checked by the caller).
fn folded_needle(s: &AString<'_>) -> Result<String, SearchError> {
    let text = std::str::from_utf8(s.as_ref()).map_err(|_| SearchError::BadCharset)?;
    Ok(text::fold(text))
}

/// Whether `n` is in a sequence set where `*` stands for `max` (RFC 9051 §9 `seq-number`:
/// "n:m" and "m:n" are the same range, and "n:*" includes `*` even when n > max).
pub(crate) fn in_set(set: &SequenceSet, n: u32, max: u32) -> bool {
    let value = |v: &SeqOrUid| match v {
        SeqOrUid::Value(x) => x.get(),
        SeqOrUid::Asterisk => max,
    };
    set.0.as_ref().iter().any(|seq| match seq {
        Sequence::Single(v) => value(v) == n,
        Sequence::Range(a, b) => {
            let (a, b) = (value(a), value(b));
            (a.min(b)..=a.max(b)).contains(&n)
        }
        // `$` (RFC 5182) is replaced by the saved numbers before matching
        // (`commands/searchres.rs`).
        Sequence::Saved => false,
    })
}

/// Whether one message matches a search key.
pub fn matches(
    key: &SearchKey<'_>,
    view: &MessageView<'_>,
    ctx: &SearchContext,
) -> Result<bool, SearchError> {
    let eval = Eval {
        view,
        ctx,
        full: need(key) == Need::Full,
        parsed: OnceCell::new(),
    };
    eval.eval(key)
}

/// Whether one message matches every key of a SEARCH command (the implicit AND of RFC 9051
/// §6.4.4), parsing the message at most once for all of them.
pub fn matches_all(
    criteria: &[SearchKey<'_>],
    view: &MessageView<'_>,
    ctx: &SearchContext,
) -> Result<bool, SearchError> {
    let eval = Eval {
        view,
        ctx,
        full: criteria.iter().any(|k| need(k) == Need::Full),
        parsed: OnceCell::new(),
    };
    for key in criteria {
        if !eval.eval(key)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Indices into `views`, in SORT order (RFC 5256 §3; ties in sequence order).
pub fn sort(criteria: &[SortCriterion], views: &[MessageView<'_>]) -> Vec<usize> {
    sort::sort(criteria, views)
}

/// THREAD=REFERENCES (RFC 5256 §4) over `views`; numbers are UIDs if `uid`, else sequence numbers.
pub fn thread_references(views: &[MessageView<'_>], uid: bool) -> Vec<Thread> {
    thread::references(views, uid)
}

#[cfg(test)]
mod tests;
