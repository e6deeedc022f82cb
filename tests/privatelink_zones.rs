//! L3b (docs/semantics.md §5.6): Availability Zones on a PrivateLink path. The load balancer
//! node in the endpoint interface's zone takes the flow; it sends only to targets in zones
//! enabled for the load balancer, and, with cross-zone load balancing off, only to targets in
//! its own zone. Fixtures `fixtures/loader/privatelink-az{,-crosszone}` (built by
//! `fixtures/loader/make-privatelink-az.py` from `privatelink`): client-a and its endpoint in
//! us-east-1a; web-1 (10.0.2.11) in us-east-1a, web-2 (10.0.4.12) in us-east-1b, both healthy;
//! web-nlb enabled in us-east-1a (and, in `-crosszone`, us-east-1b too), its attributes saying
//! cross-zone load balancing is off.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A copy of fixture `rel` in a temporary directory, with `edit` applied to each JSON file
/// (file name, document); a file `edit` returns `None` for is left out.
fn variant(rel: &str, edit: impl Fn(&str, Value) -> Option<Value>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture(rel).join("111111111111/us-east-1");
    let dst = tmp.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f.path()).unwrap()).unwrap();
        if let Some(doc) = edit(&name, doc) {
            std::fs::write(dst.join(&name), doc.to_string()).unwrap();
        }
    }
    tmp
}

/// Deregister web-1 (i-…b1): only web-2 in us-east-1b stays registered.
fn without_web1(name: &str, mut doc: Value) -> Value {
    if name == "describe-target-health.json" {
        for g in doc["LoadBalancerTargetHealth"].as_array_mut().unwrap() {
            g["TargetHealthDescriptions"]
                .as_array_mut()
                .unwrap()
                .retain(|h| h["Target"]["Id"] != "i-000000000000000b1");
        }
    }
    doc
}

/// Set the target group's `load_balancing.cross_zone.enabled` to `value`.
fn group_cross_zone(name: &str, mut doc: Value, value: &str) -> Value {
    if name == "describe-target-group-attributes.json" {
        doc["TargetGroupAttributes"][0]["Attributes"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"Key": "load_balancing.cross_zone.enabled", "Value": value}));
    }
    doc
}

fn reach(dir: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot"])
        .arg(dir)
        .args([
            "--from",
            "i-0000000000000c001",
            "--to",
            "vpce-0000000000000e001",
            "--port",
            "443",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    })
}

fn codes(v: &Value) -> Vec<String> {
    v["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["code"].as_str().map(String::from))
        .collect()
}

fn warnings(v: &Value) -> String {
    v["warnings"].to_string()
}

/// The last forward hop of every path.
fn delivered_to(v: &Value) -> Vec<String> {
    v["paths"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["forward"].as_array()?.last()?["component"].as_str())
        .map(String::from)
        .collect()
}

#[test]
fn a_target_in_a_zone_not_enabled_gets_nothing() {
    // privatelink-az: web-nlb is enabled in us-east-1a only. web-2 is in us-east-1b: no node
    // there, so it receives nothing (a warning: web-1 in us-east-1a takes the traffic).
    let v = reach(&fixture("loader/privatelink-az"));
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(delivered_to(&v), vec!["eni-000000000000000b2"]);
    let w = warnings(&v);
    assert!(
        w.contains("ELB_INSTALLED_AZ_RESTRICTION") && w.contains("i-000000000000000b2"),
        "{w}"
    );
    // web-1 deregistered: nothing is left to send to.
    let t = variant("loader/privatelink-az", |n, d| Some(without_web1(n, d)));
    let v = reach(t.path());
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(codes(&v), vec!["ELB_INSTALLED_AZ_RESTRICTION"]);
    assert_eq!(v["blocked"][0]["component"], "web-nlb");
}

#[test]
fn without_cross_zone_the_node_sends_only_in_its_own_zone() {
    // privatelink-az-crosszone: web-nlb has nodes in us-east-1a (10.0.2.100) and us-east-1b
    // (10.0.4.100); cross-zone off in its attributes, the group follows the load balancer.
    // client-a's endpoint is in us-east-1a: node 10.0.2.100 takes the flow and sends to web-1
    // only; web-2 (us-east-1b) is named with ELB_NOT_CROSSZONE.
    let v = reach(&fixture("loader/privatelink-az-crosszone"));
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(delivered_to(&v), vec!["eni-000000000000000b2"]);
    assert!(
        warnings(&v).contains("ELB_NOT_CROSSZONE"),
        "{}",
        warnings(&v)
    );

    // web-1 deregistered: the us-east-1a node has no target in its zone. Unreachable.
    let t = variant("loader/privatelink-az-crosszone", |n, d| {
        Some(without_web1(n, d))
    });
    let v = reach(t.path());
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(codes(&v), vec!["ELB_NOT_CROSSZONE"]);
    assert!(!v["blocked"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("assumed"));

    // The group turns cross-zone on: the us-east-1a node sends to web-2 in us-east-1b, from
    // its own address 10.0.2.100 (web's group admits 10.0.2.100/32 and 10.0.4.100/32).
    let t = variant("loader/privatelink-az-crosszone", |n, d| {
        Some(group_cross_zone(n, without_web1(n, d), "true"))
    });
    let v = reach(t.path());
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(delivered_to(&v), vec!["eni-000000000000000b3"]);
    assert!(v["paths"][0]["forward"]
        .to_string()
        .contains("source 10.0.2.100"));

    // The group follows the load balancer, and the load balancer turns it on.
    let t = variant("loader/privatelink-az-crosszone", |n, d| {
        let mut d = group_cross_zone(n, without_web1(n, d), "use_load_balancer_configuration");
        if n == "describe-load-balancer-attributes.json" {
            d["LoadBalancerV2Attributes"][0]["Attributes"][0]["Value"] = "true".into();
        }
        Some(d)
    });
    assert_eq!(reach(t.path())["verdict"], "reachable");

    // No load balancer attributes in the snapshot: a Network Load Balancer's default (off)
    // is assumed, and the answer says so.
    let t = variant("loader/privatelink-az-crosszone", |n, d| {
        (n != "describe-load-balancer-attributes.json").then(|| without_web1(n, d))
    });
    let v = reach(t.path());
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(codes(&v), vec!["ELB_NOT_CROSSZONE"]);
    assert!(
        v["blocked"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("assumed: the default for a Network Load Balancer"),
        "{v:#}"
    );
}
