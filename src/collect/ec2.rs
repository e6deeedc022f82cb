//! The EC2 calls of one region: the listings first, then the calls made per VPC, per managed
//! prefix list and per TGW route table, whose output carries no parent id and is therefore
//! written under vpcreach's wrapper keys (`VpcAttributes`, `ManagedPrefixListEntries`,
//! `TransitGatewayRoutes`, `TransitGatewayAssociations`, `TransitGatewayPropagations`).

use super::calls::{self as c, listing, CallSpec, Ctx, Done};
use super::convert_ec2 as conv;
use super::paginate::paginate;
use crate::snapshot::aws;
use aws_sdk_ec2::types::{Filter, VpcAttributeName};
use aws_sdk_ec2::Client;
use serde::Serialize;
use std::future::Future;
use std::time::Instant;
use tokio::task::JoinSet;

/// A paginated EC2 listing: `$op` builder, `$items` accessor, `$conv` per-item conversion.
macro_rules! page_list {
    ($ctx:expr, $client:expr, $spec:expr, $op:ident, $items:ident, $conv:expr) => {{
        let (ctx, client): (&Ctx, &Client) = ($ctx, $client);
        async move {
            let started = Instant::now();
            let res = paginate(|token| async move {
                let out = ctx.send(client.$op().set_next_token(token).send()).await?;
                let items: Vec<_> = out
                    .$items()
                    .iter()
                    .map(|item| ctx.noting(&$spec, None, || ($conv)(item)))
                    .collect();
                Ok::<_, String>((items, out.next_token().map(str::to_string)))
            })
            .await
            .map_err(|e| e.to_string());
            let done = listing(&$spec, &res, started);
            ctx.progress.call_done(&done);
            (done, res.ok())
        }
    }};
}

