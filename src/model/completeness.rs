//! What of the snapshot did not load: the files that failed or were partly read, the resource
//! kinds they hold, and the elements rejected by id. Built once with the model from the load
//! diagnostics; every answer (`reach`, `overlaps`, ...) carries it, so a verdict never rests on
//! missing data silently, and a resource that failed to load is never called "not in the
//! snapshot" or blamed as if it were empty.

use crate::diag::{Diagnostic, Severity};
use crate::snapshot::{FileReport, MODELLED_KEYS};
use serde::Serialize;
use std::collections::BTreeMap;

/// How much of a file was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Extent {
    /// Nothing in the file was read (not JSON, unreadable, not an object).
    NotLoaded,
    /// Some elements (or nested rules, entries, routes) were skipped, the rest loaded.
    PartlyLoaded,
}

/// One file whose data is missing or partly missing from the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IncompleteFile {
    /// The file, relative to the snapshot root.
    pub file: String,
    pub extent: Extent,
    /// The resource kinds (top-level keys, e.g. `SecurityGroups`) missing or partly loaded;
    /// for a file that could not be parsed, guessed from its name (empty when it cannot be).
    pub kinds: Vec<String>,
    /// Load errors in the file (each skipped a file, an element or a nested rule).
    pub errors: usize,
    /// The first error: `#pointer: message` (the message alone for a whole-file error).
    pub first_error: String,
}

impl IncompleteFile {
    /// `describe-security-groups.json did not load (SecurityGroups missing): ...`.
    pub fn describe(&self) -> String {
        let kinds = if self.kinds.is_empty() {
            "resource kinds unknown".to_string()
        } else {
            self.kinds.join(", ")
        };
        let (what, lost) = match self.extent {
            Extent::NotLoaded => ("did not load", "missing"),
            Extent::PartlyLoaded => ("loaded partly", "partly loaded"),
        };
        let more = if self.errors > 1 {
            format!(" (+{} more error(s))", self.errors - 1)
        } else {
            String::new()
        };
        format!(
            "{} {what} ({kinds} {lost}): {}{more}",
            self.file, self.first_error
        )
    }
}

/// One element that failed to load, by the id it held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectedElement {
    pub id: String,
    /// Its top-level key (`SecurityGroups`, `Reservations`, ...).
    pub key: String,
    pub file: String,
    /// The JSON pointer of the value at fault.
    pub pointer: String,
    pub message: String,
}

impl RejectedElement {
    /// `failed to load (file#pointer: message)`.
    pub fn describe(&self) -> String {
        format!(
            "failed to load ({}#{}: {})",
            self.file, self.pointer, self.message
        )
    }
}

/// Everything of the snapshot that did not load.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Completeness {
    /// Files with load errors, in path order.
    pub files: Vec<IncompleteFile>,
    /// Rejected elements by id.
    pub rejected: Vec<RejectedElement>,
    /// Account/region folders that hold subnets but no output at all of some kinds a reach
    /// answer reads (not exported, not an empty list): read as none, and said so.
    pub not_exported: Vec<KindsNotExported>,
    /// Account/region folders that hold subnets but no output at all of some kinds `overlaps`
    /// reads to tell what an overlap breaks (peering connections, transit gateways, their
    /// attachments and route tables, [`EXPECTED_FOR_LINKS`]): an impact there is unknown, not
    /// "no peering, no TGW".
    pub links_not_exported: Vec<KindsNotExported>,
}

/// The kinds a reach answer reads that a region export with subnets should hold: their absence
/// is stated (`SNAPSHOT_KIND_NOT_EXPORTED`), never read silently as "none". NACLs and route
/// tables are not listed: a subnet without them is unknown (SNAPSHOT_INCOMPLETE) instead.
pub const EXPECTED_WITH_SUBNETS: &[&str] = &[
    "SecurityGroups",
    "NetworkInterfaces",
    "Reservations",
    "InternetGateways",
    "NatGateways",
    "VpcEndpoints",
    "VpcPeeringConnections",
];

/// The kinds `overlaps` reads to tell an overlap's impact (P3, T4): a kind is exported when a
/// file of the folder holds any key of its group (an attachment listed by
/// `describe-transit-gateway-attachments` or `describe-transit-gateway-vpc-attachments`). The
/// first key names the kind.
pub const EXPECTED_FOR_LINKS: &[&[&str]] = &[
    &["VpcPeeringConnections"],
    &["TransitGateways"],
    &["TransitGatewayAttachments", "TransitGatewayVpcAttachments"],
    &["TransitGatewayRouteTables"],
];

