//! Appliances: a route to a network interface or an instance (a firewall, proxy or NAT
//! instance, or a gateway route table's middlebox). The interface must have its
//! source/destination check off to forward; it is assumed to forward packets unchanged (its
//! software is not in EC2 data), and its own security groups filter the requests it forwards
//! (ingress on the way in, egress on the way out; replies pass, groups being stateful). The flow crosses into the appliance's subnet (NACLs) and is
//! routed on from there; replies take the same way. Security-group references do not match
//! traffic that crossed a middlebox (S6): the destination must admit the source's address.

use super::super::answer::{ComponentKind, Leg};
use super::super::codes::Code;
use super::super::notes::{Assumption, IdentityLoss};
use super::super::security_group::Identity;
use super::super::walk::{hop, Branch, Step, Stop, Walk};
use crate::model::*;

/// The network interface an instance route target forwards through (its primary one).
pub(super) fn appliance_of_instance(t: &Topology, r: &Ref<InstanceIdx>) -> Option<EniIdx> {
    r.idx
        .and_then(|i| t.instances[i.i()].network_interfaces.first().copied())
}

impl Walk<'_> {
    /// Through appliance interface `eni` (route target `id`), routed there from subnet `s`
    /// (from a gateway route table when `None`).
    pub(in crate::engine) fn appliance(
        &mut self,
        b: Branch,
        s: Option<SubnetIdx>,
        eni: Option<EniIdx>,
        id: &str,
    ) {
        let t = self.t;
        let Some(e) = eni else {
            self.stop(
                &b,
                Stop::new(
                    id,
                    ComponentKind::NetworkInterface,
                    Code::SNAPSHOT_INCOMPLETE,
                    format!("route target {id} is not in the snapshot"),
                ),
            );
            return;
        };
        let en = &t.network_interfaces[e.i()];
        if en.source_dest_check {
            self.stop(
                &b,
                Stop::new(
                    &en.id,
                    ComponentKind::NetworkInterface,
                    Code::ENI_SOURCE_DEST_CHECK_RESTRICTION,
                    format!(
                        "{} has source/destination check enabled: it cannot forward",
                        en.id
                    ),
                ),
            );
            return;
        }
        let Some(d) = en.subnet.idx else { return };
        self.assumptions
            .insert(Assumption::ApplianceForwardsUnchanged {
                network_interface: en.id.clone(),
            });
        for y in self.cross_subnets(b, s, d) {
            // The appliance's own security groups filter what it forwards (stateful: the
            // request only, as at any interface).
            let arrived = match y.leg {
                Leg::Forward => self.sg(y, e, true),
                Leg::Return => vec![y],
            };
            for mut z in arrived {
                // S6: a group reference never matches traffic that crossed a middlebox.
                z.identity = Identity {
                    vpcs: vec![],
                    lost_because: Some(IdentityLoss::Middlebox {
                        network_interface: en.id.clone(),
                    }),
                };
                z.hops.push(hop(
                    &en.id,
                    ComponentKind::NetworkInterface,
                    None,
                    None,
                    "appliance (source/destination check off) forwards".into(),
                ));
                let sent = match z.leg {
                    Leg::Forward => self.sg(z, e, false),
                    Leg::Return => vec![z],
                };
                for w in sent {
                    self.work.push((w, Step::Route(d)));
                }
            }
        }
    }
}
