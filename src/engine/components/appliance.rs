//! Appliances: a route to a network interface or an instance (a firewall, proxy or NAT
//! instance, or a gateway route table's middlebox). The interface must have its
//! source/destination check off to forward; it is assumed to forward packets unchanged (its
//! software is not in EC2 data). The flow crosses into the appliance's subnet (NACLs) and is
//! routed on from there; replies take the same way.

use super::super::answer::ComponentKind;
use super::super::codes::Code;
use super::super::notes::Assumption;
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
        for mut y in self.cross_subnets(b, s, d) {
            y.hops.push(hop(
                &en.id,
                ComponentKind::NetworkInterface,
                None,
                None,
                "appliance (source/destination check off) forwards".into(),
            ));
            self.work.push((y, Step::Route(d)));
        }
    }
}
