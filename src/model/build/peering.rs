//! VPC peering connections: both sides, each resolved in its own account and region.

use super::builder::{name_of, Builder};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use ipnet::Ipv4Net;

impl Builder {
    /// The VPC peering connections of one scope.
    pub(super) fn construct_peering_connections(&mut self, scope: ScopeIdx, d: &RawData) {
        for pc in &d.vpc_peering_connections {
            let it = &pc.item;
            let status = it
                .status
                .as_ref()
                .map(|s| s.code.clone())
                .unwrap_or_default();
            let active = status.eq_ignore_ascii_case("active");
            let requester = self.peering_side(
                scope,
                it.requester_vpc_info.as_ref(),
                active,
                pc.file,
                &format!("{}/RequesterVpcInfo", pc.pointer),
            );
            let accepter = self.peering_side(
                scope,
                it.accepter_vpc_info.as_ref(),
                active,
                pc.file,
                &format!("{}/AccepterVpcInfo", pc.pointer),
            );
            self.t.vpc_peering_connections.push(VpcPeeringConnection {
                id: it.vpc_peering_connection_id.clone(),
                scope,
                name: name_of(&it.tags),
                status,
                active,
                requester,
                accepter,
            });
        }
    }

    fn peering_side(
        &mut self,
        scope: ScopeIdx,
        info: Option<&aws::PeeringVpcInfo>,
        active: bool,
        file: u32,
        ptr: &str,
    ) -> PeeringSide {
        let info = info.cloned().unwrap_or_default();
        let vpc_id = info.vpc_id.clone().unwrap_or_default();
        let vpc: Ref<VpcIdx> = self.find_in(
            scope,
            info.owner_id.as_deref(),
            info.region.as_deref(),
            Kind::Vpc,
            &vpc_id,
        );
        if active {
            self.check(
                &vpc,
                scope,
                info.owner_id.as_deref(),
                file,
                &format!("{ptr}/VpcId"),
                "VPC",
            );
        }
        let mut cidrs_v4: Vec<Ipv4Net> = info
            .cidr_block_set
            .iter()
            .map(|c| c.cidr_block.0.trunc())
            .collect();
        if cidrs_v4.is_empty() {
            cidrs_v4.extend(info.cidr_block.map(|c| c.0.trunc()));
        }
        PeeringSide {
            vpc,
            owner: info.owner_id.clone(),
            region: info
                .region
                .clone()
                .or_else(|| Some(self.t.scopes[scope.i()].region.clone())),
            cidrs_v4,
            cidrs_v6: info
                .ipv6_cidr_block_set
                .iter()
                .map(|c| c.ipv6_cidr_block.0.trunc())
                .collect(),
        }
    }
}
