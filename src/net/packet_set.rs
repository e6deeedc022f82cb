//! A [`PacketSet`]: a union of pairwise-disjoint normalized [`Cube`]s, with union,
//! intersection, difference, projections and rewrites. The conventions are in
//! [`super::packet`].

use std::fmt;

use super::addr::AddrSet;
use super::cube::{merge, subtract_all, Cube};
use super::interval::IntervalSet;
use super::packet::Packet;
use super::proto::ProtoSet;

/// A set of packets: a union of pairwise-disjoint normalized [`Cube`]s.
#[derive(Clone, Debug, Default)]
pub struct PacketSet {
    cubes: Vec<Cube>,
}

impl PacketSet {
    /// The empty set.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every packet.
    pub fn all() -> Self {
        Self {
            cubes: vec![Cube::any()],
        }
    }

    /// The packets of one cube (normalized; see the module docs).
    pub fn from_cube(c: Cube) -> Self {
        Self {
            cubes: merge(c.normalize()),
        }
    }

    /// The union of several cubes (which may overlap).
    pub fn from_cubes<I: IntoIterator<Item = Cube>>(cubes: I) -> Self {
        let mut out: Vec<Cube> = Vec::new();
        for c in cubes {
            for piece in c.normalize() {
                let fresh = subtract_all(&piece, &out);
                out.extend(fresh);
            }
        }
        Self { cubes: merge(out) }
    }

    /// The disjoint normalized cubes of the set.
    pub fn cubes(&self) -> &[Cube] {
        &self.cubes
    }

    /// The number of cubes (not packets).
    pub fn len(&self) -> usize {
        self.cubes.len()
    }

    /// Whether the set holds no packet.
    pub fn is_empty(&self) -> bool {
        self.cubes.is_empty()
    }

    /// Packets in `self` or `o`.
    pub fn union(&self, o: &Self) -> Self {
        if self.is_empty() {
            return o.clone();
        }
        if o.is_empty() {
            return self.clone();
        }
        let mut out = self.cubes.clone();
        for c in &o.cubes {
            out.extend(subtract_all(c, &self.cubes));
        }
        Self { cubes: merge(out) }
    }

    /// Packets in both `self` and `o`.
    pub fn intersect(&self, o: &Self) -> Self {
        let mut out = Vec::new();
        for a in &self.cubes {
            for b in &o.cubes {
                if a.overlaps(b) {
                    out.extend(a.intersect(b));
                }
            }
        }
        Self { cubes: merge(out) }
    }

    /// Packets in `self` but not in `o`.
    pub fn difference(&self, o: &Self) -> Self {
        if o.is_empty() {
            return self.clone();
        }
        let mut out = Vec::new();
        for a in &self.cubes {
            out.extend(subtract_all(a, &o.cubes));
        }
        Self { cubes: merge(out) }
    }

    /// Whether every packet of `self` is in `o`.
    pub fn is_subset(&self, o: &Self) -> bool {
        self.cubes
            .iter()
            .all(|a| subtract_all(a, &o.cubes).is_empty())
    }

    /// Whether `self` and `o` share a packet.
    pub fn overlaps(&self, o: &Self) -> bool {
        self.cubes
            .iter()
            .any(|a| o.cubes.iter().any(|b| a.overlaps(b)))
    }

    /// Whether `self` and `o` hold the same packets (the cube lists may differ).
    pub fn set_eq(&self, o: &Self) -> bool {
        self.is_subset(o) && o.is_subset(self)
    }

    /// Whether `p` is a member.
    pub fn contains_packet(&self, p: &Packet) -> bool {
        self.cubes.iter().any(|c| c.contains_packet(p))
    }

    /// One member, preferring packets whose source and destination share a family and
    /// taking the lowest value in each dimension of the first suitable cube.
    pub fn sample(&self) -> Option<Packet> {
        self.cubes
            .iter()
            .find_map(|c| c.sample(true))
            .or_else(|| self.cubes.iter().find_map(|c| c.sample(false)))
    }

    /// The reply-direction set: source and destination addresses swapped, and source and
    /// destination ports swapped. ICMP values are kept as they are.
    pub fn swap_src_dst(&self) -> Self {
        Self {
            cubes: self
                .cubes
                .iter()
                .map(|c| Cube {
                    src: c.dst.clone(),
                    dst: c.src.clone(),
                    proto: c.proto.clone(),
                    src_port: c.dst_port.clone(),
                    dst_port: c.src_port.clone(),
                    icmp: c.icmp.clone(),
                })
                .collect(),
        }
    }

