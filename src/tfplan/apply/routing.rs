//! VPC route tables (`aws_route_table`, `aws_default_route_table` with inline `route` blocks,
//! `aws_route`) and their associations (`aws_route_table_association`,
//! `aws_main_route_table_association`), in the `describe-route-tables` shape.

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};
use crate::tfplan::Action;

/// One route from Terraform's attribute names (`cidr_block` inline, `destination_cidr_block` in
/// `aws_route`): a gateway endpoint is printed by AWS as `GatewayId: vpce-…`, an egress-only
/// gateway as `EgressOnlyInternetGatewayId`.
fn route_of(a: &Attrs<'_>, inline: bool) -> Result<Route, Fault> {
    let (k4, k6, kpl) = if inline {
        (
            "cidr_block",
            "ipv6_cidr_block",
            "destination_prefix_list_id",
        )
    } else {
        (
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
        )
    };
    let destination_cidr_block = match a.str(k4)? {
        Some(s) => Some(Cidr4(s.trim().parse().map_err(|_| {
            a.invalid(k4, format!("expected an IPv4 CIDR block, got {s:?}"))
        })?)),
        None => None,
    };
    let destination_ipv6_cidr_block = match a.str(k6)? {
        Some(s) => Some(Cidr6(s.trim().parse().map_err(|_| {
            a.invalid(k6, format!("expected an IPv6 CIDR block, got {s:?}"))
        })?)),
        None => None,
    };
    let destination_prefix_list_id = a.str(kpl)?;
    if destination_cidr_block.is_none()
        && destination_ipv6_cidr_block.is_none()
        && destination_prefix_list_id.is_none()
    {
        return Err(a.invalid(
            k4,
            "a route needs a destination (IPv4, IPv6 or prefix list)".into(),
        ));
    }
    Ok(Route {
        destination_cidr_block,
        destination_ipv6_cidr_block,
        destination_prefix_list_id,
        gateway_id: a.str("gateway_id")?.or(a.str("vpc_endpoint_id")?),
        nat_gateway_id: a.str("nat_gateway_id")?,
        transit_gateway_id: a.str("transit_gateway_id")?,
        vpc_peering_connection_id: a.str("vpc_peering_connection_id")?,
        network_interface_id: a.str("network_interface_id")?,
        egress_only_internet_gateway_id: a.str("egress_only_gateway_id")?,
        local_gateway_id: a.str("local_gateway_id")?,
        carrier_gateway_id: a.str("carrier_gateway_id")?,
        core_network_arn: a.str("core_network_arn")?,
        origin: Some("CreateRoute".into()),
        state: Some("active".into()),
        ..Default::default()
    })
}

fn same_destination(a: &Route, b: &Route) -> bool {
    a.destination_cidr_block == b.destination_cidr_block
        && a.destination_ipv6_cidr_block == b.destination_ipv6_cidr_block
        && a.destination_prefix_list_id == b.destination_prefix_list_id
}

fn find_table<'d>(w: &'d mut World<'_>, id: &str) -> Option<&'d mut RouteTable> {
    w.all()
        .flat_map(|d| d.route_tables.iter_mut())
        .map(|l| &mut l.item)
        .find(|t| t.route_table_id == id)
}

/// The `local` routes of a new table: one per CIDR of its VPC.
fn local_routes(w: &mut World<'_>, vpc_id: &str) -> Vec<Route> {
    let mut out = Vec::new();
    for d in w.all() {
        for v in d.vpcs.iter().filter(|v| v.item.vpc_id == vpc_id) {
            let mut cidrs: Vec<Cidr4> = v.item.cidr_block.into_iter().collect();
            cidrs.extend(
                v.item
                    .cidr_block_association_set
                    .iter()
                    .filter_map(|a| a.cidr_block),
            );
            cidrs.dedup();
            for c in cidrs {
                out.push(Route {
                    destination_cidr_block: Some(c),
                    gateway_id: Some("local".into()),
                    origin: Some("CreateRouteTable".into()),
                    state: Some("active".into()),
                    ..Default::default()
                });
            }
            for c in v
                .item
                .ipv6_cidr_block_association_set
                .iter()
                .filter_map(|a| a.ipv6_cidr_block)
            {
                out.push(Route {
                    destination_ipv6_cidr_block: Some(c),
                    gateway_id: Some("local".into()),
                    origin: Some("CreateRouteTable".into()),
                    state: Some("active".into()),
                    ..Default::default()
                });
            }
        }
    }
    out
}

