//! PrivateLink past the consumer's endpoint (L1–L6 in docs/semantics.md). A request that an
//! interface endpoint's network interface admits goes on, when the snapshot has the endpoint's
//! service, to the service's Network Load Balancer: the listener for its protocol and port
//! forwards it to the registered targets on the target port, with the load balancer's private
//! address as source; the load balancer's own security groups, when it has any, filter what
//! reaches its listeners (the client's address as source) and what it sends (L3a). A request that a resource endpoint admits goes, within its resource
//! configuration's protocol and port ranges, to the resource gateway, which sends it from its
//! own interface (its security groups' egress applies) to the resource. Both then follow the
//! provider VPC's ordinary routing, network ACLs and security groups; the reply comes back to
//! the load balancer or gateway interface, which hands it to the endpoint and the client.

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::flow::{AddrDim, PortDim, View};
use super::super::notes::{Assumption, IdentityLoss, Warning};
use super::super::security_group::Identity;
use super::super::summary::summary_addrs;
use super::super::walk::Walk;
use super::super::walk::{hop, Branch, Sender, Step, Stop, Trans};
use super::load_balancer_zones;
use crate::model::*;
use crate::net::{AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};
use std::net::IpAddr;

/// The protocols a listener accepts.
fn listener_protos(protocol: &str) -> ProtoSet {
    match protocol.to_ascii_uppercase().as_str() {
        "UDP" => ProtoSet::udp(),
        "TCP_UDP" => ProtoSet::from_protos([6, 17]),
        "GENEVE" => ProtoSet::none(),
        // TCP, TLS (and HTTP, HTTPS, QUIC-less ALB listeners): TCP.
        _ => ProtoSet::tcp(),
    }
}

