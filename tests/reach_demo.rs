//! The demo snapshot's questions (fixtures/demo/README.md), asked of the bundled demo (no
//! `--snapshot`) and of `--snapshot fixtures/demo`, plus `--expect` and usage-error exit codes.

use serde_json::Value;
use std::process::{Command, Output};

const HAPROXY: &str = "i-0de7d1b721a1e0001";
const BASTION: &str = "i-0de7d1b721a1e0002";
const SSM: &str = "i-0de7d1b721a1e0003";
const PROJECT_A: &str = "i-0de7d1b721a1e0011";
const PROJECT_B: &str = "i-0de7d1b721a1e0021";

fn demo_dir() -> String {
    format!("{}/fixtures/demo", env!("CARGO_MANIFEST_DIR"))
}

fn raw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .arg("reach")
        .args(args)
        .output()
        .expect("run vpcreach")
}

/// Ask the question of the bundled demo and of `--snapshot fixtures/demo`; both answers must
/// be identical. Returns the answer.
fn ask(from: &str, to: &str, extra: &[&str]) -> Value {
    let mut answers = Vec::new();
    let dir = demo_dir();
    for snap in [None, Some(dir.as_str())] {
        let mut args: Vec<&str> = Vec::new();
        if let Some(d) = snap {
            args.extend(["--snapshot", d]);
        }
        args.extend(["--from", from, "--to", to]);
        args.extend(extra);
        args.extend(["--format", "json"]);
        let out = raw(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: stderr {}",
            String::from_utf8_lossy(&out.stderr)
        );
        answers.push(serde_json::from_slice::<Value>(&out.stdout).expect("JSON answer"));
    }
    assert_eq!(
        answers[0], answers[1],
        "bundled demo and fixtures/demo disagree"
    );
    answers.pop().unwrap()
}

fn verdict(a: &Value) -> &str {
    a["verdict"].as_str().unwrap_or("")
}

