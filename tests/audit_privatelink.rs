//! `audit` counts PrivateLink as a way into a cache (docs/semantics.md L1–L5, M8, M9): sources
//! that reach a resource endpoint whose resource is one of the cache's nodes, or an interface
//! endpoint whose endpoint service's Network Load Balancer targets the cache's nodes, are listed
//! with `via.relay_kind` `privatelink` and the way itself (`privatelink`).
//!
//! Fixtures: `fixtures/loader/privatelink-cache` (built by
//! `fixtures/loader/make-privatelink-cache.py` from `privatelink/`) and the demo. Every
//! expected value is derived by hand in the comments.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{blockers, fixture, run};
use serde_json::Value;

fn audit(snapshot: &str, extra: &[&str]) -> Value {
    let snap = fixture(snapshot);
    let mut args = vec![
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.json()
}

/// One cache's PrivateLink entries as (source, kind, endpoint, listen, verdict, ports,
/// reaching, total, way kind, way label).
type Row = (
    String,
    String,
    String,
    Option<u64>,
    String,
    String,
    u64,
    u64,
    String,
    String,
);

fn privatelink_rows(v: &Value, cache: &str) -> Vec<Row> {
    let c = v["caches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cache"] == cache)
        .unwrap_or_else(|| panic!("{cache} in {v:#}"));
    c["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["via"]["relay_kind"] == "privatelink")
        .map(|e| {
            assert_eq!(e["via"]["relay"], e["privatelink"]["endpoint"], "{e:#}");
            (
                e["source"].as_str().unwrap().into(),
                e["kind"].as_str().unwrap().into(),
                e["via"]["relay"].as_str().unwrap().into(),
                e["via"]["listen"].as_u64(),
                e["verdict"].as_str().unwrap().into(),
                e["ports"].as_str().unwrap().into(),
                e["enis"]["reaching"].as_u64().unwrap_or(0),
                e["enis"]["total"].as_u64().unwrap_or(0),
                e["privatelink"]["kind"].as_str().unwrap().into(),
                e["privatelink"]["label"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn row(
    source: &str,
    kind: &str,
    endpoint: &str,
    listen: Option<u64>,
    ports: &str,
    way: &str,
    label: &str,
) -> Row {
    (
        source.into(),
        kind.into(),
        endpoint.into(),
        listen,
        "reachable".into(),
        ports.into(),
        1,
        1,
        way.into(),
        label.into(),
    )
}

const SVC: &str = "vpce-svc-0123456789abcdef0/web-nlb";
const RCFG: &str = "rcfg-0000000000000ca01/rgw-0123456789abcdef0";

/// fixtures/loader/privatelink-cache: cache shared-001 (one node, 10.0.3.30:6379, group cache
/// `sg-…a4`) in the provider VPC; two consumer VPCs, all three 10.0.0.0/16, each consumer with
/// one instance (client-a `i-…c001` in consumer-a, client-b `i-…c002` in consumer-b, both
/// 10.0.1.10, egress all) and NACLs that allow everything. Derivation by hand:
///
/// * vpce-…e004 (consumer-b, group endpoint-b admits tcp 6379 from 10.0.0.0/16): resource
///   configuration rcfg-…ca01 names `shared-001.abc123.0001.use1.cache.amazonaws.com`, the node
///   endpoint (L5), on port 6379 (L4); the gateway `rgw-…` sends from 10.0.2.200 with group
///   resource-gateway (egress 6379 to 10.0.3.0/24), which the cache's group admits by
///   reference. So client-b's group and consumer-b's subnet reach it: 1 of 1 each, 6379.
/// * vpce-…e001 (consumer-a, group endpoint-a admits tcp 0-65535 from 10.0.0.0/16) to the
///   endpoint service, whose web-nlb (no security groups; node 10.0.2.100 in us-east-1a)
///   listens on TCP 7000 → target group `cache` (ip, 6379) → 10.0.3.30:6379, healthy, same
///   zone (L2, L3, L3b); the cache's group admits 10.0.2.100/32 on 6379. So client-a's group
///   and consumer-a's subnet reach it, asked on the listener port 7000, cache port 6379.
/// * vpce-…e002 (consumer-b, same service): endpoint-b admits no tcp 7000 — no entry; and
///   client-a's walk to e002's address 10.0.1.50 lands on e001 (the same address in client-a's
///   own VPC), which is not e002's way: no entry either.
/// * vpce-…e006 (consumer-a): rcfg-…ca02 names 10.0.3.30 but carries only 6380-6390, which
///   excludes the cache's port 6379 (RESOURCE_PORT_RANGE_RESTRICTION): no entry.
/// * vpce-…e007 (consumer-b): rcfg-…ca03 names `gone-001.abc123.0001.use1.cache.amazonaws.com`,
///   an ElastiCache name that is no cache of the snapshot: who reaches that cache is unknown,
///   a RESOURCE_DNS_UNRESOLVED finding on the endpoint (not silently dropped).
/// * No direct entry: the cache's group admits only the gateway's group and the NLB's address;
///   web-1/web-2 (10.0.2.11/12) are admitted by neither; no internet gateway.
#[test]
fn resource_endpoint_and_endpoint_service_are_ways_into_the_cache() {
    let v = audit("loader/privatelink-cache", &[]);
    let e1 = "vpce-0000000000000e001";
    let e4 = "vpce-0000000000000e004";
    let mut want = vec![
        row(
            "sg-0000000000000c001",
            "security-group",
            e1,
            Some(7000),
            "6379",
            "endpoint-service",
            SVC,
        ),
        row(
            "sg-0000000000000c002",
            "security-group",
            e4,
            None,
            "6379",
            "resource",
            RCFG,
        ),
        row(
            "subnet-0000000000000c001",
            "subnet",
            e1,
            Some(7000),
            "6379",
            "endpoint-service",
            SVC,
        ),
        row(
            "subnet-0000000000000c002",
            "subnet",
            e4,
            None,
            "6379",
            "resource",
            RCFG,
        ),
    ];
    let mut got = privatelink_rows(&v, "shared-001");
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let c = &v["caches"][0];
    assert_eq!(
        c["reached_by"].as_array().unwrap().len(),
        4,
        "no direct entry: {c:#}"
    );
    // The way's details (JSON, additive fields).
    let way = c["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["via"]["relay"] == e1)
        .map(|e| e["privatelink"].clone())
        .unwrap();
    assert_eq!(way["endpoint_service"], "vpce-svc-0123456789abcdef0");
    assert_eq!(way["load_balancer"], "web-nlb");
    assert_eq!(way["endpoint_ports"], "7000");
    assert!(way["resolves"]
        .as_str()
        .unwrap()
        .contains("target group cache"));
    // The one finding: the unresolvable ElastiCache name behind vpce-…e007.
    let codes: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().into(),
                f["component"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![(
            "RESOURCE_DNS_UNRESOLVED".to_string(),
            "vpce-0000000000000e007".to_string()
        )]
    );
}

/// The excluded port range, seen by `reach`: client-a → vpce-…e006 on 6379 stops at the
/// resource configuration (6380-6390 only, L4), and on 6380 reaches the node — the cache's
/// group admits only 6379 from the gateway's group, so 6380 stops there
/// (ENI_SG_RULES_MISMATCH at `sg-…a4`). Neither is a way to the cache's port: no audit entry.
#[test]
fn a_resource_configuration_without_the_cache_port_is_no_way_in() {
    let snap = fixture("loader/privatelink-cache");
    let ask = |port: &str| {
        let r = run(&[
            "reach",
            "--snapshot",
            snap.to_str().unwrap(),
            "--from",
            "i-0000000000000c001",
            "--to",
            "vpce-0000000000000e006",
            "--port",
            port,
            "--format",
            "json",
        ]);
        r.json()
    };
    let v = ask("6379");
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(
        blockers(&v)
            .into_iter()
            .map(|b| (b.0, b.1))
            .collect::<Vec<_>>(),
        vec![(
            "rcfg-0000000000000ca02".to_string(),
            "RESOURCE_PORT_RANGE_RESTRICTION".to_string()
        )]
    );
    let v = ask("6380");
    assert_eq!(v["verdict"], "unreachable");
    assert!(blockers(&v)
        .iter()
        .any(|b| b.0 == "sg-000000000000000a4" && b.1 == "ENI_SG_RULES_MISMATCH"));
}

/// The table and Markdown renderers name the way: `PrivateLink vpce-… :PORT (label)`.
#[test]
fn renderers_show_the_privatelink_way() {
    let snap = fixture("loader/privatelink-cache");
    for format in ["table", "markdown"] {
        let r = run(&[
            "audit",
            "--snapshot",
            snap.to_str().unwrap(),
            "--format",
            format,
            "--width",
            "200",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout
                .contains(&format!("PrivateLink vpce-0000000000000e001 :7000 ({SVC})")),
            "{format}: {}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains(&format!("PrivateLink vpce-0000000000000e004 ({RCFG})")),
            "{format}: {}",
            r.stdout
        );
    }
}

/// The demo (fixtures/demo/README.md #16): project-b reaches demo-redis through resource
/// endpoint vpce-090fb6c7b7aae0005 → rgw-00f537e65e2a10001 → rcfg-0bad1ffa3ebcf0001, whose
/// dnsResource is demo-redis-001's node endpoint (10.0.11.57). The endpoint's group
/// project-b-endpoints admits 6379 from 10.20.0.0/16; project-b's one sending interface
/// (project-b-app `i-…0021`, group `sg-…0022`, subnet project-b-private-a `subnet-…0041`)
/// completes both legs (#16). project-a is 10.20.0.0/16 too, but 10.20.1.120 in its own VPC is
/// not that endpoint (L1: an endpoint serves its own VPC's addresses); no outside source
/// reaches a private endpoint. So exactly two rows, each 1 of 1, reachable, port 6379.
#[test]
fn demo_project_b_reaches_demo_redis_over_privatelink() {
    let snap = fixture("demo");
    let toml = snap.join("vpcreach.toml");
    let v = audit("demo", &["--config", toml.to_str().unwrap()]);
    let label = "rcfg-0bad1ffa3ebcf0001/rgw-00f537e65e2a10001";
    let e = "vpce-090fb6c7b7aae0005";
    let mut want = vec![
        row(
            "sg-08819528322010022",
            "security-group",
            e,
            None,
            "6379",
            "resource",
            label,
        ),
        row(
            "subnet-018507519c5520041",
            "subnet",
            e,
            None,
            "6379",
            "resource",
            label,
        ),
    ];
    let mut got = privatelink_rows(&v, "demo-redis");
    want.sort();
    got.sort();
    assert_eq!(got, want);
}
