//! `vpcreach overlaps` run as a user runs it, on the fixtures of `fixtures/overlaps/` (written
//! by its `generate.py`) and on the bundled demo, asserting the exact JSON answers and exit codes.

use serde_json::Value;
use std::process::Command;

fn run(args: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .arg("overlaps")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run vpcreach");
    let code = out.status.code().expect("exit code");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (v, code)
}

fn fixture(case: &str) -> String {
    format!("{}/fixtures/overlaps/{case}", env!("CARGO_MANIFEST_DIR"))
}

fn case(name: &str, extra: &[&str]) -> (Value, i32) {
    let dir = fixture(name);
    let mut args = vec!["--snapshot", dir.as_str()];
    args.extend_from_slice(extra);
    run(&args)
}

/// `(a, b, a_cidr, b_cidr, relation, impact kinds)` of every overlap.
fn pairs(v: &Value) -> Vec<(String, String, String, String, String, Vec<String>)> {
    v["overlaps"]
        .as_array()
        .expect("overlaps array")
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or("").to_string();
            let kinds = o["impact"]
                .as_array()
                .expect("impact")
                .iter()
                .map(|i| i["kind"].as_str().unwrap_or("").to_string())
                .collect();
            (
                s("a"),
                s("b"),
                s("a_cidr"),
                s("b_cidr"),
                s("relation"),
                kinds,
            )
        })
        .collect()
}

fn p(
    a: &str,
    b: &str,
    ac: &str,
    bc: &str,
    rel: &str,
    kinds: &[&str],
) -> (String, String, String, String, String, Vec<String>) {
    (
        a.into(),
        b.into(),
        ac.into(),
        bc.into(),
        rel.into(),
        kinds.iter().map(|k| k.to_string()).collect(),
    )
}

