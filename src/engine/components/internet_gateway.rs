//! Internet gateways, egress-only internet gateways and the internet beyond them.
//!
//! Outbound (I1): the destination must not be private or shared space, the IPv4 source must be
//! a private address with a public IP, which replaces it (IPv6 passes untranslated); a private
//! NAT gateway cannot use an internet gateway (G4). An egress-only gateway carries IPv6 only.
//! On the internet, packets to a public address of the snapshot come back in; others reach
//! an outside host (or, on the reply leg, the outside client).
//!
//! Inbound (I2, I3, E1): private and shared sources are dropped; a public IPv4 address is
//! translated to its private address, an IPv6 address is kept; an egress-only gateway lets in
//! only replies. The gateway's route table, if any, then routes the traffic (R2), else it is
//! delivered locally. Security-group references never match across an internet gateway.

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::fix::FixPlan;
use super::super::flow::{AddrDim, Flow};
use super::super::index::{addr_set, mapped_within, public_within, v6_within};
use super::super::notes::IdentityLoss;
use super::super::resolve::Source;
use super::super::route_table;
use super::super::security_group::Identity;
use super::super::summary::summary_addrs;
use super::super::walk::{hop, Branch, End, Sender, Step, Stop, Walk};
use super::appliance::appliance_of_instance;
use super::vpc_addrs;
use crate::model::*;
use crate::net::AddrSet;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The part of `a` in RFC 1918 private space.
fn is_rfc1918(a: &AddrSet) -> AddrSet {
    let mut s = AddrSet::empty();
    for n in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] {
        if let Ok(net) = n.parse::<IpNet>() {
            s = s.union(&AddrSet::from_net(&net));
        }
    }
    a.intersect(&s)
}

/// RFC 6598 shared address space (100.64.0.0/10).
fn rfc6598() -> AddrSet {
    "100.64.0.0/10"
        .parse::<IpNet>()
        .map(|n| AddrSet::from_net(&n))
        .unwrap_or_default()
}

/// Identity lost: no group reference matches after an internet gateway.
fn no_identity(why: IdentityLoss) -> Identity {
    Identity {
        vpcs: vec![],
        lost_because: Some(why),
    }
}

