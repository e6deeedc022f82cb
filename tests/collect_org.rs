//! `vpcreach collect --organization`, `--shard K/N` and `vpcreach merge` against a local moto
//! server (`moto_server` 5.2.x on 127.0.0.1; see tests/collect_moto.rs for how it is found: the
//! test FAILS when moto is missing, it never skips).
//!
//! `tests/moto/build_org.py` builds an organisation: the management account (moto's default
//! 123456789012), four members (member 1 at the root, member 2 in OU "workloads", members 3 and 4
//! in OU "prod" below it), each member with a network in us-east-1 built by assuming a role in it
//! (moto keeps each account's resources apart when the credentials come from an assumed role).
//!
//! Moto gap: STS AssumeRole in moto succeeds for any role ARN ("the role does not need to
//! exist"), so an account whose role is missing is made by the fault proxy
//! (tests/support/fault_proxy.rs) between vpcreach and moto: it answers AssumeRole on member 4's
//! role with 403 AccessDenied, as STS does for a role that does not exist or does not trust the
//! caller. Moto 5.2 has no VPC Lattice resource gateways or configurations either: the proxy
//! answers those two listings with an empty page. Every other request is forwarded.
//!
//! Figures (wall time) are printed: run with `--nocapture` to see them.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/moto.rs"]
mod moto;

use fault_proxy::{Canned, Fault, FaultProxy, Rule};
use moto::{sandbox, venv_tool, Moto};

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");
const ROLE: &str = "vpcreach-audit";
const EXTERNAL_ID: &str = "ext-7f3a";
const REGIONS: &str = "us-east-1,eu-west-1";

fn vpcreach(work: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    sandbox(&mut cmd, work)
        .args(args)
        .output()
        .expect("run vpcreach")
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn read_json(path: &Path) -> Value {
    let t = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&t).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `collect --organization` with the test's role and external id, through `endpoint`.
fn collect_org(work: &Path, endpoint: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "collect",
        "--organization",
        "--role-name",
        ROLE,
        "--external-id",
        EXTERNAL_ID,
        "--endpoint-url",
        endpoint,
        "--regions",
        REGIONS,
        "--quiet",
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    vpcreach(work, &args)
}

/// Every file under `dir` (relative, `/`-separated) with its content, manifest.json aside.
fn data_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel != "manifest.json" {
                    out.insert(rel, std::fs::read(&p).expect("read"));
                }
            }
        }
    }
    out
}

/// The account folders of a snapshot.
fn account_dirs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// `inventory --format json`, the snapshot path taken out, and its error count checked.
fn inventory(work: &Path, snap: &Path) -> Value {
    let out = vpcreach(
        work,
        &["inventory", "--snapshot", s(snap), "--format", "json"],
    );
    let text_out = String::from_utf8_lossy(&out.stdout).replace(s(snap), "SNAPSHOT");
    let v: Value = serde_json::from_str(&text_out)
        .unwrap_or_else(|e| panic!("inventory output is not JSON ({e}): {}", text(&out)));
    assert_eq!(v["errors"], 0, "inventory reports errors: {}", text(&out));
    v
}

/// `reach --format json` with the snapshot path taken out.
fn reach(work: &Path, snap: &Path, from: &str, to: &str, port: &str) -> String {
    let out = vpcreach(
        work,
        &[
            "reach",
            "--snapshot",
            s(snap),
            "--from",
            from,
            "--to",
            to,
            "--port",
            port,
            "--format",
            "json",
        ],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "reach failed: {}",
        text(&out)
    );
    String::from_utf8_lossy(&out.stdout).replace(s(snap), "SNAPSHOT")
}