fn ids(list: &Value, kind: &str) -> Vec<String> {
    list.as_array()
        .expect("unreachable array")
        .iter()
        .filter(|u| u["kind"] == kind)
        .map(|u| u["id"].as_str().unwrap_or("").to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn demo_project_b_is_shadowed_by_project_a() {
    let (v, code) = run(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        pairs(&v),
        vec![p(
            "vpc-038faba71b3a60002",
            "vpc-038faba71b3a60003",
            "10.20.0.0/16",
            "10.20.0.0/16",
            "equal",
            &["tgw-propagation-suppressed"]
        )]
    );
    let o = &v["overlaps"][0];
    assert_eq!(o["overlap"], "10.20.0.0/16");
    let i = &o["impact"][0];
    assert_eq!(i["transit_gateway"], "tgw-0471db7c8254c0001");
    assert_eq!(i["route_table"], "tgw-rtb-0b937e19ff0c20001");
    assert_eq!(i["winner"], "vpc-038faba71b3a60002");
    assert_eq!(i["shadowed"], "vpc-038faba71b3a60003");
    assert_eq!(i["winner_attachment"], "tgw-attach-0967b1152c9f60002");
    assert_eq!(i["shadowed_attachment"], "tgw-attach-0967b1152c9f60003");
    assert_eq!(i["code"], "TGW_PROPAGATION_SUPPRESSED_OVERLAP");
    assert_eq!(ids(&i["unreachable"], "instance"), ["i-0de7d1b721a1e0021"]);
    assert_eq!(
        ids(&i["unreachable"], "subnet"),
        ["subnet-018507519c5520041"]
    );
    assert_eq!(v["vpcs"]["vpc-038faba71b3a60003"]["name"], "project-b");
    // The shared cache in the app VPC: consumed by project-b through a resource gateway.
    let remedies = o["remedies"].as_array().expect("remedies");
    assert!(remedies
        .iter()
        .any(|r| r["kind"] == "privatelink-resource-gateway"
            && r["cache"] == "demo-redis"
            && r["endpoint"] == "master.demo-redis.x7k2qd.use1.cache.amazonaws.com:6379"));
    assert!(remedies.iter().any(|r| r["kind"] == "private-nat-gateway"
        && r["vpc"] == "vpc-038faba71b3a60003"
        && r["suggested_cidr"] == "10.2.0.0/24"));
    assert!(remedies
        .iter()
        .any(|r| r["kind"] == "renumber" && r["suggested_cidr"] == "10.1.0.0/16"));
    assert_eq!(v["tgw_route_mismatches"], serde_json::json!([]));
    assert_eq!(v["plan"], Value::Null);
    assert_eq!(run(&["--fail-on", "tgw"]).1, 1);
    assert_eq!(run(&["--fail-on", "peering"]).1, 0);
    assert_eq!(run(&["--fail-on", "any"]).1, 1);
}

#[test]
fn equal_blocks_without_links_are_latent() {
    let (v, code) = case("equal", &["--fail-on", "tgw"]);
    assert_eq!(code, 0);
    // By hand: the two VPCs hold the same /16 and nothing links them, so their one pair is
    // latent; the block is held by two VPCs, so the pair is folded into its shared-block
    // finding instead of being listed.
    assert_eq!(pairs(&v), vec![]);
    assert_eq!(v["summary"]["overlaps"], 1);
    assert_eq!(v["summary"]["latent"], 1);
    let g = &v["shared_blocks"][0];
    assert_eq!(g["cidr"], "10.1.0.0/16");
    assert_eq!(
        strings(&g["vpcs"]),
        ["vpc-0e000000000000001", "vpc-0e000000000000002"]
    );
    assert_eq!((&g["pairs"], &g["listed_pairs"]), (&1.into(), &0.into()));
    assert_eq!(g["impact"], "latent");
    assert_eq!(strings(&g["accounts"]), ["111111111111"]);
    assert_eq!(case("equal", &["--fail-on", "any"]).1, 1);
    assert_eq!(case("equal", &["--fail-on", "peering"]).1, 0);
}

#[test]
fn contained_block_is_oriented_larger_first() {
    let (v, _) = case("contained", &[]);
    assert_eq!(
        pairs(&v),
        vec![p(
            "vpc-0c000000000000001",
            "vpc-0c000000000000002",
            "10.2.0.0/16",
            "10.2.8.0/21",
            "contains",
            &["latent"]
        )]
    );
    assert_eq!(v["overlaps"][0]["overlap"], "10.2.8.0/21");
    // Renumbering the smaller VPC: the lowest free /21 of 10.0.0.0/8.
    let r = &v["overlaps"][0]["remedies"];
    let renumber: Vec<&Value> = r
        .as_array()
        .expect("remedies")
        .iter()
        .filter(|x| x["kind"] == "renumber")
        .collect();
    assert_eq!(renumber[0]["suggested_cidr"], "10.0.0.0/21");
}

#[test]
fn partial_overlap_shadows_only_the_overlapping_block() {
    let (v, code) = case("partial", &["--fail-on", "tgw"]);
    assert_eq!(code, 1);
    assert_eq!(
        pairs(&v),
        vec![p(
            "vpc-0a000000000000001",
            "vpc-0a000000000000002",
            "10.3.0.0/16",
            "10.3.128.0/20",
            "contains",
            &["tgw-propagation-suppressed"]
        )]
    );
    let i = &v["overlaps"][0]["impact"][0];
    assert_eq!(i["winner"], "vpc-0a000000000000001");
    assert_eq!(i["shadowed"], "vpc-0a000000000000002");
    assert_eq!(i["suppressed_cidr"], "10.3.128.0/20");
    assert_eq!(strings(&i["still_propagated"]), ["10.50.0.0/16"]);
    assert_eq!(ids(&i["unreachable"], "instance"), ["i-0a0000000000000b2"]);
    assert_eq!(
        ids(&i["unreachable"], "subnet"),
        ["subnet-0a0000000000000b2"]
    );
    // A secondary block is renumbered inside the primary's RFC 1918 range.
    let r = &v["overlaps"][0]["remedies"];
    assert!(r
        .as_array()
        .expect("remedies")
        .iter()
        .any(|x| x["kind"] == "renumber" && x["suggested_cidr"] == "10.0.0.0/20"));
}

#[test]
fn ipv6_blocks_propagate_only_with_ipv6_support() {
    let (v, _) = case("v6", &[]);
    assert_eq!(
        pairs(&v),
        vec![
            p(
                "vpc-06000000000000001",
                "vpc-06000000000000002",
                "2600:1f18:aaaa:b00::/56",
                "2600:1f18:aaaa:b00::/56",
                "equal",
                &["tgw-propagation-suppressed"]
            ),
            // The two latent pairs of v6-c's /60 with the /56 of v6-a and v6-b are folded
            // into the shared block /56 (held by two VPCs), not listed.
        ]
    );
    let g = &v["shared_blocks"][0];
    assert_eq!(g["cidr"], "2600:1f18:aaaa:b00::/56");
    assert_eq!((&g["pairs"], &g["listed_pairs"]), (&1.into(), &1.into()));
    let near = &g["overlapping"][0];
    assert_eq!(near["cidr"], "2600:1f18:aaaa:b00::/60");
    assert_eq!(near["relation"], "contains");
    assert_eq!(strings(&near["vpcs"]), ["vpc-06000000000000003"]);
    assert_eq!(
        (&near["pairs"], &near["listed_pairs"]),
        (&2.into(), &0.into())
    );
    assert_eq!(v["summary"]["overlaps"], 3);
    assert_eq!(v["summary"]["latent"], 2);
    let i = &v["overlaps"][0]["impact"][0];
    assert_eq!(i["shadowed"], "vpc-06000000000000002");
    assert_eq!(strings(&i["still_propagated"]), ["10.5.0.0/16"]);
    assert_eq!(
        ids(&i["unreachable"], "subnet"),
        ["subnet-06000000000000b1"]
    );
    // No private NAT gateway for IPv6 (NAT gateways translate IPv4).
    let r = v["overlaps"][0]["remedies"].as_array().expect("remedies");
    assert!(r.iter().all(|x| x["kind"] != "private-nat-gateway"));
}

#[test]
fn cross_account_attachment_is_shadowed() {
    let (v, _) = case("cross-account", &[]);
    assert_eq!(
        pairs(&v),
        vec![p(
            "vpc-07000000000000001",
            "vpc-07000000000000002",
            "10.7.0.0/16",
            "10.7.0.0/16",
            "equal",
            &["tgw-propagation-suppressed"]
        )]
    );
    let o = &v["overlaps"][0];
    assert_eq!(o["cross_account"], true);
    assert_eq!(o["cross_region"], false);
    assert_eq!(o["impact"][0]["winner"], "vpc-07000000000000001");
    assert_eq!(o["impact"][0]["shadowed"], "vpc-07000000000000002");
    assert_eq!(
        ids(&o["impact"][0]["unreachable"], "instance"),
        ["i-07000000000000b1"]
    );
    assert_eq!(
        v["vpcs"]["vpc-07000000000000002"]["account"],
        "111111111111"
    );
    assert_eq!(
        v["vpcs"]["vpc-07000000000000001"]["account"],
        "222222222222"
    );
}

#[test]
fn cross_region_overlap_is_latent() {
    let (v, _) = case("cross-region", &[]);
    // By hand: one /16 in two regions, no link: one latent pair, folded into the shared block.
    assert_eq!(pairs(&v), vec![]);
    assert_eq!(v["summary"]["latent"], 1);
    let g = &v["shared_blocks"][0];
    assert_eq!(g["cidr"], "10.8.0.0/16");
    assert_eq!(strings(&g["regions"]), ["eu-west-1", "us-east-1"]);
    assert!(g["explanation"]
        .as_str()
        .is_some_and(|e| e.contains("all in different regions")));
    assert_eq!(v["vpcs"]["vpc-08000000000000002"]["region"], "eu-west-1");
}

#[test]
fn later_creation_time_loses_whatever_the_json_order() {
    let (v, _) = case("tgw-order", &[]);
    assert_eq!(
        pairs(&v),
        vec![
            p(
                "vpc-09000000000000001",
                "vpc-09000000000000002",
                "10.9.0.0/16",
                "10.9.0.0/16",
                "equal",
                &["tgw-propagation-suppressed"]
            ),
            p(
                "vpc-09000000000000003",
                "vpc-09000000000000004",
                "172.16.0.0/16",
                "172.16.0.0/24",
                "contains",
                &["tgw-propagation-suppressed"]
            ),
        ]
    );
    // "first" (vpc-…2, attached 2023) wins although its attachment is listed second and has
    // the higher id.
    let i = &v["overlaps"][0]["impact"][0];
    assert_eq!(i["winner"], "vpc-09000000000000002");
    assert_eq!(i["shadowed"], "vpc-09000000000000001");
    assert_eq!(i["winner_creation_time"], "2023-01-10T00:00:00Z");
    assert_eq!(ids(&i["unreachable"], "instance"), ["i-09000000000000s1"]);
    assert_eq!(ids(&i["unreachable"], "cache-cluster"), ["order-memcached"]);
    let cache = i["unreachable"]
        .as_array()
        .expect("list")
        .iter()
        .find(|u| u["kind"] == "cache-cluster")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        cache["endpoint"],
        "order-memcached.abc123.cfg.use1.cache.amazonaws.com:11211"
    );
    assert_eq!(strings(&cache["addresses"]), ["10.9.1.50"]);
    let r = v["overlaps"][0]["remedies"].as_array().expect("remedies");
    assert!(r.iter().any(|x| x["kind"] == "privatelink-resource-gateway"
        && x["cache"] == "order-memcached"
        && x["endpoint"] == "order-memcached.abc123.cfg.use1.cache.amazonaws.com:11211"));
    // Same CreationTime: attachment id decides, with a warning.
    let t = &v["overlaps"][1]["impact"][0];
    assert_eq!(t["winner"], "vpc-09000000000000003");
    assert_eq!(t["shadowed"], "vpc-09000000000000004");
    let warnings = strings(&v["warnings"]);
    assert!(
        warnings.iter().any(|w| w.contains("same CreationTime")),
        "{warnings:?}"
    );
}

#[test]
fn active_peering_between_overlapping_vpcs_is_inconsistent() {
    let (v, code) = case("peering", &["--fail-on", "peering"]);
    assert_eq!(code, 1);
    assert_eq!(
        pairs(&v),
        vec![p(
            "vpc-0b000000000000001",
            "vpc-0b000000000000002",
            "10.10.0.0/16",
            "10.10.0.0/17",
            "contains",
            &["peering-impossible"]
        )]
    );
    assert_eq!(
        v["overlaps"][0]["impact"][0]["peering_connection"],
        "pcx-0b000000000000001"
    );
    assert_eq!(case("peering", &["--fail-on", "tgw"]).1, 0);
}

#[test]
fn observed_routes_are_compared_with_the_computation() {
    let (v, _) = case("observed-mismatch", &[]);
    let m: Vec<(String, String, Value, Value)> = v["tgw_route_mismatches"]
        .as_array()
        .expect("mismatches")
        .iter()
        .map(|m| {
            (
                m["destination"].as_str().unwrap_or("").to_string(),
                m["kind"].as_str().unwrap_or("").to_string(),
                m["computed_attachment"].clone(),
                m["observed_attachment"].clone(),
            )
        })
        .collect();
    assert_eq!(
        m,
        vec![
            (
                "10.60.0.0/16".into(),
                "different-target".into(),
                "tgw-attach-0d00000000000001".into(),
                "tgw-attach-0d00000000000003".into()
            ),
            (
                "10.61.0.0/16".into(),
                "not-observed".into(),
                "tgw-attach-0d00000000000002".into(),
                Value::Null
            ),
            (
                "10.99.0.0/16".into(),
                "not-computed".into(),
                Value::Null,
                "tgw-attach-0d00000000000002".into()
            ),
        ]
    );
    assert_eq!(v["summary"]["tgw_route_mismatches"], 3);
    // VPN-propagated routes are not computed: not a mismatch, but a warning.
    assert!(strings(&v["warnings"])
        .iter()
        .any(|w| w.contains("vpn attachment")));
}

#[test]
fn plan_proposes_free_blocks_and_the_largest_shared_set() {
    let (v, _) = case("plan", &["--plan"]);
    assert_eq!(
        pairs(&v),
        vec![
            p(
                "vpc-0e000000000000001",
                "vpc-0e000000000000002",
                "10.0.0.0/16",
                "10.0.0.0/16",
                "equal",
                &["tgw-propagation-suppressed"]
            ),
            p(
                "vpc-0e000000000000001",
                "vpc-0e000000000000003",
                "10.0.0.0/16",
                "10.0.16.0/20",
                "contains",
                &["tgw-propagation-suppressed"]
            ),
            // (plan-b, plan-c) is latent and plan-b's 10.0.0.0/16 is also plan-a's: folded
            // into that shared block (below), not listed.
            p(
                "vpc-0e000000000000003",
                "vpc-0e000000000000005",
                "10.1.0.0/16",
                "10.1.0.0/17",
                "contains",
                &["latent"]
            ),
        ]
    );
    assert_eq!(v["summary"]["overlaps"], 4);
    let g = &v["shared_blocks"][0];
    assert_eq!(g["cidr"], "10.0.0.0/16");
    assert_eq!((&g["pairs"], &g["listed_pairs"]), (&1.into(), &1.into()));
    let near = &g["overlapping"][0];
    assert_eq!(near["cidr"], "10.0.16.0/20");
    assert_eq!(
        (&near["pairs"], &near["listed_pairs"]),
        (&2.into(), &1.into())
    );
    let plan = &v["plan"];
    assert_eq!(
        strings(&plan["pool"]),
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
    );
    let r = plan["renumbering"].as_array().expect("renumbering");
    assert_eq!(r.len(), 2);
    assert_eq!(
        (
            &r[0]["vpc"],
            &r[0]["current"],
            &r[0]["proposed"],
            &r[0]["primary"]
        ),
        (
            &"vpc-0e000000000000002".into(),
            &"10.0.0.0/16".into(),
            &"10.2.0.0/16".into(),
            &true.into()
        )
    );
    assert_eq!(
        (
            &r[1]["vpc"],
            &r[1]["current"],
            &r[1]["proposed"],
            &r[1]["primary"]
        ),
        (
            &"vpc-0e000000000000003".into(),
            &"10.0.16.0/20".into(),
            &"10.3.0.0/20".into(),
            &false.into()
        )
    );
    let sets = plan["shared_tgw_sets"].as_array().expect("sets");
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0]["region"], "us-east-1");
    assert_eq!(
        strings(&sets[0]["vpcs"]),
        [
            "vpc-0e000000000000001",
            "vpc-0e000000000000004",
            "vpc-0e000000000000005"
        ]
    );
    assert_eq!(
        strings(&sets[0]["excluded"]),
        ["vpc-0e000000000000002", "vpc-0e000000000000003"]
    );
    assert_eq!(sets[0]["optimal"], true);
    // Remedies name the same blocks as the plan.
    let rem = v["overlaps"][0]["remedies"].as_array().expect("remedies");
    assert!(rem
        .iter()
        .any(|x| x["kind"] == "renumber" && x["suggested_cidr"] == "10.2.0.0/16"));

    // A custom pool: the primary block moves to it; the secondary block has no permitted room.
    let (v, _) = case("plan", &["--plan", "--pool", "172.31.0.0/16"]);
    let r = v["plan"]["renumbering"].as_array().expect("renumbering");
    assert_eq!(r[0]["proposed"], "172.31.0.0/16");
    assert_eq!(r[1]["proposed"], Value::Null);
}

