//! VPC endpoints (`aws_vpc_endpoint`: `vpc_id`, `service_name`, `vpc_endpoint_type`
//! (Gateway when absent, as in AWS), `route_table_ids`, `subnet_ids`, `security_group_ids`,
//! `private_dns_enabled`), in the `describe-vpc-endpoints` shape. As AWS does: a gateway
//! endpoint adds to each of its route tables a route to the service's prefix list (from
//! `describe-prefix-lists`, by service name) targeting the endpoint; an interface endpoint has
//! one requester-managed interface per subnet (`VPC Endpoint Interface <id>`, type
//! `vpc_endpoint`, the endpoint's groups, or the VPC's default group when none is named), at
//! some free address of the subnet (an assumption).

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::Fault;
use crate::tfplan::Action;

/// Remove endpoint `id`, its interfaces and the routes that target it.
fn remove(w: &mut World<'_>, id: &str) {
    let desc = format!("VPC Endpoint Interface {id}");
    for d in w.all() {
        d.vpc_endpoints.retain(|e| e.item.vpc_endpoint_id != id);
        d.network_interfaces
            .retain(|e| e.item.description.as_deref() != Some(desc.as_str()));
        for t in d.route_tables.iter_mut() {
            t.item
                .routes
                .retain(|r| r.gateway_id.as_deref() != Some(id));
        }
    }
}

/// `aws_vpc_endpoint`.
pub fn vpc_endpoint(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if c.removes() {
        if let Some(o) = &old {
            remove(w, o);
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let vpc_id = a.req_str("vpc_id")?;
    let service = a.req_str("service_name")?;
    let kind = a
        .str("vpc_endpoint_type")?
        .unwrap_or_else(|| "Gateway".into());
    let tables = a.opt_strs("route_table_ids")?;
    let subnets = a.opt_strs("subnet_ids")?;
    let mut sgs = a.opt_strs("security_group_ids")?;
    let private_dns = a.bool("private_dns_enabled")?.unwrap_or(false);
    let mut enis = Vec::new();
    if kind.eq_ignore_ascii_case("Gateway") {
        let pl = match a.str("prefix_list_id")? {
            Some(p) => Some(p),
            None => w
                .all()
                .flat_map(|d| d.prefix_lists.iter())
                .find(|p| p.item.prefix_list_name.as_deref() == Some(service.as_str()))
                .map(|p| p.item.prefix_list_id.clone()),
        };
        let Some(pl) = pl else {
            return Ok(Outcome::NotEvaluated(format!(
                "gateway endpoint for {service}: its prefix list is not in the snapshot (describe-prefix-lists)"
            )));
        };
        for d in w.all() {
            for t in d
                .route_tables
                .iter_mut()
                .filter(|t| tables.contains(&t.item.route_table_id))
            {
                t.item.routes.push(Route {
                    destination_prefix_list_id: Some(pl.clone()),
                    gateway_id: Some(id.clone()),
                    origin: Some("CreateRoute".into()),
                    state: Some("active".into()),
                    ..Default::default()
                });
            }
        }
    } else {
        if sgs.is_empty() {
            if let Some(g) = w.all().flat_map(|d| d.security_groups.iter()).find(|g| {
                g.item.group_name == "default" && g.item.vpc_id.as_deref() == Some(&vpc_id)
            }) {
                sgs.push(g.item.group_id.clone());
            }
        }
        for s in &subnets {
            let sub = w
                .all()
                .flat_map(|d| d.subnets.iter())
                .find(|x| &x.item.subnet_id == s)
                .map(|x| x.item.clone())
                .ok_or_else(|| {
                    Fault::Unknown(format!(
                        "subnet {s} is neither in the snapshot nor created by the plan"
                    ))
                })?;
            let Some(ip) = super::network::free_address(w, s) else {
                return Ok(Outcome::NotEvaluated(format!(
                    "no free address in subnet {s} for the endpoint's interface"
                )));
            };
            w.assume(format!("VPC endpoint {id}: its interface in subnet {s} gets its address at apply; taken as {ip}"));
            let eni = format!("eni-tf:{}#{s}", c.rc.address);
            enis.push(eni.clone());
            let data = w.scope_of(|d| d.subnets.iter().any(|x| &x.item.subnet_id == s));
            data.network_interfaces.push(
                c.here.locate(NetworkInterface {
                    network_interface_id: eni,
                    subnet_id: Some(s.clone()),
                    vpc_id: Some(vpc_id.clone()),
                    availability_zone: sub.availability_zone.clone(),
                    description: Some(format!("VPC Endpoint Interface {id}")),
                    groups: sgs
                        .iter()
                        .map(|g| GroupIdentifier {
                            group_id: g.clone(),
                            group_name: None,
                        })
                        .collect(),
                    interface_type: Some("vpc_endpoint".into()),
                    requester_managed: Some(true),
                    source_dest_check: Some(true),
                    status: Some("in-use".into()),
                    private_ip_address: Some(ip),
                    private_ip_addresses: vec![PrivateIpAddress {
                        private_ip_address: Some(ip),
                        primary: true,
                        association: None,
                    }],
                    ..Default::default()
                }),
            );
        }
    }
    let v = vpc_id.clone();
    let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == v));
    data.vpc_endpoints.push(
        c.here.locate(VpcEndpoint {
            vpc_endpoint_id: id,
            vpc_endpoint_type: kind,
            vpc_id,
            service_name: service,
            state: "available".into(),
            route_table_ids: tables,
            subnet_ids: subnets,
            groups: sgs
                .into_iter()
                .map(|g| SecurityGroupIdentifier {
                    group_id: g,
                    group_name: None,
                })
                .collect(),
            private_dns_enabled: private_dns,
            network_interface_ids: enis,
            tags: a.tags()?,
            ..Default::default()
        }),
    );
    Ok(Outcome::Applied)
}
