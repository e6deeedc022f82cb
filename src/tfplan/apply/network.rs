//! VPCs, their CIDR blocks and subnets, internet / egress-only / NAT gateways and VPC peering
//! connections, in their `describe-*` shapes. A new VPC comes with what AWS creates with it:
//! a main route table (its local routes), a default network ACL (allow all, both directions)
//! and a default security group (all from itself, all out).

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};
use crate::tfplan::Action;

fn cidr4(a: &Attrs<'_>, key: &str) -> Result<Option<Cidr4>, Fault> {
    match a.str(key)? {
        Some(s) => s.trim().parse().map(|c| Some(Cidr4(c))).map_err(|_| {
            a.invalid(
                key,
                format!("expected an IPv4 CIDR block like \"10.0.0.0/16\", got {s:?}"),
            )
        }),
        None => Ok(None),
    }
}

fn cidr6(a: &Attrs<'_>, key: &str) -> Result<Option<Cidr6>, Fault> {
    match a.str(key)? {
        Some(s) => s
            .trim()
            .parse()
            .map(|c| Some(Cidr6(c)))
            .map_err(|_| a.invalid(key, format!("expected an IPv6 CIDR block, got {s:?}"))),
        None => Ok(None),
    }
}

use crate::tfplan::refs::with_parent as with_vpc;

fn remove_old<T>(
    w: &mut World<'_>,
    c: &Change<'_>,
    list: impl Fn(&mut crate::snapshot::RawData) -> &mut Vec<crate::snapshot::keys::Located<T>>,
    id_of: impl Fn(&T) -> &str,
) -> Result<Option<String>, Fault> {
    let old = c.old_id()?;
    if c.removes() {
        if let Some(o) = &old {
            for d in w.all() {
                list(d).retain(|x| id_of(&x.item) != o);
            }
        }
    }
    Ok(old)
}

