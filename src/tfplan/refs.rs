//! Ids of the plan's resources, known or not: a resource that is created (or replaced) gets a
//! placeholder id made of its kind's AWS prefix and its address (`sg-tf:aws_security_group.redis`,
//! `subnet-tf:module.net.aws_subnet.private[1]`), stable from run to run; a reference in the
//! configuration (`aws_security_group.redis.id`, inside a module relative to it, with `count` /
//! `for_each` instances matched by index) is resolved to that id or to the known value.

use super::format::{Action, Plan, ResourceChange};
use serde_json::Value;
use std::collections::HashMap;

/// The AWS id prefix of a resource kind (what the model reads an id's kind from).
pub fn prefix(rtype: &str) -> &'static str {
    match rtype {
        "aws_vpc" => "vpc",
        "aws_vpc_ipv4_cidr_block_association" => "vpc-cidr-assoc",
        "aws_subnet" => "subnet",
        "aws_route_table" | "aws_default_route_table" => "rtb",
        "aws_route_table_association" | "aws_main_route_table_association" => "rtbassoc",
        "aws_network_acl" | "aws_default_network_acl" => "acl",
        "aws_network_acl_association" => "aclassoc",
        "aws_security_group" | "aws_default_security_group" => "sg",
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => "sgr",
        "aws_instance" => "i",
        "aws_network_interface" => "eni",
        "aws_eip" => "eipalloc",
        "aws_eip_association" => "eipassoc",
        "aws_internet_gateway" => "igw",
        "aws_egress_only_internet_gateway" => "eigw",
        "aws_nat_gateway" => "nat",
        "aws_vpc_peering_connection" => "pcx",
        "aws_ec2_transit_gateway" => "tgw",
        "aws_ec2_transit_gateway_vpc_attachment" => "tgw-attach",
        "aws_ec2_transit_gateway_route_table" => "tgw-rtb",
        "aws_vpc_endpoint" => "vpce",
        _ => "tf",
    }
}

/// One instance of a resource in the plan.
struct Instance {
    index: Option<Value>,
    /// The id after apply: the placeholder for a new resource, else the known `id`.
    id: Option<String>,
    after: Option<serde_json::Map<String, Value>>,
}

/// Ids and references of one plan.
pub struct Resolver {
    /// By `module_address` + `type.name` (instance keys kept in the module part).
    by_base: HashMap<String, Vec<Instance>>,
    /// Placeholder ids of new resources → their address (for output).
    pub placeholders: HashMap<String, String>,
}

/// `module.net.aws_vpc.this` from a change's module address and `type.name`.
fn base(module: &str, type_name: &str) -> String {
    if module.is_empty() {
        type_name.to_string()
    } else {
        format!("{module}.{type_name}")
    }
}

