//! `vpcreach overlaps` on blocks held by several VPCs (every default VPC has 172.31.0.0/16): one
//! `shared_blocks` finding per block, pairs listed one by one only where a TGW route table or a
//! peering links them. Expected answers derived by hand in the comments.

#[path = "support/overlap_topology.rs"]
mod overlap_topology;

use serde_json::Value;
use std::process::Command;

fn run(args: &[&str]) -> (Value, i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .arg("overlaps")
        .args(args)
        .output()
        .expect("run vpcreach");
    let code = out.status.code().expect("exit code");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (v, code, stdout)
}

fn json(snapshot: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["--snapshot", snapshot, "--format", "json"];
    args.extend_from_slice(extra);
    let (v, code, _) = run(&args);
    (v, code)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect()
}

fn vpc(n: u32) -> String {
    format!("vpc-05{n:015x}")
}

/// fixtures/overlaps/default-vpcs: default VPCs d1 (111…/us-east-1), d2 (222…/us-east-1),
/// d3 (333…/us-east-1), d4 (111…/eu-west-1), d5 (222…/eu-west-1), all 172.31.0.0/16, and
/// "legacy" (333…/us-east-1) with 172.31.128.0/20. d1 (attached 2024-01-01) and d2 (attached
/// 2024-03-01) propagate into one TGW route table; d4 and d5 have an active peering.
///
/// By hand: 6 blocks; two distinct blocks, the /20 nested in the /16. Pairs: C(5,2) = 10
/// among d1..d5, plus 5 × 1 = 5 between them and legacy: 15. Listed: (d1, d2), the later
/// attachment d2 loses 172.31.0.0/16 (T4), and (d4, d5), an impossible peering (P3); no pair of
/// two blocks nobody else holds. Latent and folded: 10 - 2 + 5 = 13. One shared block.
#[test]
fn default_vpcs_fold_into_one_finding_with_the_linked_pairs_listed() {
    let dir = format!(
        "{}/fixtures/overlaps/default-vpcs",
        env!("CARGO_MANIFEST_DIR")
    );
    let (v, code) = json(&dir, &["--plan"]);
    assert_eq!(code, 0);
    assert_eq!(v["format_version"], 2);
    let s = &v["summary"];
    assert_eq!(s["vpc_blocks"], 6);
    assert_eq!(s["overlaps"], 15);
    assert_eq!(s["listed_overlaps"], 2);
    assert_eq!(s["shared_blocks"], 1);
    assert_eq!(s["tgw_propagation_suppressed"], 1);
    assert_eq!(s["peering_impossible"], 1);
    assert_eq!(s["latent"], 13);

    // Listed pairs: by address, then VPC ids: (d1, d2) before (d4, d5).
    let o = v["overlaps"].as_array().expect("overlaps");
    assert_eq!(o.len(), 2);
    assert_eq!((&o[0]["a"], &o[0]["b"]), (&vpc(1).into(), &vpc(2).into()));
    assert_eq!(o[0]["relation"], "equal");
    let i = &o[0]["impact"][0];
    assert_eq!(i["kind"], "tgw-propagation-suppressed");
    assert_eq!(i["winner"], vpc(1));
    assert_eq!(i["shadowed"], vpc(2));
    assert_eq!(i["suppressed_cidr"], "172.31.0.0/16");
    assert_eq!(o[0]["cross_account"], true);
    assert_eq!((&o[1]["a"], &o[1]["b"]), (&vpc(4).into(), &vpc(5).into()));
    assert_eq!(o[1]["impact"][0]["kind"], "peering-impossible");
    assert_eq!(
        o[1]["impact"][0]["peering_connection"],
        "pcx-05000000000000001"
    );

    let g = &v["shared_blocks"][0];
    assert_eq!(g["cidr"], "172.31.0.0/16");
    assert_eq!(
        strings(&g["vpcs"]),
        [vpc(1), vpc(2), vpc(3), vpc(4), vpc(5)]
    );
    assert_eq!(
        strings(&g["accounts"]),
        ["111111111111", "222222222222", "333333333333"]
    );
    assert_eq!(strings(&g["regions"]), ["eu-west-1", "us-east-1"]);
    assert_eq!(g["default_vpcs"], 5);
    assert_eq!(g["pairs"], 10);
    assert_eq!(g["listed_pairs"], 2);
    assert_eq!(g["impact"], "latent");
    let near = g["overlapping"].as_array().expect("overlapping");
    assert_eq!(near.len(), 1);
    assert_eq!(near[0]["cidr"], "172.31.128.0/20");
    assert_eq!(near[0]["relation"], "contains");
    assert_eq!(strings(&near[0]["vpcs"]), [vpc(6)]);
    assert_eq!(near[0]["pairs"], 5);
    assert_eq!(near[0]["listed_pairs"], 0);
    // d1 and d2 share the TGW: one note for it.
    let notes = strings(&g["notes"]);
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("tgw-05000000000000001"), "{notes:?}");
    // Every member is named with its account and region.
    assert_eq!(v["vpcs"][vpc(3)]["account"], "333333333333");
    assert_eq!(v["vpcs"][vpc(5)]["region"], "eu-west-1");
    assert_eq!(v["vpcs"][vpc(6)]["name"], "legacy");

    // --plan: d2 is shadowed; its primary /16 moves to the lowest free /16 of 10.0.0.0/8.
    // The peering pair's renumber remedy for d5 then takes the next one, 10.1.0.0/16.
    let r = v["plan"]["renumbering"].as_array().expect("renumbering");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["vpc"], vpc(2));
    assert_eq!(r[0]["proposed"], "10.0.0.0/16");
    assert!(o[1]["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .any(|x| x["kind"] == "renumber"
            && x["vpc"] == vpc(5)
            && x["suggested_cidr"] == "10.1.0.0/16"));
    // Shared sets: in us-east-1 every VPC overlaps every other (legacy's /20 is inside the
    // /16), so one VPC: the greedy by last address takes legacy (its /20 ends first). In
    // eu-west-1 d4 and d5 are twins: the lower id stays.
    let sets = v["plan"]["shared_tgw_sets"].as_array().expect("sets");
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0]["region"], "eu-west-1");
    assert_eq!(strings(&sets[0]["vpcs"]), [vpc(4)]);
    assert_eq!(strings(&sets[0]["excluded"]), [vpc(5)]);
    assert_eq!(sets[1]["region"], "us-east-1");
    assert_eq!(strings(&sets[1]["vpcs"]), [vpc(6)]);
    assert_eq!(strings(&sets[1]["excluded"]), [vpc(1), vpc(2), vpc(3)]);
    assert_eq!(sets[1]["optimal"], true);

    // --fail-on works on the grouped form: a suppression, a peering, and overlaps at all.
    for (kind, want) in [("tgw", 1), ("peering", 1), ("any", 1)] {
        assert_eq!(json(&dir, &["--fail-on", kind]).1, want, "--fail-on {kind}");
    }
    // The table names the shared block once, with its members.
    let (_, _, text) = run(&["--snapshot", &dir]);
    assert_eq!(
        text.matches("Shared block 172.31.0.0/16").count(),
        1,
        "{text}"
    );
    assert!(text.contains(&format!("    {} 333333333333/us-east-1", vpc(3))));
}

