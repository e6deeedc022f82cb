//! Sets of integers stored as sorted, disjoint, coalesced inclusive ranges.
//!
//! [`IntervalSet<T>`] is the building block of every other set in [`crate::net`]:
//! IPv4 addresses are `IntervalSet<u32>`, IPv6 addresses `IntervalSet<u128>`, ports and
//! ICMP type/code pairs `IntervalSet<u16>`. All operations are linear merges (or binary
//! searches) over the range lists; no operation ever enumerates the members.
//!
//! Invariant (kept by every constructor and operation): the ranges are sorted by start,
//! each range has `lo <= hi`, and consecutive ranges are separated by at least one value
//! that is not a member (`next.lo > prev.hi + 1`). Hence the representation of a set is
//! canonical and the derived `PartialEq`/`Hash` are set equality and a set hash.

use std::fmt;
use std::hash::Hash;

/// An unsigned integer type usable as the element type of an [`IntervalSet`].
pub trait Bound: Copy + Ord + Eq + Hash + fmt::Debug {
    /// The smallest value of the type.
    const MIN: Self;
    /// The largest value of the type.
    const MAX: Self;
    /// The next value, or `None` at `MAX`.
    fn succ(self) -> Option<Self>;
    /// The previous value, or `None` at `MIN`.
    fn pred(self) -> Option<Self>;
    /// The number of values in `lo..=hi` (0 when `lo > hi`), saturating at `u128::MAX`.
    fn span(lo: Self, hi: Self) -> u128;
}

macro_rules! impl_bound {
    ($t:ty) => {
        impl Bound for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            fn succ(self) -> Option<Self> {
                self.checked_add(1)
            }
            fn pred(self) -> Option<Self> {
                self.checked_sub(1)
            }
            fn span(lo: Self, hi: Self) -> u128 {
                if lo > hi {
                    0
                } else {
                    (u128::from(hi) - u128::from(lo)).saturating_add(1)
                }
            }
        }
    };
}

impl_bound!(u8);
impl_bound!(u16);
impl_bound!(u32);
impl_bound!(u64);
impl_bound!(u128);

/// A set of values of `T`, as sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IntervalSet<T: Bound> {
    ranges: Vec<(T, T)>,
}

impl<T: Bound> Default for IntervalSet<T> {
    fn default() -> Self {
        Self::empty()
    }
}

/// Appends `lo..=hi` to `out`, coalescing with the last range when they overlap or touch.
/// Requires `lo` to be no smaller than the start of the last range in `out`.
fn push_coalesce<T: Bound>(out: &mut Vec<(T, T)>, lo: T, hi: T) {
    if let Some(last) = out.last_mut() {
        let touches = match last.1.succ() {
            None => true,
            Some(next) => lo <= next,
        };
        if touches {
            if hi > last.1 {
                last.1 = hi;
            }
            return;
        }
    }
    out.push((lo, hi));
}

impl<T: Bound> IntervalSet<T> {
    /// The empty set.
    pub fn empty() -> Self {
        Self { ranges: Vec::new() }
    }

    /// The set of all values of `T`.
    pub fn full() -> Self {
        Self {
            ranges: vec![(T::MIN, T::MAX)],
        }
    }

