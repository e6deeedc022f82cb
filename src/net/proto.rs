//! Sets of IP protocol numbers (0..=255) and parsing of AWS protocol fields.
//!
//! A [`ProtoSet`] is an [`IntervalSet<u8>`], so the universe is exactly the 256 IP
//! protocol numbers and the complement needs no clamping. [`parse_aws_protocol`]
//! understands the values used by security groups (`"tcp"`, `"udp"`, `"icmp"`,
//! `"icmpv6"`, `"-1"`, numbers) and network ACLs (numbers, `"-1"`).

use std::fmt;

use super::interval::IntervalSet;

/// IP protocol number of ICMP.
pub const ICMP: u8 = 1;
/// IP protocol number of TCP.
pub const TCP: u8 = 6;
/// IP protocol number of UDP.
pub const UDP: u8 = 17;
/// IP protocol number of ICMPv6.
pub const ICMPV6: u8 = 58;

/// A set of IP protocol numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ProtoSet(IntervalSet<u8>);

impl ProtoSet {
    /// Every protocol (AWS `-1`).
    pub fn all() -> Self {
        Self(IntervalSet::full())
    }

    /// No protocol.
    pub fn none() -> Self {
        Self(IntervalSet::empty())
    }

    /// One protocol.
    pub fn single(p: u8) -> Self {
        Self(IntervalSet::single(p))
    }

    /// The protocols `lo..=hi` (empty when `lo > hi`).
    pub fn range(lo: u8, hi: u8) -> Self {
        Self(IntervalSet::range(lo, hi))
    }

    /// The given protocols.
    pub fn from_protos<I: IntoIterator<Item = u8>>(protos: I) -> Self {
        Self(IntervalSet::from_ranges(protos.into_iter().map(|p| (p, p))))
    }

    /// Wraps an interval set of protocol numbers.
    pub fn from_intervals(set: IntervalSet<u8>) -> Self {
        Self(set)
    }

    /// TCP only.
    pub fn tcp() -> Self {
        Self::single(TCP)
    }

    /// UDP only.
    pub fn udp() -> Self {
        Self::single(UDP)
    }

    /// ICMP (IPv4) only.
    pub fn icmp() -> Self {
        Self::single(ICMP)
    }

    /// ICMPv6 only.
    pub fn icmpv6() -> Self {
        Self::single(ICMPV6)
    }

    /// The protocols that carry ports: TCP and UDP.
    pub fn port_class() -> Self {
        Self::from_protos([TCP, UDP])
    }

    /// The protocols that carry an ICMP type and code: ICMP and ICMPv6.
    pub fn icmp_class() -> Self {
        Self::from_protos([ICMP, ICMPV6])
    }

    /// The underlying interval set.
    pub fn intervals(&self) -> &IntervalSet<u8> {
        &self.0
    }

    /// Protocols in `self` or `o`.
    pub fn union(&self, o: &Self) -> Self {
        Self(self.0.union(&o.0))
    }

    /// Protocols in both `self` and `o`.
    pub fn intersect(&self, o: &Self) -> Self {
        Self(self.0.intersect(&o.0))
    }

    /// Protocols in `self` but not in `o`.
    pub fn difference(&self, o: &Self) -> Self {
        Self(self.0.difference(&o.0))
    }

    /// Protocols not in `self`.
    pub fn complement(&self) -> Self {
        Self(self.0.complement())
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the set holds all 256 protocols.
    pub fn is_all(&self) -> bool {
        self.0.is_full()
    }

    /// Whether every protocol of `self` is in `o`.
    pub fn is_subset(&self, o: &Self) -> bool {
        self.0.is_subset(&o.0)
    }

    /// Whether `self` and `o` share a protocol.
    pub fn overlaps(&self, o: &Self) -> bool {
        self.0.overlaps(&o.0)
    }

    /// Whether protocol `p` is a member.
    pub fn contains(&self, p: u8) -> bool {
        self.0.contains(p)
    }

    /// The number of protocols in the set (0..=256).
    pub fn count(&self) -> u32 {
        // At most 256, so the conversion cannot fail.
        u32::try_from(self.0.count()).unwrap_or(256)
    }

    /// The lowest protocol in the set.
    pub fn first(&self) -> Option<u8> {
        self.0.first()
    }

    /// The member protocols in ascending order (at most 256 items).
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.ranges().iter().flat_map(|&(lo, hi)| lo..=hi)
    }
}

