//! Sets of UIDs as IMAP gives them (`1:4,7,10:*`), already resolved to numbers by the caller.

use std::ops::RangeInclusive;

/// A set of UIDs: inclusive ranges, normalised (sorted, merged). `*` is resolved by the caller,
/// or use [`UidSet::all`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UidSet {
    ranges: Vec<RangeInclusive<u32>>,
}

impl UidSet {
    /// Every UID (`1:*`).
    pub fn all() -> UidSet {
        UidSet {
            ranges: vec![1..=u32::MAX],
        }
    }

    pub fn from_ranges<I: IntoIterator<Item = RangeInclusive<u32>>>(ranges: I) -> UidSet {
        let mut list: Vec<RangeInclusive<u32>> = ranges
            .into_iter()
            .map(|r| {
                let (a, b) = (*r.start(), *r.end());
                // IMAP allows `7:3`, meaning 3..=7 (RFC 9051 §9 `seq-range`).
                a.min(b)..=a.max(b)
            })
            .collect();
        list.sort_by_key(|r| *r.start());
        let mut merged: Vec<RangeInclusive<u32>> = Vec::with_capacity(list.len());
        for r in list {
            if let Some(last) = merged.last_mut()
                && u64::from(*r.start()) <= u64::from(*last.end()) + 1
            {
                if r.end() > last.end() {
                    *last = *last.start()..=*r.end();
                }
                continue;
            }
            merged.push(r);
        }
        UidSet { ranges: merged }
    }

    pub fn from_uids(uids: &[u32]) -> UidSet {
        UidSet::from_ranges(uids.iter().map(|&u| u..=u))
    }

    pub fn contains(&self, uid: u32) -> bool {
        // Ranges are sorted and disjoint: binary search on the start.
        let idx = self.ranges.partition_point(|r| *r.start() <= uid);
        idx > 0 && self.ranges[idx - 1].contains(&uid)
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The smallest and largest UID of the set, to bound a SQL scan (`uid BETWEEN lo AND hi`);
    /// rows are then filtered with [`UidSet::contains`], which keeps queries free of long bind lists.
    pub fn bounds(&self) -> Option<(u32, u32)> {
        Some((*self.ranges.first()?.start(), *self.ranges.last()?.end()))
    }

    pub fn ranges(&self) -> &[RangeInclusive<u32>] {
        &self.ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_contains() {
        // `20:15` is a valid IMAP range meaning 15..=20.
        let reversed = RangeInclusive::new(20, 15);
        let s = UidSet::from_ranges([7..=9, 1..=3, 4..=4, reversed, 8..=12]);
        assert_eq!(s.ranges(), &[1..=4, 7..=12, 15..=20]);
        let table = [
            (0, false),
            (1, true),
            (4, true),
            (5, false),
            (12, true),
            (14, false),
            (15, true),
            (20, true),
            (21, false),
        ];
        for (uid, want) in table {
            assert_eq!(s.contains(uid), want, "{uid}");
        }
        assert_eq!(s.bounds(), Some((1, 20)));
        assert!(UidSet::default().bounds().is_none());
        assert!(UidSet::all().contains(u32::MAX));
        assert_eq!(UidSet::from_uids(&[3, 1, 2]).ranges(), &[1..=3]);
    }
}