    /// The values `lo..=hi`; empty when `lo > hi`.
    pub fn range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::empty()
        } else {
            Self {
                ranges: vec![(lo, hi)],
            }
        }
    }

    /// The set holding only `x`.
    pub fn single(x: T) -> Self {
        Self::range(x, x)
    }

    /// Builds a set from arbitrary inclusive ranges (in any order, possibly overlapping;
    /// ranges with `lo > hi` are ignored).
    pub fn from_ranges<I: IntoIterator<Item = (T, T)>>(ranges: I) -> Self {
        let mut v: Vec<(T, T)> = ranges.into_iter().filter(|(lo, hi)| lo <= hi).collect();
        v.sort_unstable();
        let mut out = Vec::with_capacity(v.len());
        for (lo, hi) in v {
            push_coalesce(&mut out, lo, hi);
        }
        Self { ranges: out }
    }

    /// Whether the set has no member.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether the set holds every value of `T`.
    pub fn is_full(&self) -> bool {
        self.ranges.len() == 1 && self.ranges[0] == (T::MIN, T::MAX)
    }

    /// The ranges of the set: sorted, disjoint, non-adjacent, each `lo <= hi`.
    pub fn ranges(&self) -> &[(T, T)] {
        &self.ranges
    }

    /// Index of the first range whose end is `>= x`.
    fn first_ending_at_or_after(&self, x: T) -> usize {
        self.ranges.partition_point(|r| r.1 < x)
    }

    /// Whether `x` is a member.
    pub fn contains(&self, x: T) -> bool {
        let k = self.first_ending_at_or_after(x);
        self.ranges.get(k).is_some_and(|r| r.0 <= x)
    }

    /// Whether every value of `lo..=hi` is a member (true when `lo > hi`).
    pub fn contains_range(&self, lo: T, hi: T) -> bool {
        if lo > hi {
            return true;
        }
        let k = self.first_ending_at_or_after(lo);
        self.ranges.get(k).is_some_and(|r| r.0 <= lo && r.1 >= hi)
    }

    /// Whether some value of `lo..=hi` is a member (binary search).
    pub fn overlaps_range(&self, lo: T, hi: T) -> bool {
        if lo > hi {
            return false;
        }
        let k = self.first_ending_at_or_after(lo);
        self.ranges.get(k).is_some_and(|r| r.0 <= hi)
    }

    /// The set of values in `self` or in `o`.
    pub fn union(&self, o: &Self) -> Self {
        if o.is_empty() {
            return self.clone();
        }
        if self.is_empty() {
            return o.clone();
        }
        let (a, b) = (&self.ranges, &o.ranges);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let take_a = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.0 <= y.0,
                (Some(_), None) => true,
                _ => false,
            };
            let r = if take_a {
                i += 1;
                a[i - 1]
            } else {
                j += 1;
                b[j - 1]
            };
            push_coalesce(&mut out, r.0, r.1);
        }
        Self { ranges: out }
    }

    /// The set of values in both `self` and `o`.
    pub fn intersect(&self, o: &Self) -> Self {
        let (a, b) = (&self.ranges, &o.ranges);
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let lo = a[i].0.max(b[j].0);
            let hi = a[i].1.min(b[j].1);
            if lo <= hi {
                push_coalesce(&mut out, lo, hi);
            }
            if a[i].1 < b[j].1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        Self { ranges: out }
    }

    /// The set of values in `self` but not in `o`.
    pub fn difference(&self, o: &Self) -> Self {
        if o.is_empty() || self.is_empty() {
            return self.clone();
        }
        let b = &o.ranges;
        let mut out = Vec::with_capacity(self.ranges.len());
        let mut j = 0;
        for &(lo, hi) in &self.ranges {
            // Skip subtrahend ranges entirely before this range.
            while j < b.len() && b[j].1 < lo {
                j += 1;
            }
            let mut cur = Some(lo);
            let mut k = j;
            while let Some(c) = cur {
                if c > hi {
                    cur = None;
                    break;
                }
                match b.get(k) {
                    Some(&(blo, bhi)) if blo <= hi => {
                        if blo > c {
                            if let Some(p) = blo.pred() {
                                push_coalesce(&mut out, c, p);
                            }
                        }
                        if bhi >= c {
                            cur = bhi.succ();
                        }
                        k += 1;
                    }
                    _ => break,
                }
            }
            if let Some(c) = cur {
                if c <= hi {
                    push_coalesce(&mut out, c, hi);
                }
            }
        }
        Self { ranges: out }
    }

    /// The set of values of `T` not in `self`.
    pub fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut cur = Some(T::MIN);
        for &(lo, hi) in &self.ranges {
            if let Some(c) = cur {
                if c < lo {
                    if let Some(p) = lo.pred() {
                        out.push((c, p));
                    }
                }
            }
            cur = hi.succ();
        }
        if let Some(c) = cur {
            out.push((c, T::MAX));
        }
        Self { ranges: out }
    }

    /// Whether every member of `self` is a member of `o`.
    pub fn is_subset(&self, o: &Self) -> bool {
        self.ranges.iter().all(|&(lo, hi)| o.contains_range(lo, hi))
    }

    /// Whether `self` and `o` share a member.
    pub fn overlaps(&self, o: &Self) -> bool {
        let (a, b) = (&self.ranges, &o.ranges);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].0.max(b[j].0) <= a[i].1.min(b[j].1) {
                return true;
            }
            if a[i].1 < b[j].1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// The number of members, saturating at `u128::MAX` (only reachable for a full
    /// `IntervalSet<u128>`).
    pub fn count(&self) -> u128 {
        self.ranges
            .iter()
            .fold(0u128, |acc, &(lo, hi)| acc.saturating_add(T::span(lo, hi)))
    }

    /// The smallest member.
    pub fn first(&self) -> Option<T> {
        self.ranges.first().map(|r| r.0)
    }

    /// The largest member.
    pub fn last(&self) -> Option<T> {
        self.ranges.last().map(|r| r.1)
    }
}

