//! Random route tables for a generated network: main and custom tables per VPC, subnet
//! associations, and routes to internet gateways (IPv4 and `::/0`), egress-only IGWs, NAT
//! gateways (including whole-subnet routes, R6), peerings (v4 and v6 blocks), the transit
//! gateway, customer prefix lists and gateway endpoints, with blackholes.

use super::generate::{effective_rt, id, subnets_of};
use super::*;

/// Route tables: main + 0-2 custom per VPC, then their routes.
pub(super) fn route_tables(r: &mut Rng, s: &mut Spec, seed: u64) {
    let n_vpcs = s.vpcs.len();
    for v in 0..n_vpcs {
        let main = s.rts.len();
        for k in 0..=r.range(0, 2) {
            s.rts.push(RtS {
                id: id("rtb", seed, main + k),
                vpc: v,
                main: k == 0,
                subnets: vec![],
                routes: vec![],
                write_local: r.chance(0.9),
            });
        }
        let n = s.rts.len() - main;
        for sub in subnets_of(s, v) {
            let pick = main + r.below(n);
            if pick != main {
                s.rts[pick].subnets.push(sub);
            }
        }
    }
    // Appliances: a running instance ENI per VPC (sometimes), usually with the source/dest
    // check off, as a route target.
    let mut appliance: Vec<Option<usize>> = vec![None; n_vpcs];
    for (v, slot) in appliance.iter_mut().enumerate() {
        let cands: Vec<usize> = (0..s.enis.len())
            .filter(|e| {
                s.subnets[s.enis[*e].subnet].vpc == v
                    && matches!(s.enis[*e].kind, EniKind::Instance { running: true, .. })
            })
            .collect();
        if !cands.is_empty() && r.chance(0.3) {
            let e = *r.pick(&cands);
            s.enis[e].src_dst_check = !r.chance(0.75);
            *slot = Some(e);
        }
    }
    // NAT subnets' effective tables never route to a NAT gateway (no NAT chains).
    let nat_tables: Vec<usize> = s
        .nats
        .iter()
        .filter_map(|n| effective_rt(s, n.subnet))
        .collect();
    for ti in 0..s.rts.len() {
        let v = s.rts[ti].vpc;
        let mut routes: Vec<RouteS> = Vec::new();
        let own: Vec<IpNet> = std::iter::once(IpNet::V4(s.vpcs[v].cidr))
            .chain(s.vpcs[v].cidr6.map(IpNet::V6))
            .collect();
        let add = |routes: &mut Vec<RouteS>, dest: DestS, target: TargetS, bh: bool| {
            let clash = matches!(&dest, DestS::Cidr(c) if own.contains(c));
            if !clash && !routes.iter().any(|x| x.dest == dest) {
                routes.push(RouteS {
                    dest,
                    target,
                    blackhole: bh,
                });
            }
        };
        let cidr = |c: &str| DestS::Cidr(net(c));
        let igw = s.igws.iter().position(|g| g.vpc == v);
        let eigw = s.eigws.iter().position(|g| g.vpc == v);
        let nats: Vec<usize> = (0..s.nats.len())
            .filter(|n| s.subnets[s.nats[*n].subnet].vpc == v)
            .collect();
        let nat_ok = !nats.is_empty() && !nat_tables.contains(&ti);
        let roll = r.below(10);
        if roll < 6 {
            if let Some(g) = igw {
                add(&mut routes, cidr("0.0.0.0/0"), TargetS::Igw(g), false);
            }
        } else if roll < 8 && nat_ok {
            add(
                &mut routes,
                cidr("0.0.0.0/0"),
                TargetS::Nat(*r.pick(&nats)),
                false,
            );
        }
        if s.vpcs[v].cidr6.is_some() && r.chance(0.7) {
            match (igw, eigw) {
                (Some(g), Some(e)) => {
                    let t = if r.chance(0.5) {
                        TargetS::Igw(g)
                    } else {
                        TargetS::Eigw(e)
                    };
                    add(&mut routes, cidr("::/0"), t, false);
                }
                (Some(g), None) => add(&mut routes, cidr("::/0"), TargetS::Igw(g), false),
                (None, Some(e)) => add(&mut routes, cidr("::/0"), TargetS::Eigw(e), false),
                (None, None) => {}
            }
        }
        // A more specific internet route.
        if r.chance(0.15) {
            let dest = cidr(r.pick::<&str>(&["198.51.100.0/24", "203.0.113.0/28", "54.0.0.0/8"]));
            if let (Some(g), true) = (igw, r.chance(0.5)) {
                add(&mut routes, dest, TargetS::Igw(g), false);
            } else if nat_ok {
                add(&mut routes, dest, TargetS::Nat(*r.pick(&nats)), false);
            }
        }
        // Customer prefix-list routes.
        let customer: Vec<usize> = (0..s.pls.len()).filter(|p| !s.pls[*p].aws).collect();
        if !customer.is_empty() && r.chance(0.3) {
            let p = *r.pick(&customer);
            let t = match (igw, nat_ok, s.tgw.is_some()) {
                (Some(g), _, _) if r.chance(0.5) => Some(TargetS::Igw(g)),
                (_, true, _) if r.chance(0.5) => Some(TargetS::Nat(*r.pick(&nats))),
                (_, _, true) => Some(TargetS::Tgw),
                _ => igw.map(TargetS::Igw),
            };
            if let Some(t) = t {
                add(&mut routes, DestS::Pl(p), t, r.chance(0.1));
            }
        }
        // Gateway endpoint routes.
        for (ei, e) in s.vpces.iter().enumerate() {
            if e.vpc == v && r.chance(0.7) {
                add(&mut routes, DestS::Pl(e.pl), TargetS::Vpce(ei), false);
            }
        }
        // Peering routes.
        for (pi, p) in s.pcxs.iter().enumerate() {
            let other = if p.requester == v {
                p.accepter
            } else if p.accepter == v {
                p.requester
            } else {
                continue;
            };
            if r.chance(0.9) {
                add(
                    &mut routes,
                    DestS::Cidr(IpNet::V4(s.vpcs[other].cidr)),
                    TargetS::Pcx(pi),
                    false,
                );
            }
            if let (Some(c6), true) = (s.vpcs[other].cidr6, r.chance(0.6)) {
                add(
                    &mut routes,
                    DestS::Cidr(IpNet::V6(c6)),
                    TargetS::Pcx(pi),
                    false,
                );
            }
            if r.chance(0.25) {
                let dest = s.subnets[*r.pick(&subnets_of(s, other))].cidr;
                let bh = r.chance(0.3);
                add(
                    &mut routes,
                    DestS::Cidr(IpNet::V4(dest)),
                    TargetS::Pcx(pi),
                    bh,
                );
            }
        }
        // TGW routes.
        if let Some(t) = &s.tgw {
            if t.attachments.iter().any(|a| a.vpc == v) || r.chance(0.1) {
                if r.chance(0.3) {
                    add(&mut routes, cidr("10.0.0.0/8"), TargetS::Tgw, false);
                }
                for o in 0..n_vpcs {
                    if o != v && r.chance(0.8) {
                        add(
                            &mut routes,
                            DestS::Cidr(IpNet::V4(s.vpcs[o].cidr)),
                            TargetS::Tgw,
                            false,
                        );
                    }
                    if let (true, Some(c6)) = (o != v && r.chance(0.5), s.vpcs[o].cidr6) {
                        add(&mut routes, DestS::Cidr(IpNet::V6(c6)), TargetS::Tgw, false);
                    }
                }
            }
        }
        // Routes through the appliance: a whole other subnet (R6), another VPC, or the default.
        if let (Some(e), true) = (appliance[v], r.chance(0.35)) {
            let others: Vec<usize> = subnets_of(s, v)
                .into_iter()
                .filter(|i| *i != s.enis[e].subnet)
                .collect();
            let dest = match r.below(3) {
                0 if !others.is_empty() => DestS::Cidr(IpNet::V4(s.subnets[*r.pick(&others)].cidr)),
                1 if n_vpcs > 1 => DestS::Cidr(IpNet::V4(s.vpcs[(v + 1) % n_vpcs].cidr)),
                _ => cidr("0.0.0.0/0"),
            };
            add(&mut routes, dest, TargetS::Eni(e), false);
        }
        // Whole-subnet route inside the VPC through a NAT gateway (R6).
        if nat_ok && r.chance(0.1) {
            let nat = *r.pick(&nats);
            let subs: Vec<usize> = subnets_of(s, v)
                .into_iter()
                .filter(|i| *i != s.nats[nat].subnet)
                .collect();
            if !subs.is_empty() {
                let dest = s.subnets[*r.pick(&subs)].cidr;
                add(
                    &mut routes,
                    DestS::Cidr(IpNet::V4(dest)),
                    TargetS::Nat(nat),
                    false,
                );
            }
        }
        // A blackhole.
        if r.chance(0.12) {
            let dest = if n_vpcs > 1 && r.chance(0.6) {
                let o = (v + 1 + r.below(n_vpcs - 1)) % n_vpcs;
                DestS::Cidr(IpNet::V4(s.vpcs[o].cidr))
            } else {
                cidr("0.0.0.0/0")
            };
            let target = if let Some(g) = igw {
                Some(TargetS::Igw(g))
            } else if !nats.is_empty() {
                Some(TargetS::Nat(nats[0]))
            } else if let Some(pi) = s
                .pcxs
                .iter()
                .position(|p| p.requester == v || p.accepter == v)
            {
                Some(TargetS::Pcx(pi))
            } else {
                s.tgw.as_ref().map(|_| TargetS::Tgw)
            };
            if let Some(target) = target {
                if let Some(x) = routes.iter_mut().find(|x| x.dest == dest) {
                    x.blackhole = true;
                } else {
                    add(&mut routes, dest, target, true);
                }
            }
        }
        r.shuffle(&mut routes);
        s.rts[ti].routes = routes;
    }
    // Endpoints list the tables that route to them.
    for (ei, e) in s.vpces.iter_mut().enumerate() {
        e.rts = (0..s.rts.len())
            .filter(|t| {
                s.rts[*t]
                    .routes
                    .iter()
                    .any(|x| matches!(x.target, TargetS::Vpce(i) if i == ei))
            })
            .collect();
    }
}
