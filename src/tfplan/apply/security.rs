//! Security groups (inline `ingress`/`egress`, `aws_security_group_rule`,
//! `aws_vpc_security_group_ingress_rule` / `_egress_rule`) and network ACLs (inline entries,
//! `aws_network_acl_rule`, associations) in their `describe-security-groups` /
//! `describe-network-acls` shapes.

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};

fn cidr4(a: &Attrs<'_>, key: &str, s: &str) -> Result<Cidr4, Fault> {
    s.trim().parse().map(Cidr4).map_err(|_| {
        a.invalid(
            key,
            format!("expected an IPv4 CIDR block like \"10.0.0.0/16\", got {s:?}"),
        )
    })
}

fn cidr6(a: &Attrs<'_>, key: &str, s: &str) -> Result<Cidr6, Fault> {
    s.trim()
        .parse()
        .map(Cidr6)
        .map_err(|_| a.invalid(key, format!("expected an IPv6 CIDR block, got {s:?}")))
}

fn port(a: &Attrs<'_>, key: &str) -> Result<Option<AwsPort>, Fault> {
    match a.int(key)? {
        None => Ok(None),
        Some(v) if (-1..=65535).contains(&v) => Ok(Some(AwsPort(v as i32))),
        Some(v) => Err(a.invalid(
            key,
            format!("expected a port number from -1 to 65535, got {v}"),
        )),
    }
}

/// A security-group protocol as AWS prints it: `-1` for all, else the name or number given.
fn sg_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".into(),
        other => other.to_string(),
    }
}

/// One permission from its protocol, ports and peers (no ports for protocol `-1`, as AWS
/// prints it).
fn permission(a: &Attrs<'_>, proto_key: &str) -> Result<IpPermission, Fault> {
    let ip_protocol = sg_protocol(&a.req_str(proto_key)?);
    let all = ip_protocol == "-1";
    Ok(IpPermission {
        from_port: if all { None } else { port(a, "from_port")? },
        to_port: if all { None } else { port(a, "to_port")? },
        ip_protocol,
        ..Default::default()
    })
}

fn group_pair(id: String) -> UserIdGroupPair {
    UserIdGroupPair {
        group_id: Some(id),
        ..Default::default()
    }
}

/// An inline `ingress`/`egress` block of `aws_security_group` (or an `aws_security_group_rule`):
/// `cidr_blocks`, `ipv6_cidr_blocks`, `prefix_list_ids`, `security_groups` /
/// `source_security_group_id`, `self`.
fn block_permission(a: &Attrs<'_>, own: &str) -> Result<IpPermission, Fault> {
    let mut p = permission(a, "protocol")?;
    for (i, c) in a.opt_strs("cidr_blocks")?.iter().enumerate() {
        let cidr_ip = cidr4(a, &format!("cidr_blocks/{i}"), c)?;
        p.ip_ranges.push(IpRange {
            cidr_ip,
            description: None,
        });
    }
    for (i, c) in a.opt_strs("ipv6_cidr_blocks")?.iter().enumerate() {
        let cidr_ipv6 = cidr6(a, &format!("ipv6_cidr_blocks/{i}"), c)?;
        p.ipv6_ranges.push(Ipv6Range {
            cidr_ipv6,
            description: None,
        });
    }
    for id in a.opt_strs("prefix_list_ids")? {
        p.prefix_list_ids.push(PrefixListIdRef {
            prefix_list_id: id,
            description: None,
        });
    }
    if a.obj.contains_key("security_groups") {
        for g in a.strs("security_groups")? {
            p.user_id_group_pairs.push(group_pair(g));
        }
    }
    if let Some(g) = a.str("source_security_group_id")? {
        p.user_id_group_pairs.push(group_pair(g));
    }
    if a.bool("self")? == Some(true) {
        p.user_id_group_pairs.push(group_pair(own.to_string()));
    }
    Ok(p)
}