/// The module path without instance keys (`module.net["a"].module.x` → `module.net.module.x`),
/// as the configuration tree names it.
pub fn config_module(module_address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    for c in module_address.chars() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a change creates a new object (whose id AWS assigns at apply).
pub fn creates(rc: &ResourceChange) -> bool {
    matches!(rc.action, Action::Create | Action::Replace)
}

impl Resolver {
    pub fn new(plan: &Plan) -> Self {
        let mut by_base: HashMap<String, Vec<Instance>> = HashMap::new();
        let mut placeholders = HashMap::new();
        for rc in plan.resource_changes.iter().filter(|r| r.mode != "data") {
            let known = |o: &Option<serde_json::Map<String, Value>>| {
                o.as_ref()
                    .and_then(|m| m.get("id"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let id = if creates(rc) {
                let p = format!("{}-tf:{}", prefix(&rc.rtype), rc.address);
                placeholders.insert(p.clone(), rc.address.clone());
                Some(known(&rc.after).unwrap_or(p))
            } else {
                known(&rc.after).or_else(|| known(&rc.before))
            };
            by_base
                .entry(base(
                    &rc.module_address,
                    &format!("{}.{}", rc.rtype, rc.name),
                ))
                .or_default()
                .push(Instance {
                    index: rc.index.clone(),
                    id,
                    after: rc.after.clone(),
                });
        }
        Resolver {
            by_base,
            placeholders,
        }
    }

    /// The placeholder id of a new resource (or its known id).
    pub fn id_of(&self, rc: &ResourceChange) -> Option<String> {
        let list = self.by_base.get(&base(
            &rc.module_address,
            &format!("{}.{}", rc.rtype, rc.name),
        ))?;
        list.iter()
            .find(|i| i.index == rc.index)
            .and_then(|i| i.id.clone())
    }

    /// Resolve one configuration expression (`{"references": [...]}`) of `rc` to the values it
    /// names (ids of resources in the plan, or their known attributes). Empty when nothing in it
    /// is a resource of the plan.
    pub fn resolve(&self, rc: &ResourceChange, expr: Option<&Value>) -> Vec<String> {
        let refs = match expr
            .and_then(|e| e.get("references"))
            .and_then(Value::as_array)
        {
            Some(r) => r,
            None => return Vec::new(),
        };
        let mut out: Vec<String> = Vec::new();
        let mut seen_bases: Vec<String> = Vec::new();
        for r in refs.iter().filter_map(Value::as_str) {
            let Some((type_name, idx, attr)) = split_reference(r) else {
                continue;
            };
            let b = base(&rc.module_address, &type_name);
            // `aws_x.y.id` and `aws_x.y` are both listed: take each resource once.
            if seen_bases.contains(&format!("{b}{idx:?}")) {
                continue;
            }
            let Some(list) = self.by_base.get(&b) else {
                continue;
            };
            let inst = match &idx {
                Some(i) => list.iter().find(|x| x.index.as_ref() == Some(i)),
                None if list.len() == 1 => list.first(),
                None => list
                    .iter()
                    .find(|x| x.index.is_some() && x.index == rc.index),
            };
            let Some(inst) = inst else { continue };
            let derived = |prefix: &str, what: &str| {
                inst.id
                    .as_deref()
                    .filter(|i| i.contains("-tf:"))
                    .map(|i| with_parent(i, prefix, what))
            };
            let value = match attr.as_deref() {
                None | Some("id") => inst.id.clone(),
                Some("main_route_table_id" | "default_route_table_id") => derived("rtb", "main"),
                Some("default_network_acl_id") => derived("acl", "default"),
                Some("default_security_group_id") => derived("sg", "default"),
                Some(
                    "association_default_route_table_id" | "propagation_default_route_table_id",
                ) => derived("tgw-rtb", "default"),
                Some(a) => inst
                    .after
                    .as_ref()
                    .and_then(|m| m.get(a))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| {
                        (a == "arn" || a == "name")
                            .then(|| inst.id.clone())
                            .flatten()
                    }),
            };
            if let Some(v) = value {
                seen_bases.push(format!("{b}{idx:?}"));
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }
}

/// The id of what AWS creates with a new resource (`rtb-tf:aws_vpc.x#main` for the main route
/// table of `vpc-tf:aws_vpc.x`).
pub fn with_parent(parent_id: &str, prefix: &str, what: &str) -> String {
    let addr = parent_id
        .split_once("-tf:")
        .map(|x| x.1)
        .unwrap_or(parent_id);
    format!("{prefix}-tf:{addr}#{what}")
}

/// `aws_route_table.private[0].id` → (`aws_route_table.private`, `Some(0)`, `Some("id")`);
/// `None` for what is not a managed resource (`var.x`, `data.…`, `module.…`, `count.index`).
fn split_reference(r: &str) -> Option<(String, Option<Value>, Option<String>)> {
    let (rtype, rest) = r.split_once('.')?;
    if !rtype.starts_with("aws_") {
        return None;
    }
    let (name_part, attr) = match rest.find(['.']) {
        Some(i) if !rest[..i].contains('[') || rest[..i].contains(']') => {
            (&rest[..i], Some(rest[i + 1..].to_string()))
        }
        _ => (rest, None),
    };
    let (name, idx) = match name_part.split_once('[') {
        Some((n, tail)) => {
            let key = tail.strip_suffix(']')?;
            let v = if let Some(s) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
                Value::String(s.to_string())
            } else {
                Value::from(key.parse::<u64>().ok()?)
            };
            (n, Some(v))
        }
        None => (name_part, None),
    };
    let attr = attr.map(|a| a.split(['.', '[']).next().unwrap_or("").to_string());
    Some((
        format!("{rtype}.{name}"),
        idx,
        attr.filter(|a| !a.is_empty()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_resource_index_and_attribute() {
        assert_eq!(
            split_reference("aws_security_group.redis.id"),
            Some(("aws_security_group.redis".into(), None, Some("id".into())))
        );
        assert_eq!(
            split_reference("aws_route_table.private[1].id"),
            Some((
                "aws_route_table.private".into(),
                Some(Value::from(1u64)),
                Some("id".into())
            ))
        );
        assert_eq!(
            split_reference("aws_subnet.a[\"x\"]"),
            Some(("aws_subnet.a".into(), Some(Value::from("x")), None))
        );
        assert_eq!(split_reference("var.vpc_id"), None);
        assert_eq!(split_reference("count.index"), None);
        assert_eq!(
            config_module("module.net[\"a\"].module.x[0]"),
            "module.net.module.x"
        );
    }
}