/// 64-bit FNV-1a, written out here from its definition (independently of src/), to check which
/// shard each account must land in.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[test]
fn organisation_collect_shard_merge() {
    let tmp = tempfile::tempdir().expect("work dir");
    let work = tmp.path();
    let moto = Moto::start(work);

    // The organisation.
    let py = venv_tool("VPCREACH_PYTHON", "python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto/build_org.py");
    let mut cmd = Command::new(py);
    let out = sandbox(&mut cmd, work)
        .arg(&script)
        .args([moto.endpoint.as_str(), "4"])
        .output()
        .expect("run build_org.py");
    assert!(
        out.status.success(),
        "build_org.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let org: Value = serde_json::from_slice(&out.stdout).expect("build_org.py prints JSON");
    let management = org["management"].as_str().expect("management").to_string();
    let members: Vec<Value> = org["members"].as_array().expect("members").clone();
    assert_eq!(members.len(), 4);
    let member = |i: usize, k: &str| members[i][k].as_str().expect(k).to_string();
    let denied = member(3, "account");
    let mut all_accounts: BTreeSet<String> = (0..4).map(|i| member(i, "account")).collect();
    all_accounts.insert(management.clone());
    assert_eq!(
        all_accounts.len(),
        5,
        "five distinct accounts: {all_accounts:?}"
    );

    // Member 4's role "does not exist": the proxy refuses AssumeRole on it.
    let proxy = FaultProxy::start_with(
        &moto.endpoint,
        vec![Rule {
            action: "AssumeRole",
            fault: Fault::AccessDenied,
            times: None,
        }],
        vec![(
            "AssumeRole".to_string(),
            format!("arn:aws:iam::{denied}:role/{ROLE}"),
        )],
        Canned::lattice_empty(),
    );

    // 1. The whole organisation.
    let full = work.join("full");
    let started = Instant::now();
    let out = collect_org(work, &proxy.url, &full, &[]);
    let full_time = started.elapsed();
    // Exit 1: calls failed (member 4's AssumeRole, and moto's missing DescribeServerlessCaches).
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let collected: BTreeSet<String> = all_accounts
        .iter()
        .filter(|a| **a != denied)
        .cloned()
        .collect();
    assert_eq!(account_dirs(&full), collected, "every reachable account");
    for a in &collected {
        for r in ["us-east-1", "eu-west-1"] {
            assert!(
                full.join(a).join(r).join("describe-vpcs.json").is_file(),
                "{a}/{r}"
            );
        }
    }
    let m = read_json(&full.join("manifest.json"));
    let m = &m["VpcreachManifest"];
    let listed: BTreeSet<String> = strings(&m["accounts"]).into_iter().collect();
    assert_eq!(listed, all_accounts, "the manifest names every account");
    assert_eq!(m["organization"]["accounts_listed"], 5);
    assert_eq!(m["organization"]["role_name"], ROLE);
    let assume_failures: Vec<&Value> = m["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .filter(|c| c["operation"] == "AssumeRole")
        .collect();
    assert_eq!(
        assume_failures.len(),
        2,
        "one failed AssumeRole per region: {assume_failures:?}"
    );
    for c in &assume_failures {
        assert_eq!(c["account"], denied.as_str());
        assert_eq!(c["status"], "failed");
        assert!(
            c["error"].as_str().unwrap_or("").contains("AccessDenied"),
            "{c}"
        );
    }
    // Nothing else failed but moto's missing DescribeServerlessCaches: the Lattice listings
    // were answered (empty) by the proxy, in every collected account and region.
    let other_failures: BTreeSet<&str> = m["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .filter(|c| c["status"] != "ok" && c["operation"] != "AssumeRole")
        .filter_map(|c| c["operation"].as_str())
        .collect();
    assert_eq!(other_failures, BTreeSet::from(["DescribeServerlessCaches"]));
    assert_eq!(
        proxy.requests("ListResourceGateways"),
        2 * collected.len(),
        "one listing per collected account and region"
    );
    // Every role was asked for with vpcreach's session name and the external id.
    let bodies = proxy.bodies("AssumeRole");
    for a in &all_accounts {
        let arn = format!("RoleArn=arn:aws:iam::{a}:role/{ROLE}");
        assert!(
            bodies.iter().any(|b| b.contains(&arn)
                && b.contains("RoleSessionName=vpcreach-collect")
                && b.contains(&format!("ExternalId={EXTERNAL_ID}"))),
            "AssumeRole for {a}: {bodies:?}"
        );
    }
    assert!(proxy.served("AssumeRole", Fault::AccessDenied) >= 1);

    // Each member's network is in its own account: 2 VPCs (default + built) in us-east-1.
    let inv_full = inventory(work, &full);
    let mut vpcs: BTreeMap<(String, String), i64> = BTreeMap::new();
    for sc in inv_full["scopes"].as_array().expect("scopes") {
        vpcs.insert(
            (
                sc["account"].as_str().unwrap_or("").to_string(),
                sc["region"].as_str().unwrap_or("").to_string(),
            ),
            sc["counts"]["vpcs"].as_i64().unwrap_or(-1),
        );
    }
    for a in &collected {
        let built = i64::from(*a != management);
        assert_eq!(vpcs[&(a.clone(), "us-east-1".into())], 1 + built, "{a}");
        assert_eq!(vpcs[&(a.clone(), "eu-west-1".into())], 1, "{a}");
    }

    // An answer on the snapshot names the account that could not be collected.
    let (web1, app1) = (member(0, "web"), member(0, "app"));
    let answer = reach(work, &full, &web1, &app1, "5432");
    let v: Value = serde_json::from_str(&answer).expect("reach JSON");
    let warnings = strings(&v["warnings"]);
    assert!(
        warnings.iter().any(|w| w.starts_with("SNAPSHOT_INCOMPLETE")
            && w.contains("AssumeRole")
            && w.contains(&denied)),
        "{warnings:?}"
    );

    // 2. Two shards: disjoint, each the accounts whose FNV-1a mod 2 says so, together the
    //    whole run (same files, same bytes).
    let mut shard_dirs: Vec<PathBuf> = Vec::new();
    let mut union: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut shard_accounts: Vec<BTreeSet<String>> = Vec::new();
    for k in 1..=2u64 {
        let dir = work.join(format!("shard{k}"));
        let out = collect_org(work, &proxy.url, &dir, &["--shard", &format!("{k}/2")]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "shard {k}: {}",
            text(&out)
        );
        let m = read_json(&dir.join("manifest.json"));
        let accts: BTreeSet<String> = strings(&m["VpcreachManifest"]["accounts"])
            .into_iter()
            .collect();
        let expected: BTreeSet<String> = all_accounts
            .iter()
            .filter(|a| fnv1a(a) % 2 == k - 1)
            .cloned()
            .collect();
        assert_eq!(accts, expected, "shard {k}/2");
        assert_eq!(
            m["VpcreachManifest"]["organization"]["shard"],
            format!("{k}/2")
        );
        for (rel, bytes) in data_files(&dir) {
            assert!(
                union.insert(rel.clone(), bytes).is_none(),
                "{rel} in both shards"
            );
        }
        shard_accounts.push(accts);
        shard_dirs.push(dir);
    }
    assert!(shard_accounts[0].is_disjoint(&shard_accounts[1]));
    let together: BTreeSet<String> = shard_accounts[0]
        .union(&shard_accounts[1])
        .cloned()
        .collect();
    assert_eq!(together, all_accounts);
    let full_files = data_files(&full);
    assert_eq!(
        union.keys().collect::<Vec<_>>(),
        full_files.keys().collect::<Vec<_>>()
    );
    assert!(
        union == full_files,
        "the shards' files equal the full run's"
    );

    // 3. Merge: loads with 0 errors, same inventory and reach answers as the full run.
    let merged = work.join("merged");
    let started = Instant::now();
    let out = vpcreach(
        work,
        &["merge", s(&merged), s(&shard_dirs[0]), s(&shard_dirs[1])],
    );
    let merge_time = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(data_files(&merged), full_files);
    assert_eq!(inventory(work, &merged), inv_full, "same inventory");
    let questions = [
        (web1.clone(), app1.clone(), "5432"),
        (app1.clone(), web1.clone(), "22"),
        ("internet".to_string(), member(1, "web"), "443"),
        ("internet".to_string(), member(2, "app"), "5432"),
        (member(2, "web"), member(2, "app"), "5432"),
    ];
    for (from, to, port) in &questions {
        assert_eq!(
            reach(work, &merged, from, to, port),
            reach(work, &full, from, to, port),
            "reach {from} -> {to}:{port}"
        );
    }
    let mm = read_json(&merged.join("manifest.json"));
    let merged_accounts: BTreeSet<String> = strings(&mm["VpcreachManifest"]["accounts"])
        .into_iter()
        .collect();
    assert_eq!(merged_accounts, all_accounts);
    assert_eq!(mm["VpcreachManifest"]["organization"]["shard"], Value::Null);

    // 4. Merge refuses: an existing OUT, a missing shard, conflicting files.
    let out = vpcreach(
        work,
        &["merge", s(&merged), s(&shard_dirs[0]), s(&shard_dirs[1])],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let partial = work.join("partial");
    let out = vpcreach(work, &["merge", s(&partial), s(&shard_dirs[0])]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("shard(s) 2/2 missing"),
        "{}",
        text(&out)
    );
    assert!(!partial.exists());
    let (rel, bytes) = full_files.iter().next().expect("a data file");
    let other = work.join("other");
    let changed = other.join(rel);
    std::fs::create_dir_all(changed.parent().expect("parent")).expect("mkdir");
    let mut edited = bytes.clone();
    edited.extend_from_slice(b" ");
    std::fs::write(&changed, edited).expect("write");
    let conflict = work.join("conflict");
    let out = vpcreach(work, &["merge", s(&conflict), s(&full), s(&other)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("conflicting files")
            && err.contains(s(&full.join(rel)))
            && err.contains(s(&changed)),
        "{err}"
    );
    assert!(!conflict.exists(), "nothing written on conflict");
    // An identical duplicate is accepted.
    let same = work.join("same");
    let out = vpcreach(work, &["merge", s(&same), s(&full), s(&shard_dirs[0])]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(data_files(&same), full_files);

    // 5. Figures: 4 accounts × 2 regions straight against moto (member 4 excluded; the Lattice
    //    listings fail there with moto's HTTP 404, like DescribeServerlessCaches), and the
    //    merge above.
    let timed = work.join("timed");
    let started = Instant::now();
    let out = collect_org(
        work,
        &moto.endpoint,
        &timed,
        &["--exclude-accounts", &denied],
    );
    let timed_time = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(account_dirs(&timed), collected);
    println!(
        "figures: collect --organization 4 accounts x 2 regions against moto: {:.2} s; \
         through the fault proxy with one refused account: {:.2} s; merge of 2 shards \
         ({} files; shards of {} and {} accounts): {:.3} s",
        timed_time.as_secs_f64(),
        full_time.as_secs_f64(),
        full_files.len(),
        shard_accounts[0].len(),
        shard_accounts[1].len(),
        merge_time.as_secs_f64()
    );
}

#[test]
fn organisation_arguments_are_checked_before_any_call() {
    let tmp = tempfile::tempdir().expect("work dir");
    let work = tmp.path();
    let out_dir = work.join("snap");
    for args in [
        // --organization needs --role-name.
        vec!["--organization"],
        // Organisation options need --organization.
        vec!["--role-name", "r"],
        vec!["--shard", "1/2"],
        // Malformed values.
        vec!["--organization", "--role-name", "r", "--shard", "3/2"],
        vec!["--organization", "--role-name", "r", "--accounts", "12345"],
        vec!["--organization", "--role-name", "r", "--ou", "sales"],
        vec!["--organization", "--role-name", "bad name"],
        // --accounts and --exclude-accounts together.
        vec![
            "--organization",
            "--role-name",
            "r",
            "--accounts",
            "111111111111",
            "--exclude-accounts",
            "222222222222",
        ],
        // Not with --profile / --role-arn.
        vec![
            "--organization",
            "--role-name",
            "r",
            "--role-arn",
            "arn:aws:iam::111111111111:role/r",
        ],
    ] {
        let mut all = vec!["collect", "--out", s(&out_dir), "--regions", "us-east-1"];
        all.extend(args.iter());
        let out = vpcreach(work, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(!out_dir.exists());
    }
}
