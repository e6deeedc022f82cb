//! R4: two prefix-list routes holding the same CIDR with different targets. AWS picks one and
//! keeps it; which one is in no data (docs/semantics.md R4). The answer must not depend on the
//! order of the routes in the JSON, and must name both candidates (docs/engine-semantics.md,
//! "Choices where the rules leave room": both are followed, a flow counts as completing only
//! when it completes whichever route AWS picks, `PREFIX_LIST_ROUTE_TIE` names the routes).
//!
//! Fixture `fixtures/rules/r4-prefix-list-tie` (generate.py case 37): subnet-…1 of VPC A
//! (10.37.0.0/16) uses rtb-…2 with
//!   pl-…1 [10.38.0.0/16]                   -> pcx-…1 (to VPC B, 10.38.0.0/16)
//!   pl-…2 [10.38.0.0/16, 203.0.113.0/24]   -> igw-…1
//!   pl-…3 [203.0.113.0/24]                 -> nat-…1 (public NAT in subnet-…2, 0/0 -> igw-…1)
//! i-…1 (10.37.1.10, public 54.200.37.1, default group: egress all) in subnet-…1;
//! i-…2 (10.38.1.10, group web: tcp 443 from 10.37.0.0/16) in VPC B, whose table routes
//! 10.37.0.0/16 back over pcx-…1. Every NACL is a default one (allow all).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const CASE: &str = "r4-prefix-list-tie";

fn id(prefix: &str, n: u64) -> String {
    format!("{prefix}-37{n:015x}")
}

fn fixture() -> String {
    format!("{}/fixtures/rules/{CASE}", env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the fixture with every route table's routes in reverse order.
fn reversed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = Path::new(&fixture()).join("111111111111/us-east-1");
    let dst = dir.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).expect("mkdir");
    for e in std::fs::read_dir(&src).expect("fixture") {
        let e = e.expect("entry");
        let text = std::fs::read_to_string(e.path()).expect("read");
        let text = if e.file_name() == "describe-route-tables.json" {
            let mut v: Value = serde_json::from_str(&text).expect("JSON");
            for t in v["RouteTables"].as_array_mut().expect("RouteTables") {
                t["Routes"].as_array_mut().expect("Routes").reverse();
            }
            serde_json::to_string_pretty(&v).expect("JSON")
        } else {
            text
        };
        std::fs::write(dst.join(e.file_name()), text).expect("write");
    }
    dir
}

fn reach(snapshot: &str, to: &str) -> (Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args([
            "reach",
            "--snapshot",
            snapshot,
            "--from",
            &id("i", 1),
            "--to",
            to,
        ])
        .args(["--port", "443", "--format", "json"])
        .output()
        .expect("run vpcreach");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    (serde_json::from_str(&text).expect("JSON answer"), text)
}

/// Both orders give the same JSON answer, byte for byte; returns it.
fn same_in_both_orders(to: &str) -> (Value, String) {
    let rev = reversed();
    let (a, text) = reach(&fixture(), to);
    let (_, text_rev) = reach(rev.path().to_str().expect("path"), to);
    assert_eq!(text, text_rev, "answer depends on the order of the routes");
    (a, text)
}

fn codes(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|x| x["code"].as_str().map(str::to_string))
        .collect()
}

/// 10.38.1.10 is in pl-1 (-> pcx-1) and pl-2 (-> igw-1), both prefix-list routes of the same
/// prefix: a tie. By hand: via pcx-1 the request reaches i-2 (web admits 10.37.0.0/16 on 443)
/// and the reply returns over pcx-1; via igw-1 it stops (I1: an internet gateway does not
/// carry a private destination). AWS's choice is unknown, so the flow is not shown to
/// complete: verdict unreachable, a blocker at igw-1, and the tie stated naming both routes.
#[test]
fn tie_between_peering_and_internet_gateway() {
    let (v, text) = same_in_both_orders(&id("i", 2));
    assert_eq!(v["verdict"], "unreachable", "{text}");
    let blocked = v["blocked"].as_array().expect("blocked");
    assert!(
        blocked.iter().any(|b| b["component"] == id("igw", 1)),
        "{text}"
    );
    let notes = codes(&v, "notes");
    assert!(
        notes.contains(&"PREFIX_LIST_ROUTE_TIE".to_string()),
        "{text}"
    );
    let tie = v["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|n| n["code"] == "PREFIX_LIST_ROUTE_TIE")
        .expect("tie note");
    let msg = tie["message"].as_str().expect("message");
    assert!(
        msg.contains(&format!("{} -> {}", id("pl", 1), id("pcx", 1))),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("{} -> {}", id("pl", 2), id("igw", 1))),
        "{msg}"
    );
    // The tie is no priority: neither route is said to have lost (HIGHER_PRIORITY_ROUTE).
    assert!(
        !notes.contains(&"HIGHER_PRIORITY_ROUTE".to_string()),
        "{text}"
    );
}

/// 203.0.113.10 is in pl-2 (-> igw-1) and pl-3 (-> nat-1). By hand: via igw-1, i-1 (public
/// 54.200.37.1) reaches the outside host and the reply returns through igw-1; via nat-1 the
/// request is translated to the NAT's 10.37.2.100, leaves subnet-2 by its 0/0 -> igw-1 (EIP
/// 54.200.37.100) and the reply comes back through the NAT gateway to i-1. Both complete:
/// reachable, with two paths (one per route, each naming its route), and the tie stated.
#[test]
fn tie_where_both_routes_work() {
    let (v, text) = same_in_both_orders("203.0.113.10");
    assert_eq!(v["verdict"], "reachable", "{text}");
    let paths = v["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2, "{text}");
    let routes: Vec<String> = paths
        .iter()
        .map(|p| {
            p["forward"]
                .as_array()
                .expect("hops")
                .iter()
                .find(|h| h["kind"] == "route-table")
                .and_then(|h| h["rule"].as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(
        routes.contains(&format!("{} -> {}", id("pl", 2), id("igw", 1))),
        "{text}"
    );
    assert!(
        routes.contains(&format!("{} -> {}", id("pl", 3), id("nat", 1))),
        "{text}"
    );
    assert!(
        codes(&v, "notes").contains(&"PREFIX_LIST_ROUTE_TIE".to_string()),
        "{text}"
    );
}

/// The tie decides the verdict (the flow completes over pcx-1, not over igw-1): `--expect`
/// cannot assert either verdict, as with data vpcreach does not have; `--allow-incomplete`
/// accepts the stated one.
#[test]
fn expect_refuses_a_verdict_that_rests_on_the_tie() {
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vpcreach"))
            .args(["reach", "--snapshot", &fixture(), "--from", &id("i", 1)])
            .args(["--to", &id("i", 2), "--port", "443"])
            .args(extra)
            .output()
            .expect("run vpcreach")
    };
    let refused = run(&["--expect", "unreachable"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("PREFIX_LIST_ROUTE_TIE"), "{err}");
    let accepted = run(&["--expect", "unreachable", "--allow-incomplete"]);
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    // Reachable on every route (the NAT and the internet gateway both carry 203.0.113.10):
    // no choice decides it, and --expect holds.
    let clear = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot", &fixture(), "--from", &id("i", 1)])
        .args([
            "--to",
            "203.0.113.10",
            "--port",
            "443",
            "--expect",
            "reachable",
        ])
        .output()
        .expect("run vpcreach");
    assert_eq!(
        clear.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clear.stderr)
    );
}