impl<T: Bound + fmt::Display> fmt::Display for IntervalSet<T> {
    /// Comma-separated ranges (`"22, 1024-65535"`), `"all"` for the full set, `"none"` for
    /// the empty set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        if self.is_full() {
            return f.write_str("all");
        }
        for (i, &(lo, hi)) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if lo == hi {
                write!(f, "{lo}")?;
            } else {
                write!(f, "{lo}-{hi}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_invariant<T: Bound>(s: &IntervalSet<T>) {
        for r in s.ranges() {
            assert!(r.0 <= r.1, "bad range {r:?}");
        }
        for w in s.ranges().windows(2) {
            let next = w[0].1.succ();
            assert!(next.is_some_and(|n| w[1].0 > n), "not coalesced: {w:?}");
        }
    }

    #[test]
    fn basics() {
        let a = IntervalSet::<u16>::range(10, 20);
        let b = IntervalSet::<u16>::range(21, 30);
        let u = a.union(&b);
        assert_eq!(u.ranges(), &[(10, 30)]);
        assert_eq!(u.count(), 21);
        assert!(IntervalSet::<u16>::range(5, 4).is_empty());
        assert!(IntervalSet::<u16>::full().is_full());
        assert_eq!(IntervalSet::<u16>::full().count(), 65536);
        assert_eq!(IntervalSet::<u128>::full().count(), u128::MAX);
        assert_eq!(IntervalSet::<u32>::full().count(), 1u128 << 32);
        assert_eq!(
            IntervalSet::<u16>::single(0).complement().ranges(),
            &[(1, u16::MAX)]
        );
        assert_eq!(
            IntervalSet::<u16>::single(u16::MAX).complement().ranges(),
            &[(0, u16::MAX - 1)]
        );
        assert!(IntervalSet::<u16>::full().complement().is_empty());
        assert!(IntervalSet::<u16>::empty().complement().is_full());
        let d = IntervalSet::<u16>::full().difference(&IntervalSet::range(100, 200));
        assert_eq!(d.ranges(), &[(0, 99), (201, u16::MAX)]);
        assert_eq!(format!("{d}"), "0-99, 201-65535");
        assert_eq!(d.first(), Some(0));
        assert!(IntervalSet::<u16>::empty().first().is_none());
        let f = IntervalSet::<u128>::from_ranges([(5, 3), (u128::MAX - 1, u128::MAX), (0, 0)]);
        assert_eq!(f.ranges(), &[(0, 0), (u128::MAX - 1, u128::MAX)]);
    }

    fn edge_u16() -> impl Strategy<Value = u16> {
        prop_oneof![0u16..24, (u16::MAX - 24)..=u16::MAX]
    }

    fn set_u16() -> impl Strategy<Value = IntervalSet<u16>> {
        prop::collection::vec((edge_u16(), edge_u16()), 0..5).prop_map(IntervalSet::from_ranges)
    }

    fn edge_u128() -> impl Strategy<Value = u128> {
        prop_oneof![0u128..8, (u128::MAX - 8)..=u128::MAX]
    }

    /// Values that witness every distinct membership class for sets built from edge values.
    fn probes() -> Vec<u16> {
        let mut v: Vec<u16> = (0u16..26).collect();
        v.extend((u16::MAX - 26)..=u16::MAX);
        v.push(30_000);
        v
    }

    proptest! {
        #[test]
        fn ops_match_brute_force(a in set_u16(), b in set_u16()) {
            let u = a.union(&b);
            let i = a.intersect(&b);
            let d = a.difference(&b);
            let c = a.complement();
            for s in [&u, &i, &d, &c] {
                check_invariant(s);
            }
            for x in probes() {
                let (ia, ib) = (a.contains(x), b.contains(x));
                prop_assert_eq!(u.contains(x), ia || ib);
                prop_assert_eq!(i.contains(x), ia && ib);
                prop_assert_eq!(d.contains(x), ia && !ib);
                prop_assert_eq!(c.contains(x), !ia);
            }
            prop_assert_eq!(a.is_subset(&b), d.is_empty());
            prop_assert_eq!(a.overlaps(&b), !i.is_empty());
            prop_assert_eq!(u.count() + i.count(), a.count() + b.count());
            prop_assert_eq!(c.complement(), a.clone());
            for &(lo, hi) in b.ranges() {
                prop_assert_eq!(a.overlaps_range(lo, hi), a.overlaps(&IntervalSet::range(lo, hi)));
                prop_assert_eq!(a.contains_range(lo, hi), IntervalSet::range(lo, hi).is_subset(&a));
            }
        }

        #[test]
        fn u128_edges(a in prop::collection::vec((edge_u128(), edge_u128()), 0..4)) {
            let s = IntervalSet::from_ranges(a);
            let c = s.complement();
            check_invariant(&c);
            prop_assert!(!s.overlaps(&c));
            prop_assert!(s.union(&c).is_full());
            prop_assert_eq!(IntervalSet::<u128>::full().difference(&s), c);
        }
    }
}
