//! `vpcreach collect` of VPC Lattice resource gateways and resource configurations.
//!
//! Moto 5.2 has no resource gateways or resource configurations (its `vpclattice` URLs have no
//! `/resourcegateways` or `/resourceconfigurations`: HTTP 404), so the fault proxy of
//! tests/support/fault_proxy.rs answers those REST paths with canned JSON in the API's response
//! shapes (ListResourceGateways / ListResourceConfigurations pages with a `nextToken` on the
//! first page, GetResourceGateway / GetResourceConfiguration outputs) and forwards every other
//! call to moto. The canned data is fixtures/loader/privatelink's resource gateway and two of its
//! resource configurations (the database's IP resource, with the port range 5432-5433 instead of
//! the fixture's 5432, and the cache's DNS resource naming cache node shared-001), so the
//! collected files can stand in for the exported ones.
//!
//! Checked: the calls made (pages followed, one `get-…` per id), the manifest, the written files
//! (expected JSON written by hand from the canned answers), the model, and `reach` through the
//! resource endpoints on the fixture with its Lattice files replaced by the collected ones. Then
//! failures: a listing refused (403 AccessDeniedException), a listing moto does not have (404),
//! and one refused `get-…`: recorded in the manifest, exit 1, and named by a later answer.
//! Like the other moto tests, these FAIL (never skip) when moto is missing.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/moto.rs"]
mod moto;

use fault_proxy::{Canned, Fault, FaultProxy, Rule};
use moto::{sandbox, Moto};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vpcreach::model::{self, Resource};
use vpcreach::snapshot;

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");
const ACCOUNT: &str = "123456789012"; // moto's default account
const RGW: &str = "rgw-0123456789abcdef0";
const RGW_ARN: &str =
    "arn:aws:vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0";
const DB: &str = "rcfg-0000000000000db01";
const CACHE: &str = "rcfg-0000000000000ca01";
const CACHE_NAME: &str = "shared-001.abc123.0001.use1.cache.amazonaws.com";

fn arn(id: &str) -> String {
    format!("arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/{id}")
}

