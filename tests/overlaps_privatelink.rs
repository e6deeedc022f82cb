//! `vpcreach overlaps` notes the listed pairs that PrivateLink serves (docs/semantics.md O6), on
//! fixtures/rules/o6-overlap-served-by-privatelink (case 61 of fixtures/rules/generate.py) and
//! on the bundled demo. Every expected answer is derived by hand from the fixture tables and the
//! rules; the derivations are in the comments.

use serde_json::Value;
use std::process::Command;

fn overlaps(snapshot: Option<&str>, format: &str) -> (String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vpcreach"));
    cmd.arg("overlaps");
    if let Some(s) = snapshot {
        cmd.args(["--snapshot", s]);
    }
    let out = cmd
        .args(["--format", format])
        .output()
        .expect("run vpcreach");
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        out.status.code().expect("exit code"),
    )
}

fn json(snapshot: Option<&str>) -> Value {
    let (out, code) = overlaps(snapshot, "json");
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).expect("json")
}

/// `(relation, kind, service, provider_vpc, [(vpc, endpoint, port, verdict)])` of the first
/// listed pair.
type Served = (
    String,
    String,
    String,
    String,
    Vec<(String, String, u64, String)>,
);

fn served(v: &Value) -> Vec<Served> {
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    v["overlaps"][0]["privatelink"]
        .as_array()
        .expect("privatelink array")
        .iter()
        .map(|p| {
            (
                s(&p["relation"]),
                s(&p["kind"]),
                s(&p["service"]),
                s(&p["provider_vpc"]),
                p["endpoints"]
                    .as_array()
                    .expect("endpoints")
                    .iter()
                    .map(|e| {
                        (
                            s(&e["vpc"]),
                            s(&e["endpoint"]),
                            e["port"].as_u64().expect("port"),
                            s(&e["verdict"]),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn id(prefix: &str, n: u32) -> String {
    format!("{prefix}-61{n:015x}")
}

/// The fixture: provider-x (vpc 1) and consumer-y (vpc 2) both 10.20.0.0/16, both propagating
/// into tgw-rtb 1 (x attached first: y's block is suppressed, T4), so the pair is listed (O3).
///
/// * Endpoint service vpce-svc-06100000000000001 → NLB api-nlb (vpc 1, 10.20.1.100), listener
///   TCP 443 → target group api:8443 → api i1 10.20.1.10 (healthy; sg 11 admits 8443 from
///   10.20.1.0/24, which holds the NLB's address: L3). y's interface endpoint vpce 1
///   (10.20.1.50, sg 22 admits 443 from 10.20.0.0/16): every address of y's 10.20.0.0/16
///   (client-y i2 with egress all, and the unheld hosts, which have no group) reaches it in
///   its own subnet (local route, default NACL allow all), then L2–L3 and the reply (L6):
///   reachable on 443. The provider is x, the other VPC of the pair: `direct`.
/// * Resource configuration rcfg 1 (db, 5432, ipResource 10.30.1.10) behind rgw 1 in the
///   shared vpc 3: y's resource endpoint vpce 2 (sg 22 admits 5432) works, x's vpce 3 does not
///   (its sg 12 admits only 3306: ENI_SG_RULES_MISMATCH for every source). The provider is
///   vpc 3, outside the pair, and only y reaches it: neither direct nor shared, not listed.
#[test]
fn a_pair_whose_consumer_reaches_the_providers_endpoint_service_is_served_directly() {
    let dir = format!(
        "{}/fixtures/rules/o6-overlap-served-by-privatelink",
        env!("CARGO_MANIFEST_DIR")
    );
    let v = json(Some(&dir));
    let listed = v["overlaps"].as_array().expect("overlaps");
    assert_eq!(listed.len(), 1, "{v:#}");
    assert_eq!(listed[0]["a"], id("vpc", 1).as_str());
    assert_eq!(listed[0]["b"], id("vpc", 2).as_str());
    assert_eq!(
        served(&v),
        vec![(
            "direct".to_string(),
            "endpoint-service".to_string(),
            "vpce-svc-06100000000000001".to_string(),
            id("vpc", 1),
            vec![(id("vpc", 2), id("vpce", 1), 443, "reachable".to_string())]
        )]
    );
    let (text, code) = overlaps(Some(&dir), "text");
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!(
            "served by PrivateLink: endpoint service vpce-svc-06100000000000001 (com.amazonaws.vpce.us-east-1.vpce-svc-06100000000000001) in {}, provided by one VPC of the pair, through {} from {} on tcp 443: reachable",
            id("vpc", 1),
            id("vpce", 1),
            id("vpc", 2)
        )),
        "{text}"
    );
    assert!(!text.contains("rcfg-"), "{text}");
}

/// The demo (fixtures/demo/README.md, "PrivateLink"): project-a (vpc …02) and project-b
/// (vpc …03) both 10.20.0.0/16 on the demo TGW (listed, README #15).
///
/// * The Squid endpoint service vpce-svc-0d55fc12040400001 (NLB squid-nlb in the app VPC …01,
///   listener TCP 3128 → target group squid → squid-egress 10.0.21.10, whose group admits 3128
///   from 10.0.21.0/24, the NLB's subnet). project-a's vpce …03 (sg project-a-proxy-endpoint:
///   3128 from 10.20.0.0/16) and project-b's vpce …04 (sg project-b-endpoints: 3128 and 6379
///   from 10.20.0.0/16) are in the client subnets (local route, default NACLs): every address
///   of each block reaches its endpoint on 3128, forward and return (L1–L3, L6). Both VPCs
///   reach it: `shared`, provider the app VPC.
/// * The demo-redis resource configuration: only project-b has an endpoint to it, and its
///   provider is the app VPC, outside the pair: not listed. But it is the cache remedy (O4)
///   for project-b, the shadowed VPC: its resource endpoint vpce …05 works on 6379 (README
///   #16) and the configuration's `dnsResource` is demo-redis-001's node endpoint, an address
///   of demo-redis: that remedy reads "in place", naming vpce …05 and rcfg-0bad1ffa3ebcf0001.
#[test]
fn the_demo_projects_share_the_squid_endpoint_service() {
    let v = json(None);
    assert_eq!(
        served(&v),
        vec![(
            "shared".to_string(),
            "endpoint-service".to_string(),
            "vpce-svc-0d55fc12040400001".to_string(),
            "vpc-038faba71b3a60001".to_string(),
            vec![
                (
                    "vpc-038faba71b3a60002".to_string(),
                    "vpce-090fb6c7b7aae0003".to_string(),
                    3128,
                    "reachable".to_string()
                ),
                (
                    "vpc-038faba71b3a60003".to_string(),
                    "vpce-090fb6c7b7aae0004".to_string(),
                    3128,
                    "reachable".to_string()
                ),
            ]
        )]
    );
    let remedies: Vec<&str> = v["overlaps"][0]["remedies"]
        .as_array()
        .expect("remedies")
        .iter()
        .filter(|r| r["kind"] == "privatelink-resource-gateway")
        .filter_map(|r| r["description"].as_str())
        .collect();
    assert_eq!(
        remedies,
        vec!["in place: replication-group demo-redis is reached from project-b (vpc-038faba71b3a60003) without the TGW through resource endpoint vpce-090fb6c7b7aae0005 (resource configuration rcfg-0bad1ffa3ebcf0001, O6); replies never route to the overlapping block"]
    );
    let (table, _) = overlaps(None, "table");
    assert!(table.contains("served by PrivateLink"), "{table}");
}