/// One account/region folder whose export lacks whole kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct KindsNotExported {
    /// `account/region`.
    pub scope: String,
    /// The top-level keys no file of the folder holds (not even as an empty list).
    pub kinds: Vec<String>,
}

impl KindsNotExported {
    /// The kinds absent from each account/region whose files hold `Subnets`, leaving out kinds
    /// a file of that folder failed to load (those are reported as incomplete files already).
    pub(crate) fn find(reports: &[FileReport], failed: &[IncompleteFile]) -> Vec<KindsNotExported> {
        let groups: Vec<&[&str]> = EXPECTED_WITH_SUBNETS
            .iter()
            .map(std::slice::from_ref)
            .collect();
        Self::find_groups(reports, failed, &groups)
    }

    /// As [`Self::find`], for kinds each present when any key of its group is (named by the
    /// group's first key).
    pub(crate) fn find_groups(
        reports: &[FileReport],
        failed: &[IncompleteFile],
        groups: &[&[&str]],
    ) -> Vec<KindsNotExported> {
        let mut by_scope: BTreeMap<String, std::collections::BTreeSet<&str>> = BTreeMap::new();
        for r in reports {
            let keys = by_scope
                .entry(format!("{}/{}", r.account, r.region))
                .or_default();
            keys.extend(r.loaded.keys().map(String::as_str));
        }
        let mut out = Vec::new();
        for (scope, keys) in by_scope {
            if !keys.contains("Subnets") {
                continue;
            }
            let lost_in_scope = |k: &str| {
                failed.iter().any(|f| {
                    reports
                        .iter()
                        .any(|r| r.path == f.file && format!("{}/{}", r.account, r.region) == scope)
                        && (f.kinds.is_empty() || f.kinds.iter().any(|x| x == k))
                })
            };
            let kinds: Vec<String> = groups
                .iter()
                .filter(|g| g.iter().all(|k| !keys.contains(*k) && !lost_in_scope(k)))
                .map(|g| g[0].to_string())
                .collect();
            if !kinds.is_empty() {
                out.push(KindsNotExported { scope, kinds });
            }
        }
        out
    }
}

impl std::fmt::Display for KindsNotExported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} holds subnets but no {} at all (not exported, not even an empty list): read as none there",
            self.scope,
            self.kinds.join(", ")
        )
    }
}

impl Completeness {
    /// True when every file loaded without errors.
    pub fn is_complete(&self) -> bool {
        self.files.is_empty()
    }

    /// The rejected element that held `id`, if one did.
    pub fn rejected(&self, id: &str) -> Option<&RejectedElement> {
        self.rejected.iter().find(|r| r.id == id)
    }

    /// The files in which resources of `key` (e.g. `SecurityGroups`) are missing, or whose
    /// kinds are unknown.
    pub fn affecting(&self, key: &str) -> Vec<&IncompleteFile> {
        self.files
            .iter()
            .filter(|f| f.kinds.is_empty() || f.kinds.iter().any(|k| k == key))
            .collect()
    }

    /// Why an object of kind `key` with `id` is not in the model: it failed to load, or its
    /// kind did not fully load, or (`None`) nothing says the snapshot lost it.
    pub fn why_absent(&self, key: &str, id: &str) -> Option<String> {
        if let Some(r) = self.rejected(id) {
            return Some(format!("{id} {}", r.describe()));
        }
        let files = self.affecting(key);
        if files.is_empty() {
            return None;
        }
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        Some(format!(
            "{id} is not in the model, and {key} did not fully load ({})",
            names.join(", ")
        ))
    }

