//! VPC peering connections (P1-P3, P5: a side found by its VPC id is stated in `assumptions`): an active connection between the sender's VPC and the
//! peer carries traffic only between the two sides' CIDRs (no transit), delivered locally in
//! the peer VPC. Security-group references match across a same-Region peering, not across a
//! cross-Region one. Replies take the same rules the other way.

use super::super::answer::ComponentKind;
use super::super::codes::Code;
use super::super::notes::{Assumption, IdentityLoss};
use super::super::security_group::Identity;
use super::super::walk::{hop, Branch, Step, Stop, Walk};
use crate::model::*;
use crate::net::AddrSet;
use ipnet::IpNet;

/// The addresses of one side of a peering (the CIDRs it shares).
fn side_addrs(x: &PeeringSide) -> AddrSet {
    let nets: Vec<IpNet> = x
        .cidrs_v4
        .iter()
        .map(|c| IpNet::V4(*c))
        .chain(x.cidrs_v6.iter().map(|c| IpNet::V6(*c)))
        .collect();
    AddrSet::from_nets(nets.iter())
}

impl Walk<'_> {
    /// Across peering connection `r` from `vpc`, routed there from subnet `s`.
    pub(in crate::engine) fn peering(
        &mut self,
        b: Branch,
        s: SubnetIdx,
        vpc: VpcIdx,
        r: &Ref<PeeringIdx>,
    ) {
        let t = self.t;
        let Some(pi) = r.idx else {
            self.stop(
                &b,
                Stop::new(
                    &r.id,
                    ComponentKind::VpcPeeringConnection,
                    Code::BAD_STATE,
                    format!("peering {} is not in the snapshot", r.id),
                ),
            );
            return;
        };
        let p = &t.vpc_peering_connections[pi.i()];
        let peering = |code: Code, detail: String| {
            Stop::new(&p.id, ComponentKind::VpcPeeringConnection, code, detail)
        };
        if !p.active {
            self.stop(
                &b,
                peering(Code::BAD_STATE, format!("{} is {}", p.id, p.status)),
            );
            return;
        }
        let (local, peer) = if p.requester.vpc.idx == Some(vpc) {
            (&p.requester, &p.accepter)
        } else if p.accepter.vpc.idx == Some(vpc) {
            (&p.accepter, &p.requester)
        } else {
            let detail = format!("{} does not connect {}", p.id, t.vpcs[vpc.i()].id);
            self.stop(&b, peering(Code::NO_PATH, detail));
            return;
        };
        let (f, bad1) = b.flow.restrict_current_src(&side_addrs(local));
        let (f, bad2) = f.restrict_current_dst(&side_addrs(peer));
        let bad = b.flow.with_orig(bad1.orig.union(&bad2.orig));
        let Some(mut x) = self.split(&b, f, bad, |_| {
            peering(
                Code::PCX_REQUIRES_ADDRESS_IN_VPC_CIDR,
                "source or destination is outside the peered VPCs' CIDRs (no transit through a peering)".into(),
            )
        }) else {
            return;
        };
        let Some(pv) = peer.vpc.idx else {
            let held = self.t.ids.all(crate::model::Kind::Vpc, &peer.vpc.id).len();
            let detail = if held > 1 {
                // P5: the owner is no account of the snapshot and the id is held several times.
                format!(
                    "peer VPC {} (account {}, no account of the snapshot) is in the snapshot {held} times: which one the peering connects is not guessed (P5)",
                    peer.vpc.id,
                    peer.owner.as_deref().unwrap_or("?")
                )
            } else {
                format!(
                    "peer VPC {} (account {}) is not in the snapshot",
                    peer.vpc.id,
                    peer.owner.as_deref().unwrap_or("?")
                )
            };
            self.stop(&x, peering(Code::SNAPSHOT_INCOMPLETE, detail));
            return;
        };
        for side in [local, peer].into_iter().filter(|x| x.found_by_vpc_id) {
            self.assumptions.insert(Assumption::PeeringSideByVpcId {
                peering: p.id.clone(),
                vpc: side.vpc.id.clone(),
                owner: side.owner.clone().unwrap_or_default(),
            });
        }
        x.hops.push(hop(
            &p.id,
            ComponentKind::VpcPeeringConnection,
            None,
            None,
            format!("to {}", t.vpcs[pv.i()].id),
        ));
        x.identity = if p.cross_region() {
            Identity {
                vpcs: vec![],
                lost_because: Some(IdentityLoss::CrossRegionPeering {
                    peering: p.id.clone(),
                }),
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
}
