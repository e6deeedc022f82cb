//! The manifest `vpcreach collect` writes beside the data (`manifest.json`): which calls ran for
//! which account and region, and which failed. A failed call means a kind of data is missing;
//! the model records it so that verdicts depending on it carry SNAPSHOT_INCOMPLETE.

use serde::{Deserialize, Serialize};

/// The top-level key of a manifest file.
pub const MANIFEST_KEY: &str = "VpcreachManifest";

/// `{"VpcreachManifest": {...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub started: Option<String>,
    pub finished: Option<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub calls: Vec<ManifestCall>,
    /// Values collect dropped while converting the SDK's answers (they fit no snapshot shape).
    pub dropped: Vec<ManifestDropped>,
}

/// A value `collect` could not represent and left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManifestDropped {
    pub account: String,
    pub region: String,
    pub operation: String,
    /// The data file, relative to the snapshot root.
    pub file: String,
    /// Its top-level key.
    pub key: String,
    pub resource: String,
    /// The kind of value (`IPv4 CIDR`, `port`, ...).
    pub field: String,
    pub value: String,
    pub reason: String,
}

/// One read call of a collection run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ManifestCall {
    pub account: String,
    pub region: String,
    pub operation: String,
    pub file: Option<String>,
    pub key: Option<String>,
    /// `ok`, `failed` or `skipped`.
    pub status: String,
    pub items: Option<u64>,
    pub duration_ms: Option<u64>,
    pub error: Option<String>,
}
