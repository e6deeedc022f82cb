//! A [`Cube`]: one set per header field, and the cube algebra (normalization, subtraction,
//! merging) the [`super::PacketSet`] is built from. The conventions for the port and ICMP
//! dimensions are in [`super::packet`].

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::net::IpAddr;

use super::addr::AddrSet;
use super::interval::IntervalSet;
use super::packet::{icmp_value, is_icmp_proto, is_port_proto, Packet};
use super::proto::{ProtoSet, ICMP, ICMPV6};

/// The six dimensions of a cube, in the order used by subtraction (protocol first,
/// which keeps the normalization invariant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dim {
    Proto,
    Dst,
    Src,
    DstPort,
    SrcPort,
    Icmp,
}

const DIMS: [Dim; 6] = [
    Dim::Proto,
    Dim::Dst,
    Dim::Src,
    Dim::DstPort,
    Dim::SrcPort,
    Dim::Icmp,
];

/// A product of one set per header field. See the module docs for the meaning of the
/// port and ICMP dimensions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cube {
    /// Source addresses.
    pub src: AddrSet,
    /// Destination addresses.
    pub dst: AddrSet,
    /// IP protocols.
    pub proto: ProtoSet,
    /// Source ports (applies to TCP and UDP only).
    pub src_port: IntervalSet<u16>,
    /// Destination ports (applies to TCP and UDP only).
    pub dst_port: IntervalSet<u16>,
    /// ICMP `type << 8 | code` values (applies to ICMP and ICMPv6 only).
    pub icmp: IntervalSet<u16>,
}

impl Cube {
    /// Every packet: all addresses of both families, all protocols, ports and ICMP values.
    pub fn any() -> Self {
        Self {
            src: AddrSet::all(),
            dst: AddrSet::all(),
            proto: ProtoSet::all(),
            src_port: IntervalSet::full(),
            dst_port: IntervalSet::full(),
            icmp: IntervalSet::full(),
        }
    }

    /// Replaces the source addresses.
    pub fn with_src(mut self, src: AddrSet) -> Self {
        self.src = src;
        self
    }

    /// Replaces the destination addresses.
    pub fn with_dst(mut self, dst: AddrSet) -> Self {
        self.dst = dst;
        self
    }

    /// Replaces the protocols.
    pub fn with_proto(mut self, proto: ProtoSet) -> Self {
        self.proto = proto;
        self
    }

    /// Replaces the source ports.
    pub fn with_src_ports(mut self, ports: IntervalSet<u16>) -> Self {
        self.src_port = ports;
        self
    }

    /// Replaces the destination ports.
    pub fn with_dst_ports(mut self, ports: IntervalSet<u16>) -> Self {
        self.dst_port = ports;
        self
    }

    /// Replaces the ICMP `type << 8 | code` set.
    pub fn with_icmp(mut self, icmp: IntervalSet<u16>) -> Self {
        self.icmp = icmp;
        self
    }

    /// Whether the cube holds no packet, under the protocol-class convention (an empty
    /// port set, say, only empties the TCP/UDP part of the cube).
    pub fn is_empty(&self) -> bool {
        if self.src.is_empty() || self.dst.is_empty() || self.proto.is_empty() {
            return true;
        }
        let port = ProtoSet::port_class();
        let icmp = ProtoSet::icmp_class();
        let has_port =
            self.proto.overlaps(&port) && !self.src_port.is_empty() && !self.dst_port.is_empty();
        let has_icmp = self.proto.overlaps(&icmp) && !self.icmp.is_empty();
        let has_other = !self.proto.is_subset(&port.union(&icmp));
        !(has_port || has_icmp || has_other)
    }

    /// Whether some dimension is empty; for normalized cubes this is [`Cube::is_empty`].
    pub(super) fn has_empty_dim(&self) -> bool {
        self.src.is_empty()
            || self.dst.is_empty()
            || self.proto.is_empty()
            || self.src_port.is_empty()
            || self.dst_port.is_empty()
            || self.icmp.is_empty()
    }

    /// Whether the cube holds `p`, with the protocol-class convention of the module docs.
    pub fn contains_packet(&self, p: &Packet) -> bool {
        self.src.contains(p.src)
            && self.dst.contains(p.dst)
            && self.proto.contains(p.proto)
            && (!is_port_proto(p.proto)
                || (self.src_port.contains(p.src_port) && self.dst_port.contains(p.dst_port)))
            && (!is_icmp_proto(p.proto) || self.icmp.contains(icmp_value(p.icmp_type, p.icmp_code)))
    }

    /// Whether the non-applicable dimensions are full (see the module docs).
    pub fn is_normalized(&self) -> bool {
        (self.proto.is_subset(&ProtoSet::port_class())
            || (self.src_port.is_full() && self.dst_port.is_full()))
            && (self.proto.is_subset(&ProtoSet::icmp_class()) || self.icmp.is_full())
    }