    /// Rewrites the source addresses of every cube with `f` (e.g. a NAT), re-joining
    /// the results into a disjoint union.
    pub fn map_src<F: FnMut(&AddrSet) -> AddrSet>(&self, mut f: F) -> Self {
        Self::from_cubes(self.cubes.iter().map(|c| Cube {
            src: f(&c.src),
            ..c.clone()
        }))
    }

    /// Rewrites the destination addresses of every cube with `f`.
    pub fn map_dst<F: FnMut(&AddrSet) -> AddrSet>(&self, mut f: F) -> Self {
        Self::from_cubes(self.cubes.iter().map(|c| Cube {
            dst: f(&c.dst),
            ..c.clone()
        }))
    }

    /// Every packet with its source address replaced by any address of `src`
    /// (e.g. SNAT to one address).
    pub fn with_src(&self, src: &AddrSet) -> Self {
        self.map_src(|_| src.clone())
    }

    /// Every packet with its destination address replaced by any address of `dst`.
    pub fn with_dst(&self, dst: &AddrSet) -> Self {
        self.map_dst(|_| dst.clone())
    }

    /// Every TCP/UDP packet with its source port replaced by any port of `ports`
    /// (e.g. PAT); other packets are unchanged.
    pub fn with_src_ports(&self, ports: &IntervalSet<u16>) -> Self {
        Self::from_cubes(self.cubes.iter().map(|c| Cube {
            src_port: ports.clone(),
            ..c.clone()
        }))
    }

    /// Every TCP/UDP packet with its destination port replaced by any port of `ports`;
    /// other packets are unchanged.
    pub fn with_dst_ports(&self, ports: &IntervalSet<u16>) -> Self {
        Self::from_cubes(self.cubes.iter().map(|c| Cube {
            dst_port: ports.clone(),
            ..c.clone()
        }))
    }

    /// The packets whose source is in `src` (cheaper than intersecting with a cube).
    pub fn restrict_src(&self, src: &AddrSet) -> Self {
        self.restrict(|c| c.src = c.src.intersect(src))
    }

    /// The packets whose destination is in `dst`.
    pub fn restrict_dst(&self, dst: &AddrSet) -> Self {
        self.restrict(|c| c.dst = c.dst.intersect(dst))
    }

    /// The packets whose protocol is in `proto`.
    pub fn restrict_proto(&self, proto: &ProtoSet) -> Self {
        self.restrict(|c| c.proto = c.proto.intersect(proto))
    }

    /// Narrows each cube in one dimension; narrowing keeps cubes disjoint and normalized.
    fn restrict<F: FnMut(&mut Cube)>(&self, mut f: F) -> Self {
        Self {
            cubes: self
                .cubes
                .iter()
                .filter_map(|c| {
                    let mut c = c.clone();
                    f(&mut c);
                    (!c.has_empty_dim()).then_some(c)
                })
                .collect(),
        }
    }

    /// The union of the source address sets.
    pub fn project_src(&self) -> AddrSet {
        self.cubes
            .iter()
            .fold(AddrSet::empty(), |acc, c| acc.union(&c.src))
    }

    /// The union of the destination address sets.
    pub fn project_dst(&self) -> AddrSet {
        self.cubes
            .iter()
            .fold(AddrSet::empty(), |acc, c| acc.union(&c.dst))
    }

    /// The union of the protocol sets.
    pub fn project_proto(&self) -> ProtoSet {
        self.cubes
            .iter()
            .fold(ProtoSet::none(), |acc, c| acc.union(&c.proto))
    }

    /// The destination ports of the TCP/UDP packets of the set.
    pub fn project_dst_ports(&self) -> IntervalSet<u16> {
        let port = ProtoSet::port_class();
        self.cubes
            .iter()
            .filter(|c| c.proto.overlaps(&port))
            .fold(IntervalSet::empty(), |acc, c| acc.union(&c.dst_port))
    }

    /// The source ports of the TCP/UDP packets of the set.
    pub fn project_src_ports(&self) -> IntervalSet<u16> {
        let port = ProtoSet::port_class();
        self.cubes
            .iter()
            .filter(|c| c.proto.overlaps(&port))
            .fold(IntervalSet::empty(), |acc, c| acc.union(&c.src_port))
    }

    /// The ICMP `type << 8 | code` values of the ICMP/ICMPv6 packets of the set.
    pub fn project_icmp(&self) -> IntervalSet<u16> {
        let icmp = ProtoSet::icmp_class();
        self.cubes
            .iter()
            .filter(|c| c.proto.overlaps(&icmp))
            .fold(IntervalSet::empty(), |acc, c| acc.union(&c.icmp))
    }
}

