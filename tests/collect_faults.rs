//! `collect` against servers that misbehave, all on 127.0.0.1 (no moto, no AWS): a server that
//! accepts connections and never answers (bounded by `--timeout` × `--max-attempts`, not three
//! minutes of silence), SIGTERM in the middle of a run (handled like Ctrl-C: exit 143, nothing
//! left behind), and arguments with a wrong value (their real cause, exit 2, no network call).
//!
//! Then moto behind a fault-injecting proxy (tests/support/fault_proxy.rs): transient faults
//! (throttling, 503, dropped connections, truncated bodies, answers slower than `--timeout`) are
//! retried and the run completes as if nothing happened; a fault that persists is recorded in
//! the manifest after exactly `--max-attempts` attempts, and the snapshot says it is incomplete;
//! a repeating pagination token is an error, not a hang. Each test checks the proxy really
//! served its faults. Moto 5.2 has no VPC Lattice resource gateways or configurations: the proxy
//! answers those two listings with an empty page (what an account without any gets), so a run
//! fails only where moto really lacks a call.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/moto.rs"]
mod moto;

use fault_proxy::{Canned, Fault, FaultProxy, Rule};
use moto::{sandbox, Moto};
use serde_json::Value;
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");

/// A server that accepts every connection, reads, and never answers. Returns its URL; the
/// accepted sockets are kept open for the life of the test process.
fn silent_server() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("vpcreach-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_server_that_never_answers_costs_timeout_times_attempts() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let url = silent_server();
    let out_dir = work.join("snap");
    let start = Instant::now();
    let mut cmd = Command::new(BIN);
    let out = sandbox(&mut cmd, work)
        .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
        .args(["--endpoint-url", &url, "--regions", "us-east-1"])
        .args(["--timeout", "2", "--max-attempts", "2", "--quiet"])
        .output()
        .expect("run");
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The first call (STS GetCallerIdentity) times out twice: the run fails as a whole, well
    // before the 180 s the SDK defaults would take.
    assert!(!out.status.success(), "{stderr}");
    assert_ne!(out.status.code(), Some(2), "not a usage error: {stderr}");
    assert!(took < Duration::from_secs(30), "took {took:?}: {stderr}");
    assert!(!out_dir.exists());
    assert_eq!(leftovers(work), Vec::<String>::new());
}

