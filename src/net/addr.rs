//! Sets of IP addresses, IPv4 and IPv6 kept as two separate spaces.
//!
//! An [`AddrSet`] is a pair of interval sets: IPv4 addresses as `u32` and IPv6 addresses
//! as `u128`. The two families never mix: `0.0.0.0/0` and `::/0` are different sets and
//! the IPv4-mapped IPv6 range is just part of the IPv6 space. Conversions to and from
//! CIDR blocks ([`ipnet::IpNet`]) are exact: [`AddrSet::to_cidrs`] returns the minimal
//! list of CIDR blocks that covers exactly the set.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::interval::IntervalSet;

/// A set of IPv4 and IPv6 addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AddrSet {
    /// The IPv4 members, as 32-bit integers.
    pub v4: IntervalSet<u32>,
    /// The IPv6 members, as 128-bit integers.
    pub v6: IntervalSet<u128>,
}

/// The first and last address of an IPv4 network, as integers (host bits are ignored).
pub fn net_range_v4(net: &Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

/// The first and last address of an IPv6 network, as integers (host bits are ignored).
pub fn net_range_v6(net: &Ipv6Net) -> (u128, u128) {
    (u128::from(net.network()), u128::from(net.broadcast()))
}

macro_rules! range_prefixes {
    ($name:ident, $t:ty) => {
        /// Splits `lo..=hi` into the minimal list of aligned power-of-two blocks,
        /// returned as `(start, prefix_len)` in ascending order.
        fn $name(lo: $t, hi: $t) -> Vec<($t, u8)> {
            const BITS: u32 = <$t>::BITS;
            let mut out = Vec::new();
            let mut cur = lo;
            while cur <= hi {
                let align = if cur == 0 { BITS } else { cur.trailing_zeros() };
                let rem = hi - cur; // number of values left, minus one
                let size_bits = match rem.checked_add(1) {
                    None => BITS,
                    Some(n) => BITS - 1 - n.leading_zeros(),
                };
                let k = align.min(size_bits);
                out.push((cur, (BITS - k) as u8));
                if k >= BITS {
                    break;
                }
                match cur.checked_add((1 as $t) << k) {
                    Some(n) => cur = n,
                    None => break,
                }
            }
            out
        }
    };
}

range_prefixes!(range_prefixes_v4, u32);
range_prefixes!(range_prefixes_v6, u128);

/// The minimal list of IPv4 CIDR blocks covering exactly `lo..=hi`.
pub fn range_to_cidrs_v4(lo: u32, hi: u32) -> Vec<Ipv4Net> {
    range_prefixes_v4(lo, hi)
        .into_iter()
        .filter_map(|(a, len)| Ipv4Net::new(Ipv4Addr::from(a), len).ok())
        .collect()
}

/// The minimal list of IPv6 CIDR blocks covering exactly `lo..=hi`.
pub fn range_to_cidrs_v6(lo: u128, hi: u128) -> Vec<Ipv6Net> {
    range_prefixes_v6(lo, hi)
        .into_iter()
        .filter_map(|(a, len)| Ipv6Net::new(Ipv6Addr::from(a), len).ok())
        .collect()
}

impl AddrSet {
    /// The empty set.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every IPv4 address (`0.0.0.0/0`).
    pub fn all_v4() -> Self {
        Self {
            v4: IntervalSet::full(),
            v6: IntervalSet::empty(),
        }
    }

    /// Every IPv6 address (`::/0`).
    pub fn all_v6() -> Self {
        Self {
            v4: IntervalSet::empty(),
            v6: IntervalSet::full(),
        }
    }

    /// Every IPv4 and every IPv6 address.
    pub fn all() -> Self {
        Self {
            v4: IntervalSet::full(),
            v6: IntervalSet::full(),
        }
    }

    /// The addresses of one CIDR block (host bits of `net` are ignored).
    pub fn from_net(net: &IpNet) -> Self {
        match net {
            IpNet::V4(n) => {
                let (lo, hi) = net_range_v4(n);
                Self {
                    v4: IntervalSet::range(lo, hi),
                    v6: IntervalSet::empty(),
                }
            }
            IpNet::V6(n) => {
                let (lo, hi) = net_range_v6(n);
                Self {
                    v4: IntervalSet::empty(),
                    v6: IntervalSet::range(lo, hi),
                }
            }
        }
    }

    /// The set holding one address.
    pub fn from_addr(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(a) => Self {
                v4: IntervalSet::single(u32::from(a)),
                v6: IntervalSet::empty(),
            },
            IpAddr::V6(a) => Self {
                v4: IntervalSet::empty(),
                v6: IntervalSet::single(u128::from(a)),
            },
        }
    }

    /// The union of several CIDR blocks.
    pub fn from_nets<'a, I: IntoIterator<Item = &'a IpNet>>(nets: I) -> Self {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for net in nets {
            match net {
                IpNet::V4(n) => v4.push(net_range_v4(n)),
                IpNet::V6(n) => v6.push(net_range_v6(n)),
            }
        }
        Self {
            v4: IntervalSet::from_ranges(v4),
            v6: IntervalSet::from_ranges(v6),
        }
    }

    /// The IPv4 addresses `lo..=hi` (empty when `lo > hi`).
    pub fn from_v4_range(lo: Ipv4Addr, hi: Ipv4Addr) -> Self {
        Self {
            v4: IntervalSet::range(u32::from(lo), u32::from(hi)),
            v6: IntervalSet::empty(),
        }
    }

    /// The IPv6 addresses `lo..=hi` (empty when `lo > hi`).
    pub fn from_v6_range(lo: Ipv6Addr, hi: Ipv6Addr) -> Self {
        Self {
            v4: IntervalSet::empty(),
            v6: IntervalSet::range(u128::from(lo), u128::from(hi)),
        }
    }

    /// Addresses in `self` or `o`.
    pub fn union(&self, o: &Self) -> Self {
        Self {
            v4: self.v4.union(&o.v4),
            v6: self.v6.union(&o.v6),
        }
    }

    /// Addresses in both `self` and `o`.
    pub fn intersect(&self, o: &Self) -> Self {
        Self {
            v4: self.v4.intersect(&o.v4),
            v6: self.v6.intersect(&o.v6),
        }
    }

    /// Addresses in `self` but not in `o`.
    pub fn difference(&self, o: &Self) -> Self {
        Self {
            v4: self.v4.difference(&o.v4),
            v6: self.v6.difference(&o.v6),
        }
    }

    /// Every address (of both families) not in `self`.
    pub fn complement(&self) -> Self {
        Self {
            v4: self.v4.complement(),
            v6: self.v6.complement(),
        }
    }

    /// Whether the set has no address.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Whether the set holds every IPv4 and every IPv6 address.
    pub fn is_full(&self) -> bool {
        self.v4.is_full() && self.v6.is_full()
    }

    /// Whether every address of `self` is in `o`.
    pub fn is_subset(&self, o: &Self) -> bool {
        self.v4.is_subset(&o.v4) && self.v6.is_subset(&o.v6)
    }

    /// Whether `self` and `o` share an address.
    pub fn overlaps(&self, o: &Self) -> bool {
        self.v4.overlaps(&o.v4) || self.v6.overlaps(&o.v6)
    }

    /// Whether `addr` is a member.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match addr {
            IpAddr::V4(a) => self.v4.contains(u32::from(a)),
            IpAddr::V6(a) => self.v6.contains(u128::from(a)),
        }
    }

    /// Whether every address of `net` is a member.
    pub fn contains_net(&self, net: &IpNet) -> bool {
        match net {
            IpNet::V4(n) => {
                let (lo, hi) = net_range_v4(n);
                self.v4.contains_range(lo, hi)
            }
            IpNet::V6(n) => {
                let (lo, hi) = net_range_v6(n);
                self.v6.contains_range(lo, hi)
            }
        }
    }

    /// Whether some address of `net` is a member (binary search, no allocation).
    pub fn overlaps_net(&self, net: &IpNet) -> bool {
        match net {
            IpNet::V4(n) => {
                let (lo, hi) = net_range_v4(n);
                self.v4.overlaps_range(lo, hi)
            }
            IpNet::V6(n) => {
                let (lo, hi) = net_range_v6(n);
                self.v6.overlaps_range(lo, hi)
            }
        }
    }

    /// The IPv4 part of the set.
    pub fn v4_only(&self) -> Self {
        Self {
            v4: self.v4.clone(),
            v6: IntervalSet::empty(),
        }
    }

    /// The IPv6 part of the set.
    pub fn v6_only(&self) -> Self {
        Self {
            v4: IntervalSet::empty(),
            v6: self.v6.clone(),
        }
    }

    /// The minimal list of CIDR blocks covering exactly the set: IPv4 blocks first, each
    /// family in ascending address order. The full IPv4 space is `0.0.0.0/0`.
    pub fn to_cidrs(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(lo, hi) in self.v4.ranges() {
            out.extend(range_to_cidrs_v4(lo, hi).into_iter().map(IpNet::V4));
        }
        for &(lo, hi) in self.v6.ranges() {
            out.extend(range_to_cidrs_v6(lo, hi).into_iter().map(IpNet::V6));
        }
        out
    }

    /// The number of IPv4 addresses.
    pub fn count_v4(&self) -> u128 {
        self.v4.count()
    }

    /// The number of IPv6 addresses (saturating at `u128::MAX` for `::/0`).
    pub fn count_v6(&self) -> u128 {
        self.v6.count()
    }

    /// Some member: the lowest IPv4 address if any, else the lowest IPv6 address.
    pub fn sample(&self) -> Option<IpAddr> {
        self.sample_v4()
            .map(IpAddr::V4)
            .or_else(|| self.sample_v6().map(IpAddr::V6))
    }

    /// The lowest IPv4 member.
    pub fn sample_v4(&self) -> Option<Ipv4Addr> {
        self.v4.first().map(Ipv4Addr::from)
    }

    /// The lowest IPv6 member.
    pub fn sample_v6(&self) -> Option<Ipv6Addr> {
        self.v6.first().map(Ipv6Addr::from)
    }
}