impl fmt::Display for ProtoSet {
    /// `"all"`, `"none"`, or a comma-separated list of names and numbers/ranges
    /// (e.g. `"tcp, udp"`, `"icmp, 2-5"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        if self.is_all() {
            return f.write_str("all");
        }
        for (i, &(lo, hi)) in self.0.ranges().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if lo == hi {
                f.write_str(&proto_label(lo))?;
            } else if hi - lo < 3 {
                // Short runs read better as a list: "tcp, 7, 8".
                for (k, p) in (lo..=hi).enumerate() {
                    if k > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&proto_label(p))?;
                }
            } else {
                write!(f, "{lo}-{hi}")?;
            }
        }
        Ok(())
    }
}

/// The common name of an IP protocol number, if it has one (`6` → `"tcp"`).
pub fn proto_name(p: u8) -> Option<&'static str> {
    Some(match p {
        0 => "hopopt",
        ICMP => "icmp",
        2 => "igmp",
        4 => "ipip",
        TCP => "tcp",
        UDP => "udp",
        41 => "ipv6",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        ICMPV6 => "icmpv6",
        112 => "vrrp",
        132 => "sctp",
        _ => return None,
    })
}

/// The name of a protocol number if it has one, else the decimal number.
pub fn proto_label(p: u8) -> String {
    match proto_name(p) {
        Some(n) => n.to_string(),
        None => p.to_string(),
    }
}

/// Parses an AWS `IpProtocol` / NACL `Protocol` value: `"-1"` or `"all"` (every
/// protocol), `"tcp"`, `"udp"`, `"icmp"`, `"icmpv6"` (case-insensitive) or a decimal
/// number `0..=255`. Returns `None` for anything else.
pub fn parse_aws_protocol(s: &str) -> Option<ProtoSet> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(ProtoSet::all()),
        "tcp" => Some(ProtoSet::tcp()),
        "udp" => Some(ProtoSet::udp()),
        "icmp" => Some(ProtoSet::icmp()),
        "icmpv6" => Some(ProtoSet::icmpv6()),
        other => {
            if other.is_empty() || !other.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            other.parse::<u8>().ok().map(ProtoSet::single)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        assert_eq!(parse_aws_protocol("-1"), Some(ProtoSet::all()));
        assert_eq!(parse_aws_protocol("ALL"), Some(ProtoSet::all()));
        assert_eq!(parse_aws_protocol("tcp"), Some(ProtoSet::tcp()));
        assert_eq!(parse_aws_protocol("6"), Some(ProtoSet::tcp()));
        assert_eq!(parse_aws_protocol(" 17 "), Some(ProtoSet::udp()));
        assert_eq!(parse_aws_protocol("icmpv6"), Some(ProtoSet::icmpv6()));
        assert_eq!(parse_aws_protocol("58"), Some(ProtoSet::icmpv6()));
        assert_eq!(parse_aws_protocol("0"), Some(ProtoSet::single(0)));
        assert_eq!(parse_aws_protocol("255"), Some(ProtoSet::single(255)));
        for bad in [
            "256",
            "-2",
            "+6",
            "",
            "tcpx",
            "1.5",
            "999999999999999999999",
        ] {
            assert_eq!(parse_aws_protocol(bad), None, "{bad}");
        }
    }

    #[test]
    fn ops_and_display() {
        let s = ProtoSet::tcp().union(&ProtoSet::udp());
        assert_eq!(s, ProtoSet::port_class());
        assert_eq!(s.to_string(), "tcp, udp");
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![6, 17]);
        assert_eq!(ProtoSet::all().count(), 256);
        assert_eq!(ProtoSet::all().to_string(), "all");
        assert_eq!(ProtoSet::none().to_string(), "none");
        assert_eq!(ProtoSet::range(6, 8).to_string(), "tcp, 7, 8");
        assert_eq!(ProtoSet::range(100, 200).to_string(), "100-200");
        let c = s.complement();
        assert_eq!(c.count(), 254);
        assert!(!c.contains(6) && c.contains(255) && c.contains(0));
        assert!(ProtoSet::tcp().is_subset(&s));
        assert!(!s.overlaps(&ProtoSet::icmp_class()));
        assert_eq!(proto_label(250), "250");
        assert_eq!(proto_name(58), Some("icmpv6"));
        assert_eq!(ProtoSet::all().iter().count(), 256);
    }
}
