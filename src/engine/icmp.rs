//! ICMP requests and their replies (N6, S2): the reply to an echo request (type 8) is an echo
//! reply (type 0), ICMPv6 128 → 129; timestamp 13 → 14, information 15 → 16 and address mask
//! 17 → 18 for ICMP. The reply keeps the request's code (as Linux does; echo codes are 0).
//! Every other type (destination unreachable 3, time exceeded 11, a reply itself, ...) has no
//! reply: such a flow completes when the request is delivered, and it has no return leg.
//!
//! Values are the ICMP dimension's `type << 8 | code`.

use crate::net::{Cube, IntervalSet, PacketSet, ProtoSet, ICMP, ICMPV6};

/// (request type, reply type) pairs of ICMP (IPv4).
const PAIRS_V4: &[(u8, u8)] = &[(8, 0), (13, 14), (15, 16), (17, 18)];
/// (request type, reply type) pairs of ICMPv6.
const PAIRS_V6: &[(u8, u8)] = &[(128, 129)];

fn pairs(proto: u8) -> &'static [(u8, u8)] {
    match proto {
        ICMP => PAIRS_V4,
        ICMPV6 => PAIRS_V6,
        _ => &[],
    }
}

/// All codes of one type.
fn type_range(t: u8) -> IntervalSet<u16> {
    IntervalSet::range(u16::from(t) << 8, (u16::from(t) << 8) | 0xff)
}

/// Move the values of type `from` in `set` to type `to`, codes kept.
fn retype(set: &IntervalSet<u16>, from: u8, to: u8) -> IntervalSet<u16> {
    let part = set.intersect(&type_range(from));
    let (f, t) = (u16::from(from) << 8, u16::from(to) << 8);
    IntervalSet::from_ranges(
        part.ranges()
            .iter()
            .map(|&(lo, hi)| (lo - f + t, hi - f + t)),
    )
}

/// The replies (type/code values) to the requests `req` of protocol `proto`.
pub fn reply_values(proto: u8, req: &IntervalSet<u16>) -> IntervalSet<u16> {
    pairs(proto)
        .iter()
        .fold(IntervalSet::empty(), |acc, &(q, r)| {
            acc.union(&retype(req, q, r))
        })
}

/// The requests (type/code values) of protocol `proto` whose replies are in `rep`.
pub fn request_values(proto: u8, rep: &IntervalSet<u16>) -> IntervalSet<u16> {
    pairs(proto)
        .iter()
        .fold(IntervalSet::empty(), |acc, &(q, r)| {
            acc.union(&retype(rep, r, q))
        })
}

/// The ICMP and ICMPv6 packets whose type has no reply: they have no return leg.
pub fn without_reply() -> PacketSet {
    PacketSet::from_cubes([ICMP, ICMPV6].map(|p| {
        let requests = pairs(p).iter().fold(IntervalSet::empty(), |acc, &(q, _)| {
            acc.union(&type_range(q))
        });
        Cube::any()
            .with_proto(ProtoSet::single(p))
            .with_icmp(requests.complement())
    }))
}

/// The ICMP dimension of a question asking for types `lo`-`hi` (every code).
pub fn types(lo: u8, hi: u8) -> IntervalSet<u16> {
    IntervalSet::range(u16::from(lo) << 8, (u16::from(hi) << 8) | 0xff)
}

/// ICMP (IPv4) message types in the IANA registry "ICMP Type Numbers", deprecated ones
/// included (4, 6, 15-18, 30-39); 1, 2, 7, 19-29, 44-252 and 255 are reserved or unassigned.
const DEFINED_V4: &[(u8, u8)] = &[(0, 0), (3, 6), (8, 18), (30, 43), (253, 254)];
/// ICMPv6 message types in the IANA registry "ICMPv6 Parameters": errors 1-4, private
/// experimentation 100-101 and 200-201, informational 128-161, reserved for expansion 127, 255.
const DEFINED_V6: &[(u8, u8)] = &[(1, 4), (100, 101), (127, 161), (200, 201), (255, 255)];

/// Whether `ty` is an assigned message type of ICMP (`v6` false) or ICMPv6: any number 0-255 is
/// a valid type, but an unassigned one is a question about messages no host sends.
pub fn is_defined(v6: bool, ty: u8) -> bool {
    let table = if v6 { DEFINED_V6 } else { DEFINED_V4 };
    table.iter().any(|&(lo, hi)| (lo..=hi).contains(&ty))
}

/// `type 8`, `types 3-5, 8`, `all types`: the ICMP types of a set of values (a type is listed
/// when any of its codes is).
pub fn label(set: &IntervalSet<u16>) -> String {
    if set.is_full() {
        return "all types".into();
    }
    let mut ts: Vec<(u16, u16)> = Vec::new();
    for &(lo, hi) in set.ranges() {
        let (a, b) = (lo >> 8, hi >> 8);
        match ts.last_mut() {
            Some(last) if last.1 + 1 >= a => last.1 = last.1.max(b),
            _ => ts.push((a, b)),
        }
    }
    let one = ts.len() == 1 && ts[0].0 == ts[0].1;
    let list = ts
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("{} {list}", if one { "type" } else { "types" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_maps_to_echo_reply_and_back() {
        let req = types(8, 8);
        assert_eq!(reply_values(ICMP, &req), types(0, 0));
        assert_eq!(request_values(ICMP, &types(0, 0)), req);
        assert_eq!(reply_values(ICMPV6, &types(128, 128)), types(129, 129));
        assert!(reply_values(ICMP, &types(3, 3)).is_empty());
        assert_eq!(
            reply_values(ICMP, &IntervalSet::single(0x0800)),
            IntervalSet::single(0)
        );
    }

    #[test]
    fn labels() {
        assert_eq!(label(&types(8, 8)), "type 8");
        assert_eq!(label(&types(3, 5).union(&types(8, 8))), "types 3-5, 8");
        assert_eq!(label(&IntervalSet::full()), "all types");
    }
}