    /// Splits the cube into at most three disjoint normalized cubes (one per protocol
    /// class) holding the same packets; an empty cube gives none.
    pub fn normalize(self) -> Vec<Cube> {
        if self.src.is_empty() || self.dst.is_empty() || self.proto.is_empty() {
            return Vec::new();
        }
        if self.is_normalized() {
            return if self.has_empty_dim() {
                Vec::new()
            } else {
                vec![self]
            };
        }
        let port = ProtoSet::port_class();
        let icmp = ProtoSet::icmp_class();
        let other = port.union(&icmp).complement();
        let mut out = Vec::with_capacity(3);
        let p = self.proto.intersect(&port);
        if !p.is_empty() && !self.src_port.is_empty() && !self.dst_port.is_empty() {
            out.push(Cube {
                proto: p,
                icmp: IntervalSet::full(),
                ..self.clone()
            });
        }
        let p = self.proto.intersect(&icmp);
        if !p.is_empty() && !self.icmp.is_empty() {
            out.push(Cube {
                proto: p,
                src_port: IntervalSet::full(),
                dst_port: IntervalSet::full(),
                ..self.clone()
            });
        }
        let p = self.proto.intersect(&other);
        if !p.is_empty() {
            out.push(Cube {
                proto: p,
                src_port: IntervalSet::full(),
                dst_port: IntervalSet::full(),
                icmp: IntervalSet::full(),
                ..self
            });
        }
        out
    }

    /// Whether the two (normalized) cubes share a packet.
    pub(super) fn overlaps(&self, o: &Cube) -> bool {
        self.proto.overlaps(&o.proto)
            && self.dst_port.overlaps(&o.dst_port)
            && self.src_port.overlaps(&o.src_port)
            && self.icmp.overlaps(&o.icmp)
            && self.dst.overlaps(&o.dst)
            && self.src.overlaps(&o.src)
    }

    /// The intersection of two normalized cubes (normalized), or `None` when empty.
    pub(super) fn intersect(&self, o: &Cube) -> Option<Cube> {
        let c = Cube {
            src: self.src.intersect(&o.src),
            dst: self.dst.intersect(&o.dst),
            proto: self.proto.intersect(&o.proto),
            src_port: self.src_port.intersect(&o.src_port),
            dst_port: self.dst_port.intersect(&o.dst_port),
            icmp: self.icmp.intersect(&o.icmp),
        };
        (!c.has_empty_dim()).then_some(c)
    }

    /// `self \ o` for normalized cubes, as at most six disjoint normalized cubes.
    pub(super) fn subtract(&self, o: &Cube) -> Vec<Cube> {
        if !self.overlaps(o) {
            return vec![self.clone()];
        }
        let mut out = Vec::new();
        let mut rest = self.clone();
        macro_rules! peel {
            ($field:ident) => {{
                let outside = rest.$field.difference(&o.$field);
                if !outside.is_empty() {
                    let mut piece = rest.clone();
                    piece.$field = outside;
                    out.push(piece);
                }
                rest.$field = rest.$field.intersect(&o.$field);
            }};
        }
        for dim in DIMS {
            match dim {
                Dim::Proto => peel!(proto),
                Dim::Dst => peel!(dst),
                Dim::Src => peel!(src),
                Dim::DstPort => peel!(dst_port),
                Dim::SrcPort => peel!(src_port),
                Dim::Icmp => peel!(icmp),
            }
        }
        out
    }

    /// Feeds every dimension but `dim` to `h`: the grouping key for merging along `dim`,
    /// without copying the cube.
    fn hash_except<H: Hasher>(&self, dim: Dim, h: &mut H) {
        for d in DIMS {
            match d {
                _ if d == dim => {}
                Dim::Proto => self.proto.hash(h),
                Dim::Dst => self.dst.hash(h),
                Dim::Src => self.src.hash(h),
                Dim::DstPort => self.dst_port.hash(h),
                Dim::SrcPort => self.src_port.hash(h),
                Dim::Icmp => self.icmp.hash(h),
            }
        }
    }

    /// Whether `self` and `o` agree in every dimension but `dim`.
    fn eq_except(&self, o: &Cube, dim: Dim) -> bool {
        DIMS.iter().all(|&d| match d {
            _ if d == dim => true,
            Dim::Proto => self.proto == o.proto,
            Dim::Dst => self.dst == o.dst,
            Dim::Src => self.src == o.src,
            Dim::DstPort => self.dst_port == o.dst_port,
            Dim::SrcPort => self.src_port == o.src_port,
            Dim::Icmp => self.icmp == o.icmp,
        })
    }

