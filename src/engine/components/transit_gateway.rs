//! Transit gateways (T1-T9). A flow routed to a transit gateway enters through the attachment
//! of the sender's VPC, in an attachment subnet of the sender's AZ (the sender's subnet
//! outbound NACL and that subnet's inbound NACL, N9), is looked up in the attachment's
//! associated TGW route table (effective routes: static over propagated, propagation of an
//! overlapping CIDR suppressed, T4), and leaves through the destination VPC attachment in the
//! same AZ when it has a subnet there (else its first AZ), routed on from that subnet.
//! Security-group references match across only when the gateway and both attachments support
//! referencing. A static route to a peering attachment carries the flow to the peer gateway,
//! where the table associated with that attachment is looked up (T11, [`Walk::tgw_peer`]).
//! Replies take the same steps the other way.

use super::super::answer::ComponentKind;
use super::super::codes::Code;
use super::super::fix::FixPlan;
use super::super::notes::{Assumption, IdentityLoss, Warning};
use super::super::security_group::Identity;
use super::super::summary::summary_addrs;
use super::super::walk::{hop, Branch, Step, Stop, Walk};
use crate::model::tgw_routes::{EffectiveTgwRoute, TableRoutes};
use crate::model::*;
use crate::net::{AddrSet, LpmTable};

/// Where a flow entered a transit gateway.
struct Entry<'t> {
    gateway: &'t TransitGateway,
    /// The attachment it entered through: the sender VPC's, or a peering attachment (T11).
    attachment: &'t TransitGatewayAttachment,
    /// The attachment subnet in the sender's AZ (`None` when it came over a peering).
    subnet: Option<SubnetIdx>,
    /// The sender's AZ.
    az: Option<String>,
    /// The sender's VPC.
    vpc: VpcIdx,
    /// The attachment's associated route table.
    table: &'t TransitGatewayRouteTable,
    /// It came from another transit gateway over a peering attachment (T11).
    peered: bool,
}

impl<'a> Walk<'a> {
    /// Into transit gateway `r` from `vpc`, routed there from subnet `s`.
    pub(in crate::engine) fn tgw(&mut self, b: Branch, s: SubnetIdx, vpc: VpcIdx, r: &Ref<TgwIdx>) {
        let t = self.t;
        let Some((gateway, attachment, subnet)) = self.tgw_entry(&b, s, vpc, r) else {
            return;
        };
        // N9: W→TGW checks W outbound and T inbound; W = T checks both directions of that NACL.
        let mut bs = Vec::new();
        for y in self.nacl(b, s, false) {
            bs.extend(self.nacl(y, subnet, true));
        }
        if attachment.association_source == BindingSource::Unknown {
            for y in bs {
                self.stop(
                    &y,
                    Stop::new(
                        &attachment.id,
                        ComponentKind::TransitGatewayAttachment,
                        Code::SNAPSHOT_INCOMPLETE,
                        format!(
                            "the association of {} is not in the snapshot and {} has no default association table (T10)",
                            attachment.id, gateway.id
                        ),
                    ),
                );
            }
            return;
        }
        let Some(table) = attachment
            .association
            .as_ref()
            .and_then(|a| a.idx)
            .filter(|_| {
                attachment
                    .association_state
                    .as_deref()
                    .is_none_or(|s| s == "associated")
            })
        else {
            for y in bs {
                self.stop(
                    &y,
                    Stop::new(
                        &attachment.id,
                        ComponentKind::TransitGatewayAttachment,
                        Code::TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION,
                        format!("{} is associated with no route table", attachment.id),
                    ),
                );
            }
            return;
        };
        let routes = self.idx.tgw_routes(t, table);
        let entry = Entry {
            gateway,
            attachment,
            subnet: Some(subnet),
            az: t.subnets[s.i()].availability_zone.clone(),
            vpc,
            table: &t.transit_gateway_route_tables[table.i()],
            peered: false,
        };
        if attachment.association_source == BindingSource::InferredFromDefaults {
            self.assumptions.insert(Assumption::TgwAssociationInferred {
                attachment: attachment.id.clone(),
                route_table: entry.table.id.clone(),
                transit_gateway: gateway.id.clone(),
            });
        }
        self.tgw_table_notes(entry.table, &routes);
        let lpm = LpmTable::new(
            routes
                .installed()
                .iter()
                .map(|r| (r.destination, r))
                .collect(),
        );
        for y in bs {
            self.tgw_route(y, &entry, &routes, &lpm);
        }
    }

