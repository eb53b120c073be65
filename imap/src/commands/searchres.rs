//! SEARCHRES (RFC 5182, folded into IMAP4rev2 as RFC 9051 §6.4.4.1): `SEARCH RETURN (SAVE)`
//! keeps its result in the selected mailbox (`Selected::saved`, as UIDs), and `$` names it.
//!
//! `Selected::resolve` expands `$` for FETCH, STORE, COPY, MOVE and UID EXPUNGE; this file
//! decides what SAVE keeps and replaces `$` in search criteria (SEARCH, SORT, THREAD), where it
//! stands for sequence numbers (`SEARCH $`) or UIDs (`SEARCH UID $`).

use std::borrow::Cow;

use imap_next::imap_types::core::Vec1;
use imap_next::imap_types::extensions::esearch::SearchReturnOption;
use imap_next::imap_types::search::SearchKey;
use imap_next::imap_types::sequence::{Sequence, SequenceSet};

use super::esearch::{Match, compact_set};
use crate::selected::Selected;

/// What `RETURN (… SAVE …)` keeps (RFC 5182 §2.1, RFC 9051 §6.4.4): every match, unless only
/// MIN and/or MAX come with SAVE, in which case only the message(s) they report. `found` are
/// the matches by UID. Sorted, as `Selected::saved` must be.
pub(crate) fn saved_uids(options: &[SearchReturnOption], found: &[Match]) -> Vec<u32> {
    let others: Vec<&SearchReturnOption> = options
        .iter()
        .filter(|o| **o != SearchReturnOption::Save)
        .collect();
    let only_ends = !others.is_empty()
        && others
            .iter()
            .all(|o| matches!(o, SearchReturnOption::Min | SearchReturnOption::Max));
    let mut uids: Vec<u32> = if only_ends {
        let min = found
            .iter()
            .map(|m| m.id)
            .min()
            .filter(|_| others.contains(&&SearchReturnOption::Min));
        let max = found
            .iter()
            .map(|m| m.id)
            .max()
            .filter(|_| others.contains(&&SearchReturnOption::Max));
        min.into_iter().chain(max).collect()
    } else {
        found.iter().map(|m| m.id).collect()
    };
    uids.sort_unstable();
    uids.dedup();
    uids
}

/// Whether SAVE is the only return option: then no ESEARCH response is sent (RFC 5182 §2.1,
/// RFC 9051 §6.4.4: "the server MUST NOT return an ESEARCH response" in that case).
pub(crate) fn save_only(options: &[SearchReturnOption]) -> bool {
    !options.is_empty() && options.iter().all(|o| *o == SearchReturnOption::Save)
}

fn set_has_saved(set: &SequenceSet) -> bool {
    set.0.as_ref().contains(&Sequence::Saved)
}

fn key_has_saved(key: &SearchKey<'_>) -> bool {
    match key {
        SearchKey::And(keys) => keys.as_ref().iter().any(key_has_saved),
        SearchKey::Not(k) => key_has_saved(k),
        SearchKey::Or(a, b) => key_has_saved(a) || key_has_saved(b),
        SearchKey::SequenceSet(set) | SearchKey::Uid(set) => set_has_saved(set),
        _ => false,
    }
}

/// `set` with `$` replaced by `numbers`; `None` when nothing is left (an empty `$` alone).
fn substitute_set(set: &SequenceSet, numbers: &[u32]) -> Option<SequenceSet> {
    let mut out: Vec<Sequence> = set
        .0
        .as_ref()
        .iter()
        .filter(|s| **s != Sequence::Saved)
        .cloned()
        .collect();
    if let Some(saved) = compact_set(numbers) {
        out.extend(saved.0.into_inner());
    }
    Vec1::try_from(out).ok().map(SequenceSet)
}

/// A key no message matches, for an empty `$`.
fn nothing() -> SearchKey<'static> {
    SearchKey::Not(Box::new(SearchKey::All))
}

