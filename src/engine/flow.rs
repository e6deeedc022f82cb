//! Flows in transit: the question's packets (`orig`, in the client's coordinates) and how their
//! header looks at the current point ([`View`]) after translations and on the reply leg.
//!
//! Filters (NACLs, security groups, route partitions) are sets over the *current* header.
//! [`Flow::split`] intersects the current header with such a set and maps the result back to
//! the original flows, so that a verdict always speaks about the flows the user asked about.
//! A dimension that a translation replaced by a constant set (a NAT gateway's address and its
//! 1024–65535 source ports) passes a filter only when the filter admits all of that set: a NAT
//! picks any of its ports, so a flow is only sure to work when every choice works.

use super::icmp;
use crate::net::{AddrSet, Cube, IntervalSet, PacketSet, ProtoSet, ICMP, ICMPV6};

/// Where a current address dimension comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddrDim {
    /// The question's source addresses.
    OrigSrc,
    /// The question's destination addresses.
    OrigDst,
    /// A translation's constant (a NAT or public address).
    Const(AddrSet),
}

/// Where a current port dimension comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortDim {
    OrigSrc,
    OrigDst,
    Const(IntervalSet<u16>),
}

/// How the current header derives from the question's flows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub src: AddrDim,
    pub dst: AddrDim,
    pub src_port: PortDim,
    pub dst_port: PortDim,
    /// On replies the ICMP type is the reply's (echo 8 → echo reply 0, ICMPv6 128 → 129): the
    /// current ICMP values are the replies of the question's ([`super::icmp`]).
    pub icmp_reply: bool,
}

impl View {
    /// The forward view: the header is the question's packet.
    pub fn forward() -> Self {
        View {
            src: AddrDim::OrigSrc,
            dst: AddrDim::OrigDst,
            src_port: PortDim::OrigSrc,
            dst_port: PortDim::OrigDst,
            icmp_reply: false,
        }
    }

    /// The reply to a header seen through `self`: addresses and ports swapped.
    pub fn reply(&self) -> Self {
        View {
            src: self.dst.clone(),
            dst: self.src.clone(),
            src_port: self.dst_port.clone(),
            dst_port: self.src_port.clone(),
            icmp_reply: true,
        }
    }
}

/// A set of the question's flows on one branch, with its current view.
#[derive(Clone, Debug)]
pub struct Flow {
    pub orig: PacketSet,
    pub view: View,
}

fn addr_of(d: &AddrDim, c: &Cube) -> AddrSet {
    match d {
        AddrDim::OrigSrc => c.src.clone(),
        AddrDim::OrigDst => c.dst.clone(),
        AddrDim::Const(k) => k.clone(),
    }
}

fn port_of(d: &PortDim, c: &Cube) -> IntervalSet<u16> {
    match d {
        PortDim::OrigSrc => c.src_port.clone(),
        PortDim::OrigDst => c.dst_port.clone(),
        PortDim::Const(k) => k.clone(),
    }
}

