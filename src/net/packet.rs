//! Header space: sets of packets as unions of disjoint cubes.
//!
//! A packet is described by its source and destination address, IP protocol, source and
//! destination port and ICMP type/code ([`Packet`]). A [`Cube`] is a product of one set
//! per header field; a [`PacketSet`] is a union of pairwise-disjoint cubes. Nothing is
//! ever enumerated: every field set is an interval set.
//!
//! # Protocol classes and the meaning of ports and ICMP fields
//!
//! Ports are meaningful only for TCP and UDP (protocols 6 and 17, the *port class*); the
//! ICMP dimension, which encodes `type << 8 | code` as a `u16`, only for ICMP and ICMPv6
//! (1 and 58, the *ICMP class*). All other protocols form the *other class*. The
//! convention for any cube is:
//!
//! * port constraints apply only to packets whose protocol is 6 or 17,
//! * ICMP constraints apply only to packets whose protocol is 1 or 58,
//!
//! so `Cube::any().with_dst_ports(22)` holds TCP and UDP packets to port 22 *and every*
//! ICMP or other-protocol packet. [`Packet`] values for other protocols still carry port
//! and ICMP fields; they are ignored.
//!
//! To make the set algebra exact, the cubes stored in a [`PacketSet`] are *normalized*:
//! a dimension that does not apply to every protocol of the cube is full. That is, if
//! the protocol set is not within {6, 17} both port sets are full, and if it is not
//! within {1, 58} the ICMP set is full. Under that invariant the convention above and
//! the plain product of the six sets describe the same packets, so intersections and
//! differences can be computed dimension by dimension. [`Cube::normalize`] splits an
//! arbitrary cube into at most three normalized cubes, one per protocol class, with the
//! non-applicable dimensions set to full. (Merging may later join cubes of different
//! classes again when their port and ICMP sets are full, which keeps the invariant.)
//!
//! The address families are not checked against each other: a cube may pair IPv4
//! sources with IPv6 destinations. Such packets do not exist on the wire and are simply
//! carried along; [`PacketSet::sample`] prefers same-family packets.
//!
//! This file holds [`Packet`] and the protocol-class helpers; [`super::cube`] the [`Cube`] and
//! its normalization, subtraction and merging; [`super::packet_set`] the [`PacketSet`] algebra.
//!
//! [`Cube`]: super::Cube
//! [`Cube::normalize`]: super::Cube::normalize
//! [`PacketSet`]: super::PacketSet
//! [`PacketSet::sample`]: super::PacketSet::sample

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::interval::IntervalSet;
use super::proto::{proto_label, ICMP, ICMPV6, TCP, UDP};

/// Whether protocol `p` carries ports (TCP or UDP).
pub fn is_port_proto(p: u8) -> bool {
    p == TCP || p == UDP
}

/// Whether protocol `p` carries an ICMP type and code (ICMP or ICMPv6).
pub fn is_icmp_proto(p: u8) -> bool {
    p == ICMP || p == ICMPV6
}

/// The ICMP dimension value of a type and code: `type << 8 | code`.
pub fn icmp_value(icmp_type: u8, icmp_code: u8) -> u16 {
    (u16::from(icmp_type) << 8) | u16::from(icmp_code)
}

/// The ICMP dimension set for an optional type and an optional code: `None` means any
/// (as AWS `-1`). A code without a type is treated as any type with that code.
pub fn icmp_set(icmp_type: Option<u8>, icmp_code: Option<u8>) -> IntervalSet<u16> {
    match (icmp_type, icmp_code) {
        (None, None) => IntervalSet::full(),
        (Some(t), None) => IntervalSet::range(icmp_value(t, 0), icmp_value(t, u8::MAX)),
        (Some(t), Some(c)) => IntervalSet::single(icmp_value(t, c)),
        (None, Some(c)) => {
            IntervalSet::from_ranges((0..=u8::MAX).map(|t| (icmp_value(t, c), icmp_value(t, c))))
        }
    }
}

/// One concrete packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Packet {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// IP protocol number.
    pub proto: u8,
    /// Source port (meaningful for TCP and UDP only).
    pub src_port: u16,
    /// Destination port (meaningful for TCP and UDP only).
    pub dst_port: u16,
    /// ICMP type (meaningful for ICMP and ICMPv6 only).
    pub icmp_type: u8,
    /// ICMP code (meaningful for ICMP and ICMPv6 only).
    pub icmp_code: u8,
}

impl Packet {
    /// A packet of protocol `proto` with zero ports and ICMP fields.
    pub fn new(src: IpAddr, dst: IpAddr, proto: u8) -> Self {
        Self {
            src,
            dst,
            proto,
            src_port: 0,
            dst_port: 0,
            icmp_type: 0,
            icmp_code: 0,
        }
    }

    /// A TCP packet.
    pub fn tcp(src: IpAddr, dst: IpAddr, src_port: u16, dst_port: u16) -> Self {
        Self {
            src_port,
            dst_port,
            ..Self::new(src, dst, TCP)
        }
    }

    /// A UDP packet.
    pub fn udp(src: IpAddr, dst: IpAddr, src_port: u16, dst_port: u16) -> Self {
        Self {
            src_port,
            dst_port,
            ..Self::new(src, dst, UDP)
        }
    }

    /// An ICMP packet (ICMPv6 when `dst` is IPv6).
    pub fn icmp(src: IpAddr, dst: IpAddr, icmp_type: u8, icmp_code: u8) -> Self {
        let proto = if dst.is_ipv6() { ICMPV6 } else { ICMP };
        Self {
            icmp_type,
            icmp_code,
            ..Self::new(src, dst, proto)
        }
    }

    /// The reply-direction packet: addresses and ports swapped.
    pub fn swapped(&self) -> Self {
        Self {
            src: self.dst,
            dst: self.src,
            src_port: self.dst_port,
            dst_port: self.src_port,
            ..*self
        }
    }
}

impl fmt::Display for Packet {
    /// `tcp 10.0.0.1:1024 -> 10.0.0.2:22`, `icmp 10.0.0.1 -> 10.0.0.2 type 8 code 0`,
    /// `gre 10.0.0.1 -> 10.0.0.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = proto_label(self.proto);
        if is_port_proto(self.proto) {
            let (s, d) = (
                std::net::SocketAddr::new(self.src, self.src_port),
                std::net::SocketAddr::new(self.dst, self.dst_port),
            );
            write!(f, "{name} {s} -> {d}")
        } else if is_icmp_proto(self.proto) {
            write!(
                f,
                "{name} {} -> {} type {} code {}",
                self.src, self.dst, self.icmp_type, self.icmp_code
            )
        } else {
            write!(f, "{name} {} -> {}", self.src, self.dst)
        }
    }
}
