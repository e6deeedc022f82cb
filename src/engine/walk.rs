//! Path search: follows flow sets from the sources through every component to the targets and
//! the replies back, on a work list of (branch, step) items.
//!
//! A branch is a set of flows with the hops they took so far. Each step applies one component;
//! a filter splits its branch into the part it passes and the part it stops. The stopped part
//! is recorded as a blocker and continues as a *ghost* (followed as if it had passed, so that
//! every later component that would also stop it is reported too); ghosts never count as
//! delivered. Routing failures end a branch.

use super::answer::*;
use super::codes::Code;
use super::flow::{AddrDim, Flow, PortDim};
use super::index::Index;
use super::resolve::{Resolved, Source};
use super::security_group::Identity;
use super::{nacl, route_table, security_group};
use crate::model::*;
use crate::net::{AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

/// A translation applied on the forward leg, reversed on the reply.
#[derive(Clone, Debug)]
enum Trans {
    /// NAT gateway SNAT: the header's source before it.
    Nat {
        eni: Option<EniIdx>,
        prev_src: AddrDim,
        prev_sport: PortDim,
    },
}

/// Who emits the current packets (for internet-gateway source mapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sender {
    Eni(EniIdx),
    Host,
    Outside,
    PrivateNat,
}

#[derive(Clone, Debug)]
struct Branch {
    flow: Flow,
    hops: Vec<Hop>,
    fwd_hops: Vec<Hop>,
    ghost: bool,
    leg: Leg,
    trans: Vec<Trans>,
    sender: Sender,
    /// VPCs whose group members a security-group reference may match at the next ENI.
    identity: Identity,
    depth: u8,
}

#[derive(Clone, Debug)]
enum Step {
    FromEni(EniIdx),
    Route(SubnetIdx),
    Deliver {
        vpc: VpcIdx,
        from: Option<SubnetIdx>,
    },
    Arrive(EniIdx),
    FromOutside,
    Internet,
    FromService {
        subnet: SubnetIdx,
    },
}

enum End {
    Eni(EniIdx),
    Outside,
    Service(SubnetIdx),
    Client,
}

struct Walk<'a> {
    t: &'a Topology,
    idx: &'a Index,
    client: &'a Source,
    work: Vec<(Branch, Step)>,
    ends: Vec<(Branch, End)>,
    blockers: Vec<Blocker>,
    warnings: BTreeSet<String>,
    assumptions: BTreeSet<String>,
    /// VPCs whose CIDRs a TGW route table on this walk did not propagate (T4).
    suppressed_vpcs: BTreeSet<VpcIdx>,
}

const MAX_DEPTH: u8 = 24;

fn hop(
    component: &str,
    kind: &str,
    direction: Option<&str>,
    rule: Option<String>,
    detail: String,
) -> Hop {
    Hop {
        component: component.to_string(),
        kind: kind.to_string(),
        direction: direction.map(str::to_string),
        rule,
        detail,
    }
}

fn is_rfc1918(a: &AddrSet) -> AddrSet {
    let mut s = AddrSet::empty();
    for n in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] {
        if let Ok(net) = n.parse::<IpNet>() {
            s = s.union(&AddrSet::from_net(&net));
        }
    }
    a.intersect(&s)
}

fn rfc6598() -> AddrSet {
    "100.64.0.0/10"
        .parse::<IpNet>()
        .map(|n| AddrSet::from_net(&n))
        .unwrap_or_default()
}

fn subnet_addrs(s: &Subnet) -> AddrSet {
    let mut a = AddrSet::empty();
    if let Some(c) = s.cidr_v4 {
        a = a.union(&AddrSet::from_net(&IpNet::V4(c)));
    }
    for c in &s.cidrs_v6 {
        a = a.union(&AddrSet::from_net(&IpNet::V6(*c)));
    }
    a
}

fn vpc_addrs(v: &Vpc) -> AddrSet {
    let nets: Vec<IpNet> = v.cidrs().collect();
    AddrSet::from_nets(nets.iter())
}

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