/// The canned VPC Lattice answers (API response shapes: docs.aws.amazon.com/vpc-lattice/latest/
/// APIReference, API_ListResourceGateways / API_GetResourceGateway / ..., the same keys as the
/// SDK's deserializers). Listings: the gateway on page 1 with a token, an empty page 2; one
/// configuration per page.
fn canned() -> Vec<Canned> {
    let created = "2026-11-02T10:00:00.000Z";
    let gateway_summary = json!({
        "arn": RGW_ARN, "createdAt": created, "id": RGW, "ipAddressType": "IPV4",
        "lastUpdatedAt": created, "name": "shared-data",
        "securityGroupIds": ["sg-000000000000000a2"], "status": "ACTIVE",
        "subnetIds": ["subnet-000000000000000b1"], "vpcIdentifier": "vpc-000000000000000b1"
    });
    let gateway = json!({
        "arn": RGW_ARN, "createdAt": created, "id": RGW, "ipAddressType": "IPV4",
        "ipv4AddressesPerEni": 16, "lastUpdatedAt": created, "name": "shared-data",
        "securityGroupIds": ["sg-000000000000000a2"], "status": "ACTIVE",
        "subnetIds": ["subnet-000000000000000b1"], "vpcId": "vpc-000000000000000b1"
    });
    let summary = |id: &str, name: &str| {
        json!({
            "amazonManaged": false, "arn": arn(id), "createdAt": created, "id": id,
            "lastUpdatedAt": created, "name": name, "resourceGatewayId": RGW,
            "status": "ACTIVE", "type": "SINGLE"
        })
    };
    let config = |id: &str, name: &str, ports: Value, definition: Value| {
        json!({
            "allowAssociationToShareableServiceNetwork": true, "amazonManaged": false,
            "arn": arn(id), "createdAt": created, "id": id, "lastUpdatedAt": created,
            "name": name, "portRanges": ports, "protocol": "TCP",
            "resourceConfigurationDefinition": definition, "resourceGatewayId": RGW,
            "status": "ACTIVE", "type": "SINGLE"
        })
    };
    vec![
        Canned::ok(
            "/resourcegateways",
            None,
            &json!({"items": [gateway_summary], "nextToken": "rgw-page-2"}),
        ),
        Canned::ok(
            "/resourcegateways",
            Some("rgw-page-2"),
            &json!({"items": []}),
        ),
        Canned::ok(&format!("/resourcegateways/{RGW}"), None, &gateway),
        Canned::ok(
            "/resourceconfigurations",
            None,
            &json!({"items": [summary(DB, "database")], "nextToken": "rcfg-page-2"}),
        ),
        Canned::ok(
            "/resourceconfigurations",
            Some("rcfg-page-2"),
            &json!({"items": [summary(CACHE, "cache")]}),
        ),
        Canned::ok(
            &format!("/resourceconfigurations/{DB}"),
            None,
            &config(
                DB,
                "database",
                json!(["5432-5433"]),
                json!({"ipResource": {"ipAddress": "10.0.3.20"}}),
            ),
        ),
        Canned::ok(
            &format!("/resourceconfigurations/{CACHE}"),
            None,
            &config(
                CACHE,
                "cache",
                json!(["6379"]),
                json!({"dnsResource": {"domainName": CACHE_NAME, "ipAddressType": "IPV4"}}),
            ),
        ),
    ]
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn read_json(path: &Path) -> Value {
    let t = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&t).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Collect us-east-1 through `proxy` into `work/name`; the output and the manifest's calls.
fn collect(work: &Path, proxy: &FaultProxy, name: &str) -> (Output, PathBuf, Vec<Value>) {
    let snap = work.join(name);
    let mut cmd = Command::new(BIN);
    let out = sandbox(&mut cmd, work)
        .args(["collect", "--out"])
        .arg(&snap)
        .args(["--endpoint-url", &proxy.url, "--regions", "us-east-1"])
        .args(["--quiet", "--max-attempts", "2"])
        .output()
        .expect("run collect");
    let calls = std::fs::read_to_string(snap.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|m| m["VpcreachManifest"]["calls"].as_array().cloned())
        .unwrap_or_default();
    (out, snap, calls)
}

/// The manifest records of `op`: (status, items, file, error).
fn records(calls: &[Value], op: &str) -> Vec<(String, u64, String, String)> {
    calls
        .iter()
        .filter(|c| c["operation"] == op)
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (
                s("status"),
                c["items"].as_u64().unwrap_or(0),
                s("file"),
                s("error"),
            )
        })
        .collect()
}

/// The operations whose calls did not all succeed.
fn not_ok(calls: &[Value]) -> BTreeSet<String> {
    calls
        .iter()
        .filter(|c| c["status"] != "ok")
        .filter_map(|c| c["operation"].as_str().map(str::to_string))
        .collect()
}

fn reach(snap: &Path, from: &str, to: &str, port: &str) -> Value {
    let out = Command::new(BIN)
        .args(["reach", "--snapshot"])
        .arg(snap)
        .args([
            "--from", from, "--to", to, "--port", port, "--format", "json",
        ])
        .output()
        .expect("run reach");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("reach output is not JSON ({e}): {}", text(&out)))
}