/// Every EC2 call of one region, in [`c::CALLS`] order.
pub async fn collect_region(ctx: &Ctx, client: &Client) -> Vec<Done> {
    let addresses = async {
        let started = Instant::now();
        // DescribeAddresses is not paginated.
        let res = ctx
            .send(client.describe_addresses().send())
            .await
            .map(|out| {
                out.addresses()
                    .iter()
                    .map(|a| ctx.noting(&c::ADDRESSES, None, || conv::address(a)))
                    .collect::<Vec<_>>()
            });
        let done = listing(&c::ADDRESSES, &res, started);
        ctx.progress.call_done(&done);
        done
    };
    let (
        (vpcs, vpc_list),
        (subnets, _),
        (route_tables, _),
        (nacls, _),
        (sgs, _),
        (instances, _),
        (enis, _),
        addresses,
        (igws, _),
        (eigws, _),
        (nats, _),
        (endpoints, _),
        (services, _),
        (pls, _),
        (mpls, mpl_list),
        (peering, _),
        (tgws, _),
        (tgw_atts, _),
        (tgw_vpc_atts, _),
        (tgw_peer_atts, _),
        (tgw_rts, tgw_rt_list),
    ) = tokio::join!(
        page_list!(ctx, client, c::VPCS, describe_vpcs, vpcs, conv::vpc),
        page_list!(
            ctx,
            client,
            c::SUBNETS,
            describe_subnets,
            subnets,
            conv::subnet
        ),
        page_list!(
            ctx,
            client,
            c::ROUTE_TABLES,
            describe_route_tables,
            route_tables,
            conv::route_table
        ),
        page_list!(
            ctx,
            client,
            c::NETWORK_ACLS,
            describe_network_acls,
            network_acls,
            conv::network_acl
        ),
        page_list!(
            ctx,
            client,
            c::SECURITY_GROUPS,
            describe_security_groups,
            security_groups,
            conv::security_group
        ),
        page_list!(
            ctx,
            client,
            c::INSTANCES,
            describe_instances,
            reservations,
            conv::reservation
        ),
        page_list!(
            ctx,
            client,
            c::NETWORK_INTERFACES,
            describe_network_interfaces,
            network_interfaces,
            conv::network_interface
        ),
        addresses,
        page_list!(
            ctx,
            client,
            c::INTERNET_GATEWAYS,
            describe_internet_gateways,
            internet_gateways,
            conv::internet_gateway
        ),
        page_list!(
            ctx,
            client,
            c::EGRESS_ONLY_IGWS,
            describe_egress_only_internet_gateways,
            egress_only_internet_gateways,
            conv::egress_only_internet_gateway
        ),
        page_list!(
            ctx,
            client,
            c::NAT_GATEWAYS,
            describe_nat_gateways,
            nat_gateways,
            conv::nat_gateway
        ),
        page_list!(
            ctx,
            client,
            c::VPC_ENDPOINTS,
            describe_vpc_endpoints,
            vpc_endpoints,
            conv::vpc_endpoint
        ),
        page_list!(
            ctx,
            client,
            c::VPC_ENDPOINT_SERVICE_CONFIGURATIONS,
            describe_vpc_endpoint_service_configurations,
            service_configurations,
            super::convert_elbv2::service_configuration
        ),
        page_list!(
            ctx,
            client,
            c::PREFIX_LISTS,
            describe_prefix_lists,
            prefix_lists,
            conv::prefix_list
        ),
        page_list!(
            ctx,
            client,
            c::MANAGED_PREFIX_LISTS,
            describe_managed_prefix_lists,
            prefix_lists,
            conv::managed_prefix_list
        ),
        page_list!(
            ctx,
            client,
            c::PEERING,
            describe_vpc_peering_connections,
            vpc_peering_connections,
            conv::vpc_peering_connection
        ),
        page_list!(
            ctx,
            client,
            c::TGWS,
            describe_transit_gateways,
            transit_gateways,
            conv::transit_gateway
        ),
        page_list!(
            ctx,
            client,
            c::TGW_ATTACHMENTS,
            describe_transit_gateway_attachments,
            transit_gateway_attachments,
            conv::transit_gateway_attachment
        ),
        page_list!(
            ctx,
            client,
            c::TGW_VPC_ATTACHMENTS,
            describe_transit_gateway_vpc_attachments,
            transit_gateway_vpc_attachments,
            conv::transit_gateway_vpc_attachment
        ),
        page_list!(
            ctx,
            client,
            c::TGW_PEERING_ATTACHMENTS,
            describe_transit_gateway_peering_attachments,
            transit_gateway_peering_attachments,
            conv::transit_gateway_peering_attachment
        ),
        page_list!(
            ctx,
            client,
            c::TGW_ROUTE_TABLES,
            describe_transit_gateway_route_tables,
            transit_gateway_route_tables,
            conv::transit_gateway_route_table
        ),
    );

    let vpc_ids = vpc_list.map(|v| v.into_iter().map(|x| x.vpc_id).collect::<Vec<_>>());
    let pl_ids = mpl_list.map(|v| v.into_iter().map(|x| x.prefix_list_id).collect::<Vec<_>>());
    let rt_ids = tgw_rt_list.map(|v| {
        v.into_iter()
            .map(|x| x.transit_gateway_route_table_id)
            .collect::<Vec<_>>()
    });

    let (attributes, entries, tgw_routes, tgw_assocs, tgw_props) = tokio::join!(
        per_parent(
            ctx,
            &c::VPC_ATTRIBUTE,
            &c::VPCS,
            vpc_ids,
            client,
            vpc_attribute
        ),
        per_parent(
            ctx,
            &c::PREFIX_LIST_ENTRIES,
            &c::MANAGED_PREFIX_LISTS,
            pl_ids,
            client,
            prefix_list_entries
        ),
        per_parent(
            ctx,
            &c::TGW_ROUTES,
            &c::TGW_ROUTE_TABLES,
            rt_ids.clone(),
            client,
            tgw_routes
        ),
        per_parent(
            ctx,
            &c::TGW_ASSOCIATIONS,
            &c::TGW_ROUTE_TABLES,
            rt_ids.clone(),
            client,
            tgw_associations
        ),
        per_parent(
            ctx,
            &c::TGW_PROPAGATIONS,
            &c::TGW_ROUTE_TABLES,
            rt_ids,
            client,
            tgw_propagations
        ),
    );

    vec![
        vpcs,
        attributes,
        subnets,
        route_tables,
        nacls,
        sgs,
        instances,
        enis,
        addresses,
        igws,
        eigws,
        nats,
        endpoints,
        services,
        pls,
        mpls,
        entries,
        peering,
        tgws,
        tgw_atts,
        tgw_vpc_atts,
        tgw_peer_atts,
        tgw_rts,
        tgw_routes,
        tgw_assocs,
        tgw_props,
    ]
}