#[test]
fn sigterm_is_handled_like_ctrl_c() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let url = silent_server();
    // A parent folder that does not exist yet: created for the run, removed with it.
    let out_dir = work.join("new-parent/snap");
    let mut cmd = Command::new(BIN);
    let child = sandbox(&mut cmd, work)
        .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
        .args(["--endpoint-url", &url, "--regions", "us-east-1", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start collect");
    let parent = work.join("new-parent");
    let deadline = Instant::now() + Duration::from_secs(30);
    while leftovers(&parent).is_empty() {
        assert!(Instant::now() < deadline, "no temporary folder after 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("terminated: nothing written"), "{stderr}");
    assert!(!out_dir.exists());
    assert!(
        !parent.exists(),
        "the parent folder the run created is removed"
    );
    assert_eq!(leftovers(work), Vec::<String>::new());
}

#[test]
fn wrong_arguments_name_their_cause_before_any_call() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let out_dir = work.join("snap");
    let run = |extra: &[&str]| {
        let mut cmd = Command::new(BIN);
        let out = sandbox(&mut cmd, work)
            .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
            .args(extra)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, e) = run(&["--endpoint-url", "not a url"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(e.contains("\"not a url\" is not a URL"), "{e}");
    assert!(
        !e.contains("Error {") && !e.contains("kind:"),
        "no debug dump: {e}"
    );
    let (code, e) = run(&["--role-arn", "arn:aws:iam::1234:role/audit"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(e.contains("the account must be 12 digits"), "{e}");
    // A profile that is in neither file: said so, not "connection refused".
    std::fs::write(
        work.join("no-config"),
        "[profile audit]\nregion = us-east-1\n",
    )
    .expect("config");
    let (code, e) = run(&["--profile", "nosuchprofile"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(
        e.contains("profile \"nosuchprofile\" is not in the AWS config or credentials file (defined: audit)"),
        "{e}"
    );
    assert!(!out_dir.exists());
    assert_eq!(leftovers(work), Vec::<String>::new());
}

/// Collect one region of moto through `proxy`; returns the output and the manifest's calls
/// as (operation, status, error).
fn collect_through(
    work: &Path,
    proxy: &FaultProxy,
    name: &str,
    extra: &[&str],
) -> (Output, Vec<(String, String, String)>) {
    let out_dir = work.join(name);
    let mut cmd = Command::new(BIN);
    let out = sandbox(&mut cmd, work)
        .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
        .args([
            "--endpoint-url",
            &proxy.url,
            "--regions",
            "us-east-1",
            "--quiet",
        ])
        .args(extra)
        .output()
        .expect("run collect");
    let manifest: Value = std::fs::read_to_string(out_dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let calls = manifest["VpcreachManifest"]["calls"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
                    (s("operation"), s("status"), s("error"))
                })
                .collect()
        })
        .unwrap_or_default();
    (out, calls)
}

/// A fault proxy in front of moto that also answers the VPC Lattice listings (empty).
fn proxy(moto: &Moto, rules: Vec<Rule>) -> FaultProxy {
    FaultProxy::start_with(&moto.endpoint, rules, Vec::new(), Canned::lattice_empty())
}

/// The calls that did not succeed: (operation, status).
fn not_ok(calls: &[(String, String, String)]) -> Vec<(String, String)> {
    calls
        .iter()
        .filter(|(_, s, _)| s != "ok")
        .map(|(o, s, _)| (o.clone(), s.clone()))
        .collect()
}

#[test]
fn collection_under_api_faults() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let moto = Moto::start(work);

    // Baseline: no faults. moto does not implement DescribeServerlessCaches (HTTP 500): that
    // call fails in every run, and only that one.
    let clean = proxy(&moto, vec![]);
    let (out, calls) = collect_through(work, &clean, "clean", &["--max-attempts", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let baseline = not_ok(&calls);
    assert_eq!(
        baseline,
        vec![("DescribeServerlessCaches".to_string(), "failed".to_string())],
        "{calls:?}"
    );

    // 1. Transient faults, each on its own call, fewer than --max-attempts: retried, and the
    //    run ends exactly as the baseline.
    let slow = Duration::from_secs(3);
    let transient = proxy(
        &moto,
        vec![
            Rule {
                action: "DescribeVpcs",
                fault: Fault::Throttle,
                times: Some(2),
            },
            Rule {
                action: "DescribeSubnets",
                fault: Fault::Unavailable,
                times: Some(2),
            },
            Rule {
                action: "DescribeSecurityGroups",
                fault: Fault::Drop,
                times: Some(1),
            },
            Rule {
                action: "DescribeRouteTables",
                fault: Fault::Truncate,
                times: Some(1),
            },
            Rule {
                action: "DescribeNetworkAcls",
                fault: Fault::Slow(slow),
                times: Some(1),
            },
            Rule {
                action: "DescribeCacheSubnetGroups",
                fault: Fault::Throttle,
                times: Some(1),
            },
        ],
    );
    let (out, calls) = collect_through(
        work,
        &transient,
        "transient",
        &["--max-attempts", "4", "--timeout", "2"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(not_ok(&calls), baseline, "{calls:?}");
    for (action, fault, n) in [
        ("DescribeVpcs", Fault::Throttle, 2),
        ("DescribeSubnets", Fault::Unavailable, 2),
        ("DescribeSecurityGroups", Fault::Drop, 1),
        ("DescribeRouteTables", Fault::Truncate, 1),
        ("DescribeNetworkAcls", Fault::Slow(slow), 1),
        ("DescribeCacheSubnetGroups", Fault::Throttle, 1),
    ] {
        assert_eq!(transient.served(action, fault), n, "{action} {fault:?}");
        assert_eq!(
            transient.requests(action),
            n + 1,
            "{action}: retried once more and answered"
        );
    }

    // 2. A fault that persists: exactly --max-attempts attempts, then the call is recorded as
    //    failed (with the service's error code), the run exits 1, and the snapshot it wrote
    //    says it is incomplete when analysed.
    let persistent = proxy(
        &moto,
        vec![Rule {
            action: "DescribeNatGateways",
            fault: Fault::Throttle,
            times: None,
        }],
    );
    let (out, calls) = collect_through(work, &persistent, "persistent", &["--max-attempts", "3"]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(persistent.requests("DescribeNatGateways"), 3);
    let nat = calls
        .iter()
        .find(|(o, _, _)| o == "DescribeNatGateways")
        .unwrap_or_else(|| panic!("no DescribeNatGateways call: {calls:?}"));
    assert_eq!(nat.1, "failed", "{calls:?}");
    assert!(nat.2.contains("RequestLimitExceeded"), "{nat:?}");
    let mut cmd = Command::new(BIN);
    let reach = sandbox(&mut cmd, work)
        .args(["reach", "--snapshot"])
        .arg(work.join("persistent"))
        .args([
            "--from", "internet", "--to", "10.0.0.5", "--port", "443", "--format", "json",
        ])
        .output()
        .expect("reach");
    let answer = String::from_utf8_lossy(&reach.stdout);
    assert!(
        answer.contains("SNAPSHOT_INCOMPLETE") && answer.contains("DescribeNatGateways"),
        "{answer}"
    );

    // 3. A continuation token that repeats: the call fails with "pagination loop" instead of
    //    paging forever.
    let looping = proxy(
        &moto,
        vec![Rule {
            action: "DescribeVpcs",
            fault: Fault::RepeatToken,
            times: None,
        }],
    );
    let (out, calls) = collect_through(work, &looping, "looping", &["--max-attempts", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let vpcs = calls
        .iter()
        .find(|(o, _, _)| o == "DescribeVpcs")
        .unwrap_or_else(|| panic!("no DescribeVpcs call: {calls:?}"));
    assert_eq!(vpcs.1, "failed", "{calls:?}");
    assert!(vpcs.2.contains("pagination loop"), "{vpcs:?}");
    assert!(looping.served("DescribeVpcs", Fault::RepeatToken) >= 2);
}