    /// Widens dimension `dim` by `o`'s set in that dimension.
    fn union_dim(&mut self, o: &Cube, dim: Dim) {
        match dim {
            Dim::Proto => self.proto = self.proto.union(&o.proto),
            Dim::Dst => self.dst = self.dst.union(&o.dst),
            Dim::Src => self.src = self.src.union(&o.src),
            Dim::DstPort => self.dst_port = self.dst_port.union(&o.dst_port),
            Dim::SrcPort => self.src_port = self.src_port.union(&o.src_port),
            Dim::Icmp => self.icmp = self.icmp.union(&o.icmp),
        }
    }

    /// One member, preferring source and destination of the same family.
    pub(super) fn sample(&self, require_same_family: bool) -> Option<Packet> {
        let (src, dst, v6) =
            if let (Some(s), Some(d)) = (self.src.sample_v4(), self.dst.sample_v4()) {
                (IpAddr::V4(s), IpAddr::V4(d), false)
            } else if let (Some(s), Some(d)) = (self.src.sample_v6(), self.dst.sample_v6()) {
                (IpAddr::V6(s), IpAddr::V6(d), true)
            } else if require_same_family {
                return None;
            } else {
                let s = self.src.sample()?;
                let d = self.dst.sample()?;
                (s, d, d.is_ipv6())
            };
        let mut proto = self.proto.first()?;
        // Prefer the ICMP flavour that matches the address family.
        if v6 && proto == ICMP && self.proto.contains(ICMPV6) {
            proto = ICMPV6;
        }
        let icmp = self.icmp.first()?;
        Some(Packet {
            src,
            dst,
            proto,
            src_port: self.src_port.first()?,
            dst_port: self.dst_port.first()?,
            icmp_type: (icmp >> 8) as u8,
            icmp_code: (icmp & 0xff) as u8,
        })
    }
}

impl fmt::Display for Cube {
    /// `proto=tcp src=10.0.0.0/8 dst=0.0.0.0/0 dport=22`; full port and ICMP
    /// dimensions are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proto={} src={} dst={}", self.proto, self.src, self.dst)?;
        if !self.src_port.is_full() {
            write!(f, " sport={}", self.src_port)?;
        }
        if !self.dst_port.is_full() {
            write!(f, " dport={}", self.dst_port)?;
        }
        if !self.icmp.is_full() {
            f.write_str(" icmp=")?;
            for (i, &(lo, hi)) in self.icmp.ranges().iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{}/{}", lo >> 8, lo & 0xff)?;
                if lo != hi {
                    write!(f, "-{}/{}", hi >> 8, hi & 0xff)?;
                }
            }
        }
        Ok(())
    }
}

/// `c \ (union of others)`, as disjoint normalized cubes.
pub(super) fn subtract_all(c: &Cube, others: &[Cube]) -> Vec<Cube> {
    let mut pieces = vec![c.clone()];
    for o in others {
        if pieces.is_empty() {
            break;
        }
        let mut next = Vec::with_capacity(pieces.len());
        for p in pieces {
            if p.overlaps(o) {
                next.extend(p.subtract(o));
            } else {
                next.push(p);
            }
        }
        pieces = next;
    }
    pieces
}

/// Joins disjoint cubes that agree in all dimensions but one (hash-grouped, linear per
/// pass). The result holds the same packets and stays disjoint and normalized.
pub(super) fn merge(cubes: Vec<Cube>) -> Vec<Cube> {
    let mut cur = cubes;
    for _round in 0..4 {
        if cur.len() < 2 {
            break;
        }
        let before = cur.len();
        for dim in DIMS {
            cur = merge_dim(cur, dim);
        }
        if cur.len() == before {
            break;
        }
    }
    cur
}

/// Fixed seeds, so that merging (and hence every answer's cube order) does not vary from
/// run to run.
const MERGE_SEEDS: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

fn merge_dim(cubes: Vec<Cube>, dim: Dim) -> Vec<Cube> {
    if cubes.len() < 2 {
        return cubes;
    }
    let [k0, k1, k2, k3] = MERGE_SEEDS;
    let state = ahash::RandomState::with_seeds(k0, k1, k2, k3);
    // Keyed by the hash of the other five dimensions; the cube itself is compared on a hit.
    let mut index: HashMap<u64, usize> = HashMap::with_capacity(cubes.len());
    let mut out: Vec<Cube> = Vec::with_capacity(cubes.len());
    for c in cubes {
        let mut h = state.build_hasher();
        c.hash_except(dim, &mut h);
        let key = h.finish();
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(target) if target.eq_except(&c, dim) => target.union_dim(&c, dim),
            // A hash collision between different groups: kept apart, which only merges less.
            Some(_) => out.push(c),
            None => {
                index.insert(key, out.len());
                out.push(c);
            }
        }
    }
    out
}
