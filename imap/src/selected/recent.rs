//! The messages that are `\Recent` for one session (RFC 3501 §2.3.2): "the message is
//! considered recent by this session and no other". Each session holds the UID ranges it claimed
//! from the store ([`store::Db::claim_recent`]) at SELECT and whenever new messages reached it,
//! so a message delivered while several sessions have the mailbox selected is recent in the first
//! one told of it only. Read-only and IMAP4rev2 sessions claim nothing (RFC 9051 removed
//! `\Recent`).

use std::ops::Range;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecentUids {
    /// Disjoint, in increasing order (claims only ever move forward).
    ranges: Vec<Range<u32>>,
}

impl RecentUids {
    pub fn contains(&self, uid: u32) -> bool {
        self.ranges.iter().any(|r| r.contains(&uid))
    }

    /// Adds a claimed range; a range adjacent to the last one extends it.
    pub fn add(&mut self, claimed: Range<u32>) {
        if claimed.is_empty() {
            return;
        }
        match self.ranges.last_mut() {
            Some(last) if last.end == claimed.start => last.end = claimed.end,
            _ => self.ranges.push(claimed),
        }
    }

    /// How many of `uids` are recent (the `* n RECENT` response).
    pub fn count_in(&self, uids: &[u32]) -> u32 {
        let n = self
            .ranges
            .iter()
            .map(|r| {
                let start = uids.partition_point(|u| *u < r.start);
                let end = uids.partition_point(|u| *u < r.end);
                end - start
            })
            .sum::<usize>();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

impl From<Range<u32>> for RecentUids {
    fn from(claimed: Range<u32>) -> Self {
        let mut out = RecentUids::default();
        out.add(claimed);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_add_up() {
        let mut r = RecentUids::from(3..5);
        r.add(5..6);
        r.add(8..8);
        r.add(9..11);
        let uids = [1, 2, 3, 4, 5, 7, 9, 10, 12];
        let cases = [
            (2, false),
            (3, true),
            (5, true),
            (6, false),
            (9, true),
            (11, false),
        ];
        for (uid, want) in cases {
            assert_eq!(r.contains(uid), want, "{uid}");
        }
        assert_eq!(r.count_in(&uids), 5);
        assert_eq!(RecentUids::default().count_in(&uids), 0);
    }
}
