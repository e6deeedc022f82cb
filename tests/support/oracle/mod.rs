//! Brute-force reachability oracle over the generator's [`Spec`], sharing no code with
//! `src/engine` and never reading `vpcreach::model`: it applies the semantics itself
//! (docs/semantics.md for AWS, docs/engine-semantics.md for the engine's choices).
//!
//! * [`World`]: what the oracle derives from the `Spec` on its own — each subnet's route table
//!   (explicit association, else the VPC's main table) with a `local` route per VPC CIDR (v4 and
//!   v6, whether or not the JSON lists them), each subnet's NACL (explicit, else the VPC's
//!   default) with entries sorted by rule number, who holds each address, public IPv4 and IPv6
//!   mappings, security-group members, and each TGW route table's installed routes (static +
//!   propagated with CreationTime overlap suppression).
//! * [`walk`]: follows one concrete packet class (source, destination, protocol, ICMP type) hop
//!   by hop, forward and then the reply, and records every filter it meets (NACL, security group,
//!   a dead ENI) and every routing stop. Ports stay symbolic (`D` destination port, `S` client
//!   port, `Q` NAT port): the filters are evaluated afterwards on boundary points, which is exact
//!   because between consecutive rule-range endpoints every rule behaves the same.
//! * [`sources`]: a CIDR source expanded from the spec alone — its ENIs, its subnets' unheld
//!   addresses (hosts with no security group), its outside part — answered per client and
//!   combined (every flow of every client for `all`).
//! * [`answer`]: quantifies over sources × ICMP types × destination ports × client ports × NAT
//!   ports and returns the verdict and the blockers per leg, following the engine's documented
//!   contract: a stopped flow continues as a "ghost" so every later filter that would also stop
//!   it is named; routing stops end a path; every flow delivered to the target (passing or a
//!   ghost) has its return leg walked, so return-leg filters are named for ghosts too; only flows
//!   that pass every filter on both legs complete; no blockers are reported when every flow
//!   completes.

#![allow(dead_code)]

mod sources;
mod walk;

pub use sources::{expand, CidrSrc};

use crate::netgen::*;
use ipnet::IpNet;
use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr};

pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMP: u8 = 1;
pub const ICMP6: u8 = 58;

/// Which leg a blocker was met on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Leg {
    Forward,
    Return,
}

/// Who sends the first packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// An ENI (index into `Spec::enis`).
    Eni(usize),
    /// A host outside the snapshot (internet, office).
    Outside,
    /// An address of a subnet (index into `Spec::subnets`) that nothing holds: a host with no
    /// security group (part of a CIDR source).
    Host(usize),
}

/// A question in oracle terms.
#[derive(Clone, Debug)]
pub struct OQ {
    pub client: Client,
    /// Source addresses (same family as `dst`).
    pub srcs: Vec<IpAddr>,
    pub dst: IpAddr,
    pub proto: u8,
    pub dports: (u16, u16),
    pub ephemeral: (u16, u16),
    /// A CIDR source: the oracle expands it from the spec ([`sources`]) and quantifies over
    /// every client in it (`client` and `srcs` are then unused).
    pub cidr: Option<CidrSrc>,
}

/// The oracle's answer.
#[derive(Clone, Debug, Default)]
pub struct OAnswer {
    pub any: bool,
    pub all: bool,
    /// Flows tested (classes × port points).
    pub flows: usize,
    /// (component, leg) of every blocker; empty when every flow completes.
    pub blocked: BTreeSet<(String, Leg)>,
    /// Every blocker met, even when every flow completes.
    pub met: BTreeSet<(String, Leg)>,
    /// Trace of one completing and one failing packet class.
    pub pass_example: Option<Vec<String>>,
    pub fail_example: Option<Vec<String>>,
}

/// Who holds a private address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Eni(usize),
    Nat(usize),
}

/// A route of a VPC table as the oracle sees it.
#[derive(Clone, Debug)]
pub struct VRoute {
    pub dest: IpNet,
    /// 0 static CIDR (and local), 1 prefix list (R4).
    pub prio: u8,
    pub target: Option<TargetS>,
    pub blackhole: bool,
    pub label: String,
}

/// An installed TGW route.
#[derive(Clone, Debug)]
pub struct TRoute {
    pub dest: IpNet,
    pub is_static: bool,
    pub target: Option<usize>,
}

