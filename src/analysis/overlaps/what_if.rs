//! `--what-if-attach`: would attaching a VPC to a transit gateway propagate its blocks, and
//! which installed blocks or static routes would win over them (T4, T5)?

use super::context::Context;
use crate::findings::overlaps::*;
use crate::model::tgw_routes::{self, Propagator};
use crate::model::*;
use ipnet::IpNet;

impl Context<'_> {
    pub(super) fn what_if(&self, vpc_id: &str, tgw_id: &str) -> Result<WhatIf, String> {
        let t = self.t;
        let v = self
            .vpc_by_id(vpc_id)
            .ok_or_else(|| format!("--what-if-attach: VPC {vpc_id} is not in the snapshot"))?;
        let g = self
            .tgw_by_id(tgw_id)
            .ok_or_else(|| format!("--tgw: transit gateway {tgw_id} is not in the snapshot"))?;
        let tgw = &t.transit_gateways[g.i()];
        let tgw_region = t
            .scopes
            .get(tgw.scope.i())
            .map(|s| s.region.as_str())
            .unwrap_or("?");
        let mut answer = WhatIf {
            vpc: vpc_id.to_string(),
            transit_gateway: tgw_id.to_string(),
            already_attached: None,
            would_propagate: false,
            tables: Vec::new(),
            explanation: String::new(),
        };
        if tgw_region != self.region(v) {
            answer.explanation = format!(
                "{} is in {} and {tgw_id} in {tgw_region}: a VPC attaches only to a transit gateway of its own region",
                self.label(v), self.region(v)
            );
            return Ok(answer);
        }
        let existing = self
            .attachments
            .get(&v)
            .into_iter()
            .flatten()
            .find(|a| t.transit_gateway_attachments[a.i()].transit_gateway.idx == Some(g))
            .copied();
        answer.already_attached = existing.map(|a| t.transit_gateway_attachments[a.i()].id.clone());
        let new_id = "(new attachment)".to_string();
        let att_id = answer
            .already_attached
            .clone()
            .unwrap_or_else(|| new_id.clone());
        let mut targets: Vec<(TgwRouteTableIdx, WhatIfTableReason)> = Vec::new();
        if let Some(def) = &tgw.default_propagation_route_table {
            targets.extend(
                tgw.route_tables
                    .iter()
                    .filter(|r| &t.transit_gateway_route_tables[r.i()].id == def)
                    .map(|&r| (r, WhatIfTableReason::DefaultPropagationRouteTable)),
            );
        }
        if targets.is_empty() {
            targets.extend(
                tgw.route_tables
                    .iter()
                    .map(|&r| (r, WhatIfTableReason::RouteTableOfTheTgw)),
            );
        }
        let mut all_ok = !targets.is_empty();
        let inferred: Vec<String> = targets
            .iter()
            .map(|(r, _)| &t.transit_gateway_route_tables[r.i()])
            .filter(|r| {
                r.propagation_source == BindingSource::InferredFromDefaults
                    && r.observed_routes.is_none()
            })
            .map(|r| r.id.clone())
            .collect();
        for (table, reason) in targets {
            let (mut props, _) = tgw_routes::propagators(t, table);
            if !props.iter().any(|p| p.vpc == v) {
                props.push(Propagator {
                    attachment: existing,
                    attachment_id: att_id.clone(),
                    vpc: v,
                    created: if existing.is_some() {
                        self.creation(existing).and_then(|s| s.parse().ok())
                    } else {
                        Some(jiff::Timestamp::MAX)
                    },
                    ipv6: existing
                        .map(|a| t.transit_gateway_attachments[a.i()].ipv6_support)
                        .unwrap_or(!self.vpc(v).cidrs_v6.is_empty()),
                });
            }
            let tr = tgw_routes::compute(t, table, props);
            let mine = |r: &&tgw_routes::EffectiveTgwRoute| {
                r.vpc == Some(v) && r.kind == TgwRouteType::Propagated
            };
            let propagated: Vec<IpNet> = tr
                .routes
                .iter()
                .filter(mine)
                .map(|r| r.destination)
                .collect();
            let overridden: Vec<IpNet> = tr
                .overridden_by_static
                .iter()
                .filter(mine)
                .map(|r| r.destination)
                .collect();
            let suppressed: Vec<WhatIfSuppressed> = tr
                .suppressed
                .iter()
                .filter(|s| s.vpc == v)
                .filter_map(|s| {
                    let w = s.winner()?;
                    Some(WhatIfSuppressed {
                        cidr: s.cidr,
                        winner: self.vpc(w.vpc).id.clone(),
                        winner_cidr: w.cidr,
                        winner_attachment: w.attachment_id.clone(),
                    })
                })
                .collect();
            let mut takes = Vec::new();
            for p in &propagated {
                let cover = tr
                    .routes
                    .iter()
                    .filter(|r| {
                        r.vpc != Some(v)
                            && r.destination.prefix_len() < p.prefix_len()
                            && r.destination.contains(p)
                    })
                    .max_by_key(|r| r.destination.prefix_len());
                if let Some(r) = cover {
                    takes.push(RouteRef {
                        destination: r.destination,
                        attachment: r.attachment_id.clone(),
                        kind: match &r.kind {
                            TgwRouteType::Static => TgwRouteKind::Static,
                            TgwRouteType::Propagated => TgwRouteKind::Propagated,
                            TgwRouteType::Other(o) => TgwRouteKind::Other(o.clone()),
                        },
                        for_cidr: *p,
                    });
                }
            }
            all_ok &= suppressed.is_empty() && overridden.is_empty();
            answer.tables.push(WhatIfTable {
                route_table: t.transit_gateway_route_tables[table.i()].id.clone(),
                reason,
                propagated,
                suppressed,
                overridden_by_static: overridden,
                takes_traffic_from: takes,
            });
        }
        answer.would_propagate = all_ok;
        let lost: Vec<String> = answer
            .tables
            .iter()
            .flat_map(|tb| {
                tb.suppressed.iter().map(move |s| {
                    format!(
                        "{} (loses to {} {} in {})",
                        s.cidr,
                        self.label_id(&s.winner),
                        s.winner_cidr,
                        tb.route_table
                    )
                })
            })
            .collect();
        answer.explanation = if answer.tables.is_empty() {
            format!("{tgw_id} has no route table in the snapshot")
        } else if all_ok {
            format!(
                "attaching {} to {tgw_id} would propagate every block of it{}",
                self.label(v),
                if answer
                    .tables
                    .iter()
                    .any(|t| !t.takes_traffic_from.is_empty())
                {
                    "; traffic now sent to the less specific routes listed in takes_traffic_from would go to it instead"
                } else {
                    ""
                }
            )
        } else if lost.is_empty() {
            format!("attaching {} to {tgw_id}: a static route of the same prefix would win over some of its blocks", self.label(v))
        } else {
            format!(
                "attaching {} to {tgw_id} would NOT propagate {}: the new attachment is the latest, so every overlapping block already installed wins (T4)",
                self.label(v),
                lost.join(", ")
            )
        };
        if !inferred.is_empty() {
            answer.explanation.push_str(&format!(
                " (the current propagations into {} are inferred from the TGW's default options: the snapshot has no propagation records, T10)",
                inferred.join(", ")
            ));
        }
        Ok(answer)
    }
}
