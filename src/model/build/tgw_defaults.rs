//! Transit gateway bindings the snapshot does not record (T10), and the two sides of TGW
//! peering attachments (T11), once every scope's route tables and attachments are bound.
//!
//! "Not recorded" is precise: a TGW route table has propagation records when some
//! `TransitGatewayPropagations` element names it, even with an empty list (`collect` writes one
//! per table; an empty list means "nothing propagates"). A table that no element names gets:
//! - the gateway's default propagation (`Options.DefaultRouteTablePropagation: enable` and
//!   `PropagationDefaultRouteTableId` naming it): every VPC attachment of the gateway
//!   propagates into it, marked [`BindingSource::InferredFromDefaults`] (an assumption that
//!   answers state);
//! - otherwise its propagations are [`BindingSource::Unknown`]: a lookup that finds no route in
//!   it is `SNAPSHOT_INCOMPLETE`, never a silent `NO_ROUTE_TO_DESTINATION`.
//!
//! An attachment's association is recorded when `describe-transit-gateway-attachments` lists it
//! (AWS omits `Association` there when there is none) or an association listing names it.
//! An attachment known only from `describe-transit-gateway-vpc-attachments` takes the gateway's
//! default association table (`DefaultRouteTableAssociation: enable`), else it is unknown.

use super::builder::Builder;
use super::transit_gateway::TgwRecords;
use crate::diag::{DiagCode, Diagnostic, Severity};
use crate::model::*;
use std::collections::HashSet;

