//! Inside one VPC: a flow leaves a network interface (its state, its egress security groups),
//! is routed by its subnet's route table (R1-R7: same-subnet traffic skips the lookup and the
//! NACLs, longest prefix wins, blackholes stop, the local route only covers the VPC's CIDRs), is
//! delivered locally to the network interfaces holding the destination (NACLs of both subnets),
//! and arrives at a network interface (its state, its ingress security groups). On the reply
//! leg the same steps bring the reply back to the client (security groups not checked).

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::fix::FixPlan;
use super::super::notes::Warning;
use super::super::resolve::Source;
use super::super::route_table;
use super::super::security_group::Identity;
use super::super::summary::summary_addrs;
use super::super::walk::{hop, Branch, End, Step, Stop, Walk};
use super::appliance::appliance_of_instance;
use super::{subnet_addrs, vpc_addrs};
use crate::model::*;
use crate::net::AddrSet;

/// Why a network interface cannot send or receive (stopped instance, detached interface).
fn eni_live(t: &Topology, e: &NetworkInterface) -> Result<(), String> {
    if let Some(i) = e.instance.as_ref().and_then(|r| r.idx) {
        let inst = &t.instances[i.i()];
        if !inst.active {
            return Err(format!("instance {} is {}", inst.id, inst.state));
        }
    }
    if let Some(s) = &e.status {
        if s.eq_ignore_ascii_case("available")
            && e.instance.is_none()
            && !e.requester_managed
            && e.interface_type == "interface"
        {
            return Err(format!(
                "{} is not attached to anything (status available)",
                e.id
            ));
        }
    }
    Ok(())
}

