//! CIDR sources in the oracle, expanded from the generator's `Spec` alone
//! (docs/engine-semantics.md, "Sources"): a block stands for every address in it —
//!
//! * each ENI holding addresses of the block (in every VPC the block overlaps, or the one it is
//!   narrowed to), sending from those addresses; NAT gateways hold addresses but send nothing of
//!   their own, so their addresses are in no source;
//! * per subnet, the addresses of the block that nothing holds: a host with no security group
//!   placed in that subnet;
//! * unless narrowed to a VPC, the part outside every VPC and outside the snapshot's public IPs:
//!   outside hosts.
//!
//! The question's destination address is never one of its own sources. Addresses are not
//! enumerated one by one: every address a walk can tell apart from its neighbours is a *cut
//! point* (the first address of every CIDR in the spec and the one after its last, every single
//! address the spec names and the one after it), so between consecutive cut points every
//! address meets the same routes, filters and holders; one representative per such interval is
//! exact, as the boundary points are for ports.

use super::*;

/// A source given as a block.
#[derive(Clone, Debug)]
pub struct CidrSrc {
    pub net: IpNet,
    /// Narrowed to this VPC (`vpc-…/CIDR`).
    pub vpc: Option<usize>,
    /// `--ephemeral` when given (else each expanded client's default).
    pub ephemeral: Option<(u16, u16)>,
}