fn substitute_key(key: &SearchKey<'static>, seqs: &[u32], uids: &[u32]) -> SearchKey<'static> {
    match key {
        SearchKey::And(keys) => SearchKey::And(Vec1::unvalidated(
            keys.as_ref()
                .iter()
                .map(|k| substitute_key(k, seqs, uids))
                .collect(),
        )),
        SearchKey::Not(k) => SearchKey::Not(Box::new(substitute_key(k, seqs, uids))),
        SearchKey::Or(a, b) => SearchKey::Or(
            Box::new(substitute_key(a, seqs, uids)),
            Box::new(substitute_key(b, seqs, uids)),
        ),
        SearchKey::SequenceSet(set) if set_has_saved(set) => substitute_set(set, seqs)
            .map(SearchKey::SequenceSet)
            .unwrap_or_else(nothing),
        SearchKey::Uid(set) if set_has_saved(set) => substitute_set(set, uids)
            .map(SearchKey::Uid)
            .unwrap_or_else(nothing),
        other => other.clone(),
    }
}

/// The criteria with every `$` replaced by the saved messages that still exist: their
/// sequence numbers in a sequence-set key, their UIDs after `UID` (RFC 5182 §2.1). Borrowed
/// when there is no `$`.
pub(crate) fn substitute<'k>(
    criteria: &'k [SearchKey<'static>],
    sel: &Selected,
) -> Cow<'k, [SearchKey<'static>]> {
    if !criteria.iter().any(key_has_saved) {
        return Cow::Borrowed(criteria);
    }
    let uids: Vec<u32> = sel
        .saved
        .iter()
        .copied()
        .filter(|u| sel.seq_of(*u).is_some())
        .collect();
    let seqs: Vec<u32> = uids.iter().filter_map(|u| sel.seq_of(*u)).collect();
    Cow::Owned(
        criteria
            .iter()
            .map(|k| substitute_key(k, &seqs, &uids))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use imap_next::imap_types::extensions::esearch::SearchReturnOption::{
        All, Count, Max, Min, Save,
    };

    fn found(ids: &[u32]) -> Vec<Match> {
        ids.iter().map(|&id| Match { id, modseq: 1 }).collect()
    }

    #[test]
    fn what_save_keeps() {
        let hits = found(&[9, 4, 7]);
        let cases: &[(&[SearchReturnOption], &[u32])] = &[
            (&[Save], &[4, 7, 9]),
            (&[Save, Min], &[4]),
            (&[Max, Save], &[9]),
            (&[Save, Min, Max], &[4, 9]),
            (&[Save, Min, Count], &[4, 7, 9]),
            (&[Save, All], &[4, 7, 9]),
        ];
        for (options, want) in cases {
            assert_eq!(saved_uids(options, &hits), *want, "{options:?}");
        }
        assert!(saved_uids(&[Save, Min], &[]).is_empty());
        assert!(save_only(&[Save]));
        assert!(!save_only(&[Save, Min]));
        assert!(!save_only(&[]));
    }

    fn sel(uids: Vec<u32>, saved: Vec<u32>) -> Selected {
        Selected {
            saved,
            ..crate::selected::fixture(uids)
        }
    }

    fn set(s: &str) -> SequenceSet {
        SequenceSet::try_from(s).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn dollar_in_criteria() {
        // UIDs 3, 5, 8, 10 are messages 1..4; 5 and 10 are saved, 6 was expunged since.
        let s = sel(vec![3, 5, 8, 10], vec![5, 6, 10]);
        let criteria = vec![
            SearchKey::SequenceSet(set("$")),
            SearchKey::Or(
                Box::new(SearchKey::Uid(set("1,$"))),
                Box::new(SearchKey::Not(Box::new(SearchKey::Seen))),
            ),
        ];
        let got = substitute(&criteria, &s);
        let want = vec![
            SearchKey::SequenceSet(set("2,4")),
            SearchKey::Or(
                Box::new(SearchKey::Uid(set("1,5,10"))),
                Box::new(SearchKey::Not(Box::new(SearchKey::Seen))),
            ),
        ];
        assert_eq!(got.as_ref(), want.as_slice());
        // Nothing saved: `$` matches nothing.
        let empty = sel(vec![3], Vec::new());
        let got = substitute(&criteria[..1], &empty);
        assert_eq!(got.as_ref(), &[nothing()]);
        // No `$`: the criteria are borrowed as they are.
        let plain = vec![SearchKey::All];
        assert!(matches!(substitute(&plain, &s), Cow::Borrowed(_)));
    }

    #[test]
    fn dollar_in_commands() {
        let s = sel(vec![3, 5, 8, 10], vec![5, 6, 10]);
        assert_eq!(s.resolve(&set("$"), false).ok(), Some(vec![5, 10]));
        assert_eq!(s.resolve(&set("$"), true).ok(), Some(vec![5, 10]));
        assert_eq!(s.resolve(&set("1,$"), false).ok(), Some(vec![3, 5, 10]));
        assert_eq!(s.resolve(&set("8,$"), true).ok(), Some(vec![5, 8, 10]));
        let empty = sel(vec![3], Vec::new());
        assert_eq!(empty.resolve(&set("$"), false).ok(), Some(Vec::new()));
    }
}