fn find_group<'d>(
    data: &'d mut [crate::snapshot::keys::Located<SecurityGroup>],
    id: &str,
) -> Option<&'d mut SecurityGroup> {
    data.iter_mut()
        .map(|l| &mut l.item)
        .find(|g| g.group_id == id)
}

/// `aws_security_group` / `aws_default_security_group`.
pub fn group(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let default = c.rc.rtype == "aws_default_security_group";
    let old = c.old_id()?;
    if c.removes() && !default {
        if let Some(old) = &old {
            if !matches!(c.rc.action, crate::tfplan::Action::Update) {
                for d in w.all() {
                    d.security_groups.retain(|g| &g.item.group_id != old);
                }
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let vpc_id = a.str("vpc_id")?;
    // An update keeps the group (and its members); a create or replace makes a new one.
    let id = match (&c.rc.action, &old) {
        (crate::tfplan::Action::Update, Some(o)) => o.clone(),
        _ if default => match (&old, &vpc_id) {
            (Some(o), _) => o.clone(),
            (None, Some(v)) => {
                let v = v.clone();
                let found = w
                    .scopes
                    .iter()
                    .flat_map(|s| s.data.security_groups.iter())
                    .find(|g| {
                        g.item.group_name == "default" && g.item.vpc_id.as_deref() == Some(&v)
                    })
                    .map(|g| g.item.group_id.clone());
                found.ok_or_else(|| {
                    Fault::Unknown(format!("no default security group of {v} in the snapshot"))
                })?
            }
            _ => {
                return Ok(Outcome::NotEvaluated(
                    "aws_default_security_group without vpc_id".into(),
                ))
            }
        },
        _ => c.id()?,
    };
    let mut ingress = Vec::new();
    for b in a.blocks("ingress")? {
        ingress.push(block_permission(&b, &id)?);
    }
    let mut egress = Vec::new();
    for b in a.blocks("egress")? {
        egress.push(block_permission(&b, &id)?);
    }
    let name = a.str("name")?.unwrap_or_else(|| {
        if default {
            "default".into()
        } else {
            id.clone()
        }
    });
    let tags = a.tags()?;
    let vpc = vpc_id.clone();
    let data = w.scope_of(|d| {
        d.security_groups.iter().any(|g| g.item.group_id == id)
            || vpc
                .as_ref()
                .is_some_and(|v| d.vpcs.iter().any(|x| &x.item.vpc_id == v))
    });
    if let Some(g) = find_group(&mut data.security_groups, &id) {
        g.ip_permissions = ingress;
        g.ip_permissions_egress = egress;
        if !tags.is_empty() {
            g.tags = tags;
        }
        return Ok(Outcome::Applied);
    }
    let g = SecurityGroup {
        group_id: id,
        group_name: name,
        description: a.str("description")?,
        vpc_id,
        owner_id: None,
        ip_permissions: ingress,
        ip_permissions_egress: egress,
        tags,
    };
    data.security_groups.push(c.here.locate(g));
    Ok(Outcome::Applied)
}

/// Remove from `perms` the peers of `rule` (same protocol and ports); permissions left without
/// a peer go.
fn remove_peers(perms: &mut Vec<IpPermission>, rule: &IpPermission) {
    for p in perms.iter_mut() {
        if p.ip_protocol != rule.ip_protocol
            || p.from_port != rule.from_port
            || p.to_port != rule.to_port
        {
            continue;
        }
        p.ip_ranges
            .retain(|r| !rule.ip_ranges.iter().any(|x| x.cidr_ip == r.cidr_ip));
        p.ipv6_ranges
            .retain(|r| !rule.ipv6_ranges.iter().any(|x| x.cidr_ipv6 == r.cidr_ipv6));
        p.prefix_list_ids.retain(|r| {
            !rule
                .prefix_list_ids
                .iter()
                .any(|x| x.prefix_list_id == r.prefix_list_id)
        });
        p.user_id_group_pairs.retain(|r| {
            !rule
                .user_id_group_pairs
                .iter()
                .any(|x| x.group_id == r.group_id)
        });
    }
    perms.retain(|p| {
        !(p.ip_ranges.is_empty()
            && p.ipv6_ranges.is_empty()
            && p.prefix_list_ids.is_empty()
            && p.user_id_group_pairs.is_empty())
    });
}

/// Add or remove one rule of group `gid`.
fn edit_group(
    w: &mut World<'_>,
    gid: &str,
    egress: bool,
    rule: IpPermission,
    add: bool,
) -> Result<(), Fault> {
    for d in w.all() {
        if let Some(g) = find_group(&mut d.security_groups, gid) {
            let perms = if egress {
                &mut g.ip_permissions_egress
            } else {
                &mut g.ip_permissions
            };
            if add {
                perms.push(rule);
            } else {
                remove_peers(perms, &rule);
            }
            return Ok(());
        }
    }
    Err(Fault::Unknown(format!(
        "security group {gid} is neither in the snapshot nor created by the plan"
    )))
}

/// `aws_security_group_rule` (`type` = ingress | egress).
pub fn legacy_rule(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let read = |a: &Attrs<'_>| -> Result<(String, bool, IpPermission), Fault> {
        let gid = a.req_str("security_group_id")?;
        let egress = match a.req_str("type")?.as_str() {
            "ingress" => false,
            "egress" => true,
            other => {
                return Err(a.invalid(
                    "type",
                    format!("expected \"ingress\" or \"egress\", got {other:?}"),
                ))
            }
        };
        Ok((gid.clone(), egress, block_permission(a, &gid)?))
    };
    if c.removes() {
        if let Some(b) = c.before {
            let (gid, egress, rule) = read(b)?;
            edit_group(w, &gid, egress, rule, false)?;
        }
    }
    if let Some(a) = c.added() {
        let (gid, egress, rule) = read(a)?;
        edit_group(w, &gid, egress, rule, true)?;
    }
    Ok(Outcome::Applied)
}

/// `aws_vpc_security_group_ingress_rule` / `_egress_rule`: one peer each.
pub fn rule(w: &mut World<'_>, c: &Change<'_>, egress: bool) -> Result<Outcome, Fault> {
    let read = |a: &Attrs<'_>| -> Result<(String, IpPermission), Fault> {
        let gid = a.req_str("security_group_id")?;
        let mut p = permission(a, "ip_protocol")?;
        if let Some(s) = a.str("cidr_ipv4")? {
            p.ip_ranges.push(IpRange {
                cidr_ip: cidr4(a, "cidr_ipv4", &s)?,
                description: None,
            });
        }
        if let Some(s) = a.str("cidr_ipv6")? {
            p.ipv6_ranges.push(Ipv6Range {
                cidr_ipv6: cidr6(a, "cidr_ipv6", &s)?,
                description: None,
            });
        }
        if let Some(s) = a.str("prefix_list_id")? {
            p.prefix_list_ids.push(PrefixListIdRef {
                prefix_list_id: s,
                description: None,
            });
        }
        if let Some(s) = a.str("referenced_security_group_id")? {
            p.user_id_group_pairs.push(group_pair(s));
        }
        Ok((gid, p))
    };
    if c.removes() {
        if let Some(b) = c.before {
            let (gid, rule) = read(b)?;
            edit_group(w, &gid, egress, rule, false)?;
        }
    }
    if let Some(a) = c.added() {
        let (gid, rule) = read(a)?;
        edit_group(w, &gid, egress, rule, true)?;
    }
    Ok(Outcome::Applied)
}

/// A NACL protocol as AWS prints it: a number (`6`), `-1` for all.
fn nacl_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".into(),
        "tcp" => "6".into(),
        "udp" => "17".into(),
        "icmp" => "1".into(),
        "icmpv6" => "58".into(),
        other => other.to_string(),
    }
}

