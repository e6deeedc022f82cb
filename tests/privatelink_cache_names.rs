//! L5 with cache-wide names (docs/semantics.md §5.6): a resource configuration's `dnsResource`
//! that is a replication group's primary or reader endpoint, or a configuration endpoint,
//! stands for the node(s) AWS resolves it to, and the answer says which and why
//! (`RESOURCE_CACHE_ENDPOINT`).
//!
//! Fixture: `fixtures/loader/privatelink-cache-names` (built by
//! `fixtures/loader/make-privatelink-cache.py`): replication group `shared` (cluster mode
//! disabled) with primary shared-001/0001 (10.0.3.30) and replica shared-002/0001 (10.0.3.31)
//! per `NodeGroupMembers[].CurrentRole`; Memcached cluster `memo` (nodes 10.0.3.40, 10.0.3.41)
//! with configuration endpoint `memo.abc123.cfg.use1.cache.amazonaws.com`. All carry group
//! cache (`sg-…a4`), which admits 6379 and 11211 from the resource gateway's group; the gateway
//! (10.0.2.200) may send 6379 and 11211 to 10.0.3.0/24; client-b `i-…c002` (10.0.1.10) in
//! consumer-b, whose endpoint group admits 6379 and 11211 from 10.0.0.0/16; NACLs allow all.
//! Every expected value is derived by hand in the comments.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, run};
use serde_json::Value;
use std::path::Path;

fn reach(snap: &Path, to: &str, port: &str) -> Value {
    let r = run(&[
        "reach",
        "--snapshot",
        snap.to_str().unwrap(),
        "--from",
        "i-0000000000000c002",
        "--to",
        to,
        "--port",
        port,
        "--format",
        "json",
    ]);
    r.json()
}

/// The resources the gateway sent to (`resource 10.0.3.30, …` hops of the passing paths).
fn resources(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["forward"].as_array().unwrap().iter())
        .filter(|h| h["kind"] == "resource-gateway")
        .map(|h| {
            let d = h["detail"].as_str().unwrap();
            d.trim_start_matches("resource ")
                .split(',')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The RESOURCE_CACHE_ENDPOINT notes of an answer.
fn name_notes(v: &Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == "RESOURCE_CACHE_ENDPOINT")
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

/// vpce-…e004 → rcfg-…ca01 → `master.shared.…` (the primary endpoint): AWS resolves it to the
/// primary node now, shared-001/0001 per CurrentRole, so the gateway sends to 10.0.3.30 only;
/// the note names the primary node and that a failover moves it.
#[test]
fn primary_endpoint_is_the_primary_node() {
    let v = reach(
        &fixture("loader/privatelink-cache-names"),
        "vpce-0000000000000e004",
        "6379",
    );
    assert_eq!(v["verdict"], "reachable");
    assert_eq!(resources(&v), vec!["10.0.3.30"]);
    let notes = name_notes(&v);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("the primary endpoint of shared: the primary node shared-001/0001"));
    assert!(notes[0].contains("a failover moves it"));
}

/// vpce-…e008 → rcfg-…ca04 → `replica.shared.…` (the reader endpoint): one of the replicas per
/// connection, and the only replica is shared-002/0001: 10.0.3.31 only.
#[test]
fn reader_endpoint_is_the_replicas() {
    let v = reach(
        &fixture("loader/privatelink-cache-names"),
        "vpce-0000000000000e008",
        "6379",
    );
    assert_eq!(v["verdict"], "reachable");
    assert_eq!(resources(&v), vec!["10.0.3.31"]);
    let notes = name_notes(&v);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("the reader endpoint of shared: the replicas shared-002/0001"));
}

/// vpce-…e009 → rcfg-…ca05 → `memo.abc123.cfg.use1.cache.amazonaws.com.` (trailing dot: the
/// same name): a configuration endpoint is discovery, clients then connect to the nodes it
/// returns, so both nodes 10.0.3.40 and 10.0.3.41 are resources, on 11211.
#[test]
fn configuration_endpoint_is_every_node() {
    let v = reach(
        &fixture("loader/privatelink-cache-names"),
        "vpce-0000000000000e009",
        "11211",
    );
    assert_eq!(v["verdict"], "reachable");
    assert_eq!(resources(&v), vec!["10.0.3.40", "10.0.3.41"]);
    assert!(name_notes(&v)[0]
        .contains("the configuration endpoint of memo: every node (memo/0001, memo/0002)"));
}