/// Everything the oracle derives from a `Spec`.
pub struct World<'a> {
    pub s: &'a Spec,
    pub rt_of_subnet: Vec<Option<usize>>,
    pub acl_of_subnet: Vec<Option<usize>>,
    /// Per table: its routes (local ones first).
    pub routes: Vec<Vec<VRoute>>,
    /// Per NACL: (inbound, outbound) entries sorted by rule number.
    pub acl_entries: Vec<(Vec<NaclEntryS>, Vec<NaclEntryS>)>,
    pub holders: HashMap<(usize, IpAddr), Holder>,
    /// Public IPv4 → (holder, private IPv4).
    pub public: HashMap<Ipv4Addr, (Holder, Ipv4Addr)>,
    /// IPv6 address → ENI.
    pub v6: HashMap<std::net::Ipv6Addr, usize>,
    /// Per security group: member ENIs.
    pub members: Vec<Vec<usize>>,
    /// Per TGW table: installed routes.
    pub tgw_routes: Vec<Vec<TRoute>>,
}

impl<'a> World<'a> {
    pub fn new(s: &'a Spec) -> Self {
        let rt_of_subnet = (0..s.subnets.len())
            .map(|i| {
                s.rts
                    .iter()
                    .position(|r| r.subnets.contains(&i))
                    .or_else(|| s.main_rt(s.subnets[i].vpc))
            })
            .collect();
        let acl_of_subnet = (0..s.subnets.len())
            .map(|i| {
                s.nacls
                    .iter()
                    .position(|n| n.subnets.contains(&i))
                    .or_else(|| {
                        s.nacls
                            .iter()
                            .position(|n| n.vpc == s.subnets[i].vpc && n.is_default)
                    })
            })
            .collect();
        let routes = s.rts.iter().map(|t| table_routes(s, t)).collect();
        let acl_entries = s
            .nacls
            .iter()
            .map(|n| {
                let mut inb: Vec<NaclEntryS> =
                    n.entries.iter().filter(|e| !e.egress).cloned().collect();
                let mut out: Vec<NaclEntryS> =
                    n.entries.iter().filter(|e| e.egress).cloned().collect();
                inb.sort_by_key(|e| e.number);
                out.sort_by_key(|e| e.number);
                (inb, out)
            })
            .collect();
        let mut holders = HashMap::new();
        let mut public = HashMap::new();
        let mut v6 = HashMap::new();
        for (i, e) in s.enis.iter().enumerate() {
            let vpc = s.subnets[e.subnet].vpc;
            for a in &e.ips {
                holders.insert((vpc, IpAddr::V4(*a)), Holder::Eni(i));
            }
            for a in &e.ips6 {
                holders.insert((vpc, IpAddr::V6(*a)), Holder::Eni(i));
                v6.insert(*a, i);
            }
            if let Some(p) = e.public {
                public.insert(p, (Holder::Eni(i), e.ips[0]));
            }
        }
        // Only available NAT gateways have an ENI in the snapshot.
        for (i, n) in s.nats.iter().enumerate().filter(|(_, n)| n.available) {
            let vpc = s.subnets[n.subnet].vpc;
            holders.insert((vpc, IpAddr::V4(n.private_ip)), Holder::Nat(i));
            if let Some(p) = n.public_ip {
                public.insert(p, (Holder::Nat(i), n.private_ip));
            }
        }
        let members = (0..s.sgs.len())
            .map(|g| {
                (0..s.enis.len())
                    .filter(|e| s.enis[*e].groups.contains(&g))
                    .collect()
            })
            .collect();
        let tgw_routes = match &s.tgw {
            Some(t) => (0..t.tables.len()).map(|i| tgw_table(s, t, i)).collect(),
            None => vec![],
        };
        World {
            s,
            rt_of_subnet,
            acl_of_subnet,
            routes,
            acl_entries,
            holders,
            public,
            v6,
            members,
            tgw_routes,
        }
    }

    /// A subnet's CIDRs (v4 and v6).
    pub fn subnet_nets(&self, i: usize) -> Vec<IpNet> {
        let sub = &self.s.subnets[i];
        std::iter::once(IpNet::V4(sub.cidr))
            .chain(sub.cidr6.map(IpNet::V6))
            .collect()
    }

    /// A VPC's CIDRs (v4 and v6).
    pub fn vpc_nets(&self, v: usize) -> Vec<IpNet> {
        let vpc = &self.s.vpcs[v];
        std::iter::once(IpNet::V4(vpc.cidr))
            .chain(vpc.cidr6.map(IpNet::V6))
            .collect()
    }

    /// The private addresses (v4 and v6) of an ENI.
    pub fn eni_addrs(&self, e: usize) -> Vec<IpAddr> {
        let x = &self.s.enis[e];
        x.ips
            .iter()
            .map(|a| IpAddr::V4(*a))
            .chain(x.ips6.iter().map(|a| IpAddr::V6(*a)))
            .collect()
    }