/// One NACL entry from `aws_network_acl_rule` (`rule_number`, `rule_action`) or an inline
/// block (`rule_no`, `action`).
fn nacl_entry(a: &Attrs<'_>, egress: bool, inline: bool) -> Result<NetworkAclEntry, Fault> {
    let (nk, ak) = if inline {
        ("rule_no", "action")
    } else {
        ("rule_number", "rule_action")
    };
    let n = a.int(nk)?.ok_or_else(|| a.invalid(nk, "missing".into()))?;
    if !(1..=32766).contains(&n) {
        return Err(a.invalid(
            nk,
            format!("expected a rule number from 1 to 32766, got {n}"),
        ));
    }
    let protocol = nacl_protocol(&a.req_str("protocol")?);
    let rule_action = a.req_str(ak)?.to_ascii_lowercase();
    if rule_action != "allow" && rule_action != "deny" {
        return Err(a.invalid(
            ak,
            format!("expected \"allow\" or \"deny\", got {rule_action:?}"),
        ));
    }
    let cidr_block = match a.str("cidr_block")? {
        Some(s) => Some(cidr4(a, "cidr_block", &s)?),
        None => None,
    };
    let ipv6_cidr_block = match a.str("ipv6_cidr_block")? {
        Some(s) => Some(cidr6(a, "ipv6_cidr_block", &s)?),
        None => None,
    };
    let ports = matches!(protocol.as_str(), "6" | "17");
    let icmp = matches!(protocol.as_str(), "1" | "58");
    let port_range = if ports {
        match (port(a, "from_port")?, port(a, "to_port")?) {
            (Some(from), Some(to)) => Some(PortRange { from, to }),
            _ => None,
        }
    } else {
        None
    };
    let icmp_type_code = if icmp {
        Some(IcmpTypeCode {
            r#type: port(a, "icmp_type")?.unwrap_or(AwsPort(-1)),
            code: port(a, "icmp_code")?.unwrap_or(AwsPort(-1)),
        })
    } else {
        None
    };
    Ok(NetworkAclEntry {
        rule_number: RuleNumber(n as u16),
        protocol,
        rule_action,
        egress,
        cidr_block,
        ipv6_cidr_block,
        port_range,
        icmp_type_code,
    })
}

