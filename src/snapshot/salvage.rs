//! Fail closed one level down: a NACL or route table with one bad entry, route or association
//! keeps its other elements.
//!
//! [`keys`](super::keys) parses a top-level array element by element, so a bad element skips only
//! that element. For a NACL or a route table that element is the whole container, and a subnet
//! whose NACL or table is skipped would silently fall back to the VPC's default NACL (allow-all)
//! or main table: a blocked path would read as reachable. Here the container is read without its
//! nested arrays, then each entry, route and association on its own: a bad one is reported with
//! its pointer and skipped, the container and everything else in it kept.

use super::aws;
use super::element::parse_element;
use crate::diag::{DiagCode, Diagnostic, Diagnostics, Severity};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Read an element that failed the strict parse, keeping its good nested elements. An
/// association that had to be skipped is pushed to the `Unreadable` list: the subnet it names
/// (or, when that cannot be read, every subnet that may fall back to the container) is unknown,
/// never given the VPC's default NACL or main table.
pub(crate) type SalvageFn<T> =
    fn(&RawValue, &str, &str, &mut Diagnostics, &mut Vec<Unreadable>) -> Option<T>;

/// A NACL or route table that could not be read even without its bad nested elements: what can
/// still be told of it, so that the subnets depending on it are unknown rather than given the
/// VPC's default NACL or main table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// Its id, when that field is a string.
    pub id: Option<String>,
    /// Its VPC, when that field is a string.
    pub vpc_id: Option<String>,
    /// The subnets its associations name (live ones), when they can be read.
    pub subnet_ids: Option<Vec<String>>,
    /// True when it may be what a subnet without an explicit association falls back to: it says
    /// it is the default NACL or the main table, or that cannot be read.
    pub fallback: bool,
    /// Why it is unknown when it is not the whole container that failed to load (an association
    /// of it skipped, two differing copies of it, no id).
    pub why: Option<String>,
}