/// `aws_vpc` (and its `enable_dns_*` attributes).
pub fn vpc(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if let (Action::Update, Some(a), Some(id)) = (c.rc.action, c.after, c.old_id()?) {
        // CIDR changes force a replacement; the DNS attributes are updated in place.
        let (support, hostnames) = (
            a.bool("enable_dns_support")?,
            a.bool("enable_dns_hostnames")?,
        );
        for d in w.all() {
            for x in d.vpc_attributes.iter_mut().filter(|x| x.item.vpc_id == id) {
                if let Some(v) = support {
                    x.item.enable_dns_support = Some(AttributeBool { value: v });
                }
                if let Some(v) = hostnames {
                    x.item.enable_dns_hostnames = Some(AttributeBool { value: v });
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    remove_old(w, c, |d| &mut d.vpcs, |v: &Vpc| &v.vpc_id)?;
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = c.id()?;
    let cidr = cidr4(a, "cidr_block")?;
    let v6 = cidr6(a, "ipv6_cidr_block")?;
    let vpc = Vpc {
        vpc_id: id.clone(),
        cidr_block: cidr,
        cidr_block_association_set: cidr
            .map(|c| VpcCidrAssociation {
                association_id: None,
                cidr_block: Some(c),
                cidr_block_state: Some(StateOnly {
                    state: "associated".into(),
                }),
            })
            .into_iter()
            .collect(),
        ipv6_cidr_block_association_set: v6
            .map(|c| VpcIpv6CidrAssociation {
                association_id: None,
                ipv6_cidr_block: Some(c),
                ipv6_cidr_block_state: Some(StateOnly {
                    state: "associated".into(),
                }),
            })
            .into_iter()
            .collect(),
        state: Some("available".into()),
        tags: a.tags()?,
        ..Default::default()
    };
    let attr = VpcAttribute {
        vpc_id: id.clone(),
        enable_dns_support: Some(AttributeBool {
            value: a.bool("enable_dns_support")?.unwrap_or(true),
        }),
        enable_dns_hostnames: Some(AttributeBool {
            value: a.bool("enable_dns_hostnames")?.unwrap_or(false),
        }),
    };
    let mut local = Vec::new();
    if let Some(c4) = cidr {
        local.push(Route {
            destination_cidr_block: Some(c4),
            gateway_id: Some("local".into()),
            origin: Some("CreateRouteTable".into()),
            state: Some("active".into()),
            ..Default::default()
        });
    }
    if let Some(c6) = v6 {
        local.push(Route {
            destination_ipv6_cidr_block: Some(c6),
            gateway_id: Some("local".into()),
            origin: Some("CreateRouteTable".into()),
            state: Some("active".into()),
            ..Default::default()
        });
    }
    let main = RouteTable {
        route_table_id: with_vpc(&id, "rtb", "main"),
        vpc_id: id.clone(),
        associations: vec![RouteTableAssociation {
            main: true,
            route_table_id: Some(with_vpc(&id, "rtb", "main")),
            association_state: Some(StateOnly {
                state: "associated".into(),
            }),
            ..Default::default()
        }],
        routes: local,
        ..Default::default()
    };
    let allow = |n: u16, egress: bool, v4: bool, action: &str| NetworkAclEntry {
        rule_number: RuleNumber(n),
        protocol: "-1".into(),
        rule_action: action.into(),
        egress,
        cidr_block: v4.then(|| Cidr4("0.0.0.0/0".parse().expect("literal CIDR"))),
        ipv6_cidr_block: (!v4).then(|| Cidr6("::/0".parse().expect("literal CIDR"))),
        port_range: None,
        icmp_type_code: None,
    };
    let mut entries = Vec::new();
    for egress in [false, true] {
        entries.push(allow(100, egress, true, "allow"));
        entries.push(allow(32767, egress, true, "deny"));
        if v6.is_some() {
            entries.push(allow(101, egress, false, "allow"));
            entries.push(allow(32768, egress, false, "deny"));
        }
    }
    let acl = NetworkAcl {
        network_acl_id: with_vpc(&id, "acl", "default"),
        vpc_id: id.clone(),
        is_default: true,
        entries,
        ..Default::default()
    };
    let sg_id = with_vpc(&id, "sg", "default");
    let all_out = IpPermission {
        ip_protocol: "-1".into(),
        ip_ranges: vec![IpRange {
            cidr_ip: Cidr4("0.0.0.0/0".parse().expect("literal CIDR")),
            description: None,
        }],
        ..Default::default()
    };
    let sg = SecurityGroup {
        group_id: sg_id.clone(),
        group_name: "default".into(),
        vpc_id: Some(id.clone()),
        ip_permissions: vec![IpPermission {
            ip_protocol: "-1".into(),
            user_id_group_pairs: vec![UserIdGroupPair {
                group_id: Some(sg_id),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ip_permissions_egress: vec![all_out],
        ..Default::default()
    };
    let data = w.scope_of(|_| false);
    data.vpcs.push(c.here.locate(vpc));
    data.vpc_attributes.push(c.here.locate(attr));
    data.route_tables.push(c.here.locate(main));
    data.network_acls.push(c.here.locate(acl));
    data.security_groups.push(c.here.locate(sg));
    w.assume(format!(
        "new VPC {id}: AWS creates its main route table ({}), default network ACL ({}, allow all) and default security group ({}, all from itself, all out) with it",
        with_vpc(&id, "rtb", "main"),
        with_vpc(&id, "acl", "default"),
        with_vpc(&id, "sg", "default")
    ));
    Ok(Outcome::Applied)
}

/// `aws_vpc_ipv4_cidr_block_association`.
pub fn cidr_association(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let (vpc, cidr) = (b.req_str("vpc_id")?, cidr4(b, "cidr_block")?);
            for d in w.all() {
                for v in d.vpcs.iter_mut().filter(|v| v.item.vpc_id == vpc) {
                    v.item
                        .cidr_block_association_set
                        .retain(|x| x.cidr_block != cidr);
                }
            }
        }
    }
    if let Some(a) = c.added() {
        let vpc = a.req_str("vpc_id")?;
        let Some(cidr) = cidr4(a, "cidr_block")? else {
            return Ok(Outcome::NotEvaluated("the block comes from an IPAM pool (`ipv4_ipam_pool_id`): its CIDR is known only after apply".into()));
        };
        let mut found = false;
        for d in w.all() {
            for v in d.vpcs.iter_mut().filter(|v| v.item.vpc_id == vpc) {
                found = true;
                v.item.cidr_block_association_set.push(VpcCidrAssociation {
                    association_id: None,
                    cidr_block: Some(cidr),
                    cidr_block_state: Some(StateOnly {
                        state: "associated".into(),
                    }),
                });
            }
            for t in d.route_tables.iter_mut().filter(|t| t.item.vpc_id == vpc) {
                t.item.routes.push(Route {
                    destination_cidr_block: Some(cidr),
                    gateway_id: Some("local".into()),
                    origin: Some("CreateRouteTable".into()),
                    state: Some("active".into()),
                    ..Default::default()
                });
            }
        }
        if !found {
            return Err(Fault::Unknown(format!(
                "VPC {vpc} is neither in the snapshot nor created by the plan"
            )));
        }
    }
    Ok(Outcome::Applied)
}

/// `aws_subnet`: a new subnet is on its VPC's main route table and default network ACL.
pub fn subnet(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if let (Action::Update, Some(o), Some(a)) = (c.rc.action, &old, c.after) {
        let public = a.bool("map_public_ip_on_launch")?;
        for d in w.all() {
            for s in d.subnets.iter_mut().filter(|s| &s.item.subnet_id == o) {
                if let Some(p) = public {
                    s.item.map_public_ip_on_launch = p;
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    remove_old(w, c, |d| &mut d.subnets, |s: &Subnet| &s.subnet_id)?;
    if let Some(o) = &old {
        if c.removes() {
            for d in w.all() {
                for n in d.network_acls.iter_mut() {
                    n.item.associations.retain(|x| &x.subnet_id != o);
                }
                for t in d.route_tables.iter_mut() {
                    t.item
                        .associations
                        .retain(|x| x.subnet_id.as_ref() != Some(o));
                }
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = c.id()?;
    let vpc_id = a.req_str("vpc_id")?;
    let subnet = Subnet {
        subnet_id: id.clone(),
        vpc_id: vpc_id.clone(),
        cidr_block: cidr4(a, "cidr_block")?,
        ipv6_cidr_block_association_set: cidr6(a, "ipv6_cidr_block")?
            .map(|c| SubnetIpv6CidrAssociation {
                association_id: None,
                ipv6_cidr_block: Some(c),
                ipv6_cidr_block_state: Some(StateOnly {
                    state: "associated".into(),
                }),
            })
            .into_iter()
            .collect(),
        availability_zone: a.str("availability_zone")?,
        availability_zone_id: a.str("availability_zone_id")?,
        state: Some("available".into()),
        map_public_ip_on_launch: a.bool("map_public_ip_on_launch")?.unwrap_or(false),
        tags: a.tags()?,
        ..Default::default()
    };
    let v = vpc_id.clone();
    let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == v));
    data.subnets.push(c.here.locate(subnet));
    let default_acl = w
        .all()
        .flat_map(|d| d.network_acls.iter_mut())
        .find(|n| n.item.is_default && n.item.vpc_id == vpc_id);
    if let Some(n) = default_acl {
        n.item.associations.push(NetworkAclAssociation {
            network_acl_association_id: None,
            network_acl_id: Some(n.item.network_acl_id.clone()),
            subnet_id: id,
        });
    }
    Ok(Outcome::Applied)
}

/// `aws_internet_gateway` (attached to `vpc_id` when given).
pub fn internet_gateway(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = remove_old(
        w,
        c,
        |d| &mut d.internet_gateways,
        |g: &InternetGateway| &g.internet_gateway_id,
    )?;
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let attachments = a
        .str("vpc_id")?
        .map(|vpc_id| GatewayAttachment {
            state: "available".into(),
            vpc_id,
        })
        .into_iter()
        .collect();
    let data = w.scope_of(|_| false);
    data.internet_gateways.push(c.here.locate(InternetGateway {
        internet_gateway_id: id,
        owner_id: None,
        attachments,
        tags: a.tags()?,
    }));
    Ok(Outcome::Applied)
}

/// `aws_egress_only_internet_gateway`.
pub fn egress_only_gateway(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = remove_old(
        w,
        c,
        |d| &mut d.egress_only_internet_gateways,
        |g: &EgressOnlyInternetGateway| &g.egress_only_internet_gateway_id,
    )?;
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let vpc_id = a.req_str("vpc_id")?;
    let data = w.scope_of(|_| false);
    data.egress_only_internet_gateways
        .push(c.here.locate(EgressOnlyInternetGateway {
            egress_only_internet_gateway_id: id,
            attachments: vec![GatewayAttachment {
                state: "attached".into(),
                vpc_id,
            }],
            tags: a.tags()?,
        }));
    Ok(Outcome::Applied)
}

/// An address of `subnet` that no network interface of the snapshot holds (from the fifth: AWS
/// reserves the first four), for an address AWS assigns at apply time.
pub fn free_address(w: &mut World<'_>, subnet: &str) -> Option<Ip4> {
    let cidr = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|s| s.item.subnet_id == subnet)?
        .item
        .cidr_block?;
    let used: Vec<std::net::Ipv4Addr> = w
        .all()
        .flat_map(|d| d.network_interfaces.iter())
        .flat_map(|e| {
            e.item
                .private_ip_addresses
                .iter()
                .filter_map(|p| p.private_ip_address.map(|x| x.0))
                .chain(e.item.private_ip_address.map(|x| x.0))
        })
        .collect();
    cidr.0.hosts().skip(3).find(|h| !used.contains(h)).map(Ip4)
}

/// `aws_nat_gateway`: its private address, when AWS assigns it, is some address of its subnet.
pub fn nat_gateway(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = remove_old(
        w,
        c,
        |d| &mut d.nat_gateways,
        |g: &NatGateway| &g.nat_gateway_id,
    )?;
    if let (Action::Delete | Action::Replace, Some(o)) = (c.rc.action, &old) {
        remove_nat_interface(w, o);
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let subnet = a.req_str("subnet_id")?;
    let private_ip = match a.str("private_ip")? {
        Some(s) => Some(Ip4(s.trim().parse().map_err(|_| {
            a.invalid("private_ip", format!("expected an IPv4 address, got {s:?}"))
        })?)),
        None => {
            let ip = free_address(w, &subnet);
            if let Some(ip) = ip {
                w.assume(format!("NAT gateway {id}: its private address is assigned by AWS at apply; taken as {ip}, some address of its subnet {subnet}"));
            }
            ip
        }
    };
    let allocation_id = a.str("allocation_id")?;
    let public_ip = allocation_id.as_ref().and_then(|al| {
        w.all()
            .flat_map(|d| d.addresses.iter())
            .find(|x| x.item.allocation_id.as_deref() == Some(al.as_str()))
            .and_then(|x| x.item.public_ip)
    });
    let connectivity = a
        .str("connectivity_type")?
        .unwrap_or_else(|| "public".into());
    if connectivity == "public" && public_ip.is_none() {
        w.assume(format!("NAT gateway {id}: its elastic IP is not in the snapshot (allocated by the plan): its public address is known only after apply"));
    }
    let s = subnet.clone();
    let vpc_id = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|x| x.item.subnet_id == s)
        .map(|x| x.item.vpc_id.clone());
    // AWS gives the gateway a requester-managed interface in its subnet: the engine walks
    // packets through it (NACL of the subnet, its address).
    let eni = nat_interface(
        w,
        c,
        &id,
        &subnet,
        private_ip,
        public_ip.map(|p| (p, allocation_id.clone())),
    );
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == s));
    data.nat_gateways.push(c.here.locate(NatGateway {
        nat_gateway_id: id,
        vpc_id,
        subnet_id: Some(subnet),
        state: "available".into(),
        connectivity_type: Some(connectivity),
        nat_gateway_addresses: vec![NatGatewayAddress {
            allocation_id,
            network_interface_id: eni,
            private_ip,
            public_ip,
        }],
        create_time: None,
        tags: a.tags()?,
    }));
    Ok(Outcome::Applied)
}

fn vpc_info(
    w: &mut World<'_>,
    vpc: &str,
    owner: Option<String>,
    region: Option<String>,
) -> PeeringVpcInfo {
    let v = w
        .all()
        .flat_map(|d| d.vpcs.iter())
        .find(|x| x.item.vpc_id == vpc)
        .map(|x| x.item.clone());
    PeeringVpcInfo {
        vpc_id: Some(vpc.to_string()),
        owner_id: owner.or(v.as_ref().and_then(|x| x.owner_id.clone())),
        region,
        cidr_block: v.as_ref().and_then(|x| x.cidr_block),
        cidr_block_set: v
            .as_ref()
            .map(|x| {
                x.cidr_block_association_set
                    .iter()
                    .filter_map(|a| a.cidr_block)
                    .map(|cidr_block| CidrBlockItem { cidr_block })
                    .collect()
            })
            .unwrap_or_default(),
        ipv6_cidr_block_set: v
            .as_ref()
            .map(|x| {
                x.ipv6_cidr_block_association_set
                    .iter()
                    .filter_map(|a| a.ipv6_cidr_block)
                    .map(|ipv6_cidr_block| Ipv6CidrBlockItem { ipv6_cidr_block })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// `aws_vpc_peering_connection`: `active` when `auto_accept` (same account and region) or when
/// the plan says `accept_status = "active"`, else `pending-acceptance` (no traffic).
pub fn peering(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = remove_old(
        w,
        c,
        |d| &mut d.vpc_peering_connections,
        |p: &VpcPeeringConnection| &p.vpc_peering_connection_id,
    )?;
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let requester = a.req_str("vpc_id")?;
    let accepter = a.req_str("peer_vpc_id")?;
    let status = match (a.str("accept_status")?, a.bool("auto_accept")?) {
        (Some(s), _) => s,
        (None, Some(true)) => "active".to_string(),
        _ => "pending-acceptance".to_string(),
    };
    if status != "active" {
        w.assume(format!("VPC peering {id}: not auto-accepted, so it is `{status}` after apply (no traffic) until the peer accepts it"));
    }
    let req = vpc_info(w, &requester, None, None);
    let acc = vpc_info(w, &accepter, a.str("peer_owner_id")?, a.str("peer_region")?);
    let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == requester));
    data.vpc_peering_connections
        .push(c.here.locate(VpcPeeringConnection {
            vpc_peering_connection_id: id,
            status: Some(PeeringStatus {
                code: status,
                message: None,
            }),
            requester_vpc_info: Some(req),
            accepter_vpc_info: Some(acc),
            tags: a.tags()?,
        }));
    Ok(Outcome::Applied)
}

/// Remove the interface of NAT gateway `id` (type `nat_gateway`, `Interface for NAT Gateway
/// <id>`), as AWS does when the gateway is deleted.
pub fn remove_nat_interface(w: &mut World<'_>, id: &str) {
    let desc = format!("Interface for NAT Gateway {id}");
    for d in w.all() {
        d.network_interfaces
            .retain(|e| e.item.description.as_deref() != Some(desc.as_str()));
    }
}

/// The interface AWS creates for a new NAT gateway in `subnet` (its private address, and its
/// public one when it has an elastic IP), or the one it already has: its id.
pub fn nat_interface(
    w: &mut World<'_>,
    c: &Change<'_>,
    id: &str,
    subnet: &str,
    private: Option<Ip4>,
    public: Option<(Ip4, Option<String>)>,
) -> Option<String> {
    let desc = format!("Interface for NAT Gateway {id}");
    if let Some(e) = w
        .all()
        .flat_map(|d| d.network_interfaces.iter())
        .find(|e| e.item.description.as_deref() == Some(desc.as_str()))
    {
        return Some(e.item.network_interface_id.clone());
    }
    let private = private?;
    let sub = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|x| x.item.subnet_id == subnet)
        .map(|x| x.item.clone())?;
    let assoc = public.map(|(p, alloc)| IpAssociation {
        public_ip: Some(p),
        ip_owner_id: None,
        allocation_id: alloc,
    });
    let eni = format!("eni-tf:{}", c.rc.address);
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnet));
    data.network_interfaces
        .push(c.here.locate(NetworkInterface {
            network_interface_id: eni.clone(),
            subnet_id: Some(subnet.to_string()),
            vpc_id: Some(sub.vpc_id),
            availability_zone: sub.availability_zone,
            description: Some(desc),
            interface_type: Some("nat_gateway".into()),
            requester_managed: Some(true),
            source_dest_check: Some(false),
            status: Some("in-use".into()),
            private_ip_address: Some(private),
            private_ip_addresses: vec![PrivateIpAddress {
                private_ip_address: Some(private),
                primary: true,
                association: assoc.clone(),
            }],
            association: assoc,
            ..Default::default()
        }));
    Some(eni)
}
