//! `vpcreach audit` (issue 11): who reaches each cache, directly (internet, named ranges,
//! interfaces aggregated by security group and subnet) and through relays (declared: every
//! kind; discovered), SSM readiness, `RELAY_EXPOSURE`, configuration errors, incomplete
//! snapshots and `--fail-on`.
//!
//! Fixtures: `fixtures/rules/m1-tcp-proxy`, `m2-ssh-bastion`, `m3-ssm-port-forward`,
//! `m1-nat-instance`, `m1-discovered-relay` (cases 80–84 of `fixtures/rules/generate.py`, each
//! with its `vpcreach.toml`), `fixtures/loader/truncated-sg`, `fixtures/demo`. Ids follow the
//! generator: case 80, instance 1 = `i-80000000000000001`, group 3 = `sg-80000000000000003`.
//! Every expected answer is derived by hand from the fixture and semantics M1–M3 (§7.1) in its
//! comment.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, run};
use serde_json::{json, Value};

fn id(prefix: &str, case: u32, n: u32) -> String {
    format!("{prefix}-{case:02}{n:015x}")
}

/// `audit --format json` on a rules fixture with its vpcreach.toml (when `config`).
fn audit(case: &str, config: bool, extra: &[&str]) -> Value {
    let snap = fixture(&format!("rules/{case}"));
    let toml = snap.join("vpcreach.toml");
    let mut args = vec![
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--format",
        "json",
    ];
    if config {
        args.extend(["--config", toml.to_str().unwrap()]);
    }
    args.extend(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.json()
}

/// The one cache's reached_by entries as (source, kind, relay, relay_kind, listen, verdict).
fn reached(v: &Value) -> Vec<(String, String, String, String, Value, String)> {
    let caches = v["caches"].as_array().expect("caches");
    assert_eq!(caches.len(), 1, "{v:#}");
    caches[0]["reached_by"]
        .as_array()
        .expect("reached_by")
        .iter()
        .map(|e| {
            let via = &e["via"];
            (
                e["source"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                via["relay"].as_str().unwrap_or("").to_string(),
                via["relay_kind"].as_str().unwrap_or("").to_string(),
                via["listen"].clone(),
                e["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn entry(
    source: &str,
    kind: &str,
    relay: &str,
    relay_kind: &str,
    listen: Value,
    verdict: &str,
) -> (String, String, String, String, Value, String) {
    (
        source.into(),
        kind.into(),
        relay.into(),
        relay_kind.into(),
        listen,
        verdict.into(),
    )
}

/// (source, reaching, total) of the security-group and subnet entries.
fn counts(v: &Value) -> Vec<(String, u64, u64)> {
    v["caches"][0]["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["enis"].is_object())
        .map(|e| {
            (
                e["source"].as_str().unwrap().to_string(),
                e["enis"]["reaching"].as_u64().unwrap(),
                e["enis"]["total"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn codes(v: &Value) -> Vec<(String, String)> {
    let mut c: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["component"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    c.sort();
    c
}

/// `(code, component)` pairs, sorted as [`codes`] returns them.
fn expected(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut c: Vec<(String, String)> = list
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    c.sort();
    c
}

/// The cache findings every relay-reachable cache of these fixtures carries: the generator's
/// cache clusters have `TransitEncryptionEnabled` and `AuthTokenEnabled` false (C5).
fn plaintext(cache: &str) -> [(&str, &str); 2] {
    [
        ("CACHE_NO_TRANSIT_ENCRYPTION", cache),
        ("CACHE_NO_AUTH", cache),
    ]
}

fn relay<'a>(v: &'a Value, host: &str) -> &'a Value {
    v["relays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["host"] == host)
        .unwrap_or_else(|| panic!("no relay {host}: {:#}", v["relays"]))
}

/// Case 80. haproxy (i1, 10.80.1.10, public 54.200.80.10): group 1 admits TCP 6379 from the
/// office 203.0.113.0/24 only; the public subnet's NACL allows all but TCP 6380 in (rule 50).
/// The cache's group 5 admits 6379 from groups 1, 2 and 3.
/// - leg 1 office → haproxy:6379 completes (group 1, NACL 100, IGW 1:1 mapping; replies out
///   through NACL 100): reachable; from `internet` only the office part does: partial.
///   Leg 2 haproxy → orders-cache:6379 (local route, group 5 names group 1, default NACL of
///   the data subnet): reachable. Hence office via tcp-proxy reachable, internet partial.
/// - haproxy-6380 (i2, group 2: 6380 from the office): leg 1 dies at NACL rule 50 for every
///   source: no entry, and the relay lists no source (blocked first leg), yet it reaches the
///   cache (leg 2 like i1's; the reply's destination port is ephemeral, not 6380).
/// - direct: no public address on the cache: neither internet nor office. Classes: i1 (public,
///   group 1), i2 (public, group 2), app-1 + app-2 (app subnet, group 3) reach; batch (i5,
///   group 4) is not admitted. So group 1: 1 of 1, group 2: 1 of 1, group 3: 2 of 2; public
///   subnet 2 of 2 (reachable), app subnet 2 of 3 (partial). No entry for group 4.
/// - the internet part that reaches haproxy is the office itself: no RELAY_EXPOSURE; no
///   undeclared instance has a public address: no discovered relay.
#[test]
fn tcp_proxy_both_legs_and_a_blocked_first_leg() {
    let v = audit("m1-tcp-proxy", true, &[]);
    assert_eq!(v["format_version"], 1);
    let c = &v["caches"][0];
    assert_eq!(
        (c["cache"].as_str(), c["kind"].as_str(), c["ports"].clone()),
        (Some("orders-cache"), Some("cache-cluster"), json!([6379]))
    );
    let i1 = id("i", 80, 1);
    let mut got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            entry(
                "internet",
                "internet",
                &i1,
                "tcp-proxy",
                json!(6379),
                "partial"
            ),
            entry(
                "office",
                "range",
                &i1,
                "tcp-proxy",
                json!(6379),
                "reachable"
            ),
        ]
    );
    let mut cnt = counts(&v);
    cnt.sort();
    assert_eq!(
        cnt,
        vec![
            (id("sg", 80, 1), 1, 1),
            (id("sg", 80, 2), 1, 1),
            (id("sg", 80, 3), 2, 2),
            (id("subnet", 80, 1), 2, 2),
            (id("subnet", 80, 2), 2, 3),
        ]
    );
    let by = c["reached_by"].as_array().unwrap();
    let app = by
        .iter()
        .find(|e| e["source"] == id("subnet", 80, 2))
        .unwrap();
    assert_eq!(app["verdict"], "partial");
    assert!(!by
        .iter()
        .any(|e| e["via"].is_null() && (e["source"] == "internet" || e["source"] == "office")));
    let r1 = relay(&v, &i1);
    assert_eq!(r1["reached_from"], json!(["internet", "office"]));
    assert_eq!(r1["reaches"], json!(["orders-cache"]));
    assert_eq!(r1["declared"], true);
    let r2 = relay(&v, &id("i", 80, 2));
    assert_eq!(r2["reached_from"], json!([]));
    assert_eq!(r2["reaches"], json!(["orders-cache"]));
    assert!(!codes(&v).iter().any(|(c, _)| c == "RELAY_EXPOSURE"));
    assert_eq!(v["relays"].as_array().unwrap().len(), 2);
}

/// Case 81. bastion (i1, group 1: 22 from 0.0.0.0/0) and bastion-2 (i2 in 10.81.3.0/24,
/// group 2: 22 from the office); the cache subnet's NACL denies TCP 1024-65535 out to
/// 10.81.3.0/24 (rule 90) before allowing all (100).
/// - i1: leg 1 from internet and office reachable (22 from anywhere); leg 2 to 6379 reachable
///   (its replies go to 10.81.1.10: rule 90 does not match). Entries: internet and office via
///   ssh-bastion, listen 22, reachable. Leg 1 completes from public addresses beyond the
///   office: RELAY_EXPOSURE on i1 for sessions-cache.
/// - i2: leg 1 from the office completes, but leg 2's replies die at rule 90 (blocked second
///   leg, on the return path): it reaches no cache, no entry through it.
#[test]
fn ssh_bastions_exposure_and_a_return_path_blocked_second_leg() {
    let v = audit("m2-ssh-bastion", true, &[]);
    let (i1, i2) = (id("i", 81, 1), id("i", 81, 2));
    let mut got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            entry(
                "internet",
                "internet",
                &i1,
                "ssh-bastion",
                json!(22),
                "reachable"
            ),
            entry(
                "office",
                "range",
                &i1,
                "ssh-bastion",
                json!(22),
                "reachable"
            ),
        ]
    );
    assert_eq!(relay(&v, &i2)["reaches"], json!([]));
    assert_eq!(
        relay(&v, &i2)["reached_from"],
        json!(["internet", "office"])
    );
    // RELAY_EXPOSURE on i1 (internet → i1:22 → the cache); sessions-cache is relay-reachable
    // and plaintext (C5); its subnet's NACL rule 90 drops the replies to bastion-2's subnet
    // although group 3 admits 6379 from it (C9: CACHE_REPLY_BLOCKED on that NACL).
    let acl = id("acl", 81, 1);
    let [a, b] = plaintext("sessions-cache");
    assert_eq!(
        codes(&v),
        expected(&[("RELAY_EXPOSURE", &i1), a, b, ("CACHE_REPLY_BLOCKED", &acl)])
    );
    let exposure = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "RELAY_EXPOSURE")
        .unwrap();
    assert_eq!(exposure["cache"], "sessions-cache");
    // Direct: only i1's class completes (i2's replies are blocked).
    assert_eq!(
        counts(&v),
        vec![(id("sg", 81, 1), 1, 1), (id("subnet", 81, 1), 1, 1)]
    );
}

/// Case 82. ssm-ready (i1: profile, private subnet, 0.0.0.0/0 → NAT gateway → IGW, egress
/// all) is SSM-ready via `nat`; ssm-no-profile (i2) is not (SSM_NO_INSTANCE_PROFILE). Both
/// reach jobs-cache:6379 (group 2 admits group 1, same subnet). So one entry through i1 from
/// `internet` (Session Manager), reachable, listen null; i2 carries nothing and its missing
/// profile is a finding (its route is still `nat`: HTTPS gets out, only the profile is missing).
/// Direct: one class (same subnet, group, state) of 2 interfaces, both
/// reaching.
#[test]
fn ssm_port_forward_ready_and_not_ready() {
    let v = audit("m3-ssm-port-forward", true, &[]);
    let (i1, i2) = (id("i", 82, 1), id("i", 82, 2));
    let got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    assert_eq!(
        got,
        vec![entry(
            "internet",
            "internet",
            &i1,
            "ssm-port-forward",
            Value::Null,
            "reachable"
        )]
    );
    let ssm: Vec<(String, bool, Value, bool)> = v["ssm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["instance"].as_str().unwrap().to_string(),
                s["ready"].as_bool().unwrap(),
                s["route"].clone(),
                s["relay"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ssm,
        vec![
            (i1.clone(), true, json!("nat"), true),
            (i2.clone(), false, json!("nat"), true)
        ]
    );
    // i1 carries internet → jobs-cache, so the plaintext cache findings apply (C5).
    let [a, b] = plaintext("jobs-cache");
    assert_eq!(
        codes(&v),
        expected(&[("SSM_NO_INSTANCE_PROFILE", &i2), a, b])
    );
    assert_eq!(relay(&v, &i1)["reached_from"], json!(["internet"]));
    assert_eq!(relay(&v, &i2)["reached_from"], json!([]));
    assert_eq!(relay(&v, &i2)["reaches"], json!(["jobs-cache"]));
    assert_eq!(
        counts(&v),
        vec![(id("sg", 82, 1), 2, 2), (id("subnet", 82, 2), 2, 2)]
    );
}

/// Case 83. nat-box (i1, source/destination check off, group 1: 6379 from the office): leg 1
/// on the cache port 6379 from the office reachable, from internet partial (the office part);
/// leg 2 nat-box → queue-cache:6379 reachable (group 2 admits group 1).
#[test]
fn nat_instance_on_the_cache_port() {
    let v = audit("m1-nat-instance", true, &[]);
    let i1 = id("i", 83, 1);
    let mut got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            entry(
                "internet",
                "internet",
                &i1,
                "nat-instance",
                json!(6379),
                "partial"
            ),
            entry(
                "office",
                "range",
                &i1,
                "nat-instance",
                json!(6379),
                "reachable"
            ),
        ]
    );
    // The office reaches queue-cache through i1: relay-reachable and plaintext (C5); no
    // exposure (the only outside source i1 admits is the declared office range).
    assert_eq!(
        codes(&v),
        expected(&plaintext("queue-cache")),
        "{:#}",
        v["findings"]
    );
}

/// Case 84, no configuration. socat (i1, 10.84.1.10, public 54.200.84.10, group 1: TCP 8080
/// from 0.0.0.0/0) is reached from the internet on 8080 only, from every public address
/// (reachable on 8080), and reaches cart-cache:6379 (group 3 admits 10.84.1.0/24): a discovered
/// relay, RELAY_EXPOSURE. www (i2 in 10.84.3.0/24, 443 open) is reached from the internet but
/// the cache does not admit its subnet: not a relay.
#[test]
fn discovered_relay() {
    let v = audit("m1-discovered-relay", false, &[]);
    let i1 = id("i", 84, 1);
    let got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    assert_eq!(
        got,
        vec![entry(
            "internet",
            "internet",
            &i1,
            "discovered",
            json!(8080),
            "reachable"
        )]
    );
    let r = relay(&v, &i1);
    assert_eq!(
        (
            r["kind"].clone(),
            r["declared"].clone(),
            r["listen"].clone()
        ),
        (json!("discovered"), json!(false), json!("8080"))
    );
    assert_eq!(v["relays"].as_array().unwrap().len(), 1);
    let [a, b] = plaintext("cart-cache");
    assert_eq!(codes(&v), expected(&[("RELAY_EXPOSURE", &i1), a, b]));
    let detail = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "RELAY_EXPOSURE")
        .unwrap()["detail"]
        .as_str()
        .unwrap();
    assert!(
        detail.contains("8080") && detail.contains(&id("sg", 84, 1)),
        "{detail}"
    );
    assert!(v["config"].is_null());
}

/// `--source` adds a range: partner 198.51.100.0/24 also reaches socat on 8080 (0.0.0.0/0)
/// and through it the cache: one more entry, kind range.
#[test]
fn source_argument_adds_a_range() {
    let v = audit(
        "m1-discovered-relay",
        false,
        &["--source", "partner=198.51.100.0/24"],
    );
    let i1 = id("i", 84, 1);
    let mut got: Vec<_> = reached(&v)
        .into_iter()
        .filter(|e| !e.2.is_empty())
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            entry(
                "internet",
                "internet",
                &i1,
                "discovered",
                json!(8080),
                "reachable"
            ),
            entry(
                "partner",
                "range",
                &i1,
                "discovered",
                json!(8080),
                "reachable"
            ),
        ]
    );
    assert_eq!(
        v["sources"],
        json!([{"name": "partner", "blocks": ["198.51.100.0/24"], "from": "--source"}])
    );
}

/// `--source office=198.51.100.0/24` replaces the configuration's office in case 80: the
/// haproxy group admits only 203.0.113.0/24, so the new office does not reach it (no office
/// entry), while the internet part that does (203.0.113.0/24) now lies outside every named
/// range: RELAY_EXPOSURE on haproxy.
#[test]
fn source_argument_overrides_the_configuration() {
    let v = audit(
        "m1-tcp-proxy",
        true,
        &["--source", "office=198.51.100.0/24"],
    );
    let i1 = id("i", 80, 1);
    assert!(!reached(&v).iter().any(|e| e.0 == "office"));
    let [a, b] = plaintext("orders-cache");
    assert_eq!(codes(&v), expected(&[("RELAY_EXPOSURE", &i1), a, b]));
    assert_eq!(v["sources"][0]["from"], "--source");
}

/// Configuration errors name the file, line and column; exit 2. Line 3 is the kind line and
/// its value starts at column 8 (`kind = ` is 7 characters).
#[test]
fn configuration_errors_point_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("vpcreach.toml");
    std::fs::write(&toml, "[[relay]]\nhost = \"i-1\"\nkind = \"tcp-prox\"\n").unwrap();
    let snap = fixture("rules/m1-tcp-proxy");
    let r = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("vpcreach.toml:3:8:") && r.stderr.contains("unknown relay kind"),
        "{}",
        r.stderr
    );
    let bad = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--source",
        "office",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

/// fixtures/loader/truncated-sg: its security-group file did not load, so the audit carries
/// `incomplete` and a SNAPSHOT_INCOMPLETE finding; `--fail-on warning` fails (exit 1) on it
/// unless `--allow-incomplete`, and nothing else there is a finding (no cache, no relay).
#[test]
fn incomplete_snapshot_and_fail_on() {
    let snap = fixture("loader/truncated-sg");
    let s = snap.to_str().unwrap();
    let r = run(&["audit", "--snapshot", s, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert!(!v["incomplete"].as_array().unwrap().is_empty());
    assert!(codes(&v).iter().any(|(c, _)| c == "SNAPSHOT_INCOMPLETE"));
    let fail = run(&["audit", "--snapshot", s, "--fail-on", "warning"]);
    assert_eq!(fail.code, 1, "{}", fail.stderr);
    assert!(fail.stderr.contains("SNAPSHOT_INCOMPLETE"));
    let ok = run(&[
        "audit",
        "--snapshot",
        s,
        "--fail-on",
        "warning",
        "--allow-incomplete",
    ]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    // A RELAY_EXPOSURE (severity error) fails --fail-on error.
    let d = fixture("rules/m1-discovered-relay");
    let e = run(&[
        "audit",
        "--snapshot",
        d.to_str().unwrap(),
        "--fail-on",
        "error",
    ]);
    assert_eq!(e.code, 1, "{}", e.stderr);
}

/// The demo with fixtures/demo/vpcreach.toml: office → haproxy-redis-relay (i-…0001, group
/// haproxy: 6379 from the office) → demo-redis (group demo-redis admits group haproxy) on
/// 6379, both legs: reachable. The SSM host (i-…0003, profile, private subnet behind the NAT
/// gateway) is SSM-ready via `nat` and reaches demo-redis (group demo-redis admits ssm-host).
/// The bastion (i-…0002: 22 from anywhere, NACL rule 100 allows 22 before deny 101) is reached
/// from the office.
#[test]
fn demo_audit() {
    let snap = fixture("demo");
    let toml = snap.join("vpcreach.toml");
    let r = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let redis = v["caches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cache"] == "demo-redis")
        .expect("demo-redis");
    let by = redis["reached_by"].as_array().unwrap();
    let via = |source: &str, kind: &str| {
        by.iter()
            .find(|e| e["source"] == source && e["via"]["relay_kind"] == kind)
            .map(|e| (e["via"]["relay"].clone(), e["verdict"].clone()))
    };
    assert_eq!(
        via("office", "tcp-proxy"),
        Some((json!("i-0de7d1b721a1e0001"), json!("reachable")))
    );
    assert_eq!(
        via("internet", "ssm-port-forward"),
        Some((json!("i-0de7d1b721a1e0003"), json!("reachable")))
    );
    let ssm = v["ssm"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["instance"] == "i-0de7d1b721a1e0003")
        .unwrap();
    assert_eq!(
        (ssm["ready"].clone(), ssm["route"].clone()),
        (json!(true), json!("nat"))
    );
    let bastion = relay(&v, "i-0de7d1b721a1e0002");
    assert!(bastion["reached_from"]
        .as_array()
        .unwrap()
        .contains(&json!("office")));
    // The only finding (fixtures/demo/README.md): the bastion subnet's NACL app-bastion
    // (acl …0003) allows tcp 22 from 0.0.0.0/0 at rule 100 and denies the same at 101, so 101
    // never matches (N2), reported for the NACL in front of the declared bastion. demo-redis has
    // TLS and AUTH on, its group admits only the haproxy and ssm-host groups, its subnets route
    // 0.0.0.0/0 to the NAT gateway and their NACL allows all: no cache finding; the relays'
    // legs stay inside the office range or Session Manager: no RELAY_EXPOSURE.
    assert_eq!(
        codes(&v),
        expected(&[("NACL_RULE_SHADOWED", "acl-02344f08e51020003")])
    );
    assert!(v["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("rule 101 deny tcp 22 from 0.0.0.0/0 never matches"));
    // The table says which configuration was read.
    let t = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--width",
        "100",
    ]);
    assert_eq!(t.code, 0);
    assert!(t.stdout.contains("Config: ") && t.stdout.contains("vpcreach.toml"));
    assert!(
        t.stdout.lines().all(|l| l.chars().count() <= 100),
        "{}",
        t.stdout
    );
    let md = run(&[
        "audit",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert!(md.stdout.contains("## Cache `demo-redis`"));
}

/// Case 97 (fixtures/rules/README.md, m3-ssm-classes): SSM readiness is per instance even when
/// instances look alike. Derivation by hand (M3): i1 and i2 share the public subnet (0.0.0.0/0
/// to the internet gateway, no NAT) and group ssm-host (egress all), and both have a profile;
/// only i1 has a public IP, and an internet gateway carries only instances with a public
/// address (I2), so i1 is ready via `internet-gateway` and i2 reaches none of the three
/// services. In VPC 2 (no internet path) the endpoints' group admits 443 from 10.98.1.10/32 and
/// from group `trusted`: i 0b (10.98.1.10, group other) is admitted by address, i 0c
/// (10.98.1.20, the same subnet and group) by nothing, i 0d (group trusted, the same egress
/// rules as other) by its group; so 0b and 0d are ready via `endpoints`, 0c misses all three.
#[test]
fn ssm_readiness_is_per_instance_in_look_alike_classes() {
    let v = audit("m3-ssm-classes", false, &[]);
    let got: Vec<(String, bool, Value, Vec<String>)> = v["ssm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["instance"].as_str().unwrap().to_string(),
                s["ready"].as_bool().unwrap(),
                s["route"].clone(),
                s["missing"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["code"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let unreachable = vec!["SSM_SERVICE_UNREACHABLE".to_string(); 3];
    assert_eq!(
        got,
        vec![
            (id("i", 97, 1), true, json!("internet-gateway"), vec![]),
            (id("i", 97, 2), false, Value::Null, unreachable.clone()),
            (id("i", 97, 11), true, json!("endpoints"), vec![]),
            (id("i", 97, 12), false, Value::Null, unreachable),
            (id("i", 97, 13), true, json!("endpoints"), vec![]),
        ]
    );
    // Each gap names its own instance, never the one it was grouped with.
    for s in v["ssm"].as_array().unwrap() {
        for m in s["missing"].as_array().unwrap() {
            assert!(
                m["detail"]
                    .as_str()
                    .unwrap()
                    .contains(s["instance"].as_str().unwrap()),
                "{m}"
            );
        }
    }
}