/// `aws_route_table` / `aws_default_route_table`: the inline routes replace every non-local
/// route of the table.
pub fn table(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let default = c.rc.rtype == "aws_default_route_table";
    let old = match c.before {
        Some(b) if default => b.str("default_route_table_id")?.or(b.str("id")?),
        _ => c.old_id()?,
    };
    if matches!(c.rc.action, Action::Delete | Action::Replace) && !default {
        if let Some(o) = &old {
            for d in w.all() {
                d.route_tables.retain(|t| &t.item.route_table_id != o);
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (&c.rc.action, &old) {
        (Action::Update, Some(o)) => o.clone(),
        _ if default => a.req_str("default_route_table_id")?,
        _ => c.id()?,
    };
    let mut routes = Vec::new();
    for b in a.blocks("route")? {
        routes.push(route_of(&b, true)?);
    }
    let mut vgws = Vec::new();
    for g in a.opt_strs("propagating_vgws")? {
        vgws.push(PropagatingVgw { gateway_id: g });
    }
    let tags = a.tags()?;
    if let Some(t) = find_table(w, &id) {
        t.routes
            .retain(|r| r.gateway_id.as_deref() == Some("local"));
        t.routes.extend(routes);
        t.propagating_vgws = vgws;
        return Ok(Outcome::Applied);
    }
    let vpc_id = a.req_str("vpc_id")?;
    let mut all = local_routes(w, &vpc_id);
    all.extend(routes);
    let v = vpc_id.clone();
    let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == v));
    data.route_tables.push(c.here.locate(RouteTable {
        route_table_id: id,
        vpc_id,
        owner_id: None,
        associations: Vec::new(),
        routes: all,
        propagating_vgws: vgws,
        tags,
    }));
    Ok(Outcome::Applied)
}

/// `aws_route`.
pub fn route(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let id = b.req_str("route_table_id")?;
            let r = route_of(b, false)?;
            if let Some(t) = find_table(w, &id) {
                t.routes.retain(|x| !same_destination(x, &r));
            }
        }
    }
    if let Some(a) = c.added() {
        let id = a.req_str("route_table_id")?;
        let r = route_of(a, false)?;
        let t = find_table(w, &id).ok_or_else(|| {
            Fault::Unknown(format!(
                "route table {id} is neither in the snapshot nor created by the plan"
            ))
        })?;
        t.routes.retain(|x| !same_destination(x, &r));
        t.routes.push(r);
    }
    Ok(Outcome::Applied)
}

/// Take `subnet` (or gateway) off every table, then put it on `table`.
fn associate(w: &mut World<'_>, subnet: Option<&str>, gateway: Option<&str>, table: Option<&str>) {
    for d in w.all() {
        for t in d.route_tables.iter_mut() {
            t.item.associations.retain(|a| {
                a.main
                    || !((subnet.is_some() && a.subnet_id.as_deref() == subnet)
                        || (gateway.is_some() && a.gateway_id.as_deref() == gateway))
            });
            if Some(t.item.route_table_id.as_str()) == table {
                t.item.associations.push(RouteTableAssociation {
                    main: false,
                    route_table_id: table.map(str::to_string),
                    subnet_id: subnet.map(str::to_string),
                    gateway_id: gateway.map(str::to_string),
                    association_state: Some(StateOnly {
                        state: "associated".into(),
                    }),
                    ..Default::default()
                });
            }
        }
    }
}

/// `aws_route_table_association` (a subnet or a gateway); deleting one puts a subnet back on
/// its VPC's main table (as AWS does).
pub fn association(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let (s, g) = (b.str("subnet_id")?, b.str("gateway_id")?);
            associate(w, s.as_deref(), g.as_deref(), None);
        }
    }
    if let Some(a) = c.added() {
        let (s, g) = (a.str("subnet_id")?, a.str("gateway_id")?);
        let t = a.req_str("route_table_id")?;
        if find_table(w, &t).is_none() {
            return Err(Fault::Unknown(format!(
                "route table {t} is neither in the snapshot nor created by the plan"
            )));
        }
        associate(w, s.as_deref(), g.as_deref(), Some(&t));
    }
    Ok(Outcome::Applied)
}

/// `aws_main_route_table_association`: the VPC's main table becomes `route_table_id`.
pub fn main_association(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let Some(a) = c.added() else {
        // Deleting it gives the main flag back to the original table (`original_route_table_id`).
        if let Some(b) = c.before {
            if let (Some(vpc), Some(orig)) = (b.str("vpc_id")?, b.str("original_route_table_id")?) {
                set_main(w, &vpc, &orig);
            }
        }
        return Ok(Outcome::Applied);
    };
    let vpc = a.req_str("vpc_id")?;
    let t = a.req_str("route_table_id")?;
    if find_table(w, &t).is_none() {
        return Err(Fault::Unknown(format!(
            "route table {t} is neither in the snapshot nor created by the plan"
        )));
    }
    set_main(w, &vpc, &t);
    Ok(Outcome::Applied)
}

fn set_main(w: &mut World<'_>, vpc: &str, table: &str) {
    for d in w.all() {
        for t in d.route_tables.iter_mut().filter(|t| t.item.vpc_id == vpc) {
            t.item.associations.retain(|a| !a.main);
            if t.item.route_table_id == table {
                t.item.associations.push(RouteTableAssociation {
                    main: true,
                    route_table_id: Some(table.to_string()),
                    association_state: Some(StateOnly {
                        state: "associated".into(),
                    }),
                    ..Default::default()
                });
            }
        }
    }
}