impl<'a> Walk<'a> {
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        b: &Branch,
        component: &str,
        kind: &str,
        code: Code,
        direction: Option<&str>,
        rule: Option<String>,
        detail: String,
    ) {
        let bl = Blocker {
            component: component.to_string(),
            kind: kind.to_string(),
            code,
            leg: b.leg,
            direction: direction.map(str::to_string),
            rule,
            detail,
        };
        if !self.blockers.contains(&bl) {
            self.blockers.push(bl);
        }
    }

    /// A blocker with no direction and no rule to cite (gateways, routes, states).
    fn stop(&mut self, b: &Branch, component: &str, kind: &str, code: Code, detail: String) {
        self.block(b, component, kind, code, None, None, detail);
    }

    /// Continue `pass` (with `h` appended) and the ghost of `denied`.
    fn fork(&self, b: &Branch, pass: Flow, denied: Flow, h: Hop) -> Vec<Branch> {
        let mut out = Vec::new();
        if b.ghost {
            let mut g = b.clone();
            g.hops.push(h);
            out.push(g);
            return out;
        }
        if !pass.is_empty() {
            let mut p = b.clone();
            p.flow = pass;
            p.hops.push(h.clone());
            out.push(p);
        }
        if !denied.is_empty() {
            let mut g = b.clone();
            g.flow = denied;
            g.ghost = true;
            g.hops.push(h);
            out.push(g);
        }
        out
    }

    fn nacl(&mut self, b: Branch, subnet: SubnetIdx, inbound: bool) -> Vec<Branch> {
        let s = &self.t.subnets[subnet.i()];
        let dir = if inbound { "inbound" } else { "outbound" };
        let Some(acl_idx) = s.network_acl else {
            let mut b = b;
            self.warnings.insert(format!(
                "subnet {} has no network ACL in the snapshot: no NACL check applied",
                s.id
            ));
            b.hops.push(hop(
                &s.id,
                "network-acl",
                Some(dir),
                None,
                "no NACL in the snapshot (not checked)".into(),
            ));
            return vec![b];
        };
        let acl = &self.t.network_acls[acl_idx.i()];
        let out = nacl::evaluate(acl, inbound, &b.flow);
        if !out.denied.is_empty() {
            self.block(
                &b,
                &acl.id,
                "network-acl",
                Code::SUBNET_ACL_RESTRICTION,
                Some(dir),
                Some(nacl::cite(acl, inbound, &out.denied_by)),
                format!(
                    "{dir} NACL of {} denies {}",
                    s.id,
                    summary(&out.denied.current())
                ),
            );
        }
        let rule = if out.allowed_by.is_empty() {
            None
        } else {
            Some(nacl::cite(acl, inbound, &out.allowed_by))
        };
        let h = hop(
            &acl.id,
            "network-acl",
            Some(dir),
            rule,
            format!("{dir} at {}", s.id),
        );
        self.fork(&b, out.pass, out.denied, h)
    }

    fn sg(&mut self, b: Branch, eni: EniIdx, ingress: bool) -> Vec<Branch> {
        let e = &self.t.network_interfaces[eni.i()];
        let dir = if ingress { "ingress" } else { "egress" };
        let out = security_group::evaluate(self.t, &e.groups, ingress, &b.flow, &b.identity);
        for (code, note) in &out.notes {
            self.warnings.insert(format!("{code}: {note}"));
        }
        let groups: Vec<&str> = e.groups.iter().map(|g| g.id.as_str()).collect();
        let comp = groups.join(",");
        if !out.denied.is_empty() {
            let code = if out.no_rules {
                Code::SG_HAS_NO_RULES
            } else if let Some((c, _)) = out.notes.iter().find(|(c, _)| {
                matches!(
                    c,
                    Code::SG_REFERENCES_NOT_PRESERVED | Code::SG_REFERENCING_SUPPORT
                )
            }) {
                *c
            } else {
                Code::ENI_SG_RULES_MISMATCH
            };
            self.block(
                &b,
                &comp,
                "security-group",
                code,
                Some(dir),
                None,
                format!(
                    "no {dir} rule of {} on {} admits {}",
                    comp,
                    e.id,
                    summary(&out.denied.current())
                ),
            );
        }
        let rule = if out.allowed_by.is_empty() {
            None
        } else {
            Some(out.allowed_by.join("; "))
        };
        let h = hop(
            &comp,
            "security-group",
            Some(dir),
            rule,
            format!("{dir} at {}", e.id),
        );
        self.fork(&b, out.pass, out.denied, h)
    }

    fn push(&mut self, bs: Vec<Branch>, step: Step) {
        for b in bs {
            self.work.push((b, step.clone()));
        }
    }

    fn run(&mut self) {
        while let Some((mut b, step)) = self.work.pop() {
            if b.flow.is_empty() {
                continue;
            }
            b.depth += 1;
            if b.depth > MAX_DEPTH {
                self.stop(
                    &b,
                    "routing",
                    "route-table",
                    Code::NO_PATH,
                    "routing loop: the path exceeds 24 hops".into(),
                );
                continue;
            }
            match step {
                Step::FromEni(e) => self.start_at_eni(b, e),
                Step::Route(s) => self.route(b, s),
                Step::Deliver { vpc, from } => self.deliver(b, vpc, from),
                Step::Arrive(e) => self.arrive(b, e),
                Step::FromOutside => self.enter_from_outside(b),
                Step::Internet => self.internet(b),
                Step::FromService { subnet } => self.reply_from_service(b, subnet),
            }
        }
    }

    fn end(&mut self, b: Branch, end: End) {
        if !b.ghost {
            self.ends.push((b, end));
        }
    }

    fn start_at_eni(&mut self, mut b: Branch, e: EniIdx) {
        let eni = &self.t.network_interfaces[e.i()];
        if let Err(why) = eni_live(self.t, eni) {
            self.stop(&b, &eni.id, "network-interface", Code::BAD_STATE, why);
            b.ghost = true;
        }
        if let EniOwner::VpcEndpoint(v) = &eni.owned_by {
            self.stop(
                &b,
                v,
                "vpc-endpoint",
                Code::VPCE_INTRA_VPC_TRAFFIC,
                format!(
                    "{} belongs to interface endpoint {v}, which cannot initiate traffic",
                    eni.id
                ),
            );
            b.ghost = true;
        }
        b.hops.push(hop(
            &eni.id,
            "network-interface",
            None,
            None,
            format!("source {}", summary_addrs(&b.flow.current_src())),
        ));
        let Some(subnet) = eni.subnet.idx else {
            self.stop(
                &b,
                &eni.id,
                "network-interface",
                Code::SNAPSHOT_INCOMPLETE,
                format!(
                    "subnet {} of {} is not in the snapshot",
                    eni.subnet.id, eni.id
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

    fn route(&mut self, b: Branch, s: SubnetIdx) {
        let t = self.t;
        let subnet = &t.subnets[s.i()];
        let Some(vpc) = subnet.vpc.idx else {
            self.stop(
                &b,
                &subnet.id,
                "subnet",
                Code::SNAPSHOT_INCOMPLETE,
                format!(
                    "VPC {} of {} is not in the snapshot",
                    subnet.vpc.id, subnet.id
                ),
            );
            return;
        };
        // R7: same subnet, no route lookup, no NACL.
        let (same, rest) = b.flow.restrict_current_dst(&subnet_addrs(subnet));
        if !same.is_empty() {
            let mut x = b.clone();
            x.flow = same;
            self.work.push((x, Step::Deliver { vpc, from: Some(s) }));
        }
        if rest.is_empty() {
            return;
        }
        let Some(rt_idx) = subnet.route_table else {
            let mut x = b.clone();
            x.flow = rest;
            self.stop(
                &x,
                &subnet.id,
                "route-table",
                Code::NO_ROUTE_TO_DESTINATION,
                format!("subnet {} has no route table in the snapshot", subnet.id),
            );
            return;
        };
        let rt = &t.route_tables[rt_idx.i()];
        let dst = rest.current_dst();
        for part in route_table::lookup(t, rt, &dst) {
            let (flow, _) = rest.restrict_current_dst(&part.addrs);
            if flow.is_empty() {
                continue;
            }
            let mut x = b.clone();
            x.flow = flow;
            let Some(route) = part.route else {
                self.stop(
                    &x,
                    &rt.id,
                    "route-table",
                    Code::NO_ROUTE_TO_DESTINATION,
                    format!("no route in {} for {}", rt.id, summary_addrs(&part.addrs)),
                );
                continue;
            };
            for r in &rt.routes {
                if let RouteDestination::PrefixList(p) = &r.destination {
                    if p.idx.is_none_or(|i| t.prefix_lists[i.i()].cidrs.is_none()) {
                        self.warnings.insert(format!(
                            "UNRESOLVED_PREFIX_LIST: route {} in {} uses a prefix list without entries in the snapshot; it matches nothing",
                            route_table::describe(r),
                            rt.id
                        ));
                    }
                }
            }
            if !part.shadowed.is_empty() {
                let lost: Vec<String> = part
                    .shadowed
                    .iter()
                    .map(|r| route_table::describe(r))
                    .collect();
                self.warnings.insert(format!(
                    "HIGHER_PRIORITY_ROUTE: in {} route {} wins over {}",
                    rt.id,
                    route_table::describe(route),
                    lost.join(", ")
                ));
            }
            let rule = route_table::describe(route);
            if !route.active {
                self.block(
                    &x,
                    &rt.id,
                    "route-table",
                    Code::BAD_STATE_ROUTE,
                    None,
                    Some(rule),
                    format!(
                        "the selected route for {} is {}",
                        summary_addrs(&part.addrs),
                        route.state
                    ),
                );
                continue;
            }
            x.hops.push(hop(
                &rt.id,
                "route-table",
                None,
                Some(rule),
                format!(
                    "route for {} from {}",
                    summary_addrs(&part.addrs),
                    subnet.id
                ),
            ));
            self.follow_target(x, s, vpc, &route.target);
        }
    }

    fn follow_target(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, target: &RouteTarget) {
        let t = self.t;
        match target {
            RouteTarget::Local => {
                let (inside, outside) = b.flow.restrict_current_dst(&vpc_addrs(&t.vpcs[vpc.i()]));
                if !outside.is_empty() {
                    let mut x = b.clone();
                    x.flow = outside;
                    self.stop(
                        &x,
                        &t.vpcs[vpc.i()].id,
                        "route-table",
                        Code::VPC_LOCAL_ROUTE_CIDR_RESTRICTION,
                        "local route used for an address outside the VPC's CIDRs".into(),
                    );
                }
                if !inside.is_empty() {
                    let mut x = b;
                    x.flow = inside;
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
                let eni = r
                    .idx
                    .and_then(|i| t.instances[i.i()].network_interfaces.first().copied());
                self.appliance(b, Some(s), eni, &r.id)
            }
            other => {
                self.stop(&b, other.id(), "gateway", Code::UNSUPPORTED_COMPONENT, format!("route target {} leaves the modelled network (VPN/Direct Connect/local gateway/Cloud WAN)", other.id()));
            }
        }
    }

    /// Local delivery in `vpc` to the ENIs holding the current destinations.
    fn deliver(&mut self, b: Branch, vpc: VpcIdx, from: Option<SubnetIdx>) {
        let t = self.t;
        let dst = b.flow.current_dst();
        let mut held = AddrSet::empty();
        let idx = self.idx;
        let list = idx.by_vpc.get(&vpc).map(Vec::as_slice).unwrap_or(&[]);
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
            let (mut x, _) = b.flow.restrict_current_dst(&unheld);
            if b.leg == Leg::Return {
                if let Source::Host { subnet, addrs, .. } = self.client {
                    let (mine, other) = x.restrict_current_dst(addrs);
                    if !mine.is_empty() {
                        let mut y = b.clone();
                        y.flow = mine;
                        let bs = match from {
                            Some(f) if f != *subnet => {
                                let mut v = Vec::new();
                                for z in self.nacl(y, f, false) {
                                    v.extend(self.nacl(z, *subnet, true));
                                }
                                v
                            }
                            _ => vec![y],
                        };
                        for z in bs {
                            self.end(z, End::Client);
                        }
                    }
                    x = other;
                }
            }
            if !x.is_empty() {
                let mut y = b.clone();
                y.flow = x;
                let missing = y.flow.current_dst();
                // The same addresses held elsewhere (overlapping VPCs): name them.
                let mut elsewhere = Vec::new();
                let mut code = Code::NO_PATH;
                for (ov, list) in &self.idx.by_vpc {
                    if *ov == vpc {
                        continue;
                    }
                    for (a, e) in list {
                        if missing.contains(*a) {
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
                let mut detail = format!(
                    "no network interface holds {} in {}",
                    summary_addrs(&missing),
                    t.vpcs[vpc.i()].id
                );
                if !elsewhere.is_empty() {
                    detail.push_str(&format!(
                        "; the address is held by {} (an overlapping VPC this path does not reach)",
                        elsewhere.join(", ")
                    ));
                    self.warnings.insert(format!(
                        "{} also exists in other VPCs: {}",
                        summary_addrs(&missing),
                        elsewhere.join(", ")
                    ));
                }
                self.stop(&y, &t.vpcs[vpc.i()].id, "vpc", code, detail);
            }
        }
        for (e, addrs) in per_eni {
            let (flow, _) = b.flow.restrict_current_dst(&addrs);
            if flow.is_empty() {
                continue;
            }
            let mut x = b.clone();
            x.flow = flow;
            let eni = &t.network_interfaces[e.i()];
            let Some(d) = eni.subnet.idx else {
                self.stop(
                    &x,
                    &eni.id,
                    "network-interface",
                    Code::SNAPSHOT_INCOMPLETE,
                    format!("subnet of {} is not in the snapshot", eni.id),
                );
                continue;
            };
            let mut bs = vec![x];
            if let Some(f) = from {
                if f != d {
                    let mut next = Vec::new();
                    for y in bs {
                        next.extend(self.nacl(y, f, false));
                    }
                    bs = Vec::new();
                    for y in next {
                        bs.extend(self.nacl(y, d, true));
                    }
                }
            } else {
                let mut next = Vec::new();
                for y in bs {
                    next.extend(self.nacl(y, d, true));
                }
                bs = next;
            }
            self.push(bs, Step::Arrive(e));
        }
    }

    fn arrive(&mut self, mut b: Branch, e: EniIdx) {
        let t = self.t;
        let eni = &t.network_interfaces[e.i()];
        if b.leg == Leg::Return {
            if let Source::Eni { eni: client, .. } = self.client {
                if *client == e {
                    b.hops.push(hop(
                        &eni.id,
                        "network-interface",
                        None,
                        None,
                        "reply delivered to the client".into(),
                    ));
                    self.end(b, End::Client);
                    return;
                }
            }
            if let EniOwner::NatGateway(n) = &eni.owned_by {
                if let Some(pos) = b
                    .trans
                    .iter()
                    .rposition(|tr| matches!(tr, Trans::Nat { eni: Some(x), .. } if *x == e))
                {
                    let Trans::Nat {
                        prev_src,
                        prev_sport,
                        ..
                    } = b.trans.remove(pos);
                    b.flow.view.dst = prev_src;
                    b.flow.view.dst_port = prev_sport;
                    b.hops.push(hop(
                        n,
                        "nat-gateway",
                        None,
                        None,
                        format!(
                            "reply translated back to {}",
                            summary_addrs(&b.flow.current_dst())
                        ),
                    ));
                    if let Some(s) = eni.subnet.idx {
                        self.work.push((b, Step::Route(s)));
                    }
                    return;
                }
            }
            self.stop(
                &b,
                &eni.id,
                "network-interface",
                Code::NO_PATH,
                format!("the reply reaches {} instead of the client", eni.id),
            );
            return;
        }
        if let EniOwner::NatGateway(n) = &eni.owned_by {
            self.stop(
                &b,
                n,
                "nat-gateway",
                Code::NO_PATH,
                format!(
                    "{n} is never a destination: it accepts no unsolicited inbound traffic (G3)"
                ),
            );
            return;
        }
        if let Err(why) = eni_live(t, eni) {
            self.stop(&b, &eni.id, "network-interface", Code::BAD_STATE, why);
            b.ghost = true;
        }
        for x in self.sg(b, e, true) {
            let mut x = x;
            x.hops.push(hop(
                &eni.id,
                "network-interface",
                None,
                None,
                format!("delivered to {}", summary_addrs(&x.flow.current_dst())),
            ));
            self.end(x, End::Eni(e));
        }
    }

    fn igw_egress(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<IgwIdx>) {
        let t = self.t;
        let Some(gi) = r.idx else {
            self.stop(
                &b,
                &r.id,
                "internet-gateway",
                Code::BAD_STATE,
                format!("internet gateway {} is not in the snapshot", r.id),
            );
            return;
        };
        let g = &t.internet_gateways[gi.i()];
        if self.idx.igw_of_vpc.get(&vpc) != Some(&gi) {
            self.stop(
                &b,
                &g.id,
                "internet-gateway",
                Code::BAD_STATE,
                format!("{} is not attached to {}", g.id, t.vpcs[vpc.i()].id),
            );
            return;
        }
        if b.sender == Sender::PrivateNat {
            self.stop(
                &b,
                &g.id,
                "internet-gateway",
                Code::NO_PATH,
                "a private NAT gateway cannot send to an internet gateway (G4)".into(),
            );
            return;
        }
        let (v6, v4) = b.flow.restrict_current_dst(&AddrSet::all_v6());
        if !v6.is_empty() {
            let mut x = b.clone();
            x.flow = v6;
            for mut y in self.nacl(x, s, false) {
                y.hops.push(hop(
                    &g.id,
                    "internet-gateway",
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
        if !bad.is_empty() {
            let mut x = b.clone();
            x.flow = bad;
            let code = if !private.is_empty() {
                Code::IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS
            } else {
                Code::IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS
            };
            self.stop(
                &x,
                &g.id,
                "internet-gateway",
                code,
                format!(
                    "destination {} is private or shared address space",
                    summary_addrs(&x.flow.current_dst())
                ),
            );
        }
        if ok.is_empty() {
            return;
        }
        // Source must be a private IP with a public mapping.
        let src = ok.current_src();
        let mut mapped = AddrSet::empty();
        let mut pairs: Vec<(Ipv4Addr, Ipv4Addr)> = Vec::new();
        for (public, (_, private)) in &self.idx.public {
            if src.contains(IpAddr::V4(*private)) {
                pairs.push((*private, *public));
                mapped = mapped.union(&AddrSet::from_addr(IpAddr::V4(*private)));
            }
        }
        pairs.sort();
        let (with, without) = ok.restrict_current_src(&mapped);
        if !without.is_empty() {
            let mut x = b.clone();
            x.flow = without;
            self.stop(
                &x,
                &g.id,
                "internet-gateway",
                Code::IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
                format!(
                    "source {} has no public IP",
                    summary_addrs(&x.flow.current_src())
                ),
            );
        }
        for (private, public) in pairs {
            let (f, _) = with.restrict_current_src(&AddrSet::from_addr(IpAddr::V4(private)));
            if f.is_empty() {
                continue;
            }
            let mut x = b.clone();
            x.flow = f;
            for mut y in self.nacl(x, s, false) {
                y.flow.view.src = AddrDim::Const(AddrSet::from_addr(IpAddr::V4(public)));
                y.hops.push(hop(
                    &g.id,
                    "internet-gateway",
                    None,
                    None,
                    format!("source {private} translated to public {public}"),
                ));
                y.identity = Identity { vpcs: vec![], lost_because: Some((Code::SG_REFERENCES_NOT_PRESERVED, format!("traffic crossed internet gateway {}: group references match private addresses only", g.id))) };
                self.work.push((y, Step::Internet));
            }
        }
    }

    fn eigw_egress(&mut self, b: Branch, s: SubnetIdx, r: &Ref<IgwIdx>) {
        let (v6, v4) = b.flow.restrict_current_dst(&AddrSet::all_v6());
        if !v4.is_empty() {
            let mut x = b.clone();
            x.flow = v4;
            self.stop(
                &x,
                &r.id,
                "egress-only-internet-gateway",
                Code::NO_ROUTE_TO_DESTINATION,
                "an egress-only internet gateway carries IPv6 only".into(),
            );
        }
        if v6.is_empty() {
            return;
        }
        let mut x = b;
        x.flow = v6;
        for mut y in self.nacl(x, s, false) {
            y.hops.push(hop(
                &r.id,
                "egress-only-internet-gateway",
                None,
                None,
                "IPv6 egress".into(),
            ));
            self.work.push((y, Step::Internet));
        }
    }

    /// On the internet: to a public IP in the snapshot (re-enter), or to an outside host.
    fn internet(&mut self, b: Branch) {
        let dst = b.flow.current_dst();
        let mut ours = AddrSet::empty();
        for p in self.idx.public.keys() {
            if dst.contains(IpAddr::V4(*p)) {
                ours = ours.union(&AddrSet::from_addr(IpAddr::V4(*p)));
            }
        }
        for a in self.idx.v6.keys() {
            if dst.contains(IpAddr::V6(*a)) {
                ours = ours.union(&AddrSet::from_addr(IpAddr::V6(*a)));
            }
        }
        let (inside, outside) = b.flow.restrict_current_dst(&ours);
        if !inside.is_empty() {
            let mut x = b.clone();
            x.flow = inside;
            self.work.push((x, Step::FromOutside));
        }
        if outside.is_empty() {
            return;
        }
        let mut x = b;
        x.flow = outside;
        x.hops.push(hop(
            "internet",
            "internet",
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
                        "internet",
                        "internet",
                        Code::NO_PATH,
                        "the reply leaves to the internet instead of reaching the client".into(),
                    );
                }
            }
        }
    }

    /// Packets from outside enter through the internet gateway of the VPC holding their target.
    fn enter_from_outside(&mut self, b: Branch) {
        let t = self.t;
        let dst = b.flow.current_dst();
        // RFC 1918 / RFC 6598 sources are dropped at any IGW (I2).
        let src = b.flow.current_src();
        let bad_src = is_rfc1918(&src).union(&src.intersect(&rfc6598()));
        let (bad, b_ok) = b.flow.restrict_current_src(&bad_src);
        if !bad.is_empty() {
            let mut x = b.clone();
            x.flow = bad;
            let code = if is_rfc1918(&src).is_empty() {
                Code::IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS
            } else {
                Code::IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS
            };
            self.stop(
                &x,
                "internet-gateway",
                "internet-gateway",
                code,
                format!(
                    "source {} is private or shared address space",
                    summary_addrs(&x.flow.current_src())
                ),
            );
        }
        let mut rest = b_ok;
        // Public IPv4 mapped to ENIs.
        let mut publics: Vec<(Ipv4Addr, EniIdx, Ipv4Addr)> = self
            .idx
            .public
            .iter()
            .filter(|(p, _)| dst.contains(IpAddr::V4(**p)))
            .map(|(p, (e, q))| (*p, *e, *q))
            .collect();
        publics.sort();
        for (public, e, private) in publics {
            let (f, r) = rest.restrict_current_dst(&AddrSet::from_addr(IpAddr::V4(public)));
            rest = r;
            if f.is_empty() {
                continue;
            }
            let mut x = b.clone();
            x.flow = f;
            let eni = &t.network_interfaces[e.i()];
            let Some(vpc) = eni.vpc.idx else { continue };
            let Some(&gi) = self.idx.igw_of_vpc.get(&vpc) else {
                self.stop(
                    &x,
                    &t.vpcs[vpc.i()].id,
                    "vpc",
                    Code::NO_PATH,
                    format!(
                        "{} has no attached internet gateway for public IP {public}",
                        t.vpcs[vpc.i()].id
                    ),
                );
                continue;
            };
            let g = &t.internet_gateways[gi.i()];
            x.flow.view.dst = AddrDim::Const(AddrSet::from_addr(IpAddr::V4(private)));
            x.hops.push(hop(
                &g.id,
                "internet-gateway",
                None,
                None,
                format!(
                    "public {public} translated to private {private} ({})",
                    eni.id
                ),
            ));
            x.identity = Identity { vpcs: vec![], lost_because: Some((Code::SG_REFERENCES_NOT_PRESERVED, format!("traffic entered through internet gateway {}: group references never match outside sources", g.id))) };
            self.enter_vpc(x, vpc, &g.id);
        }
        // IPv6 addresses of ENIs: no translation (I3).
        let mut v6s: Vec<(std::net::Ipv6Addr, EniIdx)> = self
            .idx
            .v6
            .iter()
            .filter(|(a, _)| dst.contains(IpAddr::V6(**a)))
            .map(|(a, e)| (*a, *e))
            .collect();
        v6s.sort();
        for (a, e) in v6s {
            let (f, r) = rest.restrict_current_dst(&AddrSet::from_addr(IpAddr::V6(a)));
            rest = r;
            if f.is_empty() {
                continue;
            }
            let mut x = b.clone();
            x.flow = f;
            let eni = &t.network_interfaces[e.i()];
            let Some(vpc) = eni.vpc.idx else { continue };
            let Some(&gi) = self.idx.igw_of_vpc.get(&vpc) else {
                // E1: an egress-only IGW lets replies of inside-initiated flows back in.
                if let Some(&ei) = self.idx.eigw_of_vpc.get(&vpc) {
                    let g = &t.egress_only_internet_gateways[ei.i()];
                    if x.leg == Leg::Return {
                        x.hops.push(hop(
                            &g.id,
                            "egress-only-internet-gateway",
                            None,
                            None,
                            format!("reply to IPv6 {a} ({}) of an outbound flow", eni.id),
                        ));
                        self.enter_vpc(x, vpc, &g.id);
                    } else {
                        self.stop(&x, &g.id, "egress-only-internet-gateway", Code::NO_PATH, format!(
                                "{} only has egress-only internet gateway {}: no unsolicited inbound IPv6 (E1)",
                                t.vpcs[vpc.i()].id,
                                g.id
                            ));
                    }
                    continue;
                }
                self.stop(
                    &x,
                    &t.vpcs[vpc.i()].id,
                    "vpc",
                    Code::NO_PATH,
                    format!("{} has no attached internet gateway", t.vpcs[vpc.i()].id),
                );
                continue;
            };
            let g = &t.internet_gateways[gi.i()];
            if eni.deny_all_igw_traffic && x.leg == Leg::Forward {
                self.stop(
                    &x,
                    &eni.id,
                    "network-interface",
                    Code::IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS,
                    format!("{} has DenyAllIgwTraffic", eni.id),
                );
                continue;
            }
            x.hops.push(hop(
                &g.id,
                "internet-gateway",
                None,
                None,
                format!("IPv6 {a} ({})", eni.id),
            ));
            x.identity = Identity {
                vpcs: vec![],
                lost_because: Some((
                    Code::SG_REFERENCES_NOT_PRESERVED,
                    format!("traffic entered through internet gateway {}", g.id),
                )),
            };
            self.enter_vpc(x, vpc, &g.id);
        }
        if rest.is_empty() {
            return;
        }
        // Private addresses inside VPCs: not reachable from outside.
        let rdst = rest.current_dst();
        let mut covered = AddrSet::empty();
        for (vi, v) in t.vpcs.iter().enumerate() {
            let inside = rdst.intersect(&vpc_addrs(v));
            if inside.is_empty() {
                continue;
            }
            covered = covered.union(&inside);
            let (f, _) = rest.restrict_current_dst(&inside);
            let mut x = b.clone();
            x.flow = f;
            match self.idx.igw_of_vpc.get(&VpcIdx(vi as u32)) {
                Some(gi) => {
                    let g = &t.internet_gateways[gi.i()];
                    self.stop(&x, &g.id, "internet-gateway", Code::IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, format!("{} is a private address of {} with no public IP: an outside host cannot reach it", summary_addrs(&inside), v.id));
                }
                None => self.stop(
                    &x,
                    &v.id,
                    "vpc",
                    Code::NO_PATH,
                    format!(
                        "{} is a private address of {}, which has no internet gateway",
                        summary_addrs(&inside),
                        v.id
                    ),
                ),
            }
        }
        let (_, unknown) = rest.restrict_current_dst(&covered);
        if !unknown.is_empty() {
            let mut x = b;
            x.flow = unknown;
            self.stop(
                &x,
                "internet",
                "internet",
                Code::NO_PATH,
                format!(
                    "{} is not in the snapshot",
                    summary_addrs(&x.flow.current_dst())
                ),
            );
        }
    }

    /// After an IGW: the gateway route table if any (R2), else local delivery.
    fn enter_vpc(&mut self, b: Branch, vpc: VpcIdx, gateway: &str) {
        let t = self.t;
        if let Some(rt) = self
            .idx
            .edge_table
            .get(&(vpc, gateway.to_string()))
            .copied()
        {
            let table = &t.route_tables[rt.i()];
            let dst = b.flow.current_dst();
            for part in route_table::lookup(t, table, &dst) {
                let (f, _) = b.flow.restrict_current_dst(&part.addrs);
                let mut x = b.clone();
                x.flow = f;
                match part.route {
                    Some(r) if r.active && r.target == RouteTarget::Local => {
                        x.hops.push(hop(
                            &table.id,
                            "route-table",
                            None,
                            Some(route_table::describe(r)),
                            format!("gateway route table of {gateway}"),
                        ));
                        self.work.push((x, Step::Deliver { vpc, from: None }));
                    }
                    Some(r) if r.active => {
                        x.hops.push(hop(
                            &table.id,
                            "route-table",
                            None,
                            Some(route_table::describe(r)),
                            format!("gateway route table of {gateway}"),
                        ));
                        match &r.target {
                            RouteTarget::NetworkInterface(e) => {
                                self.appliance(x, None, e.idx, &e.id)
                            }
                            RouteTarget::Instance(i) => {
                                let eni = i.idx.and_then(|i| {
                                    t.instances[i.i()].network_interfaces.first().copied()
                                });
                                self.appliance(x, None, eni, &i.id)
                            }
                            other => self.block(
                                &x,
                                &table.id,
                                "route-table",
                                Code::UNSUPPORTED_COMPONENT,
                                None,
                                Some(route_table::describe(r)),
                                format!(
                                    "gateway route table sends traffic to {} (a Gateway Load Balancer endpoint or other target vpcreach does not model)",
                                    other.id()
                                ),
                            ),
                        }
                    }
                    Some(r) => self.block(
                        &x,
                        &table.id,
                        "route-table",
                        Code::BAD_STATE_ROUTE,
                        None,
                        Some(route_table::describe(r)),
                        format!(
                            "the selected route in the gateway route table is {}",
                            r.state
                        ),
                    ),
                    None => self.stop(
                        &x,
                        &table.id,
                        "route-table",
                        Code::NO_ROUTE_TO_DESTINATION,
                        format!("gateway route table of {gateway} has no route"),
                    ),
                }
            }
            return;
        }
        self.work.push((b, Step::Deliver { vpc, from: None }));
    }

    fn nat(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<NatIdx>) {
        let t = self.t;
        if b.leg == Leg::Return {
            // A reply routed into a NAT gateway that did not translate the request would leave
            // with the NAT's address: the client gets no reply to its own packet (asymmetric
            // routing through a NAT, e.g. a public instance whose subnet defaults to a NAT).
            self.stop(&b, &r.id, "nat-gateway", Code::NO_PATH, format!(
                    "the reply is routed through {} which did not see the request: it would reach the client from the NAT's address, not as a reply (asymmetric route)",
                    r.id
                ));
            return;
        }
        let Some(ni) = r.idx else {
            self.stop(
                &b,
                &r.id,
                "nat-gateway",
                Code::BAD_STATE,
                format!("NAT gateway {} is not in the snapshot", r.id),
            );
            return;
        };
        let n = &t.nat_gateways[ni.i()];
        if !n.active {
            self.stop(
                &b,
                &n.id,
                "nat-gateway",
                Code::BAD_STATE,
                format!("{} is {}", n.id, n.state),
            );
            return;
        }
        if n.vpc.as_ref().and_then(|v| v.idx) != Some(vpc) {
            self.stop(
                &b,
                &n.id,
                "nat-gateway",
                Code::NGW_REQUIRES_SOURCE_IN_VPC,
                format!("{} is not in {}", n.id, t.vpcs[vpc.i()].id),
            );
            return;
        }
        let ok = ProtoSet::from_protos([6, 17, 1]);
        let (f, bad) = b.flow.restrict_proto(&ok);
        if !bad.is_empty() {
            let mut x = b.clone();
            x.flow = bad;
            self.stop(
                &x,
                &n.id,
                "nat-gateway",
                Code::PROTOCOL_RESTRICTION,
                "a NAT gateway carries TCP, UDP and ICMP only".into(),
            );
        }
        if f.is_empty() {
            return;
        }
        let Some(addr) = n.addresses.iter().find(|a| a.private_ip.is_some()) else {
            self.stop(
                &b,
                &n.id,
                "nat-gateway",
                Code::SNAPSHOT_INCOMPLETE,
                format!("{} has no private address in the snapshot", n.id),
            );
            return;
        };
        let Some(ns) = n.subnet.as_ref().and_then(|x| x.idx) else {
            self.stop(
                &b,
                &n.id,
                "nat-gateway",
                Code::SNAPSHOT_INCOMPLETE,
                format!("subnet of {} is not in the snapshot", n.id),
            );
            return;
        };
        let private = addr
            .private_ip
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let eni = addr.network_interface.as_ref().and_then(|e| e.idx);
        let mut x = b;
        x.flow = f;
        let mut bs = vec![x];
        if ns != s {
            let mut next = Vec::new();
            for y in bs {
                next.extend(self.nacl(y, s, false));
            }
            bs = Vec::new();
            for y in next {
                bs.extend(self.nacl(y, ns, true));
            }
        }
        for mut y in bs {
            y.trans.push(Trans::Nat {
                eni,
                prev_src: y.flow.view.src.clone(),
                prev_sport: y.flow.view.src_port.clone(),
            });
            y.flow.view.src = AddrDim::Const(AddrSet::from_addr(private));
            y.flow.view.src_port = PortDim::Const(IntervalSet::range(1024, 65535));
            y.sender = if n.connectivity == Connectivity::Private {
                Sender::PrivateNat
            } else {
                eni.map(Sender::Eni).unwrap_or(Sender::Host)
            };
            y.identity = Identity {
                vpcs: vec![],
                lost_because: Some((
                    Code::SG_REFERENCES_NOT_PRESERVED,
                    format!(
                        "traffic crossed NAT gateway {}: the source is its address",
                        n.id
                    ),
                )),
            };
            y.hops.push(hop(
                &n.id,
                "nat-gateway",
                None,
                None,
                format!("source translated to {private}, ports 1024-65535"),
            ));
            self.work.push((y, Step::Route(ns)));
        }
        self.assumptions.insert("A NAT gateway picks any source port from 1024-65535: a flow through it counts as complete only when every port choice works".into());
    }

    fn peering(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<PeeringIdx>) {
        let t = self.t;
        let Some(pi) = r.idx else {
            self.stop(
                &b,
                &r.id,
                "vpc-peering-connection",
                Code::BAD_STATE,
                format!("peering {} is not in the snapshot", r.id),
            );
            return;
        };
        let p = &t.vpc_peering_connections[pi.i()];
        if !p.active {
            self.stop(
                &b,
                &p.id,
                "vpc-peering-connection",
                Code::BAD_STATE,
                format!("{} is {}", p.id, p.status),
            );
            return;
        }
        let (local, peer) = if p.requester.vpc.idx == Some(vpc) {
            (&p.requester, &p.accepter)
        } else if p.accepter.vpc.idx == Some(vpc) {
            (&p.accepter, &p.requester)
        } else {
            self.stop(
                &b,
                &p.id,
                "vpc-peering-connection",
                Code::NO_PATH,
                format!("{} does not connect {}", p.id, t.vpcs[vpc.i()].id),
            );
            return;
        };
        let side = |x: &PeeringSide| -> AddrSet {
            let nets: Vec<IpNet> = x
                .cidrs_v4
                .iter()
                .map(|c| IpNet::V4(*c))
                .chain(x.cidrs_v6.iter().map(|c| IpNet::V6(*c)))
                .collect();
            AddrSet::from_nets(nets.iter())
        };
        let (f, bad1) = b.flow.restrict_current_src(&side(local));
        let (f, bad2) = f.restrict_current_dst(&side(peer));
        let bad = bad1.orig.union(&bad2.orig);
        if !bad.is_empty() {
            let mut x = b.clone();
            x.flow = b.flow.with_orig(bad);
            self.stop(&x, &p.id, "vpc-peering-connection", Code::PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, "source or destination is outside the peered VPCs' CIDRs (no transit through a peering)".into());
        }
        if f.is_empty() {
            return;
        }
        let Some(pv) = peer.vpc.idx else {
            let mut x = b;
            x.flow = f;
            self.stop(
                &x,
                &p.id,
                "vpc-peering-connection",
                Code::SNAPSHOT_INCOMPLETE,
                format!(
                    "peer VPC {} (account {}) is not in the snapshot",
                    peer.vpc.id,
                    peer.owner.as_deref().unwrap_or("?")
                ),
            );
            return;
        };
        let mut x = b;
        x.flow = f;
        x.hops.push(hop(
            &p.id,
            "vpc-peering-connection",
            None,
            None,
            format!("to {}", t.vpcs[pv.i()].id),
        ));
        x.identity = if p.cross_region() {
            Identity {
                vpcs: vec![],
                lost_because: Some((
                    Code::SG_REFERENCES_NOT_PRESERVED,
                    format!(
                        "{} is cross-Region: group references do not match across it",
                        p.id
                    ),
                )),
            }
        } else {
            Identity {
                vpcs: vec![vpc],
                lost_because: None,
            }
        };
        self.work.push((
            x,
            Step::Deliver {
                vpc: pv,
                from: Some(s),
            },
        ));
    }

    fn tgw(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<TgwIdx>) {
        let t = self.t;
        let Some(gi) = r.idx else {
            self.stop(
                &b,
                &r.id,
                "transit-gateway",
                Code::SNAPSHOT_INCOMPLETE,
                format!("transit gateway {} is not in the snapshot", r.id),
            );
            return;
        };
        let g = &t.transit_gateways[gi.i()];
        if !g.active {
            self.stop(
                &b,
                &g.id,
                "transit-gateway",
                Code::BAD_STATE,
                format!("{} is {}", g.id, g.state),
            );
            return;
        }
        let Some(ai) = g.attachments.iter().copied().find(|a| {
            let a = &t.transit_gateway_attachments[a.i()];
            a.active && a.vpc.as_ref().and_then(|v| v.idx) == Some(vpc)
        }) else {
            self.stop(
                &b,
                &g.id,
                "transit-gateway",
                Code::NO_PATH,
                format!(
                    "{} has no available attachment for {}",
                    g.id,
                    t.vpcs[vpc.i()].id
                ),
            );
            return;
        };
        let att = &t.transit_gateway_attachments[ai.i()];
        let az = t.subnets[s.i()].availability_zone.clone();
        let Some(ts) = att
            .subnets
            .iter()
            .filter_map(|x| x.idx)
            .find(|x| t.subnets[x.i()].availability_zone == az)
        else {
            self.stop(
                &b,
                &att.id,
                "transit-gateway-attachment",
                Code::TGW_ROUTE_AZ_RESTRICTION,
                format!(
                    "{} has no subnet in {} (the sender's AZ)",
                    att.id,
                    az.as_deref().unwrap_or("?")
                ),
            );
            return;
        };
        // N9: W→TGW checks W outbound and T inbound; W = T checks both directions of that NACL.
        let mut bs = Vec::new();
        for y in self.nacl(b, s, false) {
            bs.extend(self.nacl(y, ts, true));
        }
        let Some(table) = att.association.as_ref().and_then(|a| a.idx).filter(|_| {
            att.association_state
                .as_deref()
                .is_none_or(|s| s == "associated")
        }) else {
            for y in bs {
                self.stop(
                    &y,
                    &att.id,
                    "transit-gateway-attachment",
                    Code::TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION,
                    format!("{} is associated with no route table", att.id),
                );
            }
            return;
        };
        let routes = self.idx.tgw_routes(t, table);
        let rt = &t.transit_gateway_route_tables[table.i()];
        if rt.additional_routes_available {
            self.warnings.insert(format!(
                "SNAPSHOT_INCOMPLETE: the route listing of {} was cut short",
                rt.id
            ));
        }
        for s in &routes.suppressed {
            self.suppressed_vpcs.insert(s.vpc);
            self.warnings.insert(format!(
                "TGW_PROPAGATION_SUPPRESSED_OVERLAP: {} of {} is not propagated into {} (overlaps {} of an earlier attachment)",
                s.cidr,
                t.vpcs[s.vpc.i()].id,
                rt.id,
                s.winner().map(|w| format!("{} {}", w.cidr, t.vpcs[w.vpc.i()].id)).unwrap_or_default()
            ));
        }
        let lpm = crate::net::LpmTable::new(
            routes
                .installed()
                .iter()
                .map(|r| (r.destination, r))
                .collect(),
        );
        for y in bs {
            let dst = y.flow.current_dst();
            for part in lpm.partition_detailed(&dst) {
                let (f, _) = y.flow.restrict_current_dst(&part.addrs);
                if f.is_empty() {
                    continue;
                }
                let mut x = y.clone();
                x.flow = f;
                let mut cands: Vec<&crate::model::tgw_routes::EffectiveTgwRoute> =
                    part.values.iter().map(|r| **r).collect();
                cands.sort_by_key(|r| r.kind != TgwRouteType::Static);
                let Some(route) = cands.first() else {
                    let suppressed: Vec<String> = routes
                        .suppressed
                        .iter()
                        .filter(|s| part.addrs.overlaps_net(&s.cidr))
                        .map(|s| {
                            format!(
                                "{} of {} was not propagated (overlaps an earlier attachment)",
                                s.cidr,
                                t.vpcs[s.vpc.i()].id
                            )
                        })
                        .collect();
                    if !suppressed.is_empty() {
                        self.stop(
                            &x,
                            &rt.id,
                            "transit-gateway-route-table",
                            Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP,
                            suppressed.join("; "),
                        );
                    }
                    self.stop(
                        &x,
                        &rt.id,
                        "transit-gateway-route-table",
                        Code::NO_ROUTE_TO_DESTINATION,
                        format!("no route in {} for {}", rt.id, summary_addrs(&part.addrs)),
                    );
                    continue;
                };
                let rule = format!(
                    "{} -> {}",
                    route.destination,
                    route.attachment_id.as_deref().unwrap_or("blackhole")
                );
                if route.blackhole {
                    self.block(
                        &x,
                        &rt.id,
                        "transit-gateway-route-table",
                        Code::TGW_RTB_BAD_STATE_ROUTE,
                        None,
                        Some(rule),
                        "the selected TGW route is a blackhole".into(),
                    );
                    continue;
                }
                let Some(dai) = route.attachment else {
                    self.block(
                        &x,
                        &rt.id,
                        "transit-gateway-route-table",
                        Code::SNAPSHOT_INCOMPLETE,
                        None,
                        Some(rule),
                        "the route's attachment is not in the snapshot".into(),
                    );
                    continue;
                };
                let da = &t.transit_gateway_attachments[dai.i()];
                x.hops.push(hop(
                    &g.id,
                    "transit-gateway",
                    None,
                    None,
                    format!(
                        "via {} ({}) in {}",
                        att.id,
                        t.subnets[ts.i()].id,
                        az.as_deref().unwrap_or("?")
                    ),
                ));
                x.hops.push(hop(
                    &rt.id,
                    "transit-gateway-route-table",
                    None,
                    Some(rule),
                    format!("route for {}", summary_addrs(&part.addrs)),
                ));
                let Some(dv) = da
                    .vpc
                    .as_ref()
                    .and_then(|v| v.idx)
                    .filter(|_| da.resource_type == "vpc")
                else {
                    self.stop(
                        &x,
                        &da.id,
                        "transit-gateway-attachment",
                        Code::UNSUPPORTED_COMPONENT,
                        format!(
                            "{} is a {} attachment: the path leaves the modelled network",
                            da.id, da.resource_type
                        ),
                    );
                    continue;
                };
                if !da.active {
                    self.stop(
                        &x,
                        &da.id,
                        "transit-gateway-attachment",
                        Code::BAD_STATE,
                        format!("{} is {}", da.id, da.state),
                    );
                    continue;
                }
                let mut exits: Vec<SubnetIdx> = da.subnets.iter().filter_map(|x| x.idx).collect();
                exits.sort_by(|a, b| {
                    t.subnets[a.i()]
                        .availability_zone
                        .cmp(&t.subnets[b.i()].availability_zone)
                });
                let exit = exits
                    .iter()
                    .copied()
                    .find(|x| t.subnets[x.i()].availability_zone == az)
                    .or(exits.first().copied());
                let Some(exit) = exit else {
                    self.stop(
                        &x,
                        &da.id,
                        "transit-gateway-attachment",
                        Code::SNAPSHOT_INCOMPLETE,
                        format!("{} has no subnets in the snapshot", da.id),
                    );
                    continue;
                };
                x.hops.push(hop(
                    &da.id,
                    "transit-gateway-attachment",
                    None,
                    None,
                    format!("into {} at {}", t.vpcs[dv.i()].id, t.subnets[exit.i()].id),
                ));
                let referencing = g.sg_referencing_support
                    && att.sg_referencing_support == Some(true)
                    && da.sg_referencing_support == Some(true);
                x.identity = if referencing {
                    Identity {
                        vpcs: vec![vpc],
                        lost_because: None,
                    }
                } else {
                    Identity {
                        vpcs: vec![],
                        lost_because: Some((
                            Code::SG_REFERENCING_SUPPORT,
                            format!(
                                "{} or its attachments lack security-group referencing support",
                                g.id
                            ),
                        )),
                    }
                };
                self.work.push((x, Step::Route(exit)));
            }
        }
    }

    fn gateway_endpoint(&mut self, b: Branch, s: SubnetIdx, r: &Ref<EndpointIdx>) {
        let t = self.t;
        let Some(ei) = r.idx else {
            self.stop(
                &b,
                &r.id,
                "vpc-endpoint",
                Code::BAD_STATE,
                format!("endpoint {} is not in the snapshot", r.id),
            );
            return;
        };
        let ep = &t.vpc_endpoints[ei.i()];
        if !ep.active {
            self.stop(
                &b,
                &ep.id,
                "vpc-endpoint",
                Code::BAD_STATE,
                format!("{} is {}", ep.id, ep.state),
            );
            return;
        }
        // V1: TCP, and ICMP echo requests only (replies are echo replies).
        let allowed = PacketSet::from_cubes([
            Cube::any().with_proto(ProtoSet::tcp()),
            Cube::any()
                .with_proto(ProtoSet::icmp())
                .with_icmp(crate::net::icmp_set(Some(8), None)),
        ]);
        let (f, bad) = if b.leg == Leg::Forward {
            b.flow.split(&allowed)
        } else {
            b.flow.restrict_proto(&ProtoSet::from_protos([6, 1]))
        };
        if !bad.is_empty() {
            let mut x = b.clone();
            x.flow = bad;
            self.stop(
                &x,
                &ep.id,
                "vpc-endpoint",
                Code::VPCE_GATEWAY_PROTOCOL_RESTRICTION,
                "a gateway endpoint carries TCP and ICMP echo only".into(),
            );
        }
        if f.is_empty() {
            return;
        }
        let mut x = b;
        x.flow = f;
        for mut y in self.nacl(x, s, false) {
            y.hops.push(hop(
                &ep.id,
                "vpc-endpoint",
                None,
                None,
                format!("gateway endpoint to {}", ep.service_name),
            ));
            match y.leg {
                Leg::Forward => self.end(y, End::Service(s)),
                Leg::Return => self.stop(
                    &y,
                    &ep.id,
                    "vpc-endpoint",
                    Code::NO_PATH,
                    "the reply is routed into a gateway endpoint".into(),
                ),
            }
        }
    }

    fn appliance(&mut self, b: Branch, s: Option<SubnetIdx>, eni: Option<EniIdx>, id: &str) {
        let t = self.t;
        let Some(e) = eni else {
            self.stop(
                &b,
                id,
                "network-interface",
                Code::SNAPSHOT_INCOMPLETE,
                format!("route target {id} is not in the snapshot"),
            );
            return;
        };
        let en = &t.network_interfaces[e.i()];
        if en.source_dest_check {
            self.stop(
                &b,
                &en.id,
                "network-interface",
                Code::ENI_SOURCE_DEST_CHECK_RESTRICTION,
                format!(
                    "{} has source/destination check enabled: it cannot forward",
                    en.id
                ),
            );
            return;
        }
        let Some(d) = en.subnet.idx else { return };
        self.assumptions.insert(format!(
            "appliance {} forwards packets unchanged (its behaviour is not in EC2 data)",
            en.id
        ));
        let mut bs = Vec::new();
        match s {
            Some(s) if s == d => bs.push(b),
            Some(s) => {
                for y in self.nacl(b, s, false) {
                    bs.extend(self.nacl(y, d, true));
                }
            }
            None => bs.extend(self.nacl(b, d, true)),
        }
        for mut y in bs {
            y.hops.push(hop(
                &en.id,
                "network-interface",
                None,
                None,
                "appliance (source/destination check off) forwards".into(),
            ));
            self.work.push((y, Step::Route(d)));
        }
    }

    fn reply_from_service(&mut self, b: Branch, subnet: SubnetIdx) {
        for mut y in self.nacl(b, subnet, true) {
            y.hops.push(hop(
                "service",
                "vpc-endpoint",
                None,
                None,
                "reply from the AWS service".into(),
            ));
            self.end(y, End::Client);
        }
    }
}

fn summary_addrs(a: &AddrSet) -> String {
    let cidrs = a.to_cidrs();
    if cidrs.len() > 6 {
        format!(
            "{} ... ({} blocks)",
            cidrs
                .iter()
                .take(5)
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            cidrs.len()
        )
    } else {
        a.to_string()
    }
}

fn summary(p: &PacketSet) -> String {
    let f = flow_summary(p);
    format!(
        "{} from {} to {} port {}",
        f.protocols,
        f.sources.join(","),
        f.destinations.join(","),
        f.ports
    )
}

/// Summarise a packet set per dimension.
pub fn flow_summary(p: &PacketSet) -> FlowSummary {
    let to_list = |a: AddrSet| -> Vec<String> {
        let c = a.to_cidrs();
        if c.len() > 8 {
            let mut v: Vec<String> = c.iter().take(8).map(|x| x.to_string()).collect();
            v.push(format!("... {} more blocks", c.len() - 8));
            v
        } else {
            c.iter().map(|x| x.to_string()).collect()
        }
    };
    let protos = p.project_proto();
    FlowSummary {
        sources: to_list(p.project_src()),
        destinations: to_list(p.project_dst()),
        protocols: if protos.is_all() {
            "all".into()
        } else {
            protos.to_string()
        },
        ports: if protos.overlaps(&ProtoSet::port_class()) {
            p.project_dst_ports().to_string()
        } else {
            "n/a".into()
        },
    }
}

/// The question's flows for one source.
fn question_flows(r: &Resolved, src: &Source) -> PacketSet {
    let outside = matches!(src, Source::Outside { .. });
    let mut dst = AddrSet::empty();
    for tg in &r.targets {
        let d = if outside && !tg.public.is_empty() {
            &tg.public
        } else {
            &tg.private
        };
        dst = dst.union(d);
    }
    let eph = match src {
        Source::Eni { ephemeral, .. } => *ephemeral,
        _ => r.ephemeral.unwrap_or((1024, 65535)),
    };
    let s = src.addrs();
    let mut cubes = Vec::new();
    for (sa, da) in [(s.v4_only(), dst.v4_only()), (s.v6_only(), dst.v6_only())] {
        if sa.is_empty() || da.is_empty() {
            continue;
        }
        cubes.push(
            Cube::any()
                .with_src(sa)
                .with_dst(da)
                .with_proto(r.protocol.clone())
                .with_src_ports(IntervalSet::range(eph.0, eph.1))
                .with_dst_ports(r.ports.clone()),
        );
    }
    PacketSet::from_cubes(cubes)
}

/// Answer a resolved question.
pub fn answer(t: &Topology, idx: &Index, r: &Resolved) -> Answer {
    let mut all_question = PacketSet::empty();
    let mut completed = PacketSet::empty();
    let mut paths: Vec<Path> = Vec::new();
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut warnings: BTreeSet<String> = r.warnings.iter().cloned().collect();
    let mut assumptions: BTreeSet<String> = BTreeSet::new();
    for src in &r.sources {
        let q = question_flows(r, src);
        if q.is_empty() {
            warnings.insert(format!(
                "{}: no target address of the same family (IPv4/IPv6)",
                src.label()
            ));
            continue;
        }
        all_question = all_question.union(&q);
        let eph = match src {
            Source::Eni { ephemeral, .. } => *ephemeral,
            _ => r.ephemeral.unwrap_or((1024, 65535)),
        };
        assumptions.insert(format!(
            "client ephemeral ports {}-{} for {}{}",
            eph.0,
            eph.1,
            src.label(),
            if r.ephemeral.is_some() {
                " (given)"
            } else {
                " (default for this kind of client)"
            }
        ));
        let mut w = Walk {
            t,
            idx,
            client: src,
            work: Vec::new(),
            ends: Vec::new(),
            blockers: Vec::new(),
            warnings: BTreeSet::new(),
            assumptions: BTreeSet::new(),
            suppressed_vpcs: BTreeSet::new(),
        };
        let start = Branch {
            flow: Flow::new(q),
            hops: Vec::new(),
            fwd_hops: Vec::new(),
            ghost: false,
            leg: Leg::Forward,
            trans: Vec::new(),
            sender: Sender::Outside,
            identity: Identity {
                vpcs: vec![],
                lost_because: None,
            },
            depth: 0,
        };
        match src {
            Source::Eni { eni, .. } => {
                let mut b = start;
                b.sender = Sender::Eni(*eni);
                w.work.push((b, Step::FromEni(*eni)));
            }
            Source::Host { subnet, .. } => {
                let mut b = start;
                b.sender = Sender::Host;
                let sub = &t.subnets[subnet.i()];
                b.identity = Identity {
                    vpcs: vec![],
                    lost_because: None,
                };
                b.hops.push(hop(
                    &sub.id,
                    "host",
                    None,
                    None,
                    format!("host {} (no security group)", summary_addrs(src.addrs())),
                ));
                w.work.push((b, Step::Route(*subnet)));
            }
            Source::Outside { .. } => {
                let mut b = start;
                b.hops.push(hop(
                    "internet",
                    "internet",
                    None,
                    None,
                    format!("outside host(s) {}", summary_addrs(src.addrs())),
                ));
                w.work.push((b, Step::FromOutside));
            }
        }
        w.run();
        // Return legs.
        let forward_ends = std::mem::take(&mut w.ends);
        for (b, end) in forward_ends {
            let mut rb = b.clone();
            rb.fwd_hops = std::mem::take(&mut rb.hops);
            rb.leg = Leg::Return;
            rb.flow.view = b.flow.view.reply();
            rb.depth = 0;
            rb.identity = Identity {
                vpcs: vec![],
                lost_because: None,
            };
            match end {
                End::Eni(e) => {
                    let eni = &t.network_interfaces[e.i()];
                    rb.sender = Sender::Eni(e);
                    rb.hops.push(hop(
                        &eni.id,
                        "network-interface",
                        None,
                        None,
                        "reply (security groups are stateful: not checked)".into(),
                    ));
                    if let Some(s) = eni.subnet.idx {
                        w.work.push((rb, Step::Route(s)));
                    }
                }
                End::Outside => {
                    rb.sender = Sender::Outside;
                    rb.hops.push(hop(
                        "internet",
                        "internet",
                        None,
                        None,
                        "reply from the outside host".into(),
                    ));
                    w.work.push((rb, Step::FromOutside));
                }
                End::Service(s) => w.work.push((rb, Step::FromService { subnet: s })),
                End::Client => {}
            }
        }
        w.run();
        for (b, end) in std::mem::take(&mut w.ends) {
            if !matches!(end, End::Client) {
                continue;
            }
            completed = completed.union(&b.flow.orig);
            let flows = flow_summary(&b.flow.orig);
            match paths
                .iter_mut()
                .find(|p| p.forward == b.fwd_hops && p.return_ == b.hops)
            {
                Some(_) => {}
                None => paths.push(Path {
                    flows,
                    forward: b.fwd_hops,
                    return_: b.hops,
                }),
            }
        }
        for bl in w.blockers {
            if !blockers.contains(&bl) {
                blockers.push(bl);
            }
        }
        warnings.extend(w.warnings);
        assumptions.extend(w.assumptions);
    }
    for m in &t.missing_data {
        warnings.insert(format!(
            "SNAPSHOT_INCOMPLETE: {} failed for {}/{} ({}); verdicts depending on {} may be wrong",
            m.operation, m.account, m.region, m.error, m.key
        ));
    }
    assumptions.insert("security groups are stateful: replies are not checked against them; NACLs are stateless and checked both ways".into());
    let failing = all_question.difference(&completed);
    let reachable = !completed.is_empty();
    let verdict = if !reachable {
        Verdict::Unreachable
    } else if failing.is_empty() {
        Verdict::Reachable
    } else {
        Verdict::Partial
    };
    Answer {
        format_version: ANSWER_FORMAT,
        question: super::answer::QuestionSummary {
            from: r.question.from.clone(),
            to: r.question.to.clone(),
            protocol: r.protocol_label.clone(),
            ports: r.ports_label.clone(),
            sources: r.sources.iter().map(|s| s.label().to_string()).collect(),
            targets: r.targets.iter().map(|t| t.label.clone()).collect(),
        },
        reachable,
        verdict,
        passing: if reachable {
            Some(flow_summary(&completed))
        } else {
            None
        },
        failing: if failing.is_empty() {
            None
        } else {
            Some(flow_summary(&failing))
        },
        paths,
        blocked: if verdict == Verdict::Reachable {
            Vec::new()
        } else {
            blockers
        },
        assumptions: assumptions.into_iter().collect(),
        warnings: warnings.into_iter().collect(),
    }
}