fn codes(v: &Value) -> Vec<String> {
    v["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["code"].as_str().map(str::to_string))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

#[test]
fn collect_resource_gateways_and_configurations() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let moto = Moto::start(work);
    let proxy = FaultProxy::start_with(&moto.endpoint, Vec::new(), Vec::new(), canned());
    let (out, snap, calls) = collect(work, &proxy, "snap");
    // Only moto's missing DescribeServerlessCaches fails (as in tests/collect_moto.rs).
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        not_ok(&calls),
        BTreeSet::from(["DescribeServerlessCaches".to_string()])
    );

    // 1. The calls: both pages of each listing (page 2 asked with page 1's token), then one
    //    get-… per listed id. Every request was one the proxy recognises (a query-protocol
    //    Action, or one of the four Lattice GETs): nothing else was sent to VPC Lattice.
    assert_eq!(proxy.requests(""), 0, "{:?}", proxy.bodies(""));
    assert_eq!(proxy.requests("ListResourceGateways"), 2);
    assert!(proxy.bodies("ListResourceGateways")[1].contains("nextToken=rgw-page-2"));
    assert_eq!(proxy.requests("ListResourceConfigurations"), 2);
    assert!(proxy.bodies("ListResourceConfigurations")[1].contains("nextToken=rcfg-page-2"));
    assert_eq!(
        proxy.bodies("GetResourceGateway"),
        vec![format!("/resourcegateways/{RGW}")]
    );
    let gets: BTreeSet<String> = proxy
        .bodies("GetResourceConfiguration")
        .into_iter()
        .collect();
    assert_eq!(
        gets,
        BTreeSet::from([
            format!("/resourceconfigurations/{DB}"),
            format!("/resourceconfigurations/{CACHE}")
        ])
    );

    // 2. The manifest: the listings count the ids they found and name the file those ids
    //    feed; the get-… calls count the elements written.
    let file = |f: &str| format!("{ACCOUNT}/us-east-1/{f}.json");
    let ok = |items: u64, f: &str| vec![("ok".to_string(), items, file(f), String::new())];
    assert_eq!(
        records(&calls, "ListResourceGateways"),
        ok(1, "get-resource-gateway")
    );
    assert_eq!(
        records(&calls, "GetResourceGateway"),
        ok(1, "get-resource-gateway")
    );
    assert_eq!(
        records(&calls, "ListResourceConfigurations"),
        ok(2, "get-resource-configuration")
    );
    assert_eq!(
        records(&calls, "GetResourceConfiguration"),
        ok(2, "get-resource-configuration")
    );

    // 3. The files: the get-… outputs wrapped, in the CLI's camelCase, with the fields the
    //    loader reads (written by hand from the canned answers: createdAt, lastUpdatedAt,
    //    ipv4AddressesPerEni, amazonManaged, allowAssociation… are not kept), configurations in
    //    listing order.
    let dir = snap.join(ACCOUNT).join("us-east-1");
    assert_eq!(
        read_json(&dir.join("get-resource-gateway.json")),
        json!({"ResourceGateways": [{
            "id": RGW, "arn": RGW_ARN, "name": "shared-data", "status": "ACTIVE",
            "vpcId": "vpc-000000000000000b1", "subnetIds": ["subnet-000000000000000b1"],
            "securityGroupIds": ["sg-000000000000000a2"], "ipAddressType": "IPV4"
        }]})
    );
    assert_eq!(
        read_json(&dir.join("get-resource-configuration.json")),
        json!({"ResourceConfigurations": [
            {
                "id": DB, "arn": arn(DB), "name": "database", "status": "ACTIVE",
                "type": "SINGLE", "protocol": "TCP", "portRanges": ["5432-5433"],
                "resourceGatewayId": RGW,
                "resourceConfigurationDefinition": {"ipResource": {"ipAddress": "10.0.3.20"}}
            },
            {
                "id": CACHE, "arn": arn(CACHE), "name": "cache", "status": "ACTIVE",
                "type": "SINGLE", "protocol": "TCP", "portRanges": ["6379"],
                "resourceGatewayId": RGW,
                "resourceConfigurationDefinition": {"dnsResource": {
                    "domainName": CACHE_NAME, "ipAddressType": "IPV4"
                }}
            }
        ]})
    );
    assert!(!dir.join("list-resource-gateways.json").exists());
    assert!(!dir.join("list-resource-configurations.json").exists());

    // 4. The model: the gateway and both configurations, tied together. (The gateway's VPC,
    //    subnet and group are the fixture's, not moto's: they resolve in step 5.)
    let t = model::build(snapshot::load(&snap).expect("the collected snapshot loads"));
    assert_eq!(t.resource_gateways.len(), 1);
    assert_eq!(t.resource_gateways[0].id, RGW);
    assert_eq!(t.resource_configurations.len(), 2);
    let db = &t.resource_configurations[0];
    assert_eq!(db.id, DB);
    assert_eq!(db.port_ranges, vec![(5432, 5433)]);
    assert_eq!(db.resource, Resource::Ip("10.0.3.20".parse().expect("ip")));
    let cache = &t.resource_configurations[1];
    assert_eq!(cache.port_ranges, vec![(6379, 6379)]);
    assert_eq!(cache.resource, Resource::Dns(CACHE_NAME.to_string()));
    for c in &t.resource_configurations {
        assert!(c.active);
        assert_eq!(c.gateway.idx.map(|g| g.i()), Some(0), "{}", c.id);
    }

    // 5. reach on fixtures/loader/privatelink with its two Lattice files replaced by the
    //    collected ones (the third configuration, reports-db, is not among the canned ones and
    //    no question below uses it). Derivations: tests/privatelink.rs's fixture comment.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/loader/privatelink");
    let spliced = work.join("spliced");
    copy_dir(&fixture, &spliced);
    let scope = spliced.join("111111111111/us-east-1");
    for f in [
        "get-resource-gateway.json",
        "get-resource-configuration.json",
    ] {
        std::fs::copy(dir.join(f), scope.join(f)).expect("splice");
    }
    let client_b = "i-0000000000000c002";
    // client-b → resource endpoint …e003 (database, ipResource 10.0.3.20) on 5432, and →
    // …e004 (cache, dnsResource = shared-001's node endpoint) on 6379: reachable on both
    // snapshots (endpoint-b admits 5432 and 6379; the gateway's group sends 5432 and 6379 to
    // 10.0.3.0/24; the database's group admits 5432, the cache node's 6379, from the gateway's
    // group), through the gateway, with the same answer.
    for (endpoint, port) in [
        ("vpce-0000000000000e003", "5432"),
        ("vpce-0000000000000e004", "6379"),
    ] {
        let exported = reach(&fixture, client_b, endpoint, port);
        let collected = reach(&spliced, client_b, endpoint, port);
        assert_eq!(exported["verdict"], "reachable", "{exported:#}");
        assert_eq!(
            collected["verdict"], exported["verdict"],
            "{endpoint}:{port}: {collected:#}"
        );
        assert_eq!(collected["paths"], exported["paths"], "{endpoint}:{port}");
        assert_eq!(
            collected["blocked"], exported["blocked"],
            "{endpoint}:{port}"
        );
    }
    // 5433: endpoint-b, the gateway's group and the database's group all allow it. The
    // exported database configuration carries 5432 only (RESOURCE_PORT_RANGE_RESTRICTION);
    // the collected one carries 5432-5433: reachable.
    let exported = reach(&fixture, client_b, "vpce-0000000000000e003", "5433");
    assert_eq!(exported["verdict"], "unreachable");
    assert_eq!(codes(&exported), vec!["RESOURCE_PORT_RANGE_RESTRICTION"]);
    let collected = reach(&spliced, client_b, "vpce-0000000000000e003", "5433");
    assert_eq!(collected["verdict"], "reachable", "{collected:#}");
    // 5434: outside both the range and every group's rules: the range is named.
    let collected = reach(&spliced, client_b, "vpce-0000000000000e003", "5434");
    assert_eq!(collected["verdict"], "unreachable");
    assert!(
        codes(&collected).contains(&"RESOURCE_PORT_RANGE_RESTRICTION".to_string()),
        "{collected:#}"
    );
}