impl From<Cube> for PacketSet {
    fn from(c: Cube) -> Self {
        Self::from_cube(c)
    }
}

impl fmt::Display for PacketSet {
    /// The cubes separated by `"; "`, or `"none"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, c) in self.cubes.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::packet::icmp_set;
    use super::super::proto::ICMP;
    use super::*;
    use proptest::prelude::*;
    use std::net::IpAddr;
    use std::net::Ipv4Addr;

    fn v4(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    fn check_well_formed(s: &PacketSet) -> Result<(), TestCaseError> {
        for (i, a) in s.cubes().iter().enumerate() {
            prop_assert!(!a.is_empty(), "empty cube {a}");
            prop_assert!(a.is_normalized(), "not normalized {a}");
            for b in &s.cubes()[i + 1..] {
                prop_assert!(!a.overlaps(b), "overlap {a} / {b}");
            }
        }
        Ok(())
    }

    #[test]
    fn port_convention() {
        let ssh = Cube::any().with_dst_ports(IntervalSet::single(22));
        let s = PacketSet::from_cube(ssh);
        assert_eq!(s.len(), 2);
        assert!(s.contains_packet(&Packet::tcp(v4(1), v4(2), 1000, 22)));
        assert!(!s.contains_packet(&Packet::tcp(v4(1), v4(2), 1000, 23)));
        assert!(s.contains_packet(&Packet::icmp(v4(1), v4(2), 8, 0)));
        assert!(s.contains_packet(&Packet::new(v4(1), v4(2), 47)));
        let tcp22 = PacketSet::from_cube(
            Cube::any()
                .with_proto(ProtoSet::tcp())
                .with_dst_ports(IntervalSet::single(22)),
        );
        let rest = PacketSet::all().difference(&tcp22);
        assert!(!rest.contains_packet(&Packet::tcp(v4(1), v4(2), 1000, 22)));
        assert!(rest.contains_packet(&Packet::udp(v4(1), v4(2), 1000, 22)));
        assert!(rest.union(&tcp22).set_eq(&PacketSet::all()));
        assert_eq!(rest.union(&tcp22).len(), 1, "merges back to one cube");
        assert_eq!(tcp22.project_dst_ports(), IntervalSet::single(22));
        assert_eq!(
            tcp22.sample(),
            Some(Packet::tcp(
                IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                0,
                22
            ))
        );
    }

    #[test]
    fn empty_inapplicable_dimension_only_empties_its_class() {
        // No ICMP value allowed: ICMP packets are excluded, other protocols are not.
        let c = Cube::any()
            .with_proto(ProtoSet::from_protos([0, ICMP]))
            .with_icmp(IntervalSet::empty());
        assert!(!c.is_empty());
        let s = PacketSet::from_cube(c);
        assert!(s.contains_packet(&Packet::new(v4(1), v4(2), 0)));
        assert!(!s.contains_packet(&Packet::icmp(v4(1), v4(2), 8, 0)));
        let only_tcp = Cube::any()
            .with_proto(ProtoSet::tcp())
            .with_dst_ports(IntervalSet::empty());
        assert!(only_tcp.is_empty());
        assert!(PacketSet::from_cube(only_tcp).is_empty());
    }

    #[test]
    fn swap_and_nat() {
        let out = PacketSet::from_cube(
            Cube::any()
                .with_src(AddrSet::from_addr(v4(1)))
                .with_dst(AddrSet::all_v4())
                .with_proto(ProtoSet::tcp())
                .with_dst_ports(IntervalSet::single(443)),
        );
        let back = out.swap_src_dst();
        assert!(back.contains_packet(&Packet::tcp(v4(9), v4(1), 443, 5555)));
        assert!(!back.contains_packet(&Packet::tcp(v4(9), v4(1), 5555, 443)));
        assert!(back.swap_src_dst().set_eq(&out));
        let nat = out.with_src(&AddrSet::from_addr(v4(200)));
        assert!(nat.contains_packet(&Packet::tcp(v4(200), v4(7), 1, 443)));
        assert!(!nat.contains_packet(&Packet::tcp(v4(1), v4(7), 1, 443)));
        assert_eq!(nat.project_src(), AddrSet::from_addr(v4(200)));
        let r = out.restrict_dst(&AddrSet::from_addr(v4(7)));
        assert_eq!(r.project_dst(), AddrSet::from_addr(v4(7)));
        assert!(out.restrict_proto(&ProtoSet::udp()).is_empty());
        assert_eq!(PacketSet::empty().to_string(), "none");
        assert!(out.to_string().contains("dport=443"));
    }

    #[test]
    fn icmp_sets_and_sample() {
        let echo = icmp_set(Some(8), None);
        assert_eq!(echo.count(), 256);
        assert!(icmp_set(None, None).is_full());
        assert_eq!(icmp_set(None, Some(3)).count(), 256);
        let s = PacketSet::from_cube(
            Cube::any()
                .with_src(AddrSet::all_v6())
                .with_dst(AddrSet::all_v6())
                .with_proto(ProtoSet::icmp_class())
                .with_icmp(icmp_set(Some(128), Some(0))),
        );
        let p = s.sample();
        assert_eq!(
            p.map(|p| (p.proto, p.icmp_type, p.icmp_code)),
            Some((58, 128, 0))
        );
        let mixed = PacketSet::from_cube(
            Cube::any()
                .with_src(AddrSet::all_v4())
                .with_dst(AddrSet::all_v6()),
        );
        assert!(mixed.sample().is_some());
        assert!(PacketSet::empty().sample().is_none());
    }

    /// Security-group-like workload: many overlapping rules, then NACL-like subtraction.
    #[test]
    fn scale_smoke() {
        use rand_core::{Rng as _, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next_u32();
        let mut rules = Vec::new();
        for _ in 0..300 {
            let net = Ipv4Addr::from(0x0a00_0000 | ((next() & 0x3f) << 8));
            let lo = (next() % 2000) as u16;
            let hi = lo + (next() % 500) as u16;
            let proto = if next() % 4 == 0 {
                ProtoSet::udp()
            } else {
                ProtoSet::tcp()
            };
            rules.push(
                Cube::any()
                    .with_src(AddrSet::from_v4_range(
                        net,
                        Ipv4Addr::from(u32::from(net) | 0xff),
                    ))
                    .with_proto(proto)
                    .with_dst_ports(IntervalSet::range(lo, hi)),
            );
        }
        let allowed = PacketSet::from_cubes(rules.clone());
        let mut denies = Vec::new();
        for _ in 0..50 {
            let net = Ipv4Addr::from(0x0a00_0000 | ((next() & 0x30) << 8));
            denies.push(
                Cube::any()
                    .with_src(AddrSet::from_v4_range(
                        net,
                        Ipv4Addr::from(u32::from(net) | 0x0fff),
                    ))
                    .with_dst_ports(IntervalSet::single((next() % 2500) as u16)),
            );
        }
        let denied = PacketSet::from_cubes(denies);
        let result = allowed.difference(&denied);
        assert!(result.is_subset(&allowed));
        assert!(!result.overlaps(&denied));
        assert!(result.union(&allowed.intersect(&denied)).set_eq(&allowed));
        assert!(result.len() < 20_000, "cubes: {}", result.len());
        for r in rules.iter().take(20) {
            if let Some(p) = PacketSet::from_cube(r.clone()).sample() {
                assert!(allowed.contains_packet(&p));
                assert_eq!(result.contains_packet(&p), !denied.contains_packet(&p));
            }
        }
    }

    // --- brute force on a small universe -------------------------------------------

    const ADDRS: u8 = 6;
    const PROTOS: [u8; 6] = [0, 1, 6, 17, 58, 200];
    const PORTS: u16 = 5;
    const ICMPS: u16 = 4;

    fn small_addr() -> impl Strategy<Value = AddrSet> {
        prop_oneof![
            1 => Just(AddrSet::all()),
            4 => prop::collection::vec((0..ADDRS + 1, 0..ADDRS + 1), 0..3).prop_map(|rs| {
                rs.into_iter().fold(AddrSet::empty(), |acc, (a, b)| {
                    acc.union(&AddrSet::from_v4_range(
                        Ipv4Addr::new(10, 0, 0, a),
                        Ipv4Addr::new(10, 0, 0, b),
                    ))
                })
            }),
        ]
    }

    fn small_u16(max: u16) -> impl Strategy<Value = IntervalSet<u16>> {
        prop_oneof![
            1 => Just(IntervalSet::full()),
            4 => prop::collection::vec((0..max + 1, 0..max + 1), 0..3)
                .prop_map(IntervalSet::from_ranges),
        ]
    }

    fn small_proto() -> impl Strategy<Value = ProtoSet> {
        prop_oneof![
            1 => Just(ProtoSet::all()),
            1 => Just(ProtoSet::range(2, 100)),
            4 => prop::collection::vec(prop::sample::select(PROTOS.to_vec()), 0..4)
                .prop_map(ProtoSet::from_protos),
        ]
    }

    fn raw_cube() -> impl Strategy<Value = Cube> {
        (
            small_addr(),
            small_addr(),
            small_proto(),
            small_u16(PORTS),
            small_u16(PORTS),
            small_u16(ICMPS),
        )
            .prop_map(|(src, dst, proto, src_port, dst_port, icmp)| Cube {
                src,
                dst,
                proto,
                src_port,
                dst_port,
                icmp,
            })
    }

    fn raw_cubes() -> impl Strategy<Value = Vec<Cube>> {
        prop::collection::vec(raw_cube(), 0..4)
    }

    fn universe() -> Vec<Packet> {
        let mut out = Vec::new();
        for s in 0..ADDRS + 1 {
            for d in 0..ADDRS + 1 {
                for &proto in &PROTOS {
                    let (np, ni) = match proto {
                        6 | 17 => (PORTS + 2, 1),
                        1 | 58 => (1, ICMPS + 2),
                        _ => (1, 1),
                    };
                    for sp in 0..np {
                        for dp in 0..np {
                            for ic in 0..ni {
                                out.push(Packet {
                                    src: v4(s),
                                    dst: v4(d),
                                    proto,
                                    src_port: sp,
                                    dst_port: dp,
                                    icmp_type: (ic >> 8) as u8,
                                    icmp_code: (ic & 0xff) as u8,
                                });
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn raw_contains(cubes: &[Cube], p: &Packet) -> bool {
        cubes.iter().any(|c| c.contains_packet(p))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn algebra_matches_brute_force(ra in raw_cubes(), rb in raw_cubes()) {
            let a = PacketSet::from_cubes(ra.clone());
            let b = PacketSet::from_cubes(rb.clone());
            let u = a.union(&b);
            let i = a.intersect(&b);
            let d = a.difference(&b);
            let sw = a.swap_src_dst();
            for s in [&a, &b, &u, &i, &d, &sw] {
                check_well_formed(s)?;
            }
            let mut any_a = false;
            let mut any_ab = false;
            let mut a_sub_b = true;
            for p in universe() {
                let (ia, ib) = (raw_contains(&ra, &p), raw_contains(&rb, &p));
                prop_assert_eq!(a.contains_packet(&p), ia, "a {}", p);
                prop_assert_eq!(u.contains_packet(&p), ia || ib, "union {}", p);
                prop_assert_eq!(i.contains_packet(&p), ia && ib, "intersect {}", p);
                prop_assert_eq!(d.contains_packet(&p), ia && !ib, "difference {}", p);
                prop_assert_eq!(sw.contains_packet(&p.swapped()), ia, "swap {}", p);
                any_a |= ia;
                any_ab |= ia && ib;
                a_sub_b &= !ia || ib;
            }
            // The universe covers every equivalence class only inside 10.0.0.0/29 and the
            // small port ranges, so these are one-directional checks.
            if any_a { prop_assert!(!a.is_empty()); }
            if any_ab { prop_assert!(a.overlaps(&b)); }
            if !a_sub_b { prop_assert!(!a.is_subset(&b)); }
            prop_assert_eq!(a.is_subset(&b), d.is_empty());
            for c in &ra {
                prop_assert_eq!(c.is_empty(), PacketSet::from_cube(c.clone()).is_empty());
                if universe().iter().any(|p| c.contains_packet(p)) {
                    prop_assert!(!c.is_empty());
                }
            }
            prop_assert_eq!(a.overlaps(&b), !i.is_empty());
            prop_assert!(u.set_eq(&b.union(&a)));
            prop_assert!(d.union(&i).set_eq(&a));
            if let Some(p) = a.sample() {
                prop_assert!(a.contains_packet(&p));
            } else {
                prop_assert!(a.is_empty());
            }
            let ports = a.project_dst_ports();
            for c in a.cubes() {
                if c.proto.overlaps(&ProtoSet::port_class()) {
                    prop_assert!(c.dst_port.is_subset(&ports));
                }
            }
        }

        #[test]
        fn nat_rewrite_matches_brute_force(ra in raw_cubes(), target in small_addr()) {
            let a = PacketSet::from_cubes(ra);
            let n = a.with_src(&target);
            check_well_formed(&n)?;
            for p in universe() {
                // p is in n iff its source is in target and some packet differing only in
                // source is in a (for a cube: iff its sampled source with p's other fields is).
                let expect = target.contains(p.src)
                    && a.cubes().iter().any(|c| {
                        c.contains_packet(&Packet { src: c.src.sample().unwrap_or(p.src), ..p })
                    });
                prop_assert_eq!(n.contains_packet(&p), expect, "{}", p);
            }
        }
    }
}