impl Walk<'_> {
    /// Out through internet gateway `r` of `vpc`, from subnet `s`.
    pub(in crate::engine) fn igw_egress(
        &mut self,
        b: Branch,
        s: SubnetIdx,
        vpc: VpcIdx,
        r: &Ref<IgwIdx>,
    ) {
        let t = self.t;
        let Some(gi) = r.idx else {
            self.stop(
                &b,
                Stop::new(
                    &r.id,
                    ComponentKind::InternetGateway,
                    Code::BAD_STATE,
                    format!("internet gateway {} is not in the snapshot", r.id),
                ),
            );
            return;
        };
        let g = &t.internet_gateways[gi.i()];
        let gateway = |code: Code, detail: String| {
            Stop::new(&g.id, ComponentKind::InternetGateway, code, detail)
        };
        if self.idx.igw_of_vpc.get(&vpc) != Some(&gi) {
            let detail = format!("{} is not attached to {}", g.id, t.vpcs[vpc.i()].id);
            self.stop(&b, gateway(Code::BAD_STATE, detail));
            return;
        }
        if b.sender == Sender::PrivateNat {
            let detail = "a private NAT gateway cannot send to an internet gateway (G4)".into();
            self.stop(&b, gateway(Code::NO_PATH, detail));
            return;
        }
        let (v6, v4) = b.flow.restrict_current_dst(&AddrSet::all_v6());
        if !v6.is_empty() {
            for mut y in self.nacl(b.with_flow(v6), s, false) {
                y.hops.push(hop(
                    &g.id,
                    ComponentKind::InternetGateway,
                    None,
                    None,
                    "IPv6, no translation".into(),
                ));
                self.work.push((y, Step::Internet));
            }
        }
        if v4.is_empty() {
            return;
        }
        // I1: destination not private or shared space.
        let dst = v4.current_dst();
        let private = is_rfc1918(&dst);
        let shared = dst.intersect(&rfc6598());
        let (bad, ok) = v4.restrict_current_dst(&private.union(&shared));
        let Some(ok) = self.split(&b, ok, bad, |bad| {
            let code = if !private.is_empty() {
                Code::IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS
            } else {
                Code::IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS
            };
            gateway(
                code,
                format!(
                    "destination {} is private or shared address space",
                    summary_addrs(&bad.current_dst())
                ),
            )
        }) else {
            return;
        };
        // Source must be a private IP with a public mapping.
        let src = ok.flow.current_src();
        let pairs: Vec<(Ipv4Addr, Ipv4Addr)> =
            mapped_within(self.idx, &src).into_iter().copied().collect();
        let mapped = addr_set(pairs.iter().map(|p| p.0), std::iter::empty());
        let (with, without) = ok.flow.restrict_current_src(&mapped);
        let Some(with) = self.split(&ok, with, without, |without| {
            gateway(
                Code::IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
                format!(
                    "source {} has no public IP",
                    summary_addrs(&without.current_src())
                ),
            )
            .plan(FixPlan::PublicIp { egress: true })
        }) else {
            return;
        };
        for (private, public) in pairs {
            let (f, _) = with
                .flow
                .restrict_current_src(&AddrSet::from_addr(IpAddr::V4(private)));
            if f.is_empty() {
                continue;
            }
            for mut y in self.nacl(with.with_flow(f), s, false) {
                y.flow.view.src = AddrDim::Const(AddrSet::from_addr(IpAddr::V4(public)));
                y.hops.push(hop(
                    &g.id,
                    ComponentKind::InternetGateway,
                    None,
                    None,
                    format!("source {private} translated to public {public}"),
                ));
                y.identity = no_identity(IdentityLoss::InternetGatewayEgress {
                    gateway: g.id.clone(),
                });
                self.work.push((y, Step::Internet));
            }
        }
    }

    /// Out through egress-only internet gateway `r`, from subnet `s`: IPv6 only.
    pub(in crate::engine) fn eigw_egress(&mut self, b: Branch, s: SubnetIdx, r: &Ref<IgwIdx>) {
        let (v6, v4) = b.flow.restrict_current_dst(&AddrSet::all_v6());
        let Some(x) = self.split(&b, v6, v4, |_| {
            Stop::new(
                &r.id,
                ComponentKind::EgressOnlyInternetGateway,
                Code::NO_ROUTE_TO_DESTINATION,
                "an egress-only internet gateway carries IPv6 only".into(),
            )
        }) else {
            return;
        };
        for mut y in self.nacl(x, s, false) {
            y.hops.push(hop(
                &r.id,
                ComponentKind::EgressOnlyInternetGateway,
                None,
                None,
                "IPv6 egress".into(),
            ));
            self.work.push((y, Step::Internet));
        }
    }

    /// On the internet: to a public IP in the snapshot (re-enter), or to an outside host.
    pub(in crate::engine) fn internet(&mut self, b: Branch) {
        let dst = b.flow.current_dst();
        let ours = addr_set(
            public_within(self.idx, &dst).into_iter().map(|p| p.0),
            v6_within(self.idx, &dst).into_iter().map(|p| p.0),
        );
        let (inside, outside) = b.flow.restrict_current_dst(&ours);
        if !inside.is_empty() {
            self.work.push((b.with_flow(inside), Step::FromOutside));
        }
        if outside.is_empty() {
            return;
        }
        let mut x = b.with_flow(outside);
        x.hops.push(hop(
            "internet",
            ComponentKind::Internet,
            None,
            None,
            format!("to {}", summary_addrs(&x.flow.current_dst())),
        ));
        match x.leg {
            Leg::Forward => self.end(x, End::Outside),
            Leg::Return => {
                if matches!(self.client, Source::Outside { .. }) {
                    self.end(x, End::Client);
                } else {
                    self.stop(
                        &x,
                        Stop::new(
                            "internet",
                            ComponentKind::Internet,
                            Code::NO_PATH,
                            "the reply leaves to the internet instead of reaching the client"
                                .into(),
                        ),
                    );
                }
            }
        }
    }

    /// Packets from outside enter through the internet gateway of the VPC holding their target.
    pub(in crate::engine) fn enter_from_outside(&mut self, b: Branch) {
        let dst = b.flow.current_dst();
        // RFC 1918 / RFC 6598 sources are dropped at any IGW (I2).
        let src = b.flow.current_src();
        let bad_src = is_rfc1918(&src).union(&src.intersect(&rfc6598()));
        let (bad, ok) = b.flow.restrict_current_src(&bad_src);
        let Some(ok) = self.split(&b, ok, bad, |bad| {
            let code = if is_rfc1918(&src).is_empty() {
                Code::IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS
            } else {
                Code::IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS
            };
            Stop::new(
                "internet-gateway",
                ComponentKind::InternetGateway,
                code,
                format!(
                    "source {} is private or shared address space",
                    summary_addrs(&bad.current_src())
                ),
            )
        }) else {
            return;
        };
        let rest = self.enter_public_v4(&b, ok.flow, &dst);
        let rest = self.enter_v6(&b, rest, &dst);
        if rest.is_empty() {
            return;
        }
        self.outside_to_private(&b, &rest);
    }

    /// Public IPv4 addresses mapped to network interfaces: translated to their private address.
    /// Returns the flows to other addresses.
    fn enter_public_v4(&mut self, b: &Branch, mut rest: Flow, dst: &AddrSet) -> Flow {
        let t = self.t;
        let publics: Vec<(Ipv4Addr, EniIdx, Ipv4Addr)> =
            public_within(self.idx, dst).into_iter().copied().collect();
        for (public, e, private) in publics {
            let (f, r) = rest.restrict_current_dst(&AddrSet::from_addr(IpAddr::V4(public)));
            rest = r;
            if f.is_empty() {
                continue;
            }
            let mut x = b.with_flow(f);
            let eni = &t.network_interfaces[e.i()];
            let Some(vpc) = eni.vpc.idx else { continue };
            let Some(&gi) = self.idx.igw_of_vpc.get(&vpc) else {
                self.stop(
                    &x,
                    Stop::new(
                        &t.vpcs[vpc.i()].id,
                        ComponentKind::Vpc,
                        Code::NO_PATH,
                        format!(
                            "{} has no attached internet gateway for public IP {public}",
                            t.vpcs[vpc.i()].id
                        ),
                    ),
                );
                continue;
            };
            let g = &t.internet_gateways[gi.i()];
            x.flow.view.dst = AddrDim::Const(AddrSet::from_addr(IpAddr::V4(private)));
            x.hops.push(hop(
                &g.id,
                ComponentKind::InternetGateway,
                None,
                None,
                format!(
                    "public {public} translated to private {private} ({})",
                    eni.id
                ),
            ));
            x.identity = no_identity(IdentityLoss::InternetGatewayIngress {
                gateway: g.id.clone(),
            });
            self.enter_vpc(x, vpc, &g.id);
        }
        rest
    }

    /// IPv6 addresses of network interfaces: no translation (I3); through an egress-only
    /// gateway only replies (E1). Returns the flows to other addresses.
    fn enter_v6(&mut self, b: &Branch, mut rest: Flow, dst: &AddrSet) -> Flow {
        let t = self.t;
        let v6s: Vec<(Ipv6Addr, EniIdx)> = v6_within(self.idx, dst).into_iter().copied().collect();
        for (a, e) in v6s {
            let (f, r) = rest.restrict_current_dst(&AddrSet::from_addr(IpAddr::V6(a)));
            rest = r;
            if f.is_empty() {
                continue;
            }
            let mut x = b.with_flow(f);
            let eni = &t.network_interfaces[e.i()];
            let Some(vpc) = eni.vpc.idx else { continue };
            let Some(&gi) = self.idx.igw_of_vpc.get(&vpc) else {
                self.enter_egress_only(x, vpc, a, eni);
                continue;
            };
            let g = &t.internet_gateways[gi.i()];
            if eni.deny_all_igw_traffic && x.leg == Leg::Forward {
                self.stop(
                    &x,
                    Stop::new(
                        &eni.id,
                        ComponentKind::NetworkInterface,
                        Code::IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
                        format!("{} has DenyAllIgwTraffic", eni.id),
                    ),
                );
                continue;
            }
            x.hops.push(hop(
                &g.id,
                ComponentKind::InternetGateway,
                None,
                None,
                format!("IPv6 {a} ({})", eni.id),
            ));
            x.identity = no_identity(IdentityLoss::InternetGatewayIngressV6 {
                gateway: g.id.clone(),
            });
            self.enter_vpc(x, vpc, &g.id);
        }
        rest
    }

    /// IPv6 into a VPC without an internet gateway: an egress-only gateway lets replies of
    /// inside-initiated flows back in (E1), nothing else enters.
    fn enter_egress_only(
        &mut self,
        mut x: Branch,
        vpc: VpcIdx,
        a: Ipv6Addr,
        eni: &NetworkInterface,
    ) {
        let t = self.t;
        let v = &t.vpcs[vpc.i()];
        let Some(&ei) = self.idx.eigw_of_vpc.get(&vpc) else {
            self.stop(
                &x,
                Stop::new(
                    &v.id,
                    ComponentKind::Vpc,
                    Code::NO_PATH,
                    format!("{} has no attached internet gateway", v.id),
                ),
            );
            return;
        };
        let g = &t.egress_only_internet_gateways[ei.i()];
        if x.leg == Leg::Return {
            x.hops.push(hop(
                &g.id,
                ComponentKind::EgressOnlyInternetGateway,
                None,
                None,
                format!("reply to IPv6 {a} ({}) of an outbound flow", eni.id),
            ));
            self.enter_vpc(x, vpc, &g.id);
        } else {
            self.stop(
                &x,
                Stop::new(
                    &g.id,
                    ComponentKind::EgressOnlyInternetGateway,
                    Code::NO_PATH,
                    format!(
                        "{} only has egress-only internet gateway {}: no unsolicited inbound IPv6 (E1)",
                        v.id, g.id
                    ),
                ),
            );
        }
    }

    /// Flows from outside to addresses with no public mapping: private addresses of a VPC
    /// cannot be reached from outside, other addresses are not in the snapshot.
    fn outside_to_private(&mut self, b: &Branch, rest: &Flow) {
        let t = self.t;
        let rdst = rest.current_dst();
        let mut covered = AddrSet::empty();
        for (vi, v) in t.vpcs.iter().enumerate() {
            let inside = rdst.intersect(&vpc_addrs(v));
            if inside.is_empty() {
                continue;
            }
            covered = covered.union(&inside);
            let stop = match self.idx.igw_of_vpc.get(&VpcIdx(vi as u32)) {
                Some(gi) => Stop::new(
                    &t.internet_gateways[gi.i()].id,
                    ComponentKind::InternetGateway,
                    Code::IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
                    format!(
                        "{} is a private address of {} with no public IP: an outside host cannot reach it",
                        summary_addrs(&inside),
                        v.id
                    ),
                )
                .plan(FixPlan::PublicIp { egress: false }),
                None => Stop::new(
                    &v.id,
                    ComponentKind::Vpc,
                    Code::NO_PATH,
                    format!(
                        "{} is a private address of {}, which has no internet gateway",
                        summary_addrs(&inside),
                        v.id
                    ),
                ),
            };
            let (part, _) = rest.restrict_current_dst(&inside);
            self.stop(&b.with_flow(part), stop);
        }
        let (_, unknown) = rest.restrict_current_dst(&covered);
        if !unknown.is_empty() {
            self.stop(
                &b.with_flow(unknown.clone()),
                Stop::new(
                    "internet",
                    ComponentKind::Internet,
                    Code::NO_PATH,
                    format!(
                        "{} is not in the snapshot",
                        summary_addrs(&unknown.current_dst())
                    ),
                ),
            );
        }
    }

    /// After a gateway into `vpc`: the gateway route table if any (R2), else local delivery.
    fn enter_vpc(&mut self, b: Branch, vpc: VpcIdx, gateway: &str) {
        let t = self.t;
        let Some(rt) = self
            .idx
            .edge_table
            .get(&(vpc, gateway.to_string()))
            .copied()
        else {
            self.work.push((b, Step::Deliver { vpc, from: None }));
            return;
        };
        let table = &t.route_tables[rt.i()];
        let dst = b.flow.current_dst();
        for part in route_table::lookup(t, table, &dst) {
            let (f, _) = b.flow.restrict_current_dst(&part.addrs);
            let x = b.with_flow(f);
            if part.route.is_none() {
                self.stop(
                    &x,
                    Stop::new(
                        &table.id,
                        ComponentKind::RouteTable,
                        Code::NO_ROUTE_TO_DESTINATION,
                        format!("gateway route table of {gateway} has no route"),
                    ),
                );
                continue;
            }
            // R4 tie: each tied prefix-list route is followed (AWS picks one).
            for (mut x, r, _) in self.tie_candidates(x, &table.id, &part) {
                let rule = route_table::describe(r);
                if !r.active {
                    self.stop(
                        &x,
                        Stop::new(
                            &table.id,
                            ComponentKind::RouteTable,
                            Code::BAD_STATE_ROUTE,
                            format!(
                                "the selected route in the gateway route table is {}",
                                r.state
                            ),
                        )
                        .rule(Some(rule)),
                    );
                    continue;
                }
                let appliance = match &r.target {
                    RouteTarget::Local => None,
                    RouteTarget::NetworkInterface(e) => Some((e.idx, e.id.as_str())),
                    RouteTarget::Instance(i) => Some((appliance_of_instance(t, i), i.id.as_str())),
                    other => {
                        self.stop(
                            &x,
                            Stop::new(
                                &table.id,
                                ComponentKind::RouteTable,
                                Code::UNSUPPORTED_COMPONENT,
                                format!(
                                    "gateway route table sends traffic to {} (a Gateway Load Balancer endpoint or other target vpcreach does not model)",
                                    other.id()
                                ),
                            )
                            .rule(Some(rule)),
                        );
                        continue;
                    }
                };
                x.hops.push(hop(
                    &table.id,
                    ComponentKind::RouteTable,
                    None,
                    Some(rule),
                    format!("gateway route table of {gateway}"),
                ));
                match appliance {
                    None => self.work.push((x, Step::Deliver { vpc, from: None })),
                    Some((eni, id)) => self.appliance(x, None, eni, id),
                }
            }
        }
    }
}