#[test]
fn failed_lattice_calls_are_recorded_and_named() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let moto = Moto::start(work);

    // 1. ListResourceGateways refused (403 AccessDeniedException); ListResourceConfigurations
    //    not answered by the proxy: moto's HTTP 404. Both failed, their get-… calls skipped,
    //    no file; not retried (neither error is transient).
    let proxy = FaultProxy::start_with(
        &moto.endpoint,
        vec![Rule {
            action: "ListResourceGateways",
            fault: Fault::AccessDenied,
            times: None,
        }],
        Vec::new(),
        Vec::new(),
    );
    let (out, snap, calls) = collect(work, &proxy, "denied");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(proxy.served("ListResourceGateways", Fault::AccessDenied), 1);
    assert_eq!(proxy.requests("ListResourceGateways"), 1);
    assert_eq!(proxy.requests("ListResourceConfigurations"), 1);
    assert_eq!(
        not_ok(&calls),
        BTreeSet::from(
            [
                "DescribeServerlessCaches",
                "ListResourceGateways",
                "GetResourceGateway",
                "ListResourceConfigurations",
                "GetResourceConfiguration",
            ]
            .map(String::from)
        )
    );
    let listing = &records(&calls, "ListResourceGateways")[0];
    assert_eq!(listing.0, "failed");
    assert!(
        listing.3.starts_with("AccessDeniedException: "),
        "{listing:?}"
    );
    let listing = &records(&calls, "ListResourceConfigurations")[0];
    assert_eq!(listing.0, "failed");
    assert!(listing.3.starts_with("HTTP 404"), "{listing:?}");
    for (op, list) in [
        ("GetResourceGateway", "ListResourceGateways"),
        ("GetResourceConfiguration", "ListResourceConfigurations"),
    ] {
        let r = &records(&calls, op)[0];
        assert_eq!(
            (r.0.as_str(), r.3.as_str()),
            ("skipped", &*format!("{list} failed"))
        );
    }
    let dir = snap.join(ACCOUNT).join("us-east-1");
    assert!(!dir.join("get-resource-gateway.json").exists());
    assert!(!dir.join("get-resource-configuration.json").exists());
    // A later answer names what is missing.
    let v = reach(&snap, "internet", "10.0.0.5", "443");
    let warnings = v["warnings"].to_string();
    for part in [
        "SNAPSHOT_INCOMPLETE",
        "ListResourceGateways",
        "ResourceGateways",
        "ListResourceConfigurations",
        "ResourceConfigurations",
    ] {
        assert!(warnings.contains(part), "{part}: {warnings}");
    }

    // 2. One get-… refused: the other configuration is written, the refused one is a failed
    //    record of the call (its id first), and answers say so.
    let proxy = FaultProxy::start_with(
        &moto.endpoint,
        vec![Rule {
            action: "GetResourceConfiguration",
            fault: Fault::AccessDenied,
            times: None,
        }],
        vec![("GetResourceConfiguration".to_string(), CACHE.to_string())],
        canned(),
    );
    let (out, snap, calls) = collect(work, &proxy, "one-denied");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        proxy.served("GetResourceConfiguration", Fault::AccessDenied),
        1
    );
    let file = format!("{ACCOUNT}/us-east-1/get-resource-configuration.json");
    let recs = records(&calls, "GetResourceConfiguration");
    assert_eq!(recs.len(), 2, "{recs:?}");
    assert_eq!(
        (recs[0].0.as_str(), recs[0].1, recs[0].2.as_str()),
        ("ok", 1, file.as_str())
    );
    assert_eq!(recs[1].0, "failed");
    assert!(
        recs[1]
            .3
            .starts_with(&format!("{CACHE}: AccessDeniedException: ")),
        "{recs:?}"
    );
    let written = read_json(&snap.join(&file));
    let ids: Vec<&str> = written["ResourceConfigurations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, vec![DB]);
    let v = reach(&snap, "internet", "10.0.0.5", "443");
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("GetResourceConfiguration") && warnings.contains(CACHE),
        "{warnings}"
    );
}