fn to_u(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn from_u(v4: bool, x: u128) -> IpAddr {
    if v4 {
        IpAddr::V4(Ipv4Addr::from(x as u32))
    } else {
        IpAddr::V6(std::net::Ipv6Addr::from(x))
    }
}

/// Every CIDR the spec names (VPCs, subnets, NACL entries, security-group rules, prefix lists,
/// routes, TGW static routes) and the fixed private and shared ranges.
fn spec_nets(s: &Spec) -> Vec<IpNet> {
    let mut v: Vec<IpNet> = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .iter()
    .map(|n| n.parse().unwrap())
    .collect();
    for x in &s.vpcs {
        v.push(IpNet::V4(x.cidr));
        v.extend(x.cidr6.map(IpNet::V6));
    }
    for x in &s.subnets {
        v.push(IpNet::V4(x.cidr));
        v.extend(x.cidr6.map(IpNet::V6));
    }
    v.extend(
        s.nacls
            .iter()
            .flat_map(|n| n.entries.iter().map(|e| e.cidr)),
    );
    for g in &s.sgs {
        for r in g.ingress.iter().chain(g.egress.iter()) {
            v.extend(r.cidrs.iter().copied());
        }
    }
    v.extend(
        s.pls
            .iter()
            .flat_map(|p| p.cidrs.iter().map(|c| IpNet::V4(*c))),
    );
    for t in &s.rts {
        for r in &t.routes {
            if let DestS::Cidr(c) = r.dest {
                v.push(c);
            }
        }
    }
    if let Some(t) = &s.tgw {
        v.extend(
            t.tables
                .iter()
                .flat_map(|x| x.statics.iter().map(|(d, _)| *d)),
        );
    }
    v
}

/// Cut points of the family of `v4` (see the module doc).
fn cut_points(w: &World, dst: IpAddr, v4: bool) -> Vec<u128> {
    let s = w.s;
    let mut pts = Vec::new();
    for n in spec_nets(s)
        .into_iter()
        .filter(|n| n.addr().is_ipv4() == v4)
    {
        pts.push(to_u(n.network()));
        pts.push(to_u(n.broadcast()).saturating_add(1));
    }
    let mut singles: Vec<IpAddr> = s.used_addresses();
    singles.extend(s.enis.iter().filter_map(|e| e.public.map(IpAddr::V4)));
    singles.extend(s.nats.iter().filter_map(|n| n.public_ip.map(IpAddr::V4)));
    singles.push(dst);
    for a in singles.into_iter().filter(|a| a.is_ipv4() == v4) {
        pts.push(to_u(a));
        pts.push(to_u(a).saturating_add(1));
    }
    pts.sort_unstable();
    pts.dedup();
    pts
}

/// One representative address per interval of `net` between cut points.
fn representatives(net: &IpNet, cuts: &[u128]) -> Vec<IpAddr> {
    let v4 = net.addr().is_ipv4();
    let (lo, hi) = (to_u(net.network()), to_u(net.broadcast()));
    let mut v = vec![lo];
    v.extend(cuts.iter().copied().filter(|c| *c > lo && *c <= hi));
    v.into_iter().map(|x| from_u(v4, x)).collect()
}

/// The clients a CIDR source stands for, each with its source addresses (representatives for
/// hosts and outside parts) and its ephemeral range; the question's own destination left out.
pub fn expand(w: &World, q: &OQ, c: &CidrSrc) -> Vec<OQ> {
    let s = w.s;
    let net = c.net;
    let fam = |a: &IpAddr| a.is_ipv4() == net.addr().is_ipv4();
    let cuts = cut_points(w, q.dst, net.addr().is_ipv4());
    let overlaps = |n: &IpNet| n.contains(&net.network()) || net.contains(&n.network());
    let vpcs: Vec<usize> = (0..s.vpcs.len())
        .filter(|v| c.vpc.is_none_or(|x| x == *v))
        .filter(|v| w.vpc_nets(*v).iter().any(overlaps))
        .collect();
    let mut out = Vec::new();
    let mut push = |client: Client, srcs: Vec<IpAddr>| {
        let srcs: Vec<IpAddr> = srcs.into_iter().filter(|a| *a != q.dst).collect();
        if !srcs.is_empty() {
            out.push(OQ {
                client,
                srcs,
                ephemeral: c.ephemeral.unwrap_or_else(|| w.default_ephemeral(client)),
                cidr: None,
                ..q.clone()
            });
        }
    };
    for &v in &vpcs {
        for (e, x) in s.enis.iter().enumerate() {
            if s.subnets[x.subnet].vpc != v {
                continue;
            }
            let mine: Vec<IpAddr> = w
                .eni_addrs(e)
                .into_iter()
                .filter(|a| fam(a) && net.contains(a))
                .collect();
            push(Client::Eni(e), mine);
        }
        for sub in (0..s.subnets.len()).filter(|i| s.subnets[*i].vpc == v) {
            for n in w
                .subnet_nets(sub)
                .iter()
                .filter(|n| fam(&n.addr()) && overlaps(n))
            {
                // The smaller of two overlapping blocks lies inside the other.
                let block = if n.prefix_len() >= net.prefix_len() {
                    *n
                } else {
                    net
                };
                let free: Vec<IpAddr> = representatives(&block, &cuts)
                    .into_iter()
                    .filter(|a| !w.holders.contains_key(&(v, *a)))
                    .collect();
                push(Client::Host(sub), free);
            }
        }
    }
    if c.vpc.is_none() {
        let outside: Vec<IpAddr> = representatives(&net, &cuts)
            .into_iter()
            .filter(|a| !(0..s.vpcs.len()).any(|v| w.vpc_nets(v).iter().any(|n| n.contains(a))))
            .filter(|a| match a {
                IpAddr::V4(x) => !w.public.contains_key(x),
                IpAddr::V6(_) => true,
            })
            .collect();
        push(Client::Outside, outside);
    }
    out
}

/// The answer over every client of a CIDR source: any flow of any client completes (`any`),
/// every flow of every client does (`all`); the blockers of every client when not all complete.
pub fn answer_cidr(w: &World, q: &OQ, c: &CidrSrc) -> OAnswer {
    let mut out = OAnswer {
        all: true,
        ..Default::default()
    };
    let mut blocked = BTreeSet::new();
    let clients = expand(w, q, c);
    for one in &clients {
        let a = answer(w, one);
        out.any |= a.any;
        out.all &= a.all;
        out.flows += a.flows;
        blocked.extend(a.met);
        if out.pass_example.is_none() {
            out.pass_example = a.pass_example;
        }
        if out.fail_example.is_none() {
            out.fail_example = a.fail_example;
        }
    }
    if clients.is_empty() {
        out.all = false;
    }
    if !out.all {
        out.blocked = blocked.clone();
    }
    out.met = blocked;
    out
}

impl World<'_> {
    /// On the return leg of a host client (a CIDR source's unheld subnet address): its subnet,
    /// when the reply's destination is that host in `vpc`.
    pub fn host_subnet(&self, q: &OQ, leg: Leg, vpc: usize, dst: IpAddr) -> Option<usize> {
        match q.client {
            Client::Host(sub)
                if leg == Leg::Return
                    && self.s.subnets[sub].vpc == vpc
                    && q.srcs.contains(&dst)
                    && self.subnet_nets(sub).iter().any(|n| n.contains(&dst)) =>
            {
                Some(sub)
            }
            _ => None,
        }
    }
}