impl From<IpNet> for AddrSet {
    fn from(net: IpNet) -> Self {
        Self::from_net(&net)
    }
}

impl From<IpAddr> for AddrSet {
    fn from(addr: IpAddr) -> Self {
        Self::from_addr(addr)
    }
}

impl fmt::Display for AddrSet {
    /// The CIDR blocks of [`AddrSet::to_cidrs`] joined by `", "`, or `"none"` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, net) in self.to_cidrs().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{net}")?;
        }
        Ok(())
    }
}

impl Serialize for AddrSet {
    /// Serialized as the list of CIDR strings of [`AddrSet::to_cidrs`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.to_cidrs().iter().map(|n| n.to_string()))
    }
}

impl<'de> Deserialize<'de> for AddrSet {
    /// Accepts a list of CIDR blocks or bare addresses.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<String>::deserialize(deserializer)?;
        let mut nets = Vec::with_capacity(items.len());
        for s in &items {
            let net = match s.parse::<IpNet>() {
                Ok(n) => n,
                Err(_) => match s.parse::<IpAddr>() {
                    Ok(a) => IpNet::from(a),
                    Err(_) => {
                        return Err(serde::de::Error::custom(format!(
                            "invalid CIDR or address: {s:?}"
                        )))
                    }
                },
            };
            nets.push(net);
        }
        Ok(Self::from_nets(&nets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap_or_else(|e| panic!("bad net {s}: {e}"))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("bad ip {s}: {e}"))
    }

