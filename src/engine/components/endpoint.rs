//! VPC endpoints. A gateway endpoint (a route-table target, V1) carries TCP and ICMP echo to
//! its AWS service, which replies into the sender's subnet (inbound NACL); a reply routed into
//! a gateway endpoint goes nowhere. An interface endpoint's network interfaces receive traffic
//! like any other interface but never initiate it (V2).

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::walk::{hop, Branch, End, Stop, Trans, Walk};
use crate::model::*;
use crate::net::{Cube, PacketSet, ProtoSet};

impl Walk<'_> {
    /// Through gateway endpoint `r`, routed there from subnet `s`.
    pub(in crate::engine) fn gateway_endpoint(
        &mut self,
        b: Branch,
        s: SubnetIdx,
        r: &Ref<EndpointIdx>,
    ) {
        let t = self.t;
        let Some(ei) = r.idx else {
            self.stop(
                &b,
                Stop::new(
                    &r.id,
                    ComponentKind::VpcEndpoint,
                    Code::BAD_STATE,
                    format!("endpoint {} is not in the snapshot", r.id),
                ),
            );
            return;
        };
        let ep = &t.vpc_endpoints[ei.i()];
        let endpoint = |code: Code, detail: String| {
            Stop::new(&ep.id, ComponentKind::VpcEndpoint, code, detail)
        };
        if !ep.active {
            self.stop(
                &b,
                endpoint(Code::BAD_STATE, format!("{} is {}", ep.id, ep.state)),
            );
            return;
        }
        // L8: a Gateway Load Balancer endpoint hands the traffic to the appliances behind its
        // endpoint service (GENEVE), which send it back on: not modelled.
        if ep.endpoint_type == EndpointType::GatewayLoadBalancer {
            let d = format!(
                "{} is a Gateway Load Balancer endpoint ({}): the traffic goes to the appliances behind the Gateway Load Balancer and back, which vpcreach does not model; where it goes is unknown",
                ep.id, ep.service_name
            );
            self.stop(&b, endpoint(Code::LB_NOT_MODELLED, d));
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
        let Some(x) = self.split(&b, f, bad, |_| {
            endpoint(
                Code::VPCE_GATEWAY_PROTOCOL_RESTRICTION,
                "a gateway endpoint carries TCP and ICMP echo only".into(),
            )
        }) else {
            return;
        };
        for mut y in self.nacl(x, s, false) {
            y.hops.push(hop(
                &ep.id,
                ComponentKind::VpcEndpoint,
                None,
                None,
                format!("gateway endpoint to {}", ep.service_name),
            ));
            match y.leg {
                Leg::Forward => self.end(y, End::Service(s)),
                Leg::Return => self.stop(
                    &y,
                    endpoint(
                        Code::NO_PATH,
                        "the reply is routed into a gateway endpoint".into(),
                    ),
                ),
            }
        }
    }

    /// The AWS service behind a gateway endpoint replies into `subnet`, to the address that
    /// sent the request: the client itself, or the NAT gateway that translated it (G2), which
    /// undoes its translation and routes the reply on to the client.
    pub(in crate::engine) fn reply_from_service(&mut self, b: Branch, subnet: SubnetIdx) {
        for mut y in self.nacl(b, subnet, true) {
            y.hops.push(hop(
                "service",
                ComponentKind::VpcEndpoint,
                None,
                None,
                "reply from the AWS service".into(),
            ));
            let translated_by = y.trans.iter().rev().find_map(|tr| match tr {
                Trans::Nat { eni, .. } => *eni,
                Trans::PrivateLink { .. } => None,
            });
            let y = match translated_by {
                Some(nat) => self.reply_at_nat_gateway(y, nat),
                None => Some(y),
            };
            if let Some(y) = y {
                self.end(y, End::Client);
            }
        }
    }

    /// An interface endpoint's network interface cannot initiate traffic (V2): record it and
    /// follow the branch as a ghost.
    pub(in crate::engine) fn endpoint_cannot_initiate(
        &mut self,
        b: &mut Branch,
        eni: &NetworkInterface,
    ) {
        if let EniOwner::VpcEndpoint(v) = &eni.owned_by {
            let s = Stop::new(
                v,
                ComponentKind::VpcEndpoint,
                Code::VPCE_INTRA_VPC_TRAFFIC,
                format!(
                    "{} belongs to interface endpoint {v}, which cannot initiate traffic",
                    eni.id
                ),
            );
            self.ghost_on(b, s);
        }
    }
}