    /// The transit gateway (active), the sender VPC's available attachment, and its subnet in
    /// the sender's AZ (T1-T2); `None` after recording why there is none.
    fn tgw_entry(
        &mut self,
        b: &Branch,
        s: SubnetIdx,
        vpc: VpcIdx,
        r: &Ref<TgwIdx>,
    ) -> Option<(&'a TransitGateway, &'a TransitGatewayAttachment, SubnetIdx)> {
        let t = self.t;
        let Some(gi) = r.idx else {
            self.stop(
                b,
                Stop::new(
                    &r.id,
                    ComponentKind::TransitGateway,
                    Code::SNAPSHOT_INCOMPLETE,
                    format!("transit gateway {} is not in the snapshot", r.id),
                ),
            );
            return None;
        };
        let g = &t.transit_gateways[gi.i()];
        if !g.active {
            self.stop(
                b,
                Stop::new(
                    &g.id,
                    ComponentKind::TransitGateway,
                    Code::BAD_STATE,
                    format!("{} is {}", g.id, g.state),
                ),
            );
            return None;
        }
        let Some(ai) = g.attachments.iter().copied().find(|a| {
            let a = &t.transit_gateway_attachments[a.i()];
            a.active && a.vpc.as_ref().and_then(|v| v.idx) == Some(vpc)
        }) else {
            self.stop(
                b,
                Stop::new(
                    &g.id,
                    ComponentKind::TransitGateway,
                    Code::NO_PATH,
                    format!(
                        "{} has no available attachment for {}",
                        g.id,
                        t.vpcs[vpc.i()].id
                    ),
                ),
            );
            return None;
        };
        let att = &t.transit_gateway_attachments[ai.i()];
        let az = &t.subnets[s.i()].availability_zone;
        let Some(ts) = att
            .subnets
            .iter()
            .filter_map(|x| x.idx)
            .find(|x| t.subnets[x.i()].availability_zone == *az)
        else {
            self.stop(
                b,
                Stop::new(
                    &att.id,
                    ComponentKind::TransitGatewayAttachment,
                    Code::TGW_ROUTE_AZ_RESTRICTION,
                    format!(
                        "{} has no subnet in {} (the sender's AZ)",
                        att.id,
                        az.as_deref().unwrap_or("?")
                    ),
                ),
            );
            return None;
        };
        Some((g, att, ts))
    }

    /// Notes about a TGW route table: a cut-short listing, suppressed propagations,
    /// propagations inferred from the gateway's defaults or unknown (T10).
    fn tgw_table_notes(&mut self, rt: &TransitGatewayRouteTable, routes: &TableRoutes) {
        let t = self.t;
        if routes.inferred() {
            self.assumptions.insert(Assumption::TgwPropagationInferred {
                route_table: rt.id.clone(),
                transit_gateway: rt.transit_gateway.id.clone(),
            });
        }
        if routes.propagations_unknown() {
            self.warnings.insert(Warning::TgwPropagationsUnknown {
                route_table: rt.id.clone(),
            });
        }
        if rt.additional_routes_available {
            self.warnings.insert(Warning::TgwRoutesTruncated {
                route_table: rt.id.clone(),
            });
        }
        for s in &routes.suppressed {
            self.suppressed_vpcs.insert(s.vpc);
            self.warnings.insert(Warning::TgwPropagationSuppressed {
                cidr: s.cidr.to_string(),
                vpc: t.vpcs[s.vpc.i()].id.clone(),
                route_table: rt.id.clone(),
                winner: s
                    .winner()
                    .map(|w| format!("{} {}", w.cidr, t.vpcs[w.vpc.i()].id))
                    .unwrap_or_default(),
            });
        }
    }

    /// Look up branch `y` in the entry's TGW route table: each destination part takes its
    /// route (static before propagated on the same prefix) to the target attachment.
    fn tgw_route(
        &mut self,
        y: Branch,
        entry: &Entry<'_>,
        routes: &TableRoutes,
        lpm: &LpmTable<&EffectiveTgwRoute>,
    ) {
        let t = self.t;
        let rt = entry.table;
        let route_table = |code: Code, detail: String| {
            Stop::new(
                &rt.id,
                ComponentKind::TransitGatewayRouteTable,
                code,
                detail,
            )
        };
        let dst = y.flow.current_dst();
        for part in lpm.partition_detailed(&dst) {
            let (f, _) = y.flow.restrict_current_dst(&part.addrs);
            if f.is_empty() {
                continue;
            }
            let mut x = y.with_flow(f);
            let mut cands: Vec<&EffectiveTgwRoute> = part.values.iter().map(|r| **r).collect();
            cands.sort_by_key(|r| r.kind != TgwRouteType::Static);
            let Some(route) = cands.first() else {
                self.tgw_no_route(&x, rt, routes, &part.addrs);
                continue;
            };
            let rule = format!(
                "{} -> {}",
                route.destination,
                route.attachment_id.as_deref().unwrap_or("blackhole")
            );
            if route.blackhole {
                let detail = "the selected TGW route is a blackhole".into();
                let stop = route_table(Code::TGW_RTB_BAD_STATE_ROUTE, detail).rule(Some(rule));
                self.stop(&x, stop);
                continue;
            }
            let Some(dai) = route.attachment else {
                let detail = "the route's attachment is not in the snapshot".into();
                let stop = route_table(Code::SNAPSHOT_INCOMPLETE, detail).rule(Some(rule));
                self.stop(&x, stop);
                continue;
            };
            let via = match entry.subnet {
                Some(sn) => format!(
                    "via {} ({}) in {}",
                    entry.attachment.id,
                    t.subnets[sn.i()].id,
                    entry.az.as_deref().unwrap_or("?")
                ),
                None => format!("via peering attachment {}", entry.attachment.id),
            };
            x.hops.push(hop(
                &entry.gateway.id,
                ComponentKind::TransitGateway,
                None,
                None,
                via,
            ));
            x.hops.push(hop(
                &rt.id,
                ComponentKind::TransitGatewayRouteTable,
                None,
                Some(rule),
                format!("route for {}", summary_addrs(&part.addrs)),
            ));
            let da = &t.transit_gateway_attachments[dai.i()];
            if da.resource_type == "peering" {
                self.tgw_peer(x, entry, da);
            } else {
                self.tgw_exit(x, entry, da);
            }
        }
    }

