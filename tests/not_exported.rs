//! SNAPSHOT_KIND_NOT_EXPORTED in `inventory` and `overlaps` (engine-semantics "Data that did not
//! load"): a folder that holds subnets but no output at all of a kind is not a folder with none
//! of it. Fixture `fixtures/overlaps/not-exported` (fixtures/overlaps/generate.py):
//! 111111111111/us-east-1 holds only `Vpcs` (ne-a, ne-b, both 10.90.0.0/16) and `Subnets` (one
//! each). By hand:
//! - the kinds a reach answer reads and the folder lacks (model EXPECTED_WITH_SUBNETS):
//!   InternetGateways, NatGateways, NetworkInterfaces, Reservations, SecurityGroups,
//!   VpcEndpoints, VpcPeeringConnections; the kinds an overlap's impact rests on (P3, T4):
//!   VpcPeeringConnections, TransitGateways, TransitGatewayAttachments (or
//!   TransitGatewayVpcAttachments), TransitGatewayRouteTables — none is present;
//! - the pair ne-a / ne-b is latent only if no peering or TGW links them, which the folder
//!   does not say: its impact is unknown, so `overlaps --fail-on tgw|peering` fails (exit 1)
//!   unless `--allow-incomplete`, as for unknown TGW propagations (T10).
//!
//! With the four kinds exported as empty lists (a fact: there are none), nothing is unknown
//! and `--fail-on tgw` passes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCOPE: &str = "111111111111/us-east-1";
const LINKS: [&str; 4] = [
    "VpcPeeringConnections",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayRouteTables",
];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/overlaps/not-exported")
}

fn run(args: &[&str], snapshot: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(args)
        .arg("--snapshot")
        .arg(snapshot)
        .output()
        .expect("run vpcreach");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

fn json(args: &[&str], snapshot: &Path) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (_, text) = run(&a, snapshot);
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn overlaps_states_the_kinds_and_the_unknown_impact() {
    let v = json(&["overlaps"], &fixture());
    let what = format!("{v:#}");
    let ne = v["not_exported"].as_array().expect("not_exported");
    assert_eq!(ne.len(), 1, "{what}");
    assert_eq!(ne[0]["scope"], SCOPE, "{what}");
    let kinds: Vec<&str> = ne[0]["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(kinds, LINKS, "{what}");
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("SNAPSHOT_KIND_NOT_EXPORTED") && w.contains(SCOPE)),
        "{what}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("SNAPSHOT_INCOMPLETE")
            && w.contains("vpc-09000000000000001")
            && w.contains("vpc-09000000000000002")),
        "{what}"
    );
    // The one shared block (10.90.0.0/16) says its latent reading is unknown.
    let g = &v["shared_blocks"][0];
    assert!(
        g["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("SNAPSHOT_KIND_NOT_EXPORTED")),
        "{what}"
    );
    // Text names the kinds too.
    let (_, text) = run(&["overlaps"], &fixture());
    assert!(text.contains("SNAPSHOT_KIND_NOT_EXPORTED"), "{text}");
}

#[test]
fn overlaps_fail_on_treats_the_impact_as_unknown() {
    for kind in ["tgw", "peering"] {
        let (code, _) = run(&["overlaps", "--fail-on", kind], &fixture());
        assert_eq!(code, 1, "--fail-on {kind}");
        let (code, _) = run(
            &["overlaps", "--fail-on", kind, "--allow-incomplete"],
            &fixture(),
        );
        assert_eq!(code, 0, "--fail-on {kind} --allow-incomplete");
    }
}

/// The same folder with the four kinds exported as empty lists: none is unknown.
#[test]
fn empty_lists_are_facts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scope = dir.path().join(SCOPE);
    std::fs::create_dir_all(&scope).expect("mkdir");
    for f in ["Vpcs.json", "Subnets.json"] {
        std::fs::copy(fixture().join(SCOPE).join(f), scope.join(f)).expect("copy");
    }
    for k in LINKS {
        std::fs::write(
            scope.join(format!("{k}.json")),
            format!("{{\"{k}\": []}}\n"),
        )
        .expect("write");
    }
    let v = json(&["overlaps"], dir.path());
    assert_eq!(v["not_exported"], serde_json::json!([]), "{v:#}");
    let (code, _) = run(&["overlaps", "--fail-on", "tgw"], dir.path());
    assert_eq!(code, 0);
    let inv = json(&["inventory"], dir.path());
    let kinds = &inv["scopes"][0]["not_exported"];
    for k in LINKS {
        assert!(
            !kinds.as_array().expect("list").iter().any(|x| x == k),
            "{inv:#}"
        );
    }
}

#[test]
fn inventory_states_the_kinds() {
    let v = json(&["inventory"], &fixture());
    let kinds: Vec<&str> = v["scopes"][0]["not_exported"]
        .as_array()
        .expect("not_exported")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let want = [
        "InternetGateways",
        "NatGateways",
        "NetworkInterfaces",
        "Reservations",
        "SecurityGroups",
        "TransitGatewayAttachments",
        "TransitGatewayRouteTables",
        "TransitGateways",
        "VpcEndpoints",
        "VpcPeeringConnections",
    ];
    assert_eq!(kinds, want, "{v:#}");
    let (code, text) = run(&["inventory"], &fixture());
    assert_eq!(code, 0, "a note, not an error");
    assert!(text.contains("SNAPSHOT_KIND_NOT_EXPORTED"), "{text}");
    assert!(text.contains("VpcPeeringConnections"), "{text}");
}
