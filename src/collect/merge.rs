//! `vpcreach merge OUT DIR…`: join snapshot folders (typically the shards of
//! `collect --organization --shard K/N`) into one.
//!
//! Every file of every input is copied to the same relative path in OUT. A path present in
//! several inputs is accepted when the contents are byte-identical and refused otherwise, naming
//! both files. The `manifest.json` of the inputs are merged instead of copied: accounts and
//! regions united, call records concatenated (a record repeated by two inputs kept once), times
//! widened, values dropped by conversion concatenated. When every input is a shard, shards 1..N
//! of one N must all be there (unless `allow_missing_shards`), so a failed CI job is not merged
//! into a snapshot that silently lacks a part of the organisation. OUT is written like a
//! collected snapshot: atomically, refused when it exists and is not empty unless `force`.
//! Hidden entries (names starting with `.`, e.g. another run's temporary folder) are not copied.

use super::calls::CALLS;
use super::manifest::{CallRecord, Manifest, ManifestFile, OrgRecord};
use super::writer::{Staging, WriteError};
use anyhow::{anyhow, Context};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Data files written (manifest excluded).
    pub files: usize,
    /// Files found identical in more than one input (written once).
    pub identical_duplicates: usize,
    /// Accounts in the merged manifest.
    pub accounts: usize,
    /// Regions in the merged manifest.
    pub regions: usize,
    /// Failed or skipped calls in the merged manifest.
    pub failures: usize,
    /// Whether any input had a manifest.
    pub manifest: bool,
}

/// Why a merge was refused.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Two inputs hold different files at the same path.
    #[error("conflicting files: {} and {} differ (the same path in two inputs must hold the same content)", .0.display(), .1.display())]
    Conflict(PathBuf, PathBuf),
    /// OUT cannot be written.
    #[error(transparent)]
    Target(#[from] WriteError),
}

/// Merge `inputs` into `out`.
pub fn merge(
    out: &Path,
    inputs: &[PathBuf],
    force: bool,
    allow_missing_shards: bool,
) -> anyhow::Result<MergeSummary> {
    if inputs.is_empty() {
        anyhow::bail!("no input folder to merge");
    }
    for input in inputs {
        if !input.is_dir() {
            anyhow::bail!("{} is not a folder", input.display());
        }
        if same_path(input, out) {
            anyhow::bail!(
                "{} is both an input and the output: merge into a new folder",
                input.display()
            );
        }
    }
    // Plan everything (and find every conflict) before writing anything.
    let mut plan: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut manifests: Vec<(PathBuf, Manifest)> = Vec::new();
    let mut summary = MergeSummary::default();
    for input in inputs {
        for (rel, path) in files(input)? {
            if rel == "manifest.json" {
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let m: ManifestFile = serde_json::from_str(&text)
                    .with_context(|| format!("{} is not a vpcreach manifest", path.display()))?;
                manifests.push((path, m.manifest));
                continue;
            }
            match plan.get(&rel) {
                None => {
                    plan.insert(rel, path);
                }
                Some(first) => {
                    if !same_content(first, &path)? {
                        return Err(MergeError::Conflict(first.clone(), path).into());
                    }
                    summary.identical_duplicates += 1;
                }
            }
        }
    }
    if !allow_missing_shards {
        check_shards(&manifests)?;
    }

    let staging = Staging::create(out, force).map_err(MergeError::Target)?;
    for (rel, path) in &plan {
        let dest = rel
            .split('/')
            .fold(staging.path().to_path_buf(), |p, c| p.join(c));
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(path, &dest)
            .with_context(|| format!("cannot copy {} to {}", path.display(), dest.display()))?;
    }
    summary.files = plan.len();
    if !manifests.is_empty() {
        let merged = merge_manifests(manifests.into_iter().map(|(_, m)| m).collect());
        summary.accounts = merged.accounts.len();
        summary.regions = merged.regions.len();
        summary.failures = merged.failures();
        summary.manifest = true;
        staging.write_json("manifest.json", &ManifestFile { manifest: merged })?;
    }
    staging.commit().map_err(MergeError::Target)?;
    Ok(summary)
}

/// Whether two paths name the same folder (both canonicalised; a missing OUT is never an input).
fn same_path(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b || b.starts_with(&a),
        _ => false,
    }
}

/// Every regular file under `root` (hidden entries skipped), as (`/`-separated relative path,
/// path), sorted.
fn files(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot read {}", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .map_err(|_| anyhow!("{} is outside {}", entry.path().display(), root.display()))?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, entry.path().to_path_buf()));
    }
    Ok(out)
}

fn same_content(a: &Path, b: &Path) -> anyhow::Result<bool> {
    let read = |p: &Path| fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    Ok(read(a)? == read(b)?)
}

/// When every input is a shard: one N for all, and every K of 1..N present. (An input that is
/// not a shard, e.g. a whole run or a single account, makes the merge a composition the user
/// chose, which is not checked.)
fn check_shards(manifests: &[(PathBuf, Manifest)]) -> anyhow::Result<()> {
    let shard_of = |m: &Manifest| m.organization.as_ref().and_then(|o| o.shard.clone());
    if manifests.iter().any(|(_, m)| shard_of(m).is_none()) {
        return Ok(());
    }
    let mut by_n: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (path, m) in manifests {
        let Some(shard) = m.organization.as_ref().and_then(|o| o.shard.as_deref()) else {
            continue;
        };
        let s = super::organization::Shard::parse(shard)
            .map_err(|e| anyhow!("{}: {e}", path.display()))?;
        by_n.entry(s.n).or_default().insert(s.k);
    }
    if by_n.len() > 1 {
        let ns: Vec<String> = by_n.keys().map(u32::to_string).collect();
        anyhow::bail!(
            "the inputs are shards of different splits (N = {}): merge the shards of one run",
            ns.join(", ")
        );
    }
    if let Some((n, ks)) = by_n.into_iter().next() {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !ks.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "shard(s) {} missing: the merged snapshot would lack their accounts (pass --allow-missing-shards to merge anyway)",
                missing.join(", ")
            );
        }
    }
    Ok(())
}