    /// Default client ephemeral range (N8): Windows 49152–65535, other instances
    /// 32768–61000, anything else 1024–65535.
    pub fn default_ephemeral(&self, c: Client) -> (u16, u16) {
        match c {
            Client::Eni(e) => match &self.s.enis[e].kind {
                EniKind::Instance { windows: true, .. } => (49152, 65535),
                EniKind::Instance { .. } => (32768, 61000),
                EniKind::Detached => (1024, 65535),
            },
            Client::Outside | Client::Host(_) => (1024, 65535),
        }
    }
}

fn table_routes(s: &Spec, t: &RtS) -> Vec<VRoute> {
    let vpc = &s.vpcs[t.vpc];
    let mut out: Vec<VRoute> = std::iter::once(IpNet::V4(vpc.cidr))
        .chain(vpc.cidr6.map(IpNet::V6))
        .map(|c| VRoute {
            dest: c,
            prio: 0,
            target: None,
            blackhole: false,
            label: format!("{c} -> local"),
        })
        .collect();
    for r in &t.routes {
        let (dests, prio, name): (Vec<IpNet>, u8, String) = match &r.dest {
            DestS::Cidr(c) => (vec![*c], 0, c.to_string()),
            DestS::Pl(p) => (
                s.pls[*p].cidrs.iter().map(|c| IpNet::V4(*c)).collect(),
                1,
                s.pls[*p].id.clone(),
            ),
        };
        for d in dests {
            out.push(VRoute {
                dest: d,
                prio,
                target: Some(r.target.clone()),
                blackhole: r.blackhole,
                label: format!(
                    "{name} -> {:?}{}",
                    r.target,
                    if r.blackhole { " (blackhole)" } else { "" }
                ),
            });
        }
    }
    out
}

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// Installed routes of TGW table `ti`: statics, plus one route per CIDR of each enabled
/// propagation from an available attachment, in (CreationTime, id) order, a CIDR overlapping one
/// already installed being suppressed (T4); a static route of the same prefix wins (T5).
fn tgw_table(s: &Spec, t: &TgwS, ti: usize) -> Vec<TRoute> {
    let table = &t.tables[ti];
    let mut out: Vec<TRoute> = table
        .statics
        .iter()
        .map(|(d, a)| TRoute {
            dest: *d,
            is_static: true,
            target: *a,
        })
        .collect();
    let mut props: Vec<usize> = table
        .propagations
        .iter()
        .copied()
        .filter(|a| t.attachments[*a].available)
        .collect();
    props.sort_by_key(|a| {
        (
            t.attachments[*a].creation_time.clone(),
            t.attachments[*a].id.clone(),
        )
    });
    props.dedup();
    let mut installed: Vec<IpNet> = Vec::new();
    for a in props {
        let att = &t.attachments[a];
        let vpc = &s.vpcs[att.vpc];
        let nets = std::iter::once(IpNet::V4(vpc.cidr))
            .chain(vpc.cidr6.filter(|_| att.ipv6).map(IpNet::V6));
        for c in nets {
            if installed.iter().any(|i| overlaps(i, &c)) {
                continue;
            }
            installed.push(c);
            if !table.statics.iter().any(|(d, _)| *d == c) {
                out.push(TRoute {
                    dest: c,
                    is_static: false,
                    target: Some(a),
                });
            }
        }
    }
    out
}