/// Run `call` for every parent id concurrently (bounded by the request limit) and gather the
/// wrapper elements in parent order. `parents == None` means the parent listing failed: the call
/// is skipped, never silently empty.
async fn per_parent<T, F, Fut>(
    ctx: &Ctx,
    spec: &'static CallSpec,
    parent_spec: &'static CallSpec,
    parents: Option<Vec<String>>,
    client: &Client,
    call: F,
) -> Done
where
    T: Serialize + Counted + Send + 'static,
    F: Fn(Ctx, Client, String) -> Fut,
    Fut: Future<Output = Result<T, String>> + Send + 'static,
{
    let started = Instant::now();
    let Some(parents) = parents else {
        let done = Done::skipped(spec, format!("{} failed", parent_spec.operation));
        ctx.progress.call_done(&done);
        return done;
    };
    let mut set = JoinSet::new();
    for (i, id) in parents.iter().enumerate() {
        let fut = call(ctx.clone(), client.clone(), id.clone());
        set.spawn(async move { (i, fut.await) });
    }
    let mut results: Vec<(usize, Result<T, String>)> = Vec::with_capacity(parents.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(r) => results.push(r),
            Err(e) => results.push((usize::MAX, Err(format!("task failed: {e}")))),
        }
    }
    results.sort_by_key(|(i, _)| *i);
    let mut elements = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in results {
        let parent = parents.get(i).map(String::as_str).unwrap_or("?");
        match r {
            Ok(el) => elements.push(el),
            Err(e) => errors.push(format!("{parent}: {e}")),
        }
    }
    let items = elements.iter().map(Counted::count).sum();
    let done = if elements.is_empty() && !errors.is_empty() {
        Done {
            errors,
            ..Done::failed(spec, String::new(), started.elapsed())
        }
    } else {
        Done::body_of(spec, &elements, items, errors, started.elapsed())
    };
    ctx.progress.call_done(&done);
    done
}

/// How many items a wrapper element counts for in the manifest.
pub trait Counted {
    /// Inner items (routes, entries, bindings), or 1 for a VPC's attributes.
    fn count(&self) -> usize;
}

impl Counted for aws::VpcAttribute {
    fn count(&self) -> usize {
        1
    }
}
impl Counted for aws::ManagedPrefixListEntries {
    fn count(&self) -> usize {
        self.entries.len()
    }
}
impl Counted for aws::TgwRouteTableRoutes {
    fn count(&self) -> usize {
        self.routes.len()
    }
}
impl Counted for aws::TgwAssociationsWrapper {
    fn count(&self) -> usize {
        self.associations.len()
    }
}
impl Counted for aws::TgwPropagationsWrapper {
    fn count(&self) -> usize {
        self.transit_gateway_route_table_propagations.len()
    }
}

async fn vpc_attribute(
    ctx: Ctx,
    client: Client,
    vpc_id: String,
) -> Result<aws::VpcAttribute, String> {
    let get = |name: VpcAttributeName| {
        let (ctx, client, vpc_id) = (&ctx, &client, &vpc_id);
        async move {
            ctx.send(
                client
                    .describe_vpc_attribute()
                    .vpc_id(vpc_id.clone())
                    .attribute(name)
                    .send(),
            )
            .await
        }
    };
    let (support, hostnames) = tokio::join!(
        get(VpcAttributeName::EnableDnsSupport),
        get(VpcAttributeName::EnableDnsHostnames)
    );
    let (support, hostnames) = (support?, hostnames?);
    let value = |v: Option<&aws_sdk_ec2::types::AttributeBooleanValue>| {
        v.and_then(|b| b.value())
            .map(|value| aws::AttributeBool { value })
    };
    Ok(aws::VpcAttribute {
        vpc_id,
        enable_dns_support: value(support.enable_dns_support()),
        enable_dns_hostnames: value(hostnames.enable_dns_hostnames()),
    })
}

