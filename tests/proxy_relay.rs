//! Egress proxy relays (`kind = "http-proxy"`, semantics M10) on fixtures/rules/m10-http-proxy-relay
//! (case 60 of fixtures/rules/generate.py). Every expected answer is derived by hand from the
//! fixture and the rules; the derivations are in the comments.
//!
//! The fixture: project-a (vpc 1) and project-b (vpc 2) both 10.0.0.0/16; client-a (i1) and
//! client-b (i2) both 10.0.1.10 (subnets 1 and 3). Each project has an interface endpoint
//! (vpce 1 in vpc 1, ENI 101 = 0x65 at 10.0.2.50, group sg 12 "proxy-endpoint-a" admitting
//! TCP 3128 from 10.0.0.0/16; vpce 2 in vpc 2, ENI 102 = 0x66 at 10.0.2.50, group sg 22 = 0x16
//! "proxy-endpoint-b" admitting TCP 8080 only) to endpoint service vpce-svc-06000000000000001,
//! whose NLB (ENI 103 at 10.50.2.100, no groups) listens on TCP 3128 and forwards to target
//! group "squid" (port 3128): squid (i3, 10.50.2.10, healthy). The egress VPC (vpc 3,
//! 10.50.0.0/16): subnet 5 public (0/0 -> igw, NAT gateway 10.50.1.100), subnet 6 "proxies"
//! (0/0 -> nat): squid (group sg 31: in TCP 3128 from 10.50.0.0/16; out TCP 443 and 80 to
//! anywhere), squid-http-only (i4, 10.50.2.11, sg 32 = 0x20: in 3128 from 10.50.0.0/16; out
//! TCP 80 only), egress-client (i5, 10.50.2.20, sg 33: out all). NACLs: defaults, allow all.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, run};
use serde_json::Value;

const CASE: &str = "rules/m10-http-proxy-relay";

fn id(prefix: &str, n: u32) -> String {
    format!("{prefix}-60{n:015x}")
}