/// vpce-…e00a → rcfg-…ca06 → `sess-abc123.serverless.…`, serverless cache sess's endpoint (and
/// reader endpoint, same name): its endpoint interface 10.0.3.50; no assumption to state.
#[test]
fn serverless_endpoint_is_its_interfaces() {
    let v = reach(
        &fixture("loader/privatelink-cache-names"),
        "vpce-0000000000000e00a",
        "6379",
    );
    assert_eq!(v["verdict"], "reachable");
    assert_eq!(resources(&v), vec!["10.0.3.50"]);
    assert!(name_notes(&v).is_empty());
}

/// The same snapshot without `NodeGroupMembers` (as exported before they were read): which
/// node is primary is unknown, so the primary endpoint stands for both nodes of the group
/// (10.0.3.30 and 10.0.3.31), and the note says the roles are not in the snapshot.
#[test]
fn without_roles_the_primary_endpoint_is_every_node() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("loader/privatelink-cache-names/111111111111/us-east-1");
    let dst = dir.path().join("111111111111").join("us-east-1");
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), dst.join(f.file_name())).unwrap();
    }
    let rg = dst.join("describe-replication-groups.json");
    let mut j: Value = serde_json::from_str(&std::fs::read_to_string(&rg).unwrap()).unwrap();
    j["ReplicationGroups"][0]["NodeGroups"][0]
        .as_object_mut()
        .unwrap()
        .remove("NodeGroupMembers");
    std::fs::write(&rg, serde_json::to_string(&j).unwrap()).unwrap();
    let v = reach(dir.path(), "vpce-0000000000000e004", "6379");
    assert_eq!(v["verdict"], "reachable");
    assert_eq!(resources(&v), vec!["10.0.3.30", "10.0.3.31"]);
    assert!(name_notes(&v)[0].contains("does not say which node of shared is primary now"));
}

/// `audit` finds the same ways: `shared` through vpce-…e004 (primary) and vpce-…e008 (reader),
/// `memo` through vpce-…e009, each from client-b's group and consumer-b's subnet (1 of 1), and
/// each way carries its RESOURCE_CACHE_ENDPOINT note.
#[test]
fn audit_lists_ways_through_cache_wide_names() {
    let snap = fixture("loader/privatelink-cache-names");
    let r = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let ways = |cache: &str| -> Vec<(String, String, bool)> {
        let c = v["caches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["cache"] == cache)
            .unwrap();
        let mut out: Vec<(String, String, bool)> = c["reached_by"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["via"]["relay_kind"] == "privatelink")
            .map(|e| {
                let notes = e["privatelink"]["notes"].as_array().unwrap();
                (
                    e["source"].as_str().unwrap().to_string(),
                    e["via"]["relay"].as_str().unwrap().to_string(),
                    notes
                        .iter()
                        .any(|n| n.as_str().unwrap().starts_with("RESOURCE_CACHE_ENDPOINT:")),
                )
            })
            .collect();
        out.sort();
        out
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string(), true);
    assert_eq!(
        ways("shared"),
        vec![
            s("sg-0000000000000c002", "vpce-0000000000000e004"),
            s("sg-0000000000000c002", "vpce-0000000000000e008"),
            s("subnet-0000000000000c002", "vpce-0000000000000e004"),
            s("subnet-0000000000000c002", "vpce-0000000000000e008"),
        ]
    );
    // sess listens on 6379 and 6380 (C1); consumer-b's endpoint group admits 6379 only (and
    // the gateway may send 6379 only): partial, port 6379.
    let sess: Vec<(String, String, String)> = v["caches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cache"] == "sess")
        .unwrap()["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["via"]["relay"].as_str().unwrap().to_string(),
                e["verdict"].as_str().unwrap().to_string(),
                e["ports"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let p = (
        "vpce-0000000000000e00a".to_string(),
        "partial".to_string(),
        "6379".to_string(),
    );
    assert_eq!(sess, vec![p.clone(), p]);
    assert_eq!(
        ways("memo"),
        vec![
            s("sg-0000000000000c002", "vpce-0000000000000e009"),
            s("subnet-0000000000000c002", "vpce-0000000000000e009"),
        ]
    );
}
