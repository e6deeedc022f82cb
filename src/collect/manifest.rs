//! `manifest.json`: what a collect run did, call by call.
//!
//! The loader reads it to turn failed and skipped calls into notes, so a missing file is never a
//! silent gap. The shape is fixed:
//! `{"VpcreachManifest": {"tool", "version", "started", "finished", "accounts", "regions",
//! "calls": [{"account", "region", "operation", "file", "key", "status", "items", "duration_ms",
//! "error"}]}}`.

use serde::{Deserialize, Serialize};

/// The top-level object of `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// The manifest itself, under the key `VpcreachManifest`.
    #[serde(rename = "VpcreachManifest")]
    pub manifest: Manifest,
}

/// One collect run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `vpcreach`.
    pub tool: String,
    /// The vpcreach version that wrote the snapshot.
    pub version: String,
    /// Start time, RFC 3339.
    pub started: String,
    /// End time, RFC 3339.
    pub finished: String,
    /// Account ids collected, in command-line order.
    pub accounts: Vec<String>,
    /// Regions collected (the union over accounts), sorted.
    pub regions: Vec<String>,
    /// Every call, sorted by account, region, file.
    pub calls: Vec<CallRecord>,
    /// `collect --organization`: what was listed and selected (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrgRecord>,
    /// Values the SDK returned that the snapshot's shapes cannot hold, dropped while converting
    /// (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DroppedValue>,
}

/// How the accounts of an organisation run were chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRecord {
    /// The role assumed in every account.
    pub role_name: String,
    /// `--ou`, if given.
    #[serde(default)]
    pub ou: Option<String>,
    /// `--shard K/N`, if given; `vpcreach merge` checks that shards 1..N are all there.
    #[serde(default)]
    pub shard: Option<String>,
    /// Active accounts the organisation listed (before selection and sharding).
    pub accounts_listed: usize,
}

/// A value dropped by the SDK → snapshot conversion.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DroppedValue {
    /// Account id.
    pub account: String,
    /// Region name.
    pub region: String,
    /// The API operation that returned it.
    pub operation: String,
    /// The data file the resource is in, relative to the snapshot root.
    pub file: String,
    /// Top-level key of that file.
    pub key: String,
    /// The resource it belonged to (id, or the parent's id), `?` when it had none.
    pub resource: String,
    /// The kind of value, e.g. `IPv4 CIDR`.
    pub field: String,
    /// The value as the SDK returned it.
    pub value: String,
    /// Why it was dropped.
    pub reason: String,
}

/// Outcome of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallStatus {
    /// All pages received; the file holds everything.
    Ok,
    /// The call (or, for per-parent calls, the call for one parent) failed; see `error`.
    Failed,
    /// Not attempted because a call it depends on failed.
    Skipped,
}

/// One call in the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Account id.
    pub account: String,
    /// Region name.
    pub region: String,
    /// API operation name, e.g. `DescribeVpcs`.
    pub operation: String,
    /// Data file relative to the snapshot root, `/`-separated. For a failed call: the file the
    /// call would have written (it does not exist unless other parents of the same call succeeded).
    pub file: String,
    /// Top-level key of the data file.
    pub key: String,
    /// What happened.
    pub status: CallStatus,
    /// Number of items written (for wrapper keys: the inner items, e.g. routes).
    pub items: usize,
    /// Wall time of the call including all pages and retries.
    pub duration_ms: u64,
    /// `Code: message` of the failure, `null` on success.
    pub error: Option<String>,
}

impl Manifest {
    /// Failed or skipped calls.
    pub fn failures(&self) -> usize {
        self.calls
            .iter()
            .filter(|c| c.status != CallStatus::Ok)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_shape() {
        let m = ManifestFile {
            manifest: Manifest {
                tool: "vpcreach".into(),
                version: "0.1.0".into(),
                started: "2025-01-01T00:00:00Z".into(),
                finished: "2025-01-01T00:00:01Z".into(),
                accounts: vec!["123456789012".into()],
                regions: vec!["us-east-1".into()],
                calls: vec![CallRecord {
                    account: "123456789012".into(),
                    region: "us-east-1".into(),
                    operation: "DescribeVpcs".into(),
                    file: "123456789012/us-east-1/describe-vpcs.json".into(),
                    key: "Vpcs".into(),
                    status: CallStatus::Failed,
                    items: 0,
                    duration_ms: 12,
                    error: Some("UnauthorizedOperation: no".into()),
                }],
                organization: None,
                dropped: Vec::new(),
            },
        };
        let v = serde_json::to_value(&m).unwrap_or_default();
        let expected = serde_json::json!({"VpcreachManifest": {
            "tool": "vpcreach", "version": "0.1.0",
            "started": "2025-01-01T00:00:00Z", "finished": "2025-01-01T00:00:01Z",
            "accounts": ["123456789012"], "regions": ["us-east-1"],
            "calls": [{"account": "123456789012", "region": "us-east-1",
                "operation": "DescribeVpcs", "file": "123456789012/us-east-1/describe-vpcs.json",
                "key": "Vpcs", "status": "failed", "items": 0, "duration_ms": 12,
                "error": "UnauthorizedOperation: no"}]
        }});
        assert_eq!(v, expected);
        assert_eq!(m.manifest.failures(), 1);
    }
}