    /// No route for `addrs`: say so, and name propagations suppressed for those addresses.
    fn tgw_no_route(
        &mut self,
        x: &Branch,
        rt: &TransitGatewayRouteTable,
        routes: &TableRoutes,
        addrs: &AddrSet,
    ) {
        let t = self.t;
        let suppressed: Vec<String> = routes
            .suppressed
            .iter()
            .filter(|s| addrs.overlaps_net(&s.cidr))
            .map(|s| {
                format!(
                    "{} of {} was not propagated (overlaps an earlier attachment)",
                    s.cidr,
                    t.vpcs[s.vpc.i()].id
                )
            })
            .collect();
        if routes.propagations_unknown() {
            let detail = format!(
                "no route in {} for {}, but its propagations are not in the snapshot and it is not the default propagation table of {} (T10)",
                rt.id,
                summary_addrs(addrs),
                rt.transit_gateway.id
            );
            let stop = Stop::new(
                &rt.id,
                ComponentKind::TransitGatewayRouteTable,
                Code::SNAPSHOT_INCOMPLETE,
                detail,
            );
            self.stop(x, stop);
            return;
        }
        if !suppressed.is_empty() {
            // The same stop, explained twice: recorded here, the walk ends below.
            let s = Stop::new(
                &rt.id,
                ComponentKind::TransitGatewayRouteTable,
                Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP,
                suppressed.join("; "),
            );
            self.block(x, &s, &x.flow);
        }
        let plan = match rt.transit_gateway.idx {
            Some(tgw) => FixPlan::TgwRoute {
                table: rt.id.clone(),
                tgw,
            },
            None => FixPlan::Advice,
        };
        self.stop(
            x,
            Stop::new(
                &rt.id,
                ComponentKind::TransitGatewayRouteTable,
                Code::NO_ROUTE_TO_DESTINATION,
                format!("no route in {} for {}", rt.id, summary_addrs(addrs)),
            )
            .plan(plan),
        );
    }