/// The container `id` of `vpc_id` kept, but associations of it skipped (`failed`, raw): the
/// subnets they name are unknown; when one names no readable subnet (a main or gateway
/// association, a `SubnetId` that is not a string), so is every subnet that may fall back.
fn skipped_associations(
    id: &str,
    vpc_id: &str,
    failed: &[Value],
    pointer: &str,
) -> Option<Unreadable> {
    if failed.is_empty() {
        return None;
    }
    let named: Vec<Option<String>> = failed
        .iter()
        .map(|a| {
            a.get("SubnetId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let fallback = named.iter().any(Option::is_none);
    Some(Unreadable {
        id: Some(id.to_string()),
        vpc_id: (!vpc_id.is_empty()).then(|| vpc_id.to_string()),
        subnet_ids: Some(named.into_iter().flatten().collect()),
        fallback,
        why: Some(format!(
            "an association of it failed to load ({pointer}/Associations)"
        )),
    })
}

/// What can be read of a NACL that failed to load.
pub(crate) fn unreadable_network_acl(raw: &RawValue) -> Unreadable {
    unreadable(raw, "NetworkAclId", |o| {
        o.get("IsDefault").map_or(Some(false), Value::as_bool)
    })
}

/// What can be read of a route table that failed to load.
pub(crate) fn unreadable_route_table(raw: &RawValue) -> Unreadable {
    unreadable(raw, "RouteTableId", |o| match o.get("Associations") {
        None | Some(Value::Null) => Some(false),
        Some(Value::Array(a)) => {
            let mut main = false;
            for x in a {
                match x.get("Main") {
                    None | Some(Value::Null) => {}
                    Some(Value::Bool(b)) => main |= *b,
                    Some(_) => return None,
                }
            }
            Some(main)
        }
        Some(_) => None,
    })
}

/// `fallback` reads the default/main flag: `None` when it cannot be read.
fn unreadable(
    raw: &RawValue,
    id_key: &str,
    fallback: fn(&Map<String, Value>) -> Option<bool>,
) -> Unreadable {
    let Ok(object) = serde_json::from_str::<Map<String, Value>>(raw.get()) else {
        return Unreadable {
            fallback: true,
            ..Unreadable::default()
        };
    };
    let text = |k: &str| object.get(k).and_then(Value::as_str).map(str::to_string);
    let subnet_ids = match object.get("Associations") {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .filter(|x| {
                // A route table's disassociated association names no current subnet.
                x.pointer("/AssociationState/State")
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.eq_ignore_ascii_case("associated"))
            })
            .filter(|x| x.get("Main").and_then(Value::as_bool) != Some(true))
            // A missing SubnetId is a gateway association (route tables); a non-string one
            // cannot be read.
            .filter_map(|x| x.get("SubnetId").map(|v| v.as_str().map(str::to_string)))
            .collect::<Option<Vec<String>>>(),
        Some(_) => None,
    };
    let fallback = subnet_ids.is_none() || fallback(&object).unwrap_or(true);
    Unreadable {
        id: text(id_key),
        vpc_id: text("VpcId"),
        subnet_ids,
        fallback,
        why: None,
    }
}

/// A NACL whose `Entries` or `Associations` hold a bad element.
pub(crate) fn network_acl(
    raw: &RawValue,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
    unknown: &mut Vec<Unreadable>,
) -> Option<aws::NetworkAcl> {
    let (mut acl, mut nested) = shell::<aws::NetworkAcl>(raw, &["Entries", "Associations"])?;
    let id = acl.network_acl_id.clone();
    let mut d = Diagnostics::default();
    acl.entries = items(
        nested.remove("Entries"),
        "Entries",
        "entry",
        &id,
        pointer,
        file_name,
        &mut d,
        &mut Vec::new(),
    )?;
    let mut failed = Vec::new();
    acl.associations = items(
        nested.remove("Associations"),
        "Associations",
        "association",
        &id,
        pointer,
        file_name,
        &mut d,
        &mut failed,
    )?;
    unknown.extend(skipped_associations(&id, &acl.vpc_id, &failed, pointer));
    diags.extend(d);
    Some(acl)
}

/// A route table whose `Routes` or `Associations` hold a bad element.
pub(crate) fn route_table(
    raw: &RawValue,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
    unknown: &mut Vec<Unreadable>,
) -> Option<aws::RouteTable> {
    let (mut table, mut nested) = shell::<aws::RouteTable>(raw, &["Routes", "Associations"])?;
    let id = table.route_table_id.clone();
    let mut d = Diagnostics::default();
    table.routes = items(
        nested.remove("Routes"),
        "Routes",
        "route",
        &id,
        pointer,
        file_name,
        &mut d,
        &mut Vec::new(),
    )?;
    let mut failed = Vec::new();
    table.associations = items(
        nested.remove("Associations"),
        "Associations",
        "association",
        &id,
        pointer,
        file_name,
        &mut d,
        &mut failed,
    )?;
    unknown.extend(skipped_associations(&id, &table.vpc_id, &failed, pointer));
    diags.extend(d);
    Some(table)
}

/// The container without the `nested` keys, and the nested values taken out. `None` when the
/// element is not an object or the rest of it does not parse (the container itself is bad).
fn shell<T: DeserializeOwned>(raw: &RawValue, nested: &[&str]) -> Option<(T, Map<String, Value>)> {
    let mut object: Map<String, Value> = serde_json::from_str(raw.get()).ok()?;
    let mut taken = Map::new();
    for key in nested {
        if let Some(v) = object.remove(*key) {
            taken.insert((*key).to_string(), v);
        }
    }
    let rest = serde_json::value::to_raw_value(&object).ok()?;
    let item = parse_element::<T>(&rest).ok()?;
    Some((item, taken))
}

/// Each element of a nested array on its own; a bad one is reported, skipped and pushed to
/// `failed`. `None` when the value is there but is not an array (the container cannot be read).
#[allow(clippy::too_many_arguments)]
fn items<T: DeserializeOwned>(
    value: Option<Value>,
    key: &str,
    what: &str,
    container: &str,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
    failed: &mut Vec<Value>,
) -> Option<Vec<T>> {
    let elements = match value {
        None | Some(Value::Null) => return Some(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return None,
    };
    let mut out = Vec::with_capacity(elements.len());
    for (index, element) in elements.into_iter().enumerate() {
        let at = format!("{pointer}/{key}/{index}");
        if !element.is_object() {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagCode::InvalidValue,
                    format!(
                        "expected an object as each element of \"{key}\"; this {what} is skipped, the rest of {container} kept"
                    ),
                )
                .at(file_name, at),
            );
            failed.push(element);
            continue;
        }
        let parsed = serde_json::value::to_raw_value(&element)
            .map_err(|e| (String::new(), e.to_string()))
            .and_then(|r| parse_element::<T>(&r));
        match parsed {
            Ok(item) => out.push(item),
            Err((sub, message)) => {
                failed.push(element);
                diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagCode::InvalidValue,
                        format!("{message}; this {what} is skipped, the rest of {container} kept"),
                    )
                    .at(file_name, format!("{at}{sub}")),
                )
            }
        }
    }
    Some(out)
}