    #[test]
    fn cidr_round_trip_and_display() {
        assert_eq!(AddrSet::empty().to_string(), "none");
        assert_eq!(AddrSet::all_v4().to_string(), "0.0.0.0/0");
        assert_eq!(AddrSet::all_v6().to_string(), "::/0");
        assert_eq!(AddrSet::all().to_string(), "0.0.0.0/0, ::/0");
        let s = AddrSet::from_net(&net("10.0.0.5/8"));
        assert_eq!(s.to_string(), "10.0.0.0/8");
        assert_eq!(s.count_v4(), 1 << 24);
        let d = AddrSet::all_v4().difference(&AddrSet::from_net(&net("128.0.0.0/1")));
        assert_eq!(d.to_string(), "0.0.0.0/1");
        let r = AddrSet::from_v4_range(
            "10.0.0.1".parse().unwrap_or(Ipv4Addr::UNSPECIFIED),
            "10.0.0.6".parse().unwrap_or(Ipv4Addr::UNSPECIFIED),
        );
        assert_eq!(
            r.to_string(),
            "10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32"
        );
        let top = AddrSet::from_v4_range(
            Ipv4Addr::new(255, 255, 255, 254),
            Ipv4Addr::new(255, 255, 255, 255),
        );
        assert_eq!(top.to_string(), "255.255.255.254/31");
        let v6top = AddrSet::all_v6().difference(&AddrSet::from_addr(ip("::")));
        assert_eq!(v6top.to_cidrs().len(), 128);
        assert_eq!(AddrSet::from_nets(&v6top.to_cidrs()), v6top);
    }