#[test]
fn what_if_attach_answers_before_a_migration() {
    let args = [
        "--what-if-attach",
        "vpc-0f000000000000002",
        "--tgw",
        "tgw-0f000000000000001",
        "--fail-on",
        "tgw",
    ];
    let (v, code) = case("what-if", &args);
    assert_eq!(code, 1);
    let w = &v["what_if"];
    assert_eq!(w["would_propagate"], false);
    assert_eq!(w["already_attached"], Value::Null);
    let t = &w["tables"][0];
    assert_eq!(t["route_table"], "tgw-rtb-0f000000000000001");
    assert_eq!(strings(&t["propagated"]), ["10.71.0.0/16"]);
    assert_eq!(t["suppressed"][0]["cidr"], "10.70.0.0/16");
    assert_eq!(t["suppressed"][0]["winner"], "vpc-0f000000000000001");
    assert_eq!(
        t["suppressed"][0]["winner_attachment"],
        "tgw-attach-0f00000000000001"
    );
    assert_eq!(t["takes_traffic_from"][0]["destination"], "10.0.0.0/8");
    assert_eq!(t["takes_traffic_from"][0]["kind"], "static");

    let (v, code) = case(
        "what-if",
        &[
            "--what-if-attach",
            "vpc-0f000000000000003",
            "--tgw",
            "tgw-0f000000000000001",
            "--fail-on",
            "tgw",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(v["what_if"]["would_propagate"], true);
    assert_eq!(
        strings(&v["what_if"]["tables"][0]["propagated"]),
        ["10.80.0.0/16"]
    );

    let (_, code) = case(
        "what-if",
        &[
            "--what-if-attach",
            "vpc-0f0000000000000ff",
            "--tgw",
            "tgw-0f000000000000001",
        ],
    );
    assert_eq!(code, 2);
}

#[test]
fn table_output_names_winner_and_shadowed() {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["overlaps", "--plan"])
        .output()
        .expect("run vpcreach");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("project-b (vpc-038faba71b3a60003)"));
    assert!(text.contains("i-0de7d1b721a1e0021"));
    assert!(text.contains("can share one TGW"));
}