fn codes(a: &Value) -> Vec<(&str, &str)> {
    a["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            (
                b["code"].as_str().unwrap_or(""),
                b["component"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

fn forward(a: &Value, path: usize) -> Vec<&Value> {
    a["paths"][path]["forward"]
        .as_array()
        .map(|v| v.iter().collect())
        .unwrap_or_default()
}

fn components(a: &Value, path: usize) -> Vec<&str> {
    forward(a, path)
        .iter()
        .filter_map(|h| h["component"].as_str())
        .collect()
}

/// #1: office → HAProxy, TCP 6379: reachable.
#[test]
fn office_to_haproxy() {
    let a = ask("203.0.113.10", HAPROXY, &["--port", "6379"]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    assert!(components(&a, 0).contains(&"igw-0fe010647d32a0001"));
}

/// #2: office → cache: unreachable, cache nodes have no public IP.
#[test]
fn office_to_cache() {
    let a = ask("203.0.113.10", "demo-redis", &[]);
    assert_eq!(verdict(&a), "unreachable", "{a}");
    // The ports only; where they came from is a field of its own (issue 9 §6).
    assert_eq!(a["question"]["ports"], "6379", "{a}");
    assert_eq!(a["question"]["ports_origin"], "cache", "{a}");
    assert!(
        codes(&a).contains(&(
            "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
            "igw-0fe010647d32a0001"
        )),
        "{a}"
    );
}

/// #3: HAProxy → cache: reachable, one path per node.
#[test]
fn haproxy_to_cache() {
    let a = ask(HAPROXY, "demo-redis", &[]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    let paths = a["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2, "{a}");
    let mut ends: Vec<&str> = paths
        .iter()
        .filter_map(|p| p["forward"].as_array()?.last()?["component"].as_str())
        .collect();
    ends.sort();
    assert_eq!(ends, ["eni-04d4f0f7a97c80008", "eni-04d4f0f7a97c80009"]);
}

/// #4: internet → bastion, TCP 22: reachable; the unsorted NACL's rule 100 (not 101) allows.
#[test]
fn internet_to_bastion() {
    let a = ask("internet", BASTION, &["--port", "22"]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    let nacl = forward(&a, 0)
        .into_iter()
        .find(|h| h["kind"] == "network-acl" && h["direction"] == "inbound")
        .expect("inbound NACL hop");
    assert_eq!(nacl["component"], "acl-02344f08e51020003");
    let rule = nacl["rule"].as_str().unwrap_or("");
    assert!(rule.starts_with("rule 100 allow"), "{rule}");
    assert!(!rule.contains("101"), "{rule}");
}

/// #5: SSM host → internet 443: reachable via the NAT gateway.
#[test]
fn ssm_to_internet() {
    let a = ask(SSM, "internet", &["--port", "443"]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    assert!(components(&a, 0).contains(&"nat-0d919a100ce6b0001"), "{a}");
}

/// #6: SSM host → project-b: unreachable, its 10.20.0.0/16 is not propagated (overlap).
#[test]
fn ssm_to_project_b() {
    let a = ask(SSM, PROJECT_B, &["--port", "22"]);
    assert_eq!(verdict(&a), "unreachable", "{a}");
    assert!(
        codes(&a)
            .iter()
            .any(|(c, _)| *c == "TGW_PROPAGATION_SUPPRESSED_OVERLAP"),
        "{a}"
    );
}

/// #7: SSM host → project-a: reachable through the TGW.
#[test]
fn ssm_to_project_a() {
    let a = ask(SSM, PROJECT_A, &["--port", "22"]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    let c = components(&a, 0);
    assert!(c.contains(&"tgw-0471db7c8254c0001"), "{a}");
    assert!(c.contains(&"tgw-attach-0967b1152c9f60002"), "{a}");
}

/// `--expect`: exit 0 when the verdict matches, 1 when it does not.
#[test]
fn expect_exit_codes() {
    let base = ["--from", "203.0.113.10", "--to", HAPROXY, "--port", "6379"];
    let mut ok = base.to_vec();
    ok.extend(["--expect", "reachable"]);
    assert_eq!(raw(&ok).status.code(), Some(0));
    let mut bad = base.to_vec();
    bad.extend(["--expect", "unreachable"]);
    assert_eq!(raw(&bad).status.code(), Some(1));
    let mut ok2 = vec!["--from", "203.0.113.10", "--to", "demo-redis"];
    ok2.extend(["--expect", "unreachable"]);
    assert_eq!(raw(&ok2).status.code(), Some(0));
    let mut bad2 = vec!["--from", "203.0.113.10", "--to", "demo-redis"];
    bad2.extend(["--expect", "partial"]);
    assert_eq!(raw(&bad2).status.code(), Some(1));
}

/// A name that names nothing: exit 2 with a message naming it.
#[test]
fn unknown_name_is_a_usage_error() {
    let out = raw(&[
        "--from",
        "no-such-host",
        "--to",
        HAPROXY,
        "--port",
        "22",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-host"), "{err}");
}

/// An address in the range both overlapping VPCs use: exit 2 listing the qualified forms.
#[test]
fn ambiguous_overlapping_address() {
    let out = raw(&[
        "--from",
        "10.20.1.50",
        "--to",
        HAPROXY,
        "--port",
        "22",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vpc-038faba71b3a60002/10.20.1.50"), "{err}");
    assert!(err.contains("vpc-038faba71b3a60003/10.20.1.50"), "{err}");
    // the qualified form is accepted
    let q = ask(
        "vpc-038faba71b3a60002/10.20.1.50",
        HAPROXY,
        &["--port", "22"],
    );
    assert!(q["verdict"].is_string());
}

/// JSON lists are complete (issue 9 §6): internet → bastion SSH passes from every public IPv4
/// address (SG bastion admits 22 from 0.0.0.0/0, app-bastion NACL in 100). "internet" is all
/// public IPv4 space outside the snapshot: all IPv4 minus 0/8, 10/8, 100.64/10, 127/8,
/// 169.254/16, 172.16/12, 192.168/16 and 224/3, minus the three public addresses held in the
/// demo (HAProxy EIP 54.87.201.14, bastion 3.92.118.206, NAT EIP 54.210.33.87; the unassociated
/// 52.4.190.77 is held by nothing). `passing.sources` must add up to exactly that many
/// addresses, with no "more blocks" entry.
#[test]
fn passing_sources_list_every_block() {
    let a = ask("internet", BASTION, &["--port", "22"]);
    assert_eq!(verdict(&a), "reachable", "{a}");
    assert_eq!(a["question"]["ports"], "22", "{a}");
    assert_eq!(a["question"]["ports_origin"], "asked", "{a}");
    let sources = a["passing"]["sources"].as_array().expect("passing.sources");
    assert!(sources.len() > 8, "{a}");
    let mut v4_total: u64 = 0;
    for s in sources {
        let s = s.as_str().expect("a string");
        let (addr, len) = s
            .split_once('/')
            .unwrap_or_else(|| panic!("not a CIDR: {s}"));
        let len: u32 = len.parse().unwrap_or_else(|_| panic!("not a CIDR: {s}"));
        if addr.contains('.') {
            v4_total += 1u64 << (32 - len);
        }
    }
    let excluded: u64 = [8u32, 8, 10, 8, 16, 12, 16, 3]
        .iter()
        .map(|l| 1u64 << (32 - l))
        .sum();
    assert_eq!(v4_total, (1u64 << 32) - excluded - 3, "{a}");
    assert!(!sources.iter().any(|s| s == "3.92.118.206/32"), "{a}");
}

/// `internet` is public space minus everything the snapshot holds, VPC blocks included: the
/// app VPC's IPv6 /56 is no outside host's address. internet → HAProxy tcp 6379 (its EIP
/// 54.87.201.14 and its IPv6 address): app-public NACL in 100 (office) / 110 (1024-65535) and in
/// 140 (IPv6) admit 6379, the haproxy group admits only 203.0.113.0/24, so partial: only the
/// office passes, and the one blocker is the group, forward. (Before, replies to the unheld
/// addresses of the VPC's own /56 were walked back into the VPC and blamed there: NO_PATH.)
#[test]
fn internet_excludes_the_vpc_blocks() {
    let a = ask("internet", HAPROXY, &["--port", "6379"]);
    assert_eq!(verdict(&a), "partial", "{a}");
    assert_eq!(
        a["passing"]["sources"],
        serde_json::json!(["203.0.113.0/24"]),
        "{a}"
    );
    let blocked: Vec<(String, String, String)> = a["blocked"]
        .as_array()
        .expect("blocked")
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or("").to_string();
            (s("code"), s("component"), s("leg"))
        })
        .collect();
    assert_eq!(
        blocked,
        vec![(
            "ENI_SG_RULES_MISMATCH".to_string(),
            "sg-08819528322010002".to_string(),
            "forward".to_string()
        )],
        "{a}"
    );
    let failing: Vec<&str> = a["failing"]["sources"]
        .as_array()
        .expect("failing")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        !failing.iter().any(|s| s.starts_with("2600:1f18:1234:56")),
        "{failing:?}"
    );
}