async fn prefix_list_entries(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::ManagedPrefixListEntries, String> {
    let (ctx, client, pl) = (&ctx, &client, &id);
    let entries = paginate(|token| async move {
        let out = ctx
            .send(
                client
                    .get_managed_prefix_list_entries()
                    .prefix_list_id(pl.clone())
                    .set_next_token(token)
                    .send(),
            )
            .await?;
        let items: Vec<_> = out
            .entries()
            .iter()
            .filter_map(|e| {
                ctx.noting(&c::PREFIX_LIST_ENTRIES, Some(pl), || {
                    conv::prefix_list_entry(e)
                })
            })
            .collect();
        Ok::<_, String>((items, out.next_token().map(str::to_string)))
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(aws::ManagedPrefixListEntries {
        prefix_list_id: id.clone(),
        entries,
    })
}

async fn tgw_routes(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::TgwRouteTableRoutes, String> {
    // SearchTransitGatewayRoutes requires a filter; both route types cover every route. It is
    // not paginated: past its limit it sets AdditionalRoutesAvailable, which is kept.
    let filter = Filter::builder()
        .name("type")
        .values("static")
        .values("propagated")
        .build();
    let out = ctx
        .send(
            client
                .search_transit_gateway_routes()
                .transit_gateway_route_table_id(id.clone())
                .filters(filter)
                .send(),
        )
        .await?;
    Ok(aws::TgwRouteTableRoutes {
        transit_gateway_route_table_id: id.clone(),
        additional_routes_available: out.additional_routes_available().unwrap_or(false),
        routes: out
            .routes()
            .iter()
            .map(|r| ctx.noting(&c::TGW_ROUTES, Some(&id), || conv::transit_gateway_route(r)))
            .collect(),
    })
}

async fn tgw_associations(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::TgwAssociationsWrapper, String> {
    let (ctx_r, client_r, rt) = (&ctx, &client, &id);
    let associations = paginate(|token| async move {
        let out = ctx_r
            .send(
                client_r
                    .get_transit_gateway_route_table_associations()
                    .transit_gateway_route_table_id(rt.clone())
                    .set_next_token(token)
                    .send(),
            )
            .await?;
        let items: Vec<_> = out
            .associations()
            .iter()
            .map(|a| ctx_r.noting(&c::TGW_ASSOCIATIONS, Some(rt), || conv::tgw_association(a)))
            .collect();
        Ok::<_, String>((items, out.next_token().map(str::to_string)))
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(aws::TgwAssociationsWrapper {
        transit_gateway_route_table_id: id.clone(),
        associations,
    })
}

async fn tgw_propagations(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::TgwPropagationsWrapper, String> {
    let (ctx_r, client_r, rt) = (&ctx, &client, &id);
    let propagations = paginate(|token| async move {
        let out = ctx_r
            .send(
                client_r
                    .get_transit_gateway_route_table_propagations()
                    .transit_gateway_route_table_id(rt.clone())
                    .set_next_token(token)
                    .send(),
            )
            .await?;
        let items: Vec<_> = out
            .transit_gateway_route_table_propagations()
            .iter()
            .map(|p| ctx_r.noting(&c::TGW_PROPAGATIONS, Some(rt), || conv::tgw_propagation(p)))
            .collect();
        Ok::<_, String>((items, out.next_token().map(str::to_string)))
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok(aws::TgwPropagationsWrapper {
        transit_gateway_route_table_id: id.clone(),
        transit_gateway_route_table_propagations: propagations,
    })
}