    #[test]
    fn families_do_not_mix() {
        let a = AddrSet::from_net(&net("0.0.0.0/0"));
        assert!(!a.contains(ip("::1")));
        assert!(a.contains(ip("1.2.3.4")));
        assert!(!a.overlaps(&AddrSet::all_v6()));
        assert_eq!(a.v6_only(), AddrSet::empty());
        assert_eq!(AddrSet::all().v4_only(), a);
        assert_eq!(AddrSet::all_v6().sample(), Some(ip("::")));
        let mixed = AddrSet::from_nets(&[net("2001:db8::/32"), net("192.168.0.0/16")]);
        assert_eq!(mixed.sample(), Some(ip("192.168.0.0")));
        assert!(mixed.contains_net(&net("192.168.1.0/24")));
        assert!(mixed.overlaps_net(&net("192.0.0.0/8")));
        assert!(!mixed.overlaps_net(&net("10.0.0.0/8")));
        assert_eq!(mixed.complement().complement(), mixed);
    }

    #[test]
    fn deserialize_from_strings() {
        use serde::de::value::{Error as DeError, SeqDeserializer};
        use serde::de::IntoDeserializer;
        let items = vec![
            "10.0.0.0/24".to_string(),
            "fd00::/8".to_string(),
            "1.2.3.4".to_string(),
        ];
        let de: SeqDeserializer<_, DeError> = items.into_deserializer();
        let s = AddrSet::deserialize(de).unwrap_or_default();
        assert_eq!(s.to_string(), "1.2.3.4/32, 10.0.0.0/24, fd00::/8");
        let bad: SeqDeserializer<_, DeError> = vec!["nope".to_string()].into_deserializer();
        assert!(AddrSet::deserialize(bad).is_err());
    }

    proptest! {
        #[test]
        fn to_cidrs_is_exact_and_minimal(
            ranges in prop::collection::vec((any::<u32>(), any::<u32>()), 0..4),
            ranges6 in prop::collection::vec((any::<u128>(), any::<u128>()), 0..3),
        ) {
            let s = AddrSet {
                v4: IntervalSet::from_ranges(ranges),
                v6: IntervalSet::from_ranges(ranges6),
            };
            let cidrs = s.to_cidrs();
            prop_assert_eq!(AddrSet::from_nets(&cidrs), s.clone());
            // Pairwise disjoint, and no two sibling blocks (which would merge into one).
            for w in cidrs.windows(2) {
                prop_assert!(!AddrSet::from_net(&w[0]).overlaps(&AddrSet::from_net(&w[1])));
                if w[0].prefix_len() == w[1].prefix_len() && w[0].prefix_len() > 0 {
                    prop_assert!(w[0].supernet() != w[1].supernet());
                }
            }
        }
    }
}