impl Walk<'_> {
    /// An interface that cannot send or receive (detached, stopped instance): the flow goes on
    /// as a ghost, stopped here with `BAD_STATE`.
    fn ghost_unless_live(&mut self, b: &mut Branch, eni: &NetworkInterface) {
        if let Err(why) = eni_live(self.t, eni) {
            let s = Stop::new(
                &eni.id,
                ComponentKind::NetworkInterface,
                Code::BAD_STATE,
                why,
            );
            self.ghost_on(b, s);
        }
    }

    /// The client's network interface sends: state, egress security groups, then routing.
    pub(in crate::engine) fn start_at_eni(&mut self, mut b: Branch, e: EniIdx) {
        let eni = &self.t.network_interfaces[e.i()];
        self.ghost_unless_live(&mut b, eni);
        self.endpoint_cannot_initiate(&mut b, eni);
        b.hops.push(hop(
            &eni.id,
            ComponentKind::NetworkInterface,
            None,
            None,
            format!("source {}", summary_addrs(&b.flow.current_src())),
        ));
        let Some(subnet) = eni.subnet.idx else {
            self.stop(
                &b,
                Stop::new(
                    &eni.id,
                    ComponentKind::NetworkInterface,
                    Code::SNAPSHOT_INCOMPLETE,
                    format!(
                        "subnet {} of {} is not in the snapshot",
                        eni.subnet.id, eni.id
                    ),
                ),
            );
            return;
        };
        // Egress group references: members in the sender's VPC and its same-Region peers.
        b.identity = self.egress_identity(eni.vpc.idx);
        let bs = self.sg(b, e, false);
        for mut x in bs {
            x.identity = Identity {
                vpcs: eni.vpc.idx.into_iter().collect(),
                lost_because: None,
            };
            self.work.push((x, Step::Route(subnet)));
        }
    }

    /// Whose members an egress group reference matches: the sender's VPC and its active
    /// same-Region peers.
    fn egress_identity(&self, vpc: Option<VpcIdx>) -> Identity {
        let mut vpcs: Vec<VpcIdx> = vpc.into_iter().collect();
        if let Some(v) = vpc {
            for p in self
                .t
                .vpc_peering_connections
                .iter()
                .filter(|p| p.active && !p.cross_region())
            {
                if p.requester.vpc.idx == Some(v) {
                    vpcs.extend(p.accepter.vpc.idx);
                } else if p.accepter.vpc.idx == Some(v) {
                    vpcs.extend(p.requester.vpc.idx);
                }
            }
        }
        Identity {
            vpcs,
            lost_because: None,
        }
    }

    /// Route lookup in subnet `s`'s route table (same-subnet destinations need none, R7).
    pub(in crate::engine) fn route(&mut self, b: Branch, s: SubnetIdx) {
        let t = self.t;
        let subnet = &t.subnets[s.i()];
        let Some(vpc) = subnet.vpc.idx else {
            self.stop(
                &b,
                Stop::new(
                    &subnet.id,
                    ComponentKind::Subnet,
                    Code::SNAPSHOT_INCOMPLETE,
                    format!(
                        "VPC {} of {} is not in the snapshot",
                        subnet.vpc.id, subnet.id
                    ),
                ),
            );
            return;
        };
        // R7: same subnet, no route lookup, no NACL.
        let (same, rest) = b.flow.restrict_current_dst(&subnet_addrs(subnet));
        if !same.is_empty() {
            self.work
                .push((b.with_flow(same), Step::Deliver { vpc, from: Some(s) }));
        }
        if rest.is_empty() {
            return;
        }
        if let Some(what) = &subnet.route_table_unreadable {
            // Fail closed: never the main table for one that did not load.
            let detail = format!("routes of {} unknown: {what}", subnet.id);
            self.stop(
                &b.with_flow(rest),
                Stop::new(
                    &subnet.id,
                    ComponentKind::RouteTable,
                    Code::SNAPSHOT_INCOMPLETE,
                    detail,
                ),
            );
            return;
        }
        let Some(rt_idx) = subnet.route_table else {
            self.stop(
                &b.with_flow(rest),
                Stop::new(
                    &subnet.id,
                    ComponentKind::RouteTable,
                    Code::SNAPSHOT_INCOMPLETE,
                    format!(
                        "routes of {} unknown: no route table of it is in the snapshot (R1: every subnet has one)",
                        subnet.id
                    ),
                ),
            );
            return;
        };
        let rt = &t.route_tables[rt_idx.i()];
        if !rt.lost_routes.is_empty() {
            self.warnings.insert(Warning::ComponentPartlyLoaded {
                component: rt.id.clone(),
                lost: super::super::notes::lost_summary(&rt.lost_routes),
            });
        }
        if !rt.doubts.is_empty() {
            self.warnings.insert(Warning::ComponentReadAsStated {
                component: rt.id.clone(),
                doubts: super::super::notes::doubt_summary(&rt.doubts),
            });
        }
        let dst = rest.current_dst();
        for part in route_table::lookup(t, rt, &dst) {
            let (flow, _) = rest.restrict_current_dst(&part.addrs);
            if flow.is_empty() {
                continue;
            }
            let x = b.with_flow(flow);
            let Some(route) = part.route else {
                self.stop(
                    &x,
                    Stop::new(
                        &rt.id,
                        ComponentKind::RouteTable,
                        Code::NO_ROUTE_TO_DESTINATION,
                        format!("no route in {} for {}", rt.id, summary_addrs(&part.addrs)),
                    )
                    .plan(FixPlan::Route {
                        table: rt.id.clone(),
                        vpc,
                    }),
                );
                continue;
            };
            self.route_table_notes(rt, route, &part.shadowed);
            for (x, route, tie) in self.tie_candidates(x, &rt.id, &part) {
                self.take_route(x, s, vpc, rt, route, &part.addrs, tie);
            }
        }
    }

    /// Follow `route` (selected for `addrs` in `rt`, subnet `s`'s table); `tie`: it is one of
    /// the tied prefix-list routes AWS picks from (R4), said in its hop.
    #[allow(clippy::too_many_arguments)]
    fn take_route(
        &mut self,
        mut x: Branch,
        s: SubnetIdx,
        vpc: VpcIdx,
        rt: &RouteTable,
        route: &Route,
        addrs: &AddrSet,
        tie: bool,
    ) {
        let subnet = &self.t.subnets[s.i()];
        let choice = if tie {
            " (one of the tied prefix-list routes AWS picks from, PREFIX_LIST_ROUTE_TIE)"
        } else {
            ""
        };
        let rule = route_table::describe(route);
        if !route.active {
            self.stop(
                &x,
                Stop::new(
                    &rt.id,
                    ComponentKind::RouteTable,
                    Code::BAD_STATE_ROUTE,
                    format!(
                        "the selected route for {} is {}{choice}",
                        summary_addrs(addrs),
                        route.state
                    ),
                )
                .plan(FixPlan::Blackhole {
                    table: rt.id.clone(),
                    vpc,
                    route: rule.clone(),
                })
                .rule(Some(rule)),
            );
            return;
        }
        x.hops.push(hop(
            &rt.id,
            ComponentKind::RouteTable,
            None,
            Some(rule),
            format!(
                "route for {} from {}{choice}",
                summary_addrs(addrs),
                subnet.id
            ),
        ));
        if let RouteTarget::Unknown(id) | RouteTarget::Conflicting(id) = &route.target {
            if id.is_empty() || matches!(route.target, RouteTarget::Conflicting(_)) {
                // Fail closed on a route the snapshot does not tell the target of.
                let why = if id.is_empty() {
                    "has no target in the snapshot".to_string()
                } else {
                    format!("has several targets ({id})")
                };
                self.stop(
                    &x,
                    Stop::new(
                        &rt.id,
                        ComponentKind::RouteTable,
                        Code::SNAPSHOT_INCOMPLETE,
                        format!(
                            "the selected route for {} {why}: where it sends the traffic is unknown",
                            summary_addrs(addrs)
                        ),
                    )
                    .rule(Some(route_table::describe(route))),
                );
                return;
            }
        }
        self.follow_target(x, s, vpc, &route.target);
    }

    /// Warnings about a route table a lookup used: prefix lists without entries, and routes
    /// the selected one shadows.
    fn route_table_notes(&mut self, rt: &RouteTable, route: &Route, shadowed: &[&Route]) {
        let t = self.t;
        for r in &rt.routes {
            if let RouteDestination::PrefixList(p) = &r.destination {
                if p.idx.is_none_or(|i| t.prefix_lists[i.i()].cidrs.is_none()) {
                    self.warnings.insert(Warning::RoutePrefixListUnresolved {
                        route: route_table::describe(r),
                        route_table: rt.id.clone(),
                    });
                }
            }
        }
        if !shadowed.is_empty() {
            self.warnings.insert(Warning::RouteShadowed {
                route_table: rt.id.clone(),
                winner: route_table::describe(route),
                losers: shadowed.iter().map(|r| route_table::describe(r)).collect(),
            });
        }
    }

    /// Hand the branch to the component a route targets.
    fn follow_target(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, target: &RouteTarget) {
        let t = self.t;
        match target {
            RouteTarget::Local => {
                let v = &t.vpcs[vpc.i()];
                let (inside, outside) = b.flow.restrict_current_dst(&vpc_addrs(v));
                let inside = self.split(&b, inside, outside, |_| {
                    Stop::new(
                        &v.id,
                        ComponentKind::RouteTable,
                        Code::VPC_LOCAL_ROUTE_CIDR_RESTRICTION,
                        "local route used for an address outside the VPC's CIDRs".into(),
                    )
                });
                if let Some(x) = inside {
                    self.work.push((x, Step::Deliver { vpc, from: Some(s) }));
                }
            }
            RouteTarget::InternetGateway(r) => self.igw_egress(b, s, vpc, r),
            RouteTarget::EgressOnlyInternetGateway(r) => self.eigw_egress(b, s, r),
            RouteTarget::NatGateway(r) => self.nat(b, s, vpc, r),
            RouteTarget::VpcPeeringConnection(r) => self.peering(b, s, vpc, r),
            RouteTarget::TransitGateway(r) => self.tgw(b, s, vpc, r),
            RouteTarget::VpcEndpoint(r) => self.gateway_endpoint(b, s, r),
            RouteTarget::NetworkInterface(r) => self.appliance(b, Some(s), r.idx, &r.id),
            RouteTarget::Instance(r) => {
                let eni = appliance_of_instance(t, r);
                self.appliance(b, Some(s), eni, &r.id)
            }
            other => self.stop(
                &b,
                Stop::new(
                    other.id(),
                    ComponentKind::Gateway,
                    Code::UNSUPPORTED_COMPONENT,
                    format!(
                        "route target {} leaves the modelled network (VPN/Direct Connect/local gateway/Cloud WAN)",
                        other.id()
                    ),
                ),
            ),
        }
    }

    /// Local delivery in `vpc` to the ENIs holding the current destinations.
    pub(in crate::engine) fn deliver(&mut self, b: Branch, vpc: VpcIdx, from: Option<SubnetIdx>) {
        let t = self.t;
        let dst = b.flow.current_dst();
        let mut held = AddrSet::empty();
        let list = self.idx.by_vpc.get(&vpc).map(Vec::as_slice).unwrap_or(&[]);
        let mut per_eni: Vec<(EniIdx, AddrSet)> = Vec::new();
        for &(a, e) in list {
            if dst.contains(a) {
                let one = AddrSet::from_addr(a);
                held = held.union(&one);
                match per_eni.iter_mut().find(|(x, _)| *x == e) {
                    Some((_, s)) => *s = s.union(&one),
                    None => per_eni.push((e, one)),
                }
            }
        }
        let unheld = dst.difference(&held);
        if !unheld.is_empty() {
            self.deliver_unheld(&b, vpc, from, &unheld);
        }
        for (e, addrs) in per_eni {
            let (flow, _) = b.flow.restrict_current_dst(&addrs);
            if flow.is_empty() {
                continue;
            }
            let x = b.with_flow(flow);
            let eni = &t.network_interfaces[e.i()];
            let Some(d) = eni.subnet.idx else {
                self.stop(
                    &x,
                    Stop::new(
                        &eni.id,
                        ComponentKind::NetworkInterface,
                        Code::SNAPSHOT_INCOMPLETE,
                        format!("subnet of {} is not in the snapshot", eni.id),
                    ),
                );
                continue;
            };
            let bs = self.cross_subnets(x, from, d);
            self.push(bs, Step::Arrive(e));
        }
    }

    /// Destinations no network interface of `vpc` holds: a reply to a host client in that VPC
    /// reaches it; anything else stops (naming the interfaces of overlapping VPCs that hold the
    /// address).
    fn deliver_unheld(
        &mut self,
        b: &Branch,
        vpc: VpcIdx,
        from: Option<SubnetIdx>,
        unheld: &AddrSet,
    ) {
        let t = self.t;
        let (mut x, _) = b.flow.restrict_current_dst(unheld);
        if b.leg == Leg::Return {
            // The host client of that VPC (the same address may be a host in an overlapping one).
            if let Some((subnet, addrs)) = match self.client {
                Source::Host { subnet, addrs, .. }
                    if t.subnets[subnet.i()].vpc.idx == Some(vpc) =>
                {
                    Some((subnet, addrs))
                }
                _ => None,
            } {
                let (mine, other) = x.restrict_current_dst(addrs);
                if !mine.is_empty() {
                    let y = b.with_flow(mine);
                    let bs = match from {
                        Some(_) => self.cross_subnets(y, from, *subnet),
                        None => vec![y],
                    };
                    for z in bs {
                        self.end(z, End::Client);
                    }
                }
                x = other;
            }
        }
        if x.is_empty() {
            return;
        }
        let missing = x.current_dst();
        // The same addresses held elsewhere (overlapping VPCs): name them, for those addresses
        // only; the rest of the block is simply held by nobody (NO_PATH).
        let mut elsewhere = Vec::new();
        let mut held = AddrSet::empty();
        let mut code = Code::NO_PATH;
        for (ov, list) in &self.idx.by_vpc {
            if *ov == vpc {
                continue;
            }
            for (a, e) in list {
                if missing.contains(*a) {
                    held = held.union(&AddrSet::from_addr(*a));
                    elsewhere.push(format!(
                        "{} in {}",
                        t.network_interfaces[e.i()].id,
                        t.vpcs[ov.i()].id
                    ));
                    if self.suppressed_vpcs.contains(ov) {
                        code = Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP;
                    }
                }
            }
        }
        elsewhere.sort();
        elsewhere.dedup();
        let (x_held, x_rest) = x.restrict_current_dst(&held);
        if !x_held.is_empty() {
            let addrs = summary_addrs(&held);
            let detail = format!(
                "no network interface holds {addrs} in {}; the address is held by {} (an overlapping VPC this path does not reach)",
                t.vpcs[vpc.i()].id,
                elsewhere.join(", ")
            );
            self.warnings.insert(Warning::AddressInOtherVpcs {
                addresses: addrs,
                holders: elsewhere.join(", "),
            });
            self.stop(
                &b.with_flow(x_held),
                Stop::new(&t.vpcs[vpc.i()].id, ComponentKind::Vpc, code, detail),
            );
        }
        if !x_rest.is_empty() {
            let detail = format!(
                "no network interface holds {} in {}",
                summary_addrs(&x_rest.current_dst()),
                t.vpcs[vpc.i()].id
            );
            self.stop(
                &b.with_flow(x_rest),
                Stop::new(
                    &t.vpcs[vpc.i()].id,
                    ComponentKind::Vpc,
                    Code::NO_PATH,
                    detail,
                ),
            );
        }
    }

    /// Arrival at network interface `e`: a reply at the client, a reply at the NAT gateway
    /// that translated it, or a request checked by the interface's state and ingress groups.
    pub(in crate::engine) fn arrive(&mut self, mut b: Branch, e: EniIdx) {
        let t = self.t;
        let eni = &t.network_interfaces[e.i()];
        if b.leg == Leg::Return {
            if let Source::Eni {
                eni: client, peers, ..
            } = self.client
            {
                if *client == e || peers.binary_search(&e).is_ok() {
                    b.hops.push(hop(
                        &eni.id,
                        ComponentKind::NetworkInterface,
                        None,
                        None,
                        "reply delivered to the client".into(),
                    ));
                    self.end(b, End::Client);
                    return;
                }
            }
            let Some(b) = self.reply_at_privatelink(b, e) else {
                return;
            };
            let Some(b) = self.reply_at_nat_gateway(b, e) else {
                return;
            };
            self.stop(
                &b,
                Stop::new(
                    &eni.id,
                    ComponentKind::NetworkInterface,
                    Code::NO_PATH,
                    format!("the reply reaches {} instead of the client", eni.id),
                ),
            );
            return;
        }
        if self.nat_gateway_as_destination(&b, eni) {
            return;
        }
        self.ghost_unless_live(&mut b, eni);
        for mut x in self.sg(b, e, true) {
            if self.privatelink_onward(&x, e) {
                continue;
            }
            if self.deliver_at.is_some_and(|d| !d.at.contains(&e)) {
                let d = format!("{} is not one of the interfaces asked about", eni.id);
                let s = Stop::new(&eni.id, ComponentKind::NetworkInterface, Code::NO_PATH, d);
                self.stop(&x, s);
                continue;
            }
            x.hops.push(hop(
                &eni.id,
                ComponentKind::NetworkInterface,
                None,
                None,
                format!("delivered to {}", summary_addrs(&x.flow.current_dst())),
            ));
            self.end(x, End::Eni(e));
        }
    }
}