/// One manifest from several: union of accounts and regions, calls concatenated (a record
/// repeated, duration aside, kept once), earliest start, latest finish.
pub fn merge_manifests(ms: Vec<Manifest>) -> Manifest {
    let mut accounts: BTreeSet<String> = BTreeSet::new();
    let mut regions: BTreeSet<String> = BTreeSet::new();
    let mut versions: BTreeSet<String> = BTreeSet::new();
    let mut calls: Vec<CallRecord> = Vec::new();
    let mut dropped = Vec::new();
    let mut orgs: Vec<OrgRecord> = Vec::new();
    let started = ms
        .iter()
        .map(|m| m.started.clone())
        .min()
        .unwrap_or_default();
    let finished = ms
        .iter()
        .map(|m| m.finished.clone())
        .max()
        .unwrap_or_default();
    for m in ms {
        accounts.extend(m.accounts);
        regions.extend(m.regions);
        versions.insert(m.version);
        for c in m.calls {
            let repeated = calls.iter().any(|k| {
                CallRecord {
                    duration_ms: c.duration_ms,
                    ..k.clone()
                } == c
            });
            if !repeated {
                calls.push(c);
            }
        }
        dropped.extend(m.dropped);
        orgs.extend(m.organization);
    }
    let order = |r: &CallRecord| CALLS.iter().position(|s| s.operation == r.operation);
    calls.sort_by(|a, b| {
        (&a.account, &a.region, order(a), &a.file)
            .cmp(&(&b.account, &b.region, order(b), &b.file))
            .then_with(|| a.error.cmp(&b.error))
    });
    dropped.sort();
    dropped.dedup();
    let organization = (!orgs.is_empty()).then(|| {
        let names: BTreeSet<String> = orgs.iter().map(|o| o.role_name.clone()).collect();
        let ous: BTreeSet<Option<String>> = orgs.iter().map(|o| o.ou.clone()).collect();
        OrgRecord {
            role_name: names.into_iter().collect::<Vec<_>>().join(","),
            ou: if ous.len() == 1 {
                ous.into_iter().next().flatten()
            } else {
                None
            },
            shard: None,
            accounts_listed: orgs.iter().map(|o| o.accounts_listed).max().unwrap_or(0),
        }
    });
    Manifest {
        tool: "vpcreach".into(),
        version: versions.into_iter().collect::<Vec<_>>().join(","),
        started,
        finished,
        accounts: accounts.into_iter().collect(),
        regions: regions.into_iter().collect(),
        calls,
        organization,
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::manifest::CallStatus;

    fn manifest(account: &str, shard: Option<&str>, ms: u64) -> Manifest {
        Manifest {
            tool: "vpcreach".into(),
            version: "0.1.0".into(),
            started: format!("2025-01-01T00:00:0{ms}Z"),
            finished: format!("2025-01-01T00:01:0{ms}Z"),
            accounts: vec![account.into()],
            regions: vec!["us-east-1".into()],
            calls: vec![CallRecord {
                account: account.into(),
                region: "us-east-1".into(),
                operation: "DescribeVpcs".into(),
                file: format!("{account}/us-east-1/describe-vpcs.json"),
                key: "Vpcs".into(),
                status: CallStatus::Ok,
                items: 1,
                duration_ms: ms,
                error: None,
            }],
            organization: shard.map(|s| OrgRecord {
                role_name: "audit".into(),
                ou: None,
                shard: Some(s.into()),
                accounts_listed: 3,
            }),
            dropped: Vec::new(),
        }
    }

    #[test]
    fn manifests_unite() {
        let a = manifest("111111111111", Some("1/2"), 1);
        let b = manifest("222222222222", Some("2/2"), 2);
        // The same record from a third input, another duration: kept once.
        let a2 = manifest("111111111111", Some("1/2"), 3);
        let m = merge_manifests(vec![b, a, a2]);
        assert_eq!(m.accounts, vec!["111111111111", "222222222222"]);
        assert_eq!(m.calls.len(), 2);
        assert_eq!(m.calls[0].account, "111111111111");
        assert_eq!(m.started, "2025-01-01T00:00:01Z");
        assert_eq!(m.finished, "2025-01-01T00:01:03Z");
        let org = m.organization.expect("org");
        assert_eq!(org.shard, None);
        assert_eq!(org.accounts_listed, 3);
    }

    #[test]
    fn shard_coverage() {
        let p = PathBuf::from("m.json");
        let one = (p.clone(), manifest("111111111111", Some("1/3"), 1));
        let two = (p.clone(), manifest("222222222222", Some("2/3"), 1));
        let three = (p.clone(), manifest("333333333333", Some("3/3"), 1));
        assert!(check_shards(&[one.clone(), two.clone(), three]).is_ok());
        let e = check_shards(&[one.clone(), two]).expect_err("3/3 missing");
        assert!(e.to_string().contains("shard(s) 3/3 missing"), "{e}");
        let other = (p, manifest("333333333333", Some("1/2"), 1));
        assert!(check_shards(&[one.clone(), other]).is_err());
        // A whole run among the inputs: not a shard set, not checked.
        let whole = (PathBuf::from("w.json"), manifest("444444444444", None, 1));
        assert!(check_shards(&[one, whole]).is_ok());
    }
}