    /// Build from the load diagnostics (errors with a file) and the per-file reports.
    pub(crate) fn from_diagnostics<'a>(
        diags: impl Iterator<Item = &'a Diagnostic>,
        reports: &[FileReport],
        rejected: Vec<RejectedElement>,
    ) -> Completeness {
        let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diags.filter(|d| d.severity == Severity::Error) {
            if let Some(f) = &d.file {
                by_file.entry(f.clone()).or_default().push(d);
            }
        }
        let files: Vec<IncompleteFile> = by_file
            .into_iter()
            .map(|(file, ds)| {
                let report = reports.iter().find(|r| r.path == file);
                let nothing_read = report.is_none_or(|r| r.loaded.values().all(|n| *n == 0));
                let whole = ds
                    .iter()
                    .any(|d| d.pointer.as_deref().unwrap_or("").is_empty());
                let extent = if whole || nothing_read {
                    Extent::NotLoaded
                } else {
                    Extent::PartlyLoaded
                };
                let mut kinds: Vec<String> = Vec::new();
                let mut add = |k: String| {
                    if !kinds.contains(&k) {
                        kinds.push(k);
                    }
                };
                for d in &ds {
                    match top_key(d.pointer.as_deref().unwrap_or("")) {
                        Some(k) => add(k),
                        None => {
                            if let Some(k) = kind_of_file_name(&file) {
                                add(k.to_string());
                            }
                        }
                    }
                }
                if let Some(r) = report.filter(|_| extent == Extent::NotLoaded) {
                    for k in r.loaded.keys() {
                        add(k.clone());
                    }
                }
                kinds.sort();
                let first = ds[0];
                IncompleteFile {
                    file,
                    extent,
                    kinds,
                    errors: ds.len(),
                    first_error: match first.pointer.as_deref().unwrap_or("") {
                        "" => first.message.clone(),
                        p => format!("#{p}: {}", first.message),
                    },
                }
            })
            .collect();
        let not_exported = KindsNotExported::find(reports, &files);
        let links_not_exported = KindsNotExported::find_groups(reports, &files, EXPECTED_FOR_LINKS);
        Completeness {
            files,
            rejected,
            not_exported,
            links_not_exported,
        }
    }
}

/// The first token of a JSON pointer (`/SecurityGroups/3/...` → `SecurityGroups`).
fn top_key(pointer: &str) -> Option<String> {
    let first = pointer.strip_prefix('/')?.split('/').next()?;
    (!first.is_empty()).then(|| first.replace("~1", "/").replace("~0", "~"))
}

/// The top-level key an AWS CLI output file name stands for (`describe-security-groups.json`
/// → `SecurityGroups`), when it names a modelled one.
pub fn kind_of_file_name(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next()?;
    let stem = name
        .strip_suffix(".json")
        .unwrap_or(name)
        .to_ascii_lowercase();
    let special = [
        ("describe-instances", "Reservations"),
        ("describe-managed-prefix-lists", "PrefixLists"),
        (
            "get-managed-prefix-list-entries",
            "ManagedPrefixListEntries",
        ),
        ("describe-vpc-attribute", "VpcAttributes"),
        ("search-transit-gateway-routes", "TransitGatewayRoutes"),
        (
            "get-transit-gateway-route-table-associations",
            "TransitGatewayAssociations",
        ),
        (
            "get-transit-gateway-route-table-propagations",
            "TransitGatewayPropagations",
        ),
    ];
    if let Some((_, k)) = special.iter().find(|(s, _)| *s == stem) {
        return Some(k);
    }
    let words = stem
        .strip_prefix("describe-")
        .or_else(|| stem.strip_prefix("get-"))
        .unwrap_or(&stem);
    let pascal: String = words
        .split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    MODELLED_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(&pascal))
        .copied()
}

/// The subnets whose NACL or route table is unknown (it did not load, is missing from the
/// snapshot, or is ambiguous), grouped by reason: `NACL of subnet-a, subnet-b unknown: why`.
/// Every whole-snapshot answer (audit, check) lists them as incomplete: verdicts through those
/// subnets rest on missing data.
pub fn unknown_subnet_data(t: &crate::model::Topology) -> Vec<String> {
    let mut by: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for s in &t.subnets {
        if let Some(why) = &s.network_acl_unreadable {
            by.entry(("NACL", why.as_str())).or_default().push(&s.id);
        }
        if let Some(why) = &s.route_table_unreadable {
            by.entry(("route table", why.as_str()))
                .or_default()
                .push(&s.id);
        }
    }
    by.into_iter()
        .map(|((what, why), subnets)| format!("{what} of {} unknown: {why}", subnets.join(", ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_to_kinds() {
        assert_eq!(
            kind_of_file_name("a/b/describe-security-groups.json"),
            Some("SecurityGroups")
        );
        assert_eq!(kind_of_file_name("describe-vpcs.json"), Some("Vpcs"));
        assert_eq!(
            kind_of_file_name("describe-instances.json"),
            Some("Reservations")
        );
        assert_eq!(
            kind_of_file_name("describe-network-acls.json"),
            Some("NetworkAcls")
        );
        assert_eq!(kind_of_file_name("stuff.json"), None);
    }
}
