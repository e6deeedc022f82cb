//! Transit gateways, their VPC attachments, route tables, static routes, associations and
//! propagations. A planned change to a TGW route table makes the routes AWS reported for it
//! (`TransitGatewayRoutes`) stale: they are dropped (their static routes kept) so that the
//! model computes the table from its propagations and static routes (T3–T5), overlap
//! suppression included.

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};
use crate::tfplan::Action;

/// When a planned attachment is created: after every existing one (for T4 ordering).
const PLANNED_CREATION: &str = "9999-12-31T23:59:59+00:00";

fn enable(v: Option<String>) -> Option<String> {
    v.map(|s| s.to_ascii_lowercase())
}

/// `aws_ec2_transit_gateway`: a new one with default association / propagation gets its default
/// route table (`tgw-rtb-tf:<address>#default`), as AWS creates it.
pub fn gateway(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if matches!(c.rc.action, Action::Delete | Action::Replace) {
        if let Some(o) = &old {
            for d in w.all() {
                d.transit_gateways
                    .retain(|t| &t.item.transit_gateway_id != o);
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, &old) {
        (Action::Update, Some(o)) => o.clone(),
        _ => c.id()?,
    };
    let assoc =
        enable(a.str("default_route_table_association")?).unwrap_or_else(|| "enable".into());
    let prop = enable(a.str("default_route_table_propagation")?).unwrap_or_else(|| "enable".into());
    let default_table = crate::tfplan::refs::with_parent(&id, "tgw-rtb", "default");
    let assoc_table = a
        .str("association_default_route_table_id")?
        .or_else(|| (assoc == "enable").then(|| default_table.clone()));
    let prop_table = a
        .str("propagation_default_route_table_id")?
        .or_else(|| (prop == "enable").then(|| default_table.clone()));
    let options = TransitGatewayOptions {
        amazon_side_asn: a.int("amazon_side_asn")?,
        default_route_table_association: Some(assoc),
        association_default_route_table_id: assoc_table.clone(),
        default_route_table_propagation: Some(prop),
        propagation_default_route_table_id: prop_table.clone(),
        security_group_referencing_support: a.str("security_group_referencing_support")?,
        dns_support: a.str("dns_support")?,
    };
    for d in w.all() {
        if let Some(t) = d
            .transit_gateways
            .iter_mut()
            .find(|t| t.item.transit_gateway_id == id)
        {
            t.item.options = Some(options);
            return Ok(Outcome::Applied);
        }
    }
    let data = w.scope_of(|_| false);
    data.transit_gateways.push(c.here.locate(TransitGateway {
        transit_gateway_id: id.clone(),
        state: "available".into(),
        options: Some(options),
        tags: a.tags()?,
        ..Default::default()
    }));
    if assoc_table.as_deref() == Some(default_table.as_str())
        || prop_table.as_deref() == Some(default_table.as_str())
    {
        data.transit_gateway_route_tables
            .push(c.here.locate(TransitGatewayRouteTable {
                transit_gateway_route_table_id: default_table.clone(),
                transit_gateway_id: id.clone(),
                state: "available".into(),
                default_association_route_table: assoc_table.is_some(),
                default_propagation_route_table: prop_table.is_some(),
                ..Default::default()
            }));
        w.assume(format!("new transit gateway {id}: AWS creates its default route table ({default_table}) with it"));
    }
    Ok(Outcome::Applied)
}

fn options_of(w: &mut World<'_>, tgw: &str) -> Option<TransitGatewayOptions> {
    w.all()
        .flat_map(|d| d.transit_gateways.iter())
        .find(|t| t.item.transit_gateway_id == tgw)
        .and_then(|t| t.item.options.clone())
}

/// Add (or remove) one association / propagation binding of `table`.
fn bind(w: &mut World<'_>, table: &str, b: TgwRouteTableBinding, propagation: bool, add: bool) {
    w.stale_tgw_tables.push(table.to_string());
    let file = w.file;
    let att = b.transit_gateway_attachment_id.clone();
    let data = w.scope_of(|d| {
        d.transit_gateway_route_tables
            .iter()
            .any(|t| t.item.transit_gateway_route_table_id == table)
    });
    if propagation {
        let found = data
            .transit_gateway_propagations
            .iter_mut()
            .find(|x| x.item.transit_gateway_route_table_id == table);
        match found {
            Some(x) => {
                x.item
                    .transit_gateway_route_table_propagations
                    .retain(|p| p.transit_gateway_attachment_id != att);
                if add {
                    x.item.transit_gateway_route_table_propagations.push(b);
                }
            }
            None if add => {
                data.transit_gateway_propagations
                    .push(crate::snapshot::keys::Located {
                        item: TgwPropagationsWrapper {
                            transit_gateway_route_table_id: table.to_string(),
                            transit_gateway_route_table_propagations: vec![b],
                        },
                        file,
                        pointer: String::new(),
                    });
            }
            None => {}
        }
    } else {
        let found = data
            .transit_gateway_associations
            .iter_mut()
            .find(|x| x.item.transit_gateway_route_table_id == table);
        match found {
            Some(x) => {
                x.item
                    .associations
                    .retain(|p| p.transit_gateway_attachment_id != att);
                if add {
                    x.item.associations.push(b);
                }
            }
            None if add => data
                .transit_gateway_associations
                .push(crate::snapshot::keys::Located {
                    item: TgwAssociationsWrapper {
                        transit_gateway_route_table_id: table.to_string(),
                        associations: vec![b],
                    },
                    file,
                    pointer: String::new(),
                }),
            None => {}
        }
        for d in w.all() {
            for a in d
                .transit_gateway_attachments
                .iter_mut()
                .filter(|a| a.item.transit_gateway_attachment_id == att)
            {
                a.item.association = add.then(|| TgwAttachmentAssociation {
                    transit_gateway_route_table_id: table.to_string(),
                    state: "associated".into(),
                });
            }
        }
    }
}

/// `aws_ec2_transit_gateway_vpc_attachment`: associated with and propagating into the TGW's
/// default tables unless `transit_gateway_default_route_table_association` /
/// `_propagation` is false (or the TGW has no default table).
pub fn vpc_attachment(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if c.removes() {
        if let Some(o) = &old {
            let mut tables = Vec::new();
            for d in w.all() {
                d.transit_gateway_vpc_attachments
                    .retain(|a| &a.item.transit_gateway_attachment_id != o);
                d.transit_gateway_attachments
                    .retain(|a| &a.item.transit_gateway_attachment_id != o);
                for x in d.transit_gateway_propagations.iter_mut() {
                    x.item
                        .transit_gateway_route_table_propagations
                        .retain(|p| &p.transit_gateway_attachment_id != o);
                    tables.push(x.item.transit_gateway_route_table_id.clone());
                }
                for x in d.transit_gateway_associations.iter_mut() {
                    x.item
                        .associations
                        .retain(|p| &p.transit_gateway_attachment_id != o);
                }
            }
            w.stale_tgw_tables.extend(tables);
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = c.id()?;
    let tgw = a.req_str("transit_gateway_id")?;
    let vpc = a.req_str("vpc_id")?;
    let subnets = a.strs("subnet_ids")?;
    let ipv6 = a.str("ipv6_support")?;
    let appliance = a.str("appliance_mode_support")?;
    let opts = options_of(w, &tgw);
    let v = vpc.clone();
    let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == v));
    data.transit_gateway_vpc_attachments
        .push(c.here.locate(TransitGatewayVpcAttachment {
            transit_gateway_attachment_id: id.clone(),
            transit_gateway_id: tgw.clone(),
            vpc_id: vpc.clone(),
            vpc_owner_id: None,
            state: "available".into(),
            subnet_ids: subnets,
            creation_time: Some(PLANNED_CREATION.into()),
            options: Some(TgwVpcAttachmentOptions {
                ipv6_support: ipv6,
                appliance_mode_support: appliance,
                ..Default::default()
            }),
            tags: a.tags()?,
        }));
    data.transit_gateway_attachments
        .push(c.here.locate(TransitGatewayAttachment {
            transit_gateway_attachment_id: id.clone(),
            transit_gateway_id: tgw.clone(),
            resource_type: Some("vpc".into()),
            resource_id: Some(vpc.clone()),
            state: "available".into(),
            creation_time: Some(PLANNED_CREATION.into()),
            ..Default::default()
        }));
    w.assume(format!("TGW attachment {id} is created after every attachment in the snapshot (it comes last when overlapping propagated routes are ordered, T4)"));
    let binding = |state: &str| TgwRouteTableBinding {
        transit_gateway_attachment_id: id.clone(),
        resource_id: Some(vpc.clone()),
        resource_type: Some("vpc".into()),
        state: state.into(),
    };
    let flag = |k: &str| a.bool(k).map(|v| v.unwrap_or(true));
    if flag("transit_gateway_default_route_table_association")? {
        if let Some(t) = opts
            .as_ref()
            .filter(|o| o.default_route_table_association.as_deref() == Some("enable"))
            .and_then(|o| o.association_default_route_table_id.clone())
        {
            bind(w, &t, binding("associated"), false, true);
        }
    }
    if flag("transit_gateway_default_route_table_propagation")? {
        if let Some(t) = opts
            .as_ref()
            .filter(|o| o.default_route_table_propagation.as_deref() == Some("enable"))
            .and_then(|o| o.propagation_default_route_table_id.clone())
        {
            bind(w, &t, binding("enabled"), true, true);
        }
    }
    Ok(Outcome::Applied)
}

/// `aws_ec2_transit_gateway_route_table`.
pub fn route_table(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if matches!(c.rc.action, Action::Delete | Action::Replace) {
        if let Some(o) = &old {
            for d in w.all() {
                d.transit_gateway_route_tables
                    .retain(|t| &t.item.transit_gateway_route_table_id != o);
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    if matches!(c.rc.action, Action::Update) {
        return Ok(Outcome::Applied);
    }
    let id = c.id()?;
    let tgw = a.req_str("transit_gateway_id")?;
    let data = w.scope_of(|d| {
        d.transit_gateways
            .iter()
            .any(|t| t.item.transit_gateway_id == tgw)
    });
    data.transit_gateway_route_tables
        .push(c.here.locate(TransitGatewayRouteTable {
            transit_gateway_route_table_id: id,
            transit_gateway_id: tgw,
            state: "available".into(),
            tags: a.tags()?,
            ..Default::default()
        }));
    Ok(Outcome::Applied)
}

fn static_route(a: &Attrs<'_>) -> Result<(String, TransitGatewayRoute), Fault> {
    let table = a.req_str("transit_gateway_route_table_id")?;
    let s = a.req_str("destination_cidr_block")?;
    let cidr = s.trim().parse().map(Cidr).map_err(|_| {
        a.invalid(
            "destination_cidr_block",
            format!("expected a CIDR block, got {s:?}"),
        )
    })?;
    let blackhole = a.bool("blackhole")?.unwrap_or(false);
    let attachments = match a.str("transit_gateway_attachment_id")? {
        Some(att) if !blackhole => vec![TgwRouteAttachment {
            transit_gateway_attachment_id: att,
            ..Default::default()
        }],
        _ => Vec::new(),
    };
    Ok((
        table,
        TransitGatewayRoute {
            destination_cidr_block: Some(cidr),
            prefix_list_id: None,
            transit_gateway_attachments: attachments,
            route_type: "static".into(),
            state: if blackhole {
                "blackhole".into()
            } else {
                "active".into()
            },
        },
    ))
}

/// `aws_ec2_transit_gateway_route` (static, or `blackhole`).
pub fn route(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let (table, r) = static_route(b)?;
            w.stale_tgw_tables.push(table.clone());
            for d in w.all() {
                for x in d
                    .transit_gateway_static_routes
                    .iter_mut()
                    .chain(d.transit_gateway_routes.iter_mut())
                    .filter(|x| x.item.transit_gateway_route_table_id == table)
                {
                    x.item.routes.retain(|y| {
                        !(y.destination_cidr_block == r.destination_cidr_block
                            && y.route_type.eq_ignore_ascii_case("static"))
                    });
                }
            }
        }
    }
    if let Some(a) = c.added() {
        let (table, r) = static_route(a)?;
        w.stale_tgw_tables.push(table.clone());
        let data = w.scope_of(|d| {
            d.transit_gateway_route_tables
                .iter()
                .any(|t| t.item.transit_gateway_route_table_id == table)
        });
        data.transit_gateway_static_routes
            .push(c.here.locate(TgwRouteTableRoutes {
                transit_gateway_route_table_id: table,
                additional_routes_available: false,
                routes: vec![r],
            }));
    }
    Ok(Outcome::Applied)
}

/// `aws_ec2_transit_gateway_route_table_association` / `_propagation`.
pub fn binding(w: &mut World<'_>, c: &Change<'_>, propagation: bool) -> Result<Outcome, Fault> {
    let read = |a: &Attrs<'_>| -> Result<(String, String), Fault> {
        Ok((
            a.req_str("transit_gateway_route_table_id")?,
            a.req_str("transit_gateway_attachment_id")?,
        ))
    };
    let state = if propagation { "enabled" } else { "associated" };
    if c.removes() {
        if let Some(b) = c.before {
            let (t, att) = read(b)?;
            bind(
                w,
                &t,
                TgwRouteTableBinding {
                    transit_gateway_attachment_id: att,
                    state: state.into(),
                    ..Default::default()
                },
                propagation,
                false,
            );
        }
    }
    if let Some(a) = c.added() {
        let (t, att) = read(a)?;
        let resource = w
            .all()
            .flat_map(|d| d.transit_gateway_attachments.iter())
            .find(|x| x.item.transit_gateway_attachment_id == att)
            .map(|x| (x.item.resource_id.clone(), x.item.resource_type.clone()));
        let (resource_id, resource_type) = resource.unwrap_or((None, None));
        bind(
            w,
            &t,
            TgwRouteTableBinding {
                transit_gateway_attachment_id: att,
                resource_id,
                resource_type,
                state: state.into(),
            },
            propagation,
            true,
        );
    }
    Ok(Outcome::Applied)
}

/// Drop the observed routes of every TGW route table the plan changes (keeping their static
/// routes as static routes), so the model computes them; returns those tables.
pub fn drop_stale_observed_routes(w: &mut World<'_>) -> Vec<String> {
    let mut tables = std::mem::take(&mut w.stale_tgw_tables);
    tables.sort();
    tables.dedup();
    recompute(w.scopes, &tables);
    for t in &tables {
        w.assume(format!("TGW route table {t}: changed by the plan, so its routes are computed from its propagations and static routes on both sides (the routes the snapshot observed no longer describe the planned state)"));
    }
    tables
}

/// Drop the observed routes of `tables` (their static routes kept as static routes).
pub fn recompute(scopes: &mut [crate::snapshot::RawScope], tables: &[String]) {
    for d in scopes.iter_mut().map(|s| &mut s.data) {
        let (stale, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut d.transit_gateway_routes)
            .into_iter()
            .partition(|x| tables.contains(&x.item.transit_gateway_route_table_id));
        d.transit_gateway_routes = keep;
        for mut x in stale {
            x.item
                .routes
                .retain(|r| r.route_type.eq_ignore_ascii_case("static"));
            x.item.additional_routes_available = false;
            d.transit_gateway_static_routes.push(x);
        }
    }
}