/// Every port-range endpoint of the network's NACLs (and SGs if `with_sgs`), with ±1, plus the
/// range ends, clipped to `lo..=hi`: between consecutive points every rule behaves the same.
pub fn boundary_points(s: &Spec, with_sgs: bool, lo: u16, hi: u16) -> Vec<u16> {
    let mut pts: Vec<u32> = vec![lo as u32, hi as u32];
    let mut add = |a: u16, b: u16| {
        for x in [a as u32, b as u32] {
            pts.extend([x, x + 1, x.saturating_sub(1)]);
        }
    };
    for e in s.nacls.iter().flat_map(|n| n.entries.iter()) {
        if let Some((a, b)) = e.ports {
            add(a, b);
        }
    }
    if with_sgs {
        for g in &s.sgs {
            for r in g.ingress.iter().chain(g.egress.iter()) {
                if let Some((a, b)) = r.ports {
                    add(a, b);
                }
            }
        }
    }
    let mut v: Vec<u16> = pts
        .into_iter()
        .filter(|x| *x >= lo as u32 && *x <= hi as u32)
        .map(|x| x as u16)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Answer a question: verdict (any / all flows complete) and blockers per leg.
pub fn answer(w: &World, q: &OQ) -> OAnswer {
    if let Some(c) = &q.cidr {
        return sources::answer_cidr(w, q, c);
    }
    let ports = q.proto == TCP || q.proto == UDP;
    let pts = |with_sgs: bool, lo: u16, hi: u16| {
        if ports {
            boundary_points(w.s, with_sgs, lo, hi)
        } else {
            vec![0]
        }
    };
    let dpts = pts(true, q.dports.0, q.dports.1);
    let spts = pts(false, q.ephemeral.0, q.ephemeral.1);
    let qpts = pts(false, 1024, 65535);
    // ICMP: the echo request (type 8, answered by an echo reply) and a type without a reply
    // (3: it completes when delivered, no return leg); ICMPv6 likewise 128 and 1. Only a gateway
    // endpoint (echo only) and the return leg tell them apart: the generator's ICMP rules admit
    // every type, so the reply's type (0 / 129) matches wherever "any type" does.
    let types: &[u8] = match q.proto {
        ICMP => &[8, 3],
        ICMP6 => &[128, 1],
        _ => &[0],
    };
    let one_way = |ty: u8| (q.proto == ICMP && ty != 8) || (q.proto == ICMP6 && ty != 128);
    let mut out = OAnswer {
        all: true,
        ..Default::default()
    };
    let mut blocked = BTreeSet::new();
    for &src in &q.srcs {
        for &ty in types {
            let fwd = walk::forward(w, q, src, ty);
            let mut class_blocked = BTreeSet::new();
            for c in &fwd.stops {
                class_blocked.insert((c.clone(), Leg::Forward));
            }
            let mut d_ok = Vec::new();
            for &d in &dpts {
                let mut ok = true;
                for c in &fwd.checks {
                    if !c.allows(w, d) {
                        ok = false;
                        class_blocked.insert((c.comp.clone(), Leg::Forward));
                    }
                }
                if ok {
                    d_ok.push(d);
                }
            }
            let mut trace = fwd.log.clone();
            let mut s_ok: Vec<u16> = Vec::new();
            let mut back = false;
            let delivered = matches!(
                fwd.end,
                walk::End::Eni(_) | walk::End::Outside | walk::End::Service(_)
            );
            if one_way(ty) {
                // No reply: complete when delivered (client ports do not matter).
                back = delivered && fwd.last.is_some();
                s_ok = spts.clone();
            } else if delivered {
                // Both legs: the reply of every delivered flow is walked, whether its forward
                // leg passed every filter or continues as a ghost.
                if let Some(ret) = walk::reply(w, q, &fwd) {
                    trace.extend(ret.log.iter().cloned());
                    for c in &ret.stops {
                        class_blocked.insert((c.clone(), Leg::Return));
                    }
                    let mut q_all = true;
                    for c in ret.checks.iter().filter(|c| c.var() == walk::Var::Q) {
                        for &x in &qpts {
                            if !c.allows(w, x) {
                                q_all = false;
                                class_blocked.insert((c.comp.clone(), Leg::Return));
                            }
                        }
                    }
                    for &x in &spts {
                        let mut ok = true;
                        for c in ret.checks.iter().filter(|c| c.var() != walk::Var::Q) {
                            if !c.allows(w, x) {
                                ok = false;
                                class_blocked.insert((c.comp.clone(), Leg::Return));
                            }
                        }
                        if ok {
                            s_ok.push(x);
                        }
                    }
                    back = q_all && ret.reached_client;
                }
            }
            let n = dpts.len() * spts.len();
            out.flows += n;
            let complete = if back { d_ok.len() * s_ok.len() } else { 0 };
            trace.push(format!(
                "class src {src} type {ty}: {complete} of {n} port points complete; blockers {class_blocked:?}"
            ));
            if complete > 0 {
                out.any = true;
                out.pass_example.get_or_insert(trace.clone());
            }
            if complete < n {
                out.all = false;
                out.fail_example.get_or_insert(trace);
            }
            blocked.extend(class_blocked);
        }
    }
    if q.srcs.is_empty() {
        out.all = false;
    }
    if !out.all {
        out.blocked = blocked.clone();
    }
    out.met = blocked;
    out
}

/// RFC 1918 or RFC 6598 (IPv4 only).
pub fn is_private_or_cgnat(a: IpAddr) -> bool {
    match a {
        IpAddr::V4(a) => {
            let o = a.octets();
            o[0] == 10
                || (o[0] == 172 && (16..=31).contains(&o[1]))
                || (o[0] == 192 && o[1] == 168)
                || (o[0] == 100 && (64..=127).contains(&o[1]))
        }
        IpAddr::V6(_) => false,
    }
}