fn find_nacl<'d>(w: &'d mut World<'_>, id: &str) -> Option<&'d mut NetworkAcl> {
    w.all()
        .flat_map(|d| d.network_acls.iter_mut())
        .map(|l| &mut l.item)
        .find(|n| n.network_acl_id == id)
}

/// The catch-all entries AWS adds to every NACL (32767 for IPv4, 32768 for IPv6).
fn final_denies(egress: bool) -> [NetworkAclEntry; 2] {
    let deny = |n: u16, v4: bool| NetworkAclEntry {
        rule_number: RuleNumber(n),
        protocol: "-1".into(),
        rule_action: "deny".into(),
        egress,
        cidr_block: v4.then(|| Cidr4("0.0.0.0/0".parse().expect("literal CIDR"))),
        ipv6_cidr_block: (!v4).then(|| Cidr6("::/0".parse().expect("literal CIDR"))),
        port_range: None,
        icmp_type_code: None,
    };
    [deny(32767, true), deny(32768, false)]
}

/// Move `subnet` to NACL `acl` (a subnet has exactly one).
fn associate(w: &mut World<'_>, subnet: &str, acl: &str) {
    for d in w.all() {
        for n in d.network_acls.iter_mut() {
            n.item.associations.retain(|a| a.subnet_id != subnet);
            if n.item.network_acl_id == acl {
                n.item.associations.push(NetworkAclAssociation {
                    network_acl_association_id: None,
                    network_acl_id: Some(acl.to_string()),
                    subnet_id: subnet.to_string(),
                });
            }
        }
    }
}