impl Flow {
    /// Flows of the question, seen as asked.
    pub fn new(orig: PacketSet) -> Self {
        Flow {
            orig,
            view: View::forward(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.orig.is_empty()
    }

    /// The current header of one original cube: one cube, or on replies one per ICMP protocol
    /// (their reply types differ) and one for the other protocols.
    fn current_cubes(&self, c: &Cube) -> Vec<Cube> {
        let base = Cube {
            src: addr_of(&self.view.src, c),
            dst: addr_of(&self.view.dst, c),
            proto: c.proto.clone(),
            src_port: port_of(&self.view.src_port, c),
            dst_port: port_of(&self.view.dst_port, c),
            icmp: c.icmp.clone(),
        };
        if !self.view.icmp_reply || !c.proto.overlaps(&ProtoSet::icmp_class()) {
            return vec![base];
        }
        let mut out = Vec::new();
        for p in [ICMP, ICMPV6] {
            if c.proto.contains(p) {
                let mut k = base.clone();
                k.proto = ProtoSet::single(p);
                k.icmp = icmp::reply_values(p, &c.icmp);
                if !k.icmp.is_empty() {
                    out.push(k);
                }
            }
        }
        let rest = c.proto.difference(&ProtoSet::icmp_class());
        if !rest.is_empty() {
            let mut k = base;
            k.proto = rest;
            out.push(k);
        }
        out
    }

    /// The current headers of all flows.
    pub fn current(&self) -> PacketSet {
        PacketSet::from_cubes(self.orig.cubes().iter().flat_map(|c| self.current_cubes(c)))
    }

    /// Current destination addresses.
    pub fn current_dst(&self) -> AddrSet {
        match &self.view.dst {
            AddrDim::OrigSrc => self.orig.project_src(),
            AddrDim::OrigDst => self.orig.project_dst(),
            AddrDim::Const(k) => k.clone(),
        }
    }

    /// Current source addresses.
    pub fn current_src(&self) -> AddrSet {
        match &self.view.src {
            AddrDim::OrigSrc => self.orig.project_src(),
            AddrDim::OrigDst => self.orig.project_dst(),
            AddrDim::Const(k) => k.clone(),
        }
    }

    /// Split into the flows whose current header lies in `set` and the others.
    pub fn split(&self, set: &PacketSet) -> (Flow, Flow) {
        let mut pass = Vec::new();
        for c in self.orig.cubes() {
            for cur in self.current_cubes(c) {
                let hit = PacketSet::from_cube(cur).intersect(set);
                for r in hit.cubes() {
                    if let Some(o) = self.preimage(c, r) {
                        pass.push(o);
                    }
                }
            }
        }
        let pass = PacketSet::from_cubes(pass);
        let fail = self.orig.difference(&pass);
        (self.with_orig(pass), self.with_orig(fail))
    }

    /// The original flows (within `c`) whose current header is in `r` (a sub-cube of the
    /// current header of `c`). `None` when a constant dimension is only partly admitted.
    fn preimage(&self, c: &Cube, r: &Cube) -> Option<Cube> {
        let mut o = c.clone();
        o.proto = r.proto.clone();
        if !self.view.icmp_reply {
            o.icmp = r.icmp.clone();
        } else {
            // `r` lies within one current cube: one ICMP protocol, or no ICMP at all.
            for p in [ICMP, ICMPV6] {
                if r.proto.contains(p) {
                    o.icmp = c.icmp.intersect(&icmp::request_values(p, &r.icmp));
                }
            }
        }
        let port_protos = r.proto.overlaps(&ProtoSet::port_class());
        for (dim, val) in [(&self.view.src, &r.src), (&self.view.dst, &r.dst)] {
            match dim {
                AddrDim::OrigSrc => o.src = val.clone(),
                AddrDim::OrigDst => o.dst = val.clone(),
                AddrDim::Const(k) => {
                    if k != val {
                        return None;
                    }
                }
            }
        }
        if port_protos {
            for (dim, val) in [
                (&self.view.src_port, &r.src_port),
                (&self.view.dst_port, &r.dst_port),
            ] {
                match dim {
                    PortDim::OrigSrc => o.src_port = val.clone(),
                    PortDim::OrigDst => o.dst_port = val.clone(),
                    PortDim::Const(k) => {
                        if k != val {
                            return None;
                        }
                    }
                }
            }
        }
        Some(o)
    }

    /// Split the question's flows (not the current headers) into those in `set` and the others.
    pub fn split_orig(&self, set: &PacketSet) -> (PacketSet, PacketSet) {
        (self.orig.intersect(set), self.orig.difference(set))
    }

    /// The same view over other flows.
    pub fn with_orig(&self, orig: PacketSet) -> Flow {
        Flow {
            orig,
            view: self.view.clone(),
        }
    }

    /// Restrict to flows whose *current* destination is in `dst`.
    pub fn restrict_current_dst(&self, dst: &AddrSet) -> (Flow, Flow) {
        self.split(&PacketSet::from_cube(Cube::any().with_dst(dst.clone())))
    }

    /// Restrict to flows whose *current* source is in `src`.
    pub fn restrict_current_src(&self, src: &AddrSet) -> (Flow, Flow) {
        self.split(&PacketSet::from_cube(Cube::any().with_src(src.clone())))
    }

    /// Restrict to flows of the given protocols.
    pub fn restrict_proto(&self, p: &ProtoSet) -> (Flow, Flow) {
        self.split(&PacketSet::from_cube(Cube::any().with_proto(p.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn addr(s: &str) -> AddrSet {
        AddrSet::from_addr(s.parse::<IpAddr>().unwrap_or(IpAddr::from([0, 0, 0, 0])))
    }

    #[test]
    fn split_maps_back_through_snat() {
        let orig = PacketSet::from_cube(
            Cube::any()
                .with_src(addr("10.0.1.5"))
                .with_dst(addr("1.1.1.1"))
                .with_proto(ProtoSet::tcp())
                .with_src_ports(IntervalSet::range(32768, 61000))
                .with_dst_ports(IntervalSet::single(443)),
        );
        let mut f = Flow::new(orig.clone());
        f.view.src = AddrDim::Const(addr("10.0.0.9"));
        f.view.src_port = PortDim::Const(IntervalSet::range(1024, 65535));
        // A filter admitting all NAT ports passes everything.
        let all_ports = PacketSet::from_cube(Cube::any().with_src(addr("10.0.0.9")));
        let (p, q) = f.split(&all_ports);
        assert!(p.orig.set_eq(&orig) && q.is_empty());
        // A filter admitting only part of the NAT's ports passes nothing.
        let part = PacketSet::from_cube(
            Cube::any()
                .with_proto(ProtoSet::tcp())
                .with_src_ports(IntervalSet::range(32768, 65535)),
        );
        let (p, q) = f.split(&part);
        assert!(p.is_empty() && q.orig.set_eq(&orig));
    }

    #[test]
    fn reply_view_swaps() {
        let orig = PacketSet::from_cube(
            Cube::any()
                .with_src(addr("10.0.1.5"))
                .with_dst(addr("10.0.2.5"))
                .with_proto(ProtoSet::tcp())
                .with_src_ports(IntervalSet::range(1024, 2000))
                .with_dst_ports(IntervalSet::single(22)),
        );
        let f = Flow {
            orig: orig.clone(),
            view: View::forward().reply(),
        };
        // Reply packets to ports 1024-1500 only.
        let filt = PacketSet::from_cube(
            Cube::any()
                .with_proto(ProtoSet::tcp())
                .with_dst_ports(IntervalSet::range(1024, 1500)),
        );
        let (p, _) = f.split(&filt);
        assert_eq!(p.orig.project_src_ports(), IntervalSet::range(1024, 1500));
        assert_eq!(f.current_dst(), addr("10.0.1.5"));
    }

    #[test]
    fn reply_view_has_the_reply_icmp_type() {
        let orig = PacketSet::from_cube(
            Cube::any()
                .with_src(addr("10.0.1.5"))
                .with_dst(addr("10.0.2.5"))
                .with_proto(ProtoSet::icmp())
                .with_icmp(icmp::types(8, 8)),
        );
        let f = Flow {
            orig: orig.clone(),
            view: View::forward().reply(),
        };
        // The replies are echo replies (type 0).
        assert_eq!(f.current().project_icmp(), icmp::types(0, 0));
        let only = |t: u8| {
            PacketSet::from_cube(
                Cube::any()
                    .with_proto(ProtoSet::icmp())
                    .with_icmp(icmp::types(t, t)),
            )
        };
        // A filter admitting type 8 lets no reply through; one admitting type 0 lets all.
        let (p, q) = f.split(&only(8));
        assert!(p.is_empty() && q.orig.set_eq(&orig));
        let (p, q) = f.split(&only(0));
        assert!(p.orig.set_eq(&orig) && q.is_empty());
        // ICMPv6 echo 128 is answered by 129.
        let v6 = Flow {
            orig: PacketSet::from_cube(
                Cube::any()
                    .with_proto(ProtoSet::icmpv6())
                    .with_icmp(icmp::types(128, 128)),
            ),
            view: View::forward().reply(),
        };
        assert_eq!(v6.current().project_icmp(), icmp::types(129, 129));
    }
}