/// N default VPCs (`write_default_vpcs`: VPC i in account 100000000000 + i/17, region i % 17),
/// no TGW, no peering. By hand, N = 200: C(200, 2) = 19,900 pairs, all latent, none listed;
/// one shared block of 200 VPCs in ceil(200/17) = 12 accounts and 17 regions. The plan keeps
/// one VPC per region, the lowest id: VPC r of region r (r < 17).
#[test]
fn many_default_vpcs_are_one_finding() {
    let n = 200;
    let dir = tempfile::tempdir().expect("temporary directory");
    overlap_topology::write_default_vpcs(dir.path(), n);
    let snap = dir.path().to_str().expect("utf-8 path");
    let (v, code) = json(snap, &["--plan", "--fail-on", "tgw"]);
    assert_eq!(code, 0);
    let s = &v["summary"];
    assert_eq!(s["overlaps"], 19_900);
    assert_eq!(s["latent"], 19_900);
    assert_eq!(s["listed_overlaps"], 0);
    assert_eq!(s["shared_blocks"], 1);
    assert_eq!(v["overlaps"], serde_json::json!([]));
    let g = &v["shared_blocks"][0];
    assert_eq!(g["vpcs"].as_array().map(Vec::len), Some(n));
    assert_eq!(g["accounts"].as_array().map(Vec::len), Some(12));
    assert_eq!(g["regions"].as_array().map(Vec::len), Some(17));
    assert_eq!(g["default_vpcs"], n);
    assert_eq!(g["pairs"], 19_900);
    assert_eq!(v["vpcs"].as_object().map(|m| m.len()), Some(n));
    let sets = v["plan"]["shared_tgw_sets"].as_array().expect("sets");
    assert_eq!(sets.len(), 17);
    for set in sets {
        let region = set["region"].as_str().unwrap_or("");
        let r = overlap_topology::DEFAULT_REGIONS
            .iter()
            .position(|x| *x == region)
            .expect("a generated region");
        assert_eq!(strings(&set["vpcs"]), [overlap_topology::default_vpc_id(r)]);
        // 200 = 11 × 17 + 13: regions 0..12 hold 12 VPCs, the others 11.
        let held = if r < 13 { 12 } else { 11 };
        assert_eq!(set["excluded"].as_array().map(Vec::len), Some(held - 1));
    }
    assert_eq!(json(snap, &["--fail-on", "any"]).1, 1);
    assert_eq!(overlap_topology::default_vpc_account(n - 1), "100000000011");
}