    /// Out through destination attachment `da` (a VPC attachment, available), in a subnet of
    /// the entry's AZ when it has one, else its first by AZ; routed on from that subnet.
    fn tgw_exit(&mut self, mut x: Branch, entry: &Entry<'_>, da: &TransitGatewayAttachment) {
        let t = self.t;
        let attachment = |code: Code, detail: String| {
            Stop::new(
                &da.id,
                ComponentKind::TransitGatewayAttachment,
                code,
                detail,
            )
        };
        let Some(dv) = da
            .vpc
            .as_ref()
            .and_then(|v| v.idx)
            .filter(|_| da.resource_type == "vpc")
        else {
            let detail = match da.resource_type.as_str() {
                "vpn" | "direct-connect-gateway" => format!(
                    "{} is a {} attachment: the path leaves the snapshot (T9)",
                    da.id, da.resource_type
                ),
                other => format!(
                    "{} is a {} attachment, which vpcreach does not model (T9)",
                    da.id,
                    if other.is_empty() { "?" } else { other }
                ),
            };
            self.stop(&x, attachment(Code::UNSUPPORTED_COMPONENT, detail));
            return;
        };
        if !da.active {
            let detail = format!("{} is {}", da.id, da.state);
            self.stop(&x, attachment(Code::BAD_STATE, detail));
            return;
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
            .find(|x| t.subnets[x.i()].availability_zone == entry.az)
            .or(exits.first().copied());
        let Some(exit) = exit else {
            let detail = format!("{} has no subnets in the snapshot", da.id);
            self.stop(&x, attachment(Code::SNAPSHOT_INCOMPLETE, detail));
            return;
        };
        x.hops.push(hop(
            &da.id,
            ComponentKind::TransitGatewayAttachment,
            None,
            None,
            format!("into {} at {}", t.vpcs[dv.i()].id, t.subnets[exit.i()].id),
        ));
        let g = entry.gateway;
        if entry.peered {
            x.identity = Identity {
                vpcs: vec![],
                lost_because: Some(IdentityLoss::TransitGatewayPeering {
                    attachment: entry.attachment.id.clone(),
                }),
            };
            self.work.push((x, Step::Route(exit)));
            return;
        }
        let referencing = g.sg_referencing_support
            && entry.attachment.sg_referencing_support == Some(true)
            && da.sg_referencing_support == Some(true);
        x.identity = if referencing {
            Identity {
                vpcs: vec![entry.vpc],
                lost_because: None,
            }
        } else {
            Identity {
                vpcs: vec![],
                lost_because: Some(IdentityLoss::TransitGatewayReferencing {
                    transit_gateway: g.id.clone(),
                }),
            }
        };
        self.work.push((x, Step::Route(exit)));
    }

    /// T11: over peering attachment `pa` to the transit gateway on its other side, whose route
    /// table associated with `pa` routes the flow on. Only static routes lead there (AWS does
    /// not propagate over TGW peering); vpcreach follows one peering hop per flow.
    fn tgw_peer(&mut self, mut x: Branch, entry: &Entry<'_>, pa: &'a TransitGatewayAttachment) {
        let t = self.t;
        let attachment = |code: Code, detail: String| {
            Stop::new(
                &pa.id,
                ComponentKind::TransitGatewayAttachment,
                code,
                detail,
            )
        };
        if entry.peered {
            let detail = format!(
                "{} is a second TGW peering hop: vpcreach follows one per flow",
                pa.id
            );
            self.stop(&x, attachment(Code::UNSUPPORTED_COMPONENT, detail));
            return;
        }
        if !pa.active {
            let detail = format!("{} is {}", pa.id, pa.state);
            self.stop(&x, attachment(Code::BAD_STATE, detail));
            return;
        }
        let peer = pa.peer_transit_gateway.as_ref();
        let Some(gi) = peer.and_then(|r| r.idx) else {
            let detail = format!(
                "the transit gateway on the other side of {} ({}) is not in the snapshot",
                pa.id,
                peer.map(|r| r.id.as_str()).unwrap_or("?")
            );
            self.stop(&x, attachment(Code::SNAPSHOT_INCOMPLETE, detail));
            return;
        };
        let g = &t.transit_gateways[gi.i()];
        if !g.active {
            let stop = Stop::new(
                &g.id,
                ComponentKind::TransitGateway,
                Code::BAD_STATE,
                format!("{} is {}", g.id, g.state),
            );
            self.stop(&x, stop);
            return;
        }
        let table = g.route_tables.iter().copied().find(|r| {
            t.transit_gateway_route_tables[r.i()]
                .associations
                .iter()
                .any(|b| b.active && b.attachment.id == pa.id)
        });
        let peer_record = g
            .attachments
            .iter()
            .map(|a| &t.transit_gateway_attachments[a.i()])
            .find(|a| a.id == pa.id);
        let Some(table) = table else {
            let (code, detail) = match peer_record {
                Some(_) => (
                    Code::TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION,
                    format!(
                        "{} is associated with no route table of {} (the peer side)",
                        pa.id, g.id
                    ),
                ),
                None => (
                    Code::SNAPSHOT_INCOMPLETE,
                    format!(
                        "the peer side of {} (its attachment record on {}) is not in the snapshot: the table that routes it there is unknown",
                        pa.id, g.id
                    ),
                ),
            };
            self.stop(&x, attachment(code, detail));
            return;
        };
        let peer_side = peer_record.unwrap_or(pa);
        x.hops.push(hop(
            &pa.id,
            ComponentKind::TransitGatewayAttachment,
            None,
            None,
            format!("peering to {} ({})", g.id, t.scopes[g.scope.i()].region),
        ));
        let routes = self.idx.tgw_routes(t, table);
        let peer_entry = Entry {
            gateway: g,
            attachment: peer_side,
            subnet: None,
            az: entry.az.clone(),
            vpc: entry.vpc,
            table: &t.transit_gateway_route_tables[table.i()],
            peered: true,
        };
        self.tgw_table_notes(peer_entry.table, &routes);
        let lpm = LpmTable::new(
            routes
                .installed()
                .iter()
                .map(|r| (r.destination, r))
                .collect(),
        );
        self.tgw_route(x, &peer_entry, &routes, &lpm);
    }
}
