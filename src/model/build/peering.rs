//! VPC peering connections: both sides, each resolved in its own account and region, or by
//! its VPC id alone when its `OwnerId` is no account of the snapshot (P5).

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
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
        let mut vpc: Ref<VpcIdx> = self.find_in(
            scope,
            info.owner_id.as_deref(),
            info.region.as_deref(),
            Kind::Vpc,
            &vpc_id,
        );
        // P5: VPC ids are globally unique: an owner that is no account of the snapshot (folders
        // named otherwise than by account id) does not hide a VPC the snapshot has, once.
        let foreign_owner = info
            .owner_id
            .as_deref()
            .is_some_and(|o| !self.t.has_account(o));
        let mut found_by_vpc_id = false;
        if vpc.idx.is_none() && foreign_owner && !vpc_id.is_empty() {
            let owner = info.owner_id.clone().unwrap_or_default();
            match self.find_unique::<VpcIdx>(Kind::Vpc, &vpc_id) {
                Ok(Some(by_id)) => {
                    self.diag(
                        Severity::Note,
                        DiagCode::AssumedDefault,
                        file,
                        &format!("{ptr}/OwnerId"),
                        format!("owner {owner} of {vpc_id} is no account of the snapshot; {vpc_id} found by its VPC id, which is unique in the snapshot (PEERING_OWNER_NOT_IN_SNAPSHOT)"),
                    );
                    vpc = by_id;
                    found_by_vpc_id = true;
                }
                Ok(None) => {}
                // The same VPC id in several scopes (a copy, or folders named otherwise): which
                // one the peering means is not guessed; the side stays unresolved.
                Err(scopes) => self.diag(
                    Severity::Warning,
                    DiagCode::Inconsistent,
                    file,
                    &format!("{ptr}/OwnerId"),
                    format!("owner {owner} of {vpc_id} is no account of the snapshot, and {vpc_id} is in the snapshot {} times ({}): which one the peering connects is not guessed, so it connects none (PEERING_OWNER_NOT_IN_SNAPSHOT)", scopes.len(), scopes.join(", ")),
                ),
            }
        }
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
            found_by_vpc_id,
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