impl Walk<'_> {
    /// A request admitted by endpoint interface `e`: true when PrivateLink takes it on (the
    /// snapshot has the endpoint's service or resource configuration).
    pub(in crate::engine) fn privatelink_onward(&mut self, b: &Branch, e: EniIdx) -> bool {
        let t = self.t;
        if b.leg != Leg::Forward || self.deliver_at.is_some_and(|d| !d.endpoints.contains(&e)) {
            return false;
        }
        let EniOwner::VpcEndpoint(id) = &t.network_interfaces[e.i()].owned_by else {
            return false;
        };
        let Some(ep) = t.vpc_endpoints.iter().find(|x| &x.id == id) else {
            return false;
        };
        if let Some(svc) = ep.endpoint_service {
            self.endpoint_service_leg(b.clone(), e, ep, svc);
            return true;
        }
        if let Some(c) = ep.resource_configuration.as_ref().and_then(|r| r.idx) {
            self.resource_leg(b.clone(), e, ep, c);
            return true;
        }
        false
    }

    /// Translate `b` for the provider side: source `via`'s address, destination `dst` on
    /// `port` (or the same port), remembered for the reply.
    fn translate(
        &self,
        b: &mut Branch,
        (endpoint_eni, via): (EniIdx, EniIdx),
        src: IpAddr,
        dst: IpAddr,
        port: Option<u16>,
    ) {
        b.trans.push(Trans::PrivateLink {
            endpoint_eni,
            via,
            prev: b.flow.view.clone(),
        });
        let v = &mut b.flow.view;
        v.src = AddrDim::Const(AddrSet::from_addr(src));
        v.src_port = PortDim::Const(IntervalSet::range(1024, 65535));
        v.dst = AddrDim::Const(AddrSet::from_addr(dst));
        if let Some(p) = port {
            v.dst_port = PortDim::Const(IntervalSet::range(p, p));
        }
        let vpc = self.t.network_interfaces[via.i()].vpc.idx;
        b.sender = Sender::Eni(via);
        b.identity = Identity {
            vpcs: vpc.into_iter().collect(),
            lost_because: None,
        };
    }

    fn endpoint_service_leg(
        &mut self,
        mut b: Branch,
        e: EniIdx,
        ep: &VpcEndpoint,
        svc: EndpointServiceIdx,
    ) {
        let t = self.t;
        let s = &t.endpoint_services[svc.i()];
        b.hops.push(hop(
            &ep.id,
            ComponentKind::VpcEndpoint,
            None,
            None,
            format!("interface endpoint to {} ({})", s.id, s.name),
        ));
        if !s.active {
            let d = format!("endpoint service {} is {}", s.id, s.state);
            self.stop(
                &b,
                Stop::new(&s.id, ComponentKind::VpcEndpoint, Code::BAD_STATE, d),
            );
            return;
        }
        let lbs: Vec<LoadBalancerIdx> = s.load_balancers.iter().filter_map(|r| r.idx).collect();
        if lbs.is_empty() && !s.gateway_load_balancers.is_empty() {
            // L8: a Gateway Load Balancer endpoint service (GENEVE to appliances).
            let d = format!(
                "endpoint service {} is backed by Gateway Load Balancer {}: traffic through Gateway Load Balancers is not modelled, so where it goes is unknown",
                s.id,
                s.gateway_load_balancers.join(", ")
            );
            self.stop(
                &b,
                Stop::new(&s.id, ComponentKind::VpcEndpoint, Code::LB_NOT_MODELLED, d),
            );
            return;
        }
        if lbs.is_empty() {
            let d = format!(
                "the load balancer of endpoint service {} is not in the snapshot",
                s.id
            );
            self.stop(
                &b,
                Stop::new(
                    &s.id,
                    ComponentKind::VpcEndpoint,
                    Code::SNAPSHOT_INCOMPLETE,
                    d,
                ),
            );
            return;
        }
        for l in lbs {
            self.through_load_balancer(b.clone(), e, l);
        }
    }

    fn through_load_balancer(&mut self, b: Branch, e: EniIdx, l: LoadBalancerIdx) {
        let t = self.t;
        let lb = &t.load_balancers[l.i()];
        let stop = |code: Code, detail: String| {
            Stop::new(&lb.name, ComponentKind::LoadBalancer, code, detail)
        };
        if !lb.active {
            self.stop(
                &b,
                stop(Code::BAD_STATE, format!("{} is {}", lb.name, lb.state)),
            );
            return;
        }
        // L8: only Network Load Balancers are modelled behind an endpoint service.
        if !lb.is_network() {
            let d = format!(
                "{} is a load balancer of type {}: only Network Load Balancers are modelled behind an endpoint service, so where the traffic goes is unknown",
                lb.name,
                if lb.lb_type.is_empty() { "unknown" } else { &lb.lb_type }
            );
            self.stop(&b, stop(Code::LB_NOT_MODELLED, d));
            return;
        }
        // L3b: the node in the endpoint interface's zone takes the flow.
        let Some(nlb_eni) = load_balancer_zones::entry_node(t, lb, e) else {
            let d = format!("no network interface of {} is in the snapshot", lb.name);
            self.stop(&b, stop(Code::SNAPSHOT_INCOMPLETE, d));
            return;
        };
        let nlb = &t.network_interfaces[nlb_eni.i()];
        let (Some(nlb_ip), Some(nlb_subnet)) = (nlb.private_addresses().next(), nlb.subnet.idx)
        else {
            let d = format!("{} has no address or subnet in the snapshot", nlb.id);
            self.stop(&b, stop(Code::SNAPSHOT_INCOMPLETE, d));
            return;
        };
        // L3a: the load balancer's own security groups filter what reaches its listeners.
        // For PrivateLink traffic only while `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`
        // is on (the default); the source they see is the client's private address, and no
        // group reference matches the client across PrivateLink.
        for b in self.load_balancer_ingress(b, e, lb, nlb_eni) {
            self.through_listeners(b, e, l, (nlb_eni, nlb_ip, nlb_subnet));
        }
    }

    /// The load balancer's security groups, inbound, for traffic from endpoint interface `e`.
    fn load_balancer_ingress(
        &mut self,
        mut b: Branch,
        e: EniIdx,
        lb: &LoadBalancer,
        nlb_eni: EniIdx,
    ) -> Vec<Branch> {
        if lb.security_groups.is_empty() {
            return vec![b];
        }
        if lb.enforce_sg_on_privatelink == Some(false) {
            b.hops.push(hop(
                &lb.name,
                ComponentKind::LoadBalancer,
                None,
                None,
                format!(
                    "{} does not apply its security groups' inbound rules to PrivateLink traffic (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off)",
                    lb.name
                ),
            ));
            return vec![b];
        }
        let endpoint = self.t.network_interfaces[e.i()].id.clone();
        b.identity = Identity {
            vpcs: Vec::new(),
            lost_because: Some(IdentityLoss::PrivateLink { endpoint }),
        };
        self.sg_groups(b, nlb_eni, &lb.security_groups, true)
    }

    /// The listeners of load balancer `l`: each takes the flows of its protocol and port.
    fn through_listeners(
        &mut self,
        b: Branch,
        e: EniIdx,
        l: LoadBalancerIdx,
        (nlb_eni, nlb_ip, nlb_subnet): (EniIdx, IpAddr, SubnetIdx),
    ) {
        let t = self.t;
        let lb = &t.load_balancers[l.i()];
        let nlb = &t.network_interfaces[nlb_eni.i()];
        let stop = |code: Code, detail: String| {
            Stop::new(&lb.name, ComponentKind::LoadBalancer, code, detail)
        };
        // Listeners: each takes the flows of its protocol and port.
        let mut rest = b.flow.clone();
        for li in &lb.listeners {
            let listener = &t.listeners[li.i()];
            let Some(port) = listener.port else { continue };
            let set = PacketSet::from_cube(
                Cube::any()
                    .with_proto(listener_protos(&listener.protocol))
                    .with_dst_ports(IntervalSet::range(port, port)),
            );
            let (mine, other) = rest.split(&set);
            rest = other;
            if mine.is_empty() {
                continue;
            }
            let mut x = b.with_flow(mine);
            x.hops.push(hop(
                &lb.name,
                ComponentKind::LoadBalancer,
                None,
                Some(format!("listener {} {port}", listener.protocol)),
                format!("{} ({})", lb.name, nlb.id),
            ));
            let groups: Vec<&TargetGroup> = listener
                .target_groups
                .iter()
                .filter_map(|r| r.idx)
                .map(|g| &t.target_groups[g.i()])
                .collect();
            if groups.is_empty() {
                let d = format!(
                    "listener {} {port} of {} forwards to no target group in the snapshot",
                    listener.protocol, lb.name
                );
                self.stop(&x, stop(Code::ELBV2_LISTENER_HAS_NO_TG, d));
                continue;
            }
            for g in groups {
                self.target_legs(&x, (e, nlb_eni), (lb, nlb_ip, nlb_subnet), g);
            }
        }
        if !rest.is_empty() {
            let ports: Vec<String> = lb
                .listeners
                .iter()
                .map(|li| &t.listeners[li.i()])
                .map(|l| {
                    format!(
                        "{} {}",
                        l.protocol,
                        l.port.map(|p| p.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            let d = format!(
                "no listener of {} accepts this traffic (listeners: {})",
                lb.name,
                if ports.is_empty() {
                    "none".to_string()
                } else {
                    ports.join(", ")
                }
            );
            self.stop(&b.with_flow(rest), stop(Code::LB_NO_LISTENER, d));
        }
    }

    /// The registered targets of `g`: healthy ones receive the traffic (all of them when none
    /// is healthy: a Network Load Balancer then fails open).
    fn target_legs(
        &mut self,
        x: &Branch,
        (e, nlb_eni): (EniIdx, EniIdx),
        (lb, nlb_ip, nlb_subnet): (&LoadBalancer, IpAddr, SubnetIdx),
        g: &TargetGroup,
    ) {
        if g.targets.is_empty() {
            let d = format!(
                "target group {} has no registered target in the snapshot",
                g.name
            );
            self.stop(
                x,
                Stop::new(&g.name, ComponentKind::LoadBalancer, Code::NO_PATH, d),
            );
            return;
        }
        // L8: a target group of Application Load Balancers (or Lambda functions) hands the
        // traffic to something vpcreach does not follow.
        let kind = g.target_type.to_ascii_lowercase();
        if kind == "alb" || kind == "lambda" {
            let ids: Vec<&str> = g.targets.iter().map(|x| x.id.as_str()).collect();
            let what = if kind == "alb" {
                "Application Load Balancer targets (the ALB's listener on the target port, its rules and its targets are not followed)"
            } else {
                "Lambda function targets"
            };
            let d = format!(
                "target group {} has {what}: {}; where the traffic goes is unknown",
                g.name,
                ids.join(", ")
            );
            self.stop(
                x,
                Stop::new(
                    &g.name,
                    ComponentKind::LoadBalancer,
                    Code::LB_NOT_MODELLED,
                    d,
                ),
            );
            return;
        }
        // L3b: the targets this node sends to (enabled zones, cross-zone load balancing).
        let t = self.t;
        let node_zone = load_balancer_zones::eni_zone(t, nlb_eni);
        let mut targets = Vec::new();
        let mut left_out: Vec<(Code, String)> = Vec::new();
        for target in &g.targets {
            match load_balancer_zones::excluded(t, lb, g, node_zone, target) {
                Some(why) => left_out.push(why),
                None => targets.push(target),
            }
        }
        if targets.is_empty() {
            // One stop per distinct code, in the order first met (`dedup` alone would keep a
            // code twice when the targets' reasons alternate).
            let mut codes: Vec<Code> = Vec::new();
            for (c, _) in &left_out {
                if !codes.contains(c) {
                    codes.push(*c);
                }
            }
            for code in codes {
                let d: Vec<&str> = left_out
                    .iter()
                    .filter(|(c, _)| *c == code)
                    .map(|(_, d)| d.as_str())
                    .collect();
                self.stop(
                    x,
                    Stop::new(&lb.name, ComponentKind::LoadBalancer, code, d.join("; ")),
                );
            }
            return;
        }
        for (code, detail) in left_out {
            self.warnings.insert(Warning::PrivateLink { code, detail });
        }
        let any_healthy = targets.iter().any(|t| t.healthy());
        for target in targets {
            if !target.healthy() {
                let state = target.health.clone().unwrap_or_default();
                let reason = target
                    .reason
                    .clone()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                let what = if any_healthy {
                    "the load balancer sends it no traffic"
                } else {
                    "no target is healthy, so the load balancer fails open and still sends it traffic"
                };
                self.warnings.insert(Warning::PrivateLink {
                    code: Code::LB_TARGET_UNHEALTHY,
                    detail: format!(
                        "target {} of target group {} is {state}{reason}: {what}",
                        target.id, g.name
                    ),
                });
                if any_healthy {
                    continue;
                }
            }
            let Some(addr) = target.address else {
                let d = format!("the address of target {} is not in the snapshot", target.id);
                self.stop(
                    x,
                    Stop::new(
                        &g.name,
                        ComponentKind::LoadBalancer,
                        Code::SNAPSHOT_INCOMPLETE,
                        d,
                    ),
                );
                continue;
            };
            let mut y = x.clone();
            self.translate(&mut y, (e, nlb_eni), nlb_ip, addr, target.port.or(g.port));
            y.hops.push(hop(
                &g.name,
                ComponentKind::LoadBalancer,
                None,
                None,
                format!(
                    "target {} {addr} port {}, source {nlb_ip} (the load balancer's private address)",
                    target.id,
                    target.port.or(g.port).map(|p| p.to_string()).unwrap_or_default()
                ),
            ));
            // L3a: the load balancer's security groups' egress applies to what it sends.
            if lb.security_groups.is_empty() {
                self.work.push((y, Step::Route(nlb_subnet)));
            } else {
                for z in self.sg_groups(y, nlb_eni, &lb.security_groups, false) {
                    self.work.push((z, Step::Route(nlb_subnet)));
                }
            }
        }
    }

    fn resource_leg(
        &mut self,
        mut b: Branch,
        e: EniIdx,
        ep: &VpcEndpoint,
        c: ResourceConfigurationIdx,
    ) {
        let t = self.t;
        let rc = &t.resource_configurations[c.i()];
        let name = rc.name.clone().unwrap_or_else(|| rc.id.clone());
        b.hops.push(hop(
            &ep.id,
            ComponentKind::VpcEndpoint,
            None,
            None,
            format!("resource endpoint to {} ({name})", rc.id),
        ));
        let stop = |code: Code, detail: String| {
            Stop::new(&rc.id, ComponentKind::ResourceGateway, code, detail)
        };
        if !rc.active {
            self.stop(
                &b,
                stop(Code::BAD_STATE, format!("{} is {}", rc.id, rc.status)),
            );
            return;
        }
        // L4: the configuration's protocol and port ranges.
        let ports = rc
            .port_ranges
            .iter()
            .fold(IntervalSet::empty(), |acc, (lo, hi)| {
                acc.union(&IntervalSet::range(*lo, *hi))
            });
        let set = PacketSet::from_cube(
            Cube::any()
                .with_proto(listener_protos(&rc.protocol))
                .with_dst_ports(ports),
        );
        let (pass, out) = b.flow.split(&set);
        let ranges: Vec<String> = rc
            .port_ranges
            .iter()
            .map(|(a, z)| {
                if a == z {
                    a.to_string()
                } else {
                    format!("{a}-{z}")
                }
            })
            .collect();
        let Some(x) = self.split(&b, pass, out, |_| {
            stop(
                Code::RESOURCE_PORT_RANGE_RESTRICTION,
                format!(
                    "{} carries {} on ports {} only",
                    rc.id,
                    rc.protocol,
                    ranges.join(", ")
                ),
            )
        }) else {
            return;
        };
        let Some(gw) = rc.gateway.idx.map(|g| &t.resource_gateways[g.i()]) else {
            let d = format!("resource gateway {} is not in the snapshot", rc.gateway.id);
            self.stop(&x, stop(Code::SNAPSHOT_INCOMPLETE, d));
            return;
        };
        // L5: an IP resource, or the cache node(s) a DNS name stands for.
        let dsts: Vec<IpAddr> = match &rc.resource {
            Resource::Ip(a) => vec![*a],
            Resource::Dns(name) => match cache_name(t, name) {
                Some(n) => {
                    if let Some(a) = &n.assumption {
                        self.assumptions.insert(Assumption::ResourceNameResolved {
                            configuration: rc.id.clone(),
                            name: name.clone(),
                            stands_for: format!("{} of {}: {}", n.kind, n.cache, n.stands_for),
                            detail: a.clone(),
                        });
                    }
                    if n.nodes.is_empty() {
                        let d = format!(
                            "{} names {name}, the {} of {}, whose node addresses are not in the snapshot",
                            rc.id, n.kind, n.cache
                        );
                        self.stop(&x, stop(Code::SNAPSHOT_INCOMPLETE, d));
                        return;
                    }
                    n.nodes.iter().map(|(_, a)| *a).collect()
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        if dsts.is_empty() {
            let what = match &rc.resource {
                Resource::Dns(n) => format!("DNS name {n}"),
                Resource::Arn(a) => format!("ARN {a}"),
                _ => "resource".to_string(),
            };
            let d = format!("{} names its resource by {what}, which no cache or interface in the snapshot carries: where it leads is unknown", rc.id);
            self.stop(&x, stop(Code::RESOURCE_DNS_UNRESOLVED, d));
            return;
        }
        if !gw.active {
            self.stop(
                &x,
                stop(Code::BAD_STATE, format!("{} is {}", gw.id, gw.status)),
            );
            return;
        }
        // The gateway interface in the resource's subnet if there is one, else the first.
        let eni = gw.network_interfaces.first().copied();
        let Some(gw_eni) = eni else {
            let d = format!(
                "no network interface of resource gateway {} is in the snapshot",
                gw.id
            );
            self.stop(&x, stop(Code::SNAPSHOT_INCOMPLETE, d));
            return;
        };
        let gi = &t.network_interfaces[gw_eni.i()];
        let (Some(src), Some(subnet)) = (gi.private_addresses().next(), gi.subnet.idx) else {
            let d = format!("{} has no address or subnet in the snapshot", gi.id);
            self.stop(&x, stop(Code::SNAPSHOT_INCOMPLETE, d));
            return;
        };
        for dst in dsts {
            let mut y = x.clone();
            self.translate(&mut y, (e, gw_eni), src, dst, None);
            y.hops.push(hop(
                &gw.id,
                ComponentKind::ResourceGateway,
                None,
                None,
                format!(
                    "resource {dst}, source {src} (the gateway's interface {})",
                    gi.id
                ),
            ));
            // Its security groups' egress applies to what it sends to the resource.
            for z in self.sg(y, gw_eni, false) {
                self.work.push((z, Step::Route(subnet)));
            }
        }
    }

    /// A reply arriving at the load balancer or resource gateway interface `e` that carried
    /// the request: handed back to the endpoint, which answers the client from its own
    /// address. Returns the branch when `e` is not such an interface.
    pub(in crate::engine) fn reply_at_privatelink(
        &mut self,
        mut b: Branch,
        e: EniIdx,
    ) -> Option<Branch> {
        let Some(pos) = b
            .trans
            .iter()
            .rposition(|tr| matches!(tr, Trans::PrivateLink { via, .. } if *via == e))
        else {
            return Some(b);
        };
        let Trans::PrivateLink {
            endpoint_eni, prev, ..
        } = b.trans.remove(pos)
        else {
            return Some(b);
        };
        let prev: View = prev;
        b.flow.view = prev.reply();
        let t = self.t;
        let ep = &t.network_interfaces[endpoint_eni.i()];
        b.hops.push(hop(
            &ep.id,
            ComponentKind::VpcEndpoint,
            None,
            None,
            format!(
                "reply handed back to the endpoint, to {}",
                summary_addrs(&b.flow.current_dst())
            ),
        ));
        b.sender = Sender::Eni(endpoint_eni);
        if let Some(s) = ep.subnet.idx {
            self.work.push((b, Step::Route(s)));
        }
        None
    }
}
