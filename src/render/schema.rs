//! JSON Schemas of the JSON outputs (`reach`, `reach --via`, `overlaps`, `inventory`, `explain`,
//! `audit`, `check`, `diff`), generated
//! from the Rust types that are serialized (schemars). Committed under `docs/schema/` and
//! printed by `vpcreach schema KIND`; `tests/schema.rs` checks the committed files are current
//! and that real outputs validate against them.
//!
//! Every object is closed (`additionalProperties: false`): a renamed or unexpected field fails
//! validation. Fields are only ever added, with a new schema committed alongside.

use serde_json::Value;

/// A JSON output that has a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// `vpcreach reach --format json`.
    Reach,
    /// `vpcreach reach --via RELAY --format json`.
    ReachVia,
    /// `vpcreach overlaps --format json`.
    Overlaps,
    /// `vpcreach inventory --format json`.
    Inventory,
    /// `vpcreach explain --format json` (one code or `--list`).
    Explain,
    /// `vpcreach audit --format json`.
    Audit,
    /// `vpcreach check --format json`.
    Check,
    /// `vpcreach diff --format json`.
    Diff,
}

impl SchemaKind {
    /// Every kind, in the order of the files under `docs/schema/`.
    pub const ALL: [SchemaKind; 8] = [
        SchemaKind::Reach,
        SchemaKind::ReachVia,
        SchemaKind::Overlaps,
        SchemaKind::Inventory,
        SchemaKind::Explain,
        SchemaKind::Audit,
        SchemaKind::Check,
        SchemaKind::Diff,
    ];

    /// `reach`, `overlaps`, ...: the file is `docs/schema/<name>.schema.json`.
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Reach => "reach",
            SchemaKind::ReachVia => "reach-via",
            SchemaKind::Overlaps => "overlaps",
            SchemaKind::Inventory => "inventory",
            SchemaKind::Explain => "explain",
            SchemaKind::Audit => "audit",
            SchemaKind::Check => "check",
            SchemaKind::Diff => "diff",
        }
    }
}

/// The schema of one output, as a JSON value.
pub fn schema(kind: SchemaKind) -> Value {
    let generated = match kind {
        SchemaKind::Reach => schemars::schema_for!(crate::engine::Answer),
        SchemaKind::ReachVia => schemars::schema_for!(crate::findings::reach_via::ViaAnswer),
        SchemaKind::Overlaps => schemars::schema_for!(crate::findings::overlaps::OverlapReport),
        SchemaKind::Inventory => schemars::schema_for!(crate::findings::inventory::Inventory),
        SchemaKind::Explain => schemars::schema_for!(super::explain::CodeList),
        SchemaKind::Audit => schemars::schema_for!(crate::findings::audit_report::AuditReport),
        SchemaKind::Check => schemars::schema_for!(crate::findings::check::CheckReport),
        SchemaKind::Diff => schemars::schema_for!(crate::findings::diff::DiffReport),
    };
    let mut value = generated.to_value();
    close_objects(&mut value);
    value
}

/// The schema as the committed file holds it: pretty JSON and a trailing newline.
pub fn schema_text(kind: SchemaKind) -> String {
    super::json::to_json(&schema(kind))
}

/// Add `additionalProperties: false` to every object schema that lists `properties` and says
/// nothing about other properties (maps such as `vpcs` keep their `additionalProperties`).
fn close_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for child in map.values_mut() {
                close_objects(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}