/// `reach --via RELAY --format json` with the case's vpcreach.toml; the exit code and JSON.
fn via(from: &str, relay: &str) -> Value {
    let snap = fixture(CASE);
    let toml = snap.join("vpcreach.toml");
    let r = run(&[
        "reach",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--from",
        from,
        "--to",
        "internet",
        "--port",
        "443",
        "--via",
        relay,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    r.json()
}

fn legs(v: &Value) -> Vec<String> {
    v["legs"]
        .as_array()
        .expect("legs")
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

fn blocked(v: &Value) -> Vec<(String, String, String)> {
    v["blockers"]
        .as_array()
        .expect("blockers")
        .iter()
        .map(|b| {
            (
                b["code"].as_str().unwrap().to_string(),
                b["component"].as_str().unwrap().to_string(),
                b["way"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn project_client_reaches_the_internet_through_squid_over_privatelink() {
    // Leg 1: client-a -> squid's own address 10.50.2.10 is unreachable (project-a has no
    // route to 10.50.0.0/16), so the front door is tried: vpce 1's ENI is in client-a's VPC
    // (local route, NACL allow), sg 12 admits 3128 from 10.0.0.0/16; PrivateLink carries it
    // to the NLB (listener 3128 -> target group squid on 3128) and from 10.50.2.100 to squid,
    // whose sg 31 admits 3128 from 10.50.0.0/16: reachable, over vpce-…1:3128.
    // Leg 2: squid -> internet:443: sg 31 egress 443, subnet 6 0/0 -> NAT gateway in subnet 5,
    // 0/0 -> igw; NACLs allow; the reply returns the same way: reachable.
    let v = via("name:client-a", "name:squid");
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(v["relay_kind"], "http-proxy");
    let squid = id("i", 3);
    assert_eq!(
        legs(&v),
        vec![
            format!(
                "name:client-a -> {squid} over {}:3128: reachable",
                id("vpce", 1)
            ),
            format!("{squid} -> internet: reachable"),
        ]
    );
    assert!(blocked(&v).is_empty(), "{v:#}");
}

#[test]
fn endpoint_group_refusing_3128_blocks_leg_1() {
    // client-b has the same address as client-a but lives in project-b: no route to squid
    // (leg 1 direct: NO_ROUTE_TO_DESTINATION), and its own endpoint's group sg 22 admits only
    // 8080 (ENI_SG_RULES_MISMATCH at sg 22). Asking vpce 1's address from project-b lands on
    // the same 10.0.2.50 in project-b, i.e. vpce 2's ENI (local route, L1): that is the way
    // through vpce 2, so the blocker names vpce 2 (the client's own endpoint) and nothing
    // names vpce 1, which client-b cannot reach. No way completes: leg 1 is unreachable and
    // names no endpoint. Leg 2 is squid's own (reachable), so the way is unreachable.
    let v = via("name:client-b", "name:squid");
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(
        legs(&v),
        vec![
            format!("name:client-b -> {}: unreachable", id("i", 3)),
            format!("{} -> internet: reachable", id("i", 3)),
        ]
    );
    let b = blocked(&v);
    assert!(
        b.iter().any(|(c, comp, w)| c == "ENI_SG_RULES_MISMATCH"
            && comp == &id("sg", 22)
            && w == &format!("via name:squid leg 1 over {}", id("vpce", 2))),
        "{b:?}"
    );
    assert!(
        !v.to_string().contains(&id("vpce", 1)),
        "project-a's endpoint is not client-b's way: {v:#}"
    );
    assert!(
        b.iter()
            .any(|(c, _, w)| c == "NO_ROUTE_TO_DESTINATION" && w == "via name:squid leg 1"),
        "{b:?}"
    );
    assert_eq!(
        b.iter()
            .filter(|(c, _, _)| c == "ENI_SG_RULES_MISMATCH")
            .count(),
        1,
        "{b:?}"
    );
}

#[test]
fn proxy_without_443_egress_blocks_leg_2() {
    // egress-client -> squid-http-only:3128 (default listen, no forward): same subnet, local
    // route, sg 33 egress all, sg 32 admits 3128 from 10.50.0.0/16: reachable (direct). Leg 2:
    // squid-http-only -> internet:443: sg 32's egress admits only TCP 80: unreachable, blocked
    // at sg 32 on leg 2.
    let v = via("name:egress-client", "name:squid-http-only");
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    let proxy = id("i", 4);
    assert_eq!(
        legs(&v),
        vec![
            format!("name:egress-client -> {proxy}: reachable"),
            format!("{proxy} -> internet: unreachable"),
        ]
    );
    assert_eq!(
        blocked(&v),
        vec![(
            "ENI_SG_RULES_MISMATCH".to_string(),
            id("sg", 32),
            "via name:squid-http-only leg 2".to_string()
        )]
    );
    // The same client reaches the internet through squid directly (no endpoint needed).
    let v = via("name:egress-client", "name:squid");
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(
        legs(&v)[0],
        format!("name:egress-client -> {}: reachable", id("i", 3))
    );
}

#[test]
fn check_holds_the_case_expectations() {
    // The four [[expect]] of the case's vpcreach.toml, derived above: client-a via squid
    // reachable; client-b via squid unreachable; egress-client via squid-http-only
    // unreachable; client-a any way reachable (direct: project-a has no internet route, so
    // unreachable; via squid: reachable).
    let snap = fixture(CASE);
    let toml = snap.join("vpcreach.toml");
    let r = run(&[
        "check",
        "--snapshot",
        snap.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    let v = r.json();
    let exp = v["expectations"].as_array().expect("expectations");
    assert_eq!(exp.len(), 4);
    let any = &exp[3]["ways"];
    let verdicts: Vec<(&str, &str)> = any
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["relay"].as_str().unwrap_or("direct"),
                w["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        vec![
            ("direct", "unreachable"),
            ("name:squid", "reachable"),
            ("name:squid-http-only", "unreachable"),
        ]
    );
}

#[test]
fn audit_lists_who_reaches_the_internet_through_each_proxy() {
    // squid (forward = internet, port 443 by default): leg 2 reachable (above). Leg 1 per
    // sender class (the proxy's own and the NLB's interfaces excluded; endpoint and NAT ENIs
    // send nothing): client-a's class reaches it over vpce 1 -> apps-a (subnet 1), 1 of 1,
    // reachable; client-b's class reaches nothing (no route; its endpoint refuses 3128);
    // subnet 6 "proxies": egress-client reaches directly, squid-http-only does not (its egress
    // allows only 80) -> 1 of 2, partial.
    // squid-http-only: leg 2 unreachable, so no client is listed and a note says why.
    let snap = fixture(CASE);
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
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    let v = r.json();
    let relays = v["relays"].as_array().expect("relays");
    assert_eq!(relays.len(), 2);
    let squid = &relays[0];
    assert_eq!(squid["host"], id("i", 3).as_str());
    assert_eq!(squid["kind"], "http-proxy");
    assert_eq!(squid["listen"], "3128");
    let e = &squid["egress"];
    assert_eq!(
        (&e["to"], &e["port"], &e["verdict"]),
        (&"internet".into(), &"443".into(), &"reachable".into())
    );
    let clients: Vec<(String, String, String, String, u64, u64)> = e["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["vpc"].as_str().unwrap().to_string(),
                c["subnet"].as_str().unwrap().to_string(),
                c["through"].as_str().unwrap().to_string(),
                c["verdict"].as_str().unwrap().to_string(),
                c["enis"]["reaching"].as_u64().unwrap(),
                c["enis"]["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        clients,
        vec![
            (
                id("vpc", 1),
                id("subnet", 1),
                id("vpce", 1),
                "reachable".into(),
                1,
                1
            ),
            (
                id("vpc", 3),
                id("subnet", 6),
                "direct".into(),
                "partial".into(),
                1,
                2
            ),
        ]
    );
    let other = &relays[1];
    assert_eq!(other["host"], id("i", 4).as_str());
    assert_eq!(other["egress"]["verdict"], "unreachable");
    assert_eq!(other["egress"]["clients"].as_array().unwrap().len(), 0);
    assert!(other["notes"][0]
        .as_str()
        .unwrap()
        .contains("does not reach internet on TCP 443"));
}

#[test]
fn http_proxy_listens_on_3128_unless_told() {
    let dir = std::env::temp_dir().join(format!("vpcreach-proxy-relay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("vpcreach.toml");
    std::fs::write(
        &p,
        "[[relay]]\nhost = \"name:squid\"\nkind = \"http-proxy\"\n\n[[relay]]\nhost = \"i-1\"\nkind = \"http-proxy\"\nlisten = 8080\nforward = \"internet\"\nport = 443\n",
    )
    .unwrap();
    let c = vpcreach::config::load(&p).expect("valid");
    assert_eq!(c.relays[0].listen, Some(3128));
    assert_eq!(c.relays[0].forward, None);
    assert_eq!(c.relays[1].listen, Some(8080));
    assert_eq!(c.relays[1].port, Some(443));
    // `port` without `forward` is refused, as for every kind.
    std::fs::write(
        &p,
        "[[relay]]\nhost = \"name:squid\"\nkind = \"http-proxy\"\nport = 443\n",
    )
    .unwrap();
    let e = vpcreach::config::load(&p).expect_err("port needs forward");
    assert!(e.to_string().contains("`port` needs `forward`"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