/// `aws_network_acl` / `aws_default_network_acl` with inline `ingress` / `egress` blocks.
pub fn nacl(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let default = c.rc.rtype == "aws_default_network_acl";
    let old = match c.before {
        Some(b) if default => b.str("default_network_acl_id")?.or(b.str("id")?),
        _ => c.old_id()?,
    };
    if matches!(
        c.rc.action,
        crate::tfplan::Action::Delete | crate::tfplan::Action::Replace
    ) && !default
    {
        if let Some(o) = &old {
            for d in w.all() {
                d.network_acls.retain(|n| &n.item.network_acl_id != o);
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (&c.rc.action, &old) {
        (crate::tfplan::Action::Update, Some(o)) => o.clone(),
        _ if default => a.req_str("default_network_acl_id")?,
        _ => c.id()?,
    };
    let mut entries = Vec::new();
    for (key, egress) in [("ingress", false), ("egress", true)] {
        for b in a.blocks(key)? {
            entries.push(nacl_entry(&b, egress, true)?);
        }
        entries.extend(final_denies(egress));
    }
    let subnets = a.strs("subnet_ids")?;
    let vpc_id = a.str("vpc_id")?.unwrap_or_default();
    let tags = a.tags()?;
    match find_nacl(w, &id) {
        Some(n) => {
            n.entries = entries;
        }
        None => {
            let v = vpc_id.clone();
            let data = w.scope_of(|d| d.vpcs.iter().any(|x| x.item.vpc_id == v));
            data.network_acls.push(c.here.locate(NetworkAcl {
                network_acl_id: id.clone(),
                vpc_id,
                is_default: default,
                owner_id: None,
                associations: Vec::new(),
                entries,
                tags,
            }));
        }
    }
    for s in subnets {
        associate(w, &s, &id);
    }
    Ok(Outcome::Applied)
}

/// `aws_network_acl_rule`.
pub fn nacl_rule(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let acl = b.req_str("network_acl_id")?;
            let egress = b.bool("egress")?.unwrap_or(false);
            let e = nacl_entry(b, egress, false)?;
            let n = find_nacl(w, &acl).ok_or_else(|| {
                Fault::Unknown(format!("network ACL {acl} is not in the snapshot"))
            })?;
            n.entries
                .retain(|x| !(x.rule_number == e.rule_number && x.egress == e.egress));
        }
    }
    if let Some(a) = c.added() {
        let acl = a.req_str("network_acl_id")?;
        let egress = a.bool("egress")?.unwrap_or(false);
        let e = nacl_entry(a, egress, false)?;
        let n = find_nacl(w, &acl).ok_or_else(|| {
            Fault::Unknown(format!(
                "network ACL {acl} is neither in the snapshot nor created by the plan"
            ))
        })?;
        n.entries
            .retain(|x| !(x.rule_number == e.rule_number && x.egress == e.egress));
        n.entries.push(e);
    }
    Ok(Outcome::Applied)
}

/// `aws_network_acl_association`: deleting one puts the subnet back on its VPC's default NACL
/// (as AWS does).
pub fn nacl_association(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if matches!(c.rc.action, crate::tfplan::Action::Delete) {
        if let Some(b) = c.before {
            let subnet = b.req_str("subnet_id")?;
            let vpc = w
                .all()
                .flat_map(|d| d.subnets.iter())
                .find(|s| s.item.subnet_id == subnet)
                .map(|s| s.item.vpc_id.clone());
            let default = vpc.and_then(|v| {
                w.all()
                    .flat_map(|d| d.network_acls.iter())
                    .find(|n| n.item.is_default && n.item.vpc_id == v)
                    .map(|n| n.item.network_acl_id.clone())
            });
            if let Some(d) = default {
                associate(w, &subnet, &d);
                w.assume(format!("subnet {subnet}: its NACL association is deleted, so it goes back to its VPC's default NACL {d}"));
            }
        }
    }
    if let Some(a) = c.added() {
        let subnet = a.req_str("subnet_id")?;
        let acl = a.req_str("network_acl_id")?;
        if find_nacl(w, &acl).is_none() {
            return Err(Fault::Unknown(format!(
                "network ACL {acl} is neither in the snapshot nor created by the plan"
            )));
        }
        associate(w, &subnet, &acl);
    }
    Ok(Outcome::Applied)
}
