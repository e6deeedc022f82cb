//! NAT gateways (G1-G4). Forward: only traffic from its own VPC, TCP/UDP/ICMP only, the source
//! becomes the gateway's private address and a port it picks from 1024-65535 (then routed from
//! the gateway's subnet; a public gateway's traffic is mapped to its Elastic IP by the internet
//! gateway, a private one cannot use an internet gateway). A NAT gateway is never a destination.
//! Reply: a reply reaching the gateway that translated its request is translated back; a reply
//! routed into a NAT gateway that did not see the request goes nowhere (asymmetric routing).

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::flow::{AddrDim, PortDim};
use super::super::notes::{Assumption, IdentityLoss};
use super::super::security_group::Identity;
use super::super::summary::summary_addrs;
use super::super::walk::{hop, Branch, Sender, Step, Stop, Trans, Walk};
use crate::model::*;
use crate::net::{AddrSet, IntervalSet, ProtoSet};
use std::net::{IpAddr, Ipv4Addr};

impl Walk<'_> {
    /// Through NAT gateway `r` of `vpc`, routed there from subnet `s`.
    pub(in crate::engine) fn nat(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<NatIdx>) {
        let t = self.t;
        if b.leg == Leg::Return {
            // A reply routed into a NAT gateway that did not translate the request would leave
            // with the NAT's address: the client gets no reply to its own packet (asymmetric
            // routing through a NAT, e.g. a public instance whose subnet defaults to a NAT).
            self.stop(&b, Stop::new(&r.id, ComponentKind::NatGateway, Code::NO_PATH, format!(
                    "the reply is routed through {} which did not see the request: it would reach the client from the NAT's address, not as a reply (asymmetric route)",
                    r.id
                )));
            return;
        }
        let Some(ni) = r.idx else {
            self.stop(
                &b,
                Stop::new(
                    &r.id,
                    ComponentKind::NatGateway,
                    Code::BAD_STATE,
                    format!("NAT gateway {} is not in the snapshot", r.id),
                ),
            );
            return;
        };
        let n = &t.nat_gateways[ni.i()];
        let gateway =
            |code: Code, detail: String| Stop::new(&n.id, ComponentKind::NatGateway, code, detail);
        if !n.active {
            self.stop(
                &b,
                gateway(Code::BAD_STATE, format!("{} is {}", n.id, n.state)),
            );
            return;
        }
        if n.vpc.as_ref().and_then(|v| v.idx) != Some(vpc) {
            let detail = format!("{} is not in {}", n.id, t.vpcs[vpc.i()].id);
            self.stop(&b, gateway(Code::NGW_REQUIRES_SOURCE_IN_VPC, detail));
            return;
        }
        let (f, bad) = b.flow.restrict_proto(&ProtoSet::from_protos([6, 17, 1]));
        let Some(x) = self.split(&b, f, bad, |_| {
            gateway(
                Code::PROTOCOL_RESTRICTION,
                "a NAT gateway carries TCP, UDP and ICMP only".into(),
            )
        }) else {
            return;
        };
        let Some(addr) = n.addresses.iter().find(|a| a.private_ip.is_some()) else {
            let detail = format!("{} has no private address in the snapshot", n.id);
            self.stop(&b, gateway(Code::SNAPSHOT_INCOMPLETE, detail));
            return;
        };
        let Some(ns) = n.subnet.as_ref().and_then(|x| x.idx) else {
            let detail = format!("subnet of {} is not in the snapshot", n.id);
            self.stop(&b, gateway(Code::SNAPSHOT_INCOMPLETE, detail));
            return;
        };
        let private = addr
            .private_ip
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let eni = addr.network_interface.as_ref().and_then(|e| e.idx);
        for mut y in self.cross_subnets(x, Some(s), ns) {
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
                lost_because: Some(IdentityLoss::NatGateway { nat: n.id.clone() }),
            };
            y.hops.push(hop(
                &n.id,
                ComponentKind::NatGateway,
                None,
                None,
                format!("source translated to {private}, ports 1024-65535"),
            ));
            self.work.push((y, Step::Route(ns)));
        }
        self.assumptions.insert(Assumption::NatGatewaySourcePorts);
    }

    /// A reply arriving at network interface `e`: when it is the NAT gateway that translated
    /// the request, the translation is undone and the reply routed on from the gateway's
    /// subnet. Returns the branch when `e` is not that gateway.
    pub(in crate::engine) fn reply_at_nat_gateway(
        &mut self,
        mut b: Branch,
        e: EniIdx,
    ) -> Option<Branch> {
        let eni = &self.t.network_interfaces[e.i()];
        let EniOwner::NatGateway(n) = &eni.owned_by else {
            return Some(b);
        };
        let Some(pos) = b
            .trans
            .iter()
            .rposition(|tr| matches!(tr, Trans::Nat { eni: Some(x), .. } if *x == e))
        else {
            return Some(b);
        };
        let Trans::Nat {
            prev_src,
            prev_sport,
            ..
        } = b.trans.remove(pos)
        else {
            return Some(b);
        };
        b.flow.view.dst = prev_src;
        b.flow.view.dst_port = prev_sport;
        b.hops.push(hop(
            n,
            ComponentKind::NatGateway,
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
        None
    }

    /// A request addressed to a NAT gateway's interface stops there (G3). True when it did.
    pub(in crate::engine) fn nat_gateway_as_destination(
        &mut self,
        b: &Branch,
        eni: &NetworkInterface,
    ) -> bool {
        let EniOwner::NatGateway(n) = &eni.owned_by else {
            return false;
        };
        self.stop(
            b,
            Stop::new(
                n,
                ComponentKind::NatGateway,
                Code::NO_PATH,
                format!(
                    "{n} is never a destination: it accepts no unsolicited inbound traffic (G3)"
                ),
            ),
        );
        true
    }
}
