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

/// Read an element that failed the strict parse, keeping its good nested elements.
pub(crate) type SalvageFn<T> = fn(&RawValue, &str, &str, &mut Diagnostics) -> Option<T>;

/// A NACL whose `Entries` or `Associations` hold a bad element.
pub(crate) fn network_acl(
    raw: &RawValue,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
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
    )?;
    acl.associations = items(
        nested.remove("Associations"),
        "Associations",
        "association",
        &id,
        pointer,
        file_name,
        &mut d,
    )?;
    diags.extend(d);
    Some(acl)
}

/// A route table whose `Routes` or `Associations` hold a bad element.
pub(crate) fn route_table(
    raw: &RawValue,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
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
    )?;
    table.associations = items(
        nested.remove("Associations"),
        "Associations",
        "association",
        &id,
        pointer,
        file_name,
        &mut d,
    )?;
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

/// Each element of a nested array on its own; a bad one is reported and skipped. `None` when the
/// value is there but is not an array (the container cannot be read).
fn items<T: DeserializeOwned>(
    value: Option<Value>,
    key: &str,
    what: &str,
    container: &str,
    pointer: &str,
    file_name: &str,
    diags: &mut Diagnostics,
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
            continue;
        }
        let parsed = serde_json::value::to_raw_value(&element)
            .map_err(|e| (String::new(), e.to_string()))
            .and_then(|r| parse_element::<T>(&r));
        match parsed {
            Ok(item) => out.push(item),
            Err((sub, message)) => diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagCode::InvalidValue,
                    format!("{message}; this {what} is skipped, the rest of {container} kept"),
                )
                .at(file_name, format!("{at}{sub}")),
            ),
        }
    }
    Some(out)
}