impl Builder {
    /// T10: default propagation and association where the snapshot has no records.
    pub(super) fn infer_tgw_defaults(&mut self, records: &TgwRecords) {
        let listed: HashSet<u32> = records.propagation_listed.iter().copied().collect();
        for ti in 0..self.t.transit_gateway_route_tables.len() {
            if listed.contains(&(ti as u32)) {
                continue;
            }
            let table = &self.t.transit_gateway_route_tables[ti];
            let Some(g) = table.transit_gateway.idx else {
                continue;
            };
            let gateway = &self.t.transit_gateways[g.i()];
            let is_default =
                gateway.default_propagation_route_table.as_deref() == Some(table.id.as_str());
            let (table_id, gateway_id) = (table.id.clone(), gateway.id.clone());
            // Reported routes replace any computation (T8): nothing to say about the records.
            let observed = table.observed_routes.is_some();
            if !is_default {
                self.t.transit_gateway_route_tables[ti].propagation_source = BindingSource::Unknown;
                if observed {
                    continue;
                }
                self.t.diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    DiagCode::SnapshotIncomplete,
                    format!("{table_id}: the snapshot has no propagation records for it (get-transit-gateway-route-table-propagations) and it is not the default propagation table of {gateway_id}: its propagated routes are unknown (T10)"),
                ));
                continue;
            }
            let bindings: Vec<TgwBinding> = self
                .t
                .transit_gateway_attachments
                .iter()
                .enumerate()
                .filter(|(_, a)| a.transit_gateway.idx == Some(g) && a.resource_type == "vpc")
                .map(|(ai, a)| TgwBinding {
                    attachment: Ref {
                        id: a.id.clone(),
                        idx: Some(TgwAttachmentIdx(ai as u32)),
                    },
                    resource_id: a.resource_id.clone(),
                    state: "enabled".into(),
                    active: true,
                })
                .collect();
            let table = &mut self.t.transit_gateway_route_tables[ti];
            table.propagation_source = BindingSource::InferredFromDefaults;
            table.propagations = bindings;
            if observed {
                continue;
            }
            self.t.diagnostics.push(Diagnostic::new(
                Severity::Note,
                DiagCode::AssumedDefault,
                format!("{table_id}: no propagation records in the snapshot; assumed from the default options of {gateway_id} (DefaultRouteTablePropagation: enable): every VPC attachment of {gateway_id} propagates into it (T10)"),
            ));
        }
        for &ai in &records.without_generic {
            self.infer_association(ai);
        }
    }

    /// An attachment known only from its VPC-attachment record: its association is in an
    /// association listing, or the gateway's default association table, or unknown.
    fn infer_association(&mut self, ai: usize) {
        let att = &self.t.transit_gateway_attachments[ai];
        if att.association.is_some() {
            return;
        }
        let listed = self.t.transit_gateway_route_tables.iter().position(|t| {
            t.associations
                .iter()
                .any(|b| b.attachment.idx == Some(TgwAttachmentIdx(ai as u32)))
        });
        if let Some(ti) = listed {
            let b = self.t.transit_gateway_route_tables[ti]
                .associations
                .iter()
                .find(|b| b.attachment.idx == Some(TgwAttachmentIdx(ai as u32)))
                .map(|b| b.state.clone());
            let table_id = self.t.transit_gateway_route_tables[ti].id.clone();
            let att = &mut self.t.transit_gateway_attachments[ai];
            att.association = Some(Ref {
                id: table_id,
                idx: Some(TgwRouteTableIdx(ti as u32)),
            });
            att.association_state = b;
            return;
        }
        let default = att.transit_gateway.idx.and_then(|g| {
            self.t.transit_gateways[g.i()]
                .default_association_route_table
                .clone()
        });
        let gateway_id = att.transit_gateway.id.clone();
        let att_id = att.id.clone();
        let resource = att.resource_id.clone();
        let table = default.as_deref().and_then(|d| {
            self.t
                .transit_gateway_route_tables
                .iter()
                .position(|t| t.id == d && t.transit_gateway.id == gateway_id)
        });
        let Some(ti) = table else {
            self.t.transit_gateway_attachments[ai].association_source = BindingSource::Unknown;
            let att = &self.t.transit_gateway_attachments[ai];
            if att.transit_gateway.idx.is_none() || !att.active {
                return; // its gateway is missing (already a dangling reference) or it is inactive
            }
            self.t.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagCode::SnapshotIncomplete,
                format!("{att_id}: its association is not in the snapshot (only describe-transit-gateway-vpc-attachments lists it) and {gateway_id} has no default association table: traffic entering through it stops with SNAPSHOT_INCOMPLETE (T10)"),
            ));
            return;
        };
        let table = &mut self.t.transit_gateway_route_tables[ti];
        let table_id = table.id.clone();
        table.associations.push(TgwBinding {
            attachment: Ref {
                id: att_id.clone(),
                idx: Some(TgwAttachmentIdx(ai as u32)),
            },
            resource_id: resource,
            state: "associated".into(),
            active: true,
        });
        let att = &mut self.t.transit_gateway_attachments[ai];
        att.association = Some(Ref {
            id: table_id.clone(),
            idx: Some(TgwRouteTableIdx(ti as u32)),
        });
        att.association_state = Some("associated".into());
        att.association_source = BindingSource::InferredFromDefaults;
        self.t.diagnostics.push(Diagnostic::new(
            Severity::Note,
            DiagCode::AssumedDefault,
            format!("{att_id}: association not in the snapshot; assumed to be {table_id}, the default association table of {gateway_id} (DefaultRouteTableAssociation: enable) (T10)"),
        ));
    }

    /// T11: the transit gateway on the other side of each peering attachment, from
    /// `TransitGatewayPeeringAttachments` (both sides named) or else the attachment's
    /// `ResourceId` (the peer gateway's id).
    pub(super) fn link_tgw_peerings(&mut self, records: &TgwRecords) {
        for ai in 0..self.t.transit_gateway_attachments.len() {
            let a = &self.t.transit_gateway_attachments[ai];
            if a.resource_type != "peering" {
                continue;
            }
            let (scope, own) = (a.scope, a.transit_gateway.id.clone());
            let record = records
                .peerings
                .iter()
                .find(|(_, p)| p.transit_gateway_attachment_id == a.id);
            let peer: Ref<TgwIdx> = match record {
                Some((_, p)) => {
                    let sides = [p.requester_tgw_info.as_ref(), p.accepter_tgw_info.as_ref()];
                    match sides
                        .into_iter()
                        .flatten()
                        .find(|s| s.transit_gateway_id != own)
                    {
                        Some(side) => self.find_in(
                            scope,
                            side.owner_id.as_deref(),
                            side.region.as_deref(),
                            Kind::TransitGateway,
                            &side.transit_gateway_id,
                        ),
                        None => Ref {
                            id: a.resource_id.clone().unwrap_or_default(),
                            idx: None,
                        },
                    }
                }
                None => {
                    let id = a.resource_id.clone().unwrap_or_default();
                    self.find(scope, Kind::TransitGateway, &id)
                }
            };
            // Transit gateway ids are globally unique: an owner outside the snapshot still finds it.
            let peer = match peer.idx {
                Some(_) => peer,
                None => self.find(scope, Kind::TransitGateway, &peer.id),
            };
            self.t.transit_gateway_attachments[ai].peer_transit_gateway = Some(peer);
        }
    }
}
