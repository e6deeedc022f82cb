//! `vpcreach collect` of the PrivateLink provider side against a local moto server (5.2.x): the
//! Elastic Load Balancing v2 calls and `DescribeVpcEndpointServiceConfigurations`.
//!
//! `tests/moto/build_privatelink.py` builds an internal NLB (two subnets) with a TCP 443
//! listener forwarding to a target group (instance targets, port 8443) holding two registered
//! instances, one of them stopped, with `preserve_client_ip.enabled = false`, and an endpoint
//! service configuration publishing the NLB. `collect` writes the files exactly as
//! `scripts/export-snapshot.sh` does (`Listeners` merged over load balancers, the
//! `LoadBalancerTargetHealth` and `TargetGroupAttributes` wrappers), the snapshot loads with no
//! error, and the model links endpoint service → NLB → listener → target group → instances.
//! Like tests/collect_moto.rs, the test FAILS (never skips) when moto is missing.
//!
//! Moto gaps met here (moto 5.2.x, measured), each asserted where it shows:
//! - A Network Load Balancer's ARN reads `loadbalancer/app/…` (AWS: `loadbalancer/net/…`).
//! - An NLB has no `LoadBalancerAddresses` and no network interfaces (`ELB net/…`) in
//!   `DescribeNetworkInterfaces`: the model has the NLB's subnets but neither its addresses nor
//!   its ENIs, so the paths through it cannot be evaluated from a moto snapshot.
//! - Target health is `healthy` for every running instance and every IP target (no health
//!   checks); a stopped instance is `unused` / `Target.InvalidState`. `unhealthy`, `initial` and
//!   `draining` cannot be produced.
//! - No VPC Lattice resource gateways or resource configurations (HTTP 404 on their paths): the
//!   proxy of tests/support/fault_proxy.rs answers those two listings with an empty page and
//!   forwards everything else; tests/collect_lattice.rs covers the Lattice calls.
//! - DescribeServerlessCaches is not implemented (as in tests/collect_moto.rs): collect exits 1.

use serde_json::Value;
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::Path;
use std::process::{Command, Output};
use vpcreach::diag::Severity;
use vpcreach::model;
use vpcreach::snapshot;

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
#[path = "support/moto.rs"]
mod moto;

use fault_proxy::{Canned, FaultProxy};
use moto::{sandbox, venv_tool, Moto};

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");
const ACCOUNT: &str = "123456789012"; // moto's default account

fn python(work: &Path, script: &str, args: &[&str]) -> String {
    let py = venv_tool("VPCREACH_PYTHON", "python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/moto")
        .join(script);
    let mut cmd = Command::new(py);
    let out = sandbox(&mut cmd, work)
        .arg(&script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{} failed: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
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

#[test]
fn collect_privatelink_provider_side_against_moto() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let moto = Moto::start(work);
    let snap = work.join("snap");

    let ids: Value = serde_json::from_str(&python(
        work,
        "build_privatelink.py",
        &[&moto.endpoint, "us-east-1"],
    ))
    .expect("ids JSON");
    let id = |k: &str| ids[k].as_str().expect("id").to_string();
    python(work, "recorder.py", &[&moto.endpoint, "start"]);
    let proxy = FaultProxy::start_with(
        &moto.endpoint,
        Vec::new(),
        Vec::new(),
        Canned::lattice_empty(),
    );
    let mut cmd = Command::new(BIN);
    let out = sandbox(&mut cmd, work)
        .args(["collect", "--out"])
        .arg(&snap)
        .args(["--endpoint-url", &proxy.url, "--regions", "us-east-1"])
        .args(["--quiet"])
        .output()
        .expect("run vpcreach");
    let actions: Value =
        serde_json::from_str(&python(work, "recorder.py", &[&moto.endpoint, "actions"]))
            .expect("recording JSON");
    // Moto gap: DescribeServerlessCaches fails, so the run exits 1.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // 1. Read-only, proven server-side, and every new call was made: once per load balancer
    //    (listeners) and once per target group (health, attributes).
    let mut seen: Vec<String> = Vec::new();
    for r in actions.as_array().expect("requests") {
        let action = r["action"]
            .as_str()
            .unwrap_or_else(|| panic!("unidentified request {r}"));
        assert!(
            ["Describe", "Get", "Search", "List"]
                .iter()
                .any(|p| action.starts_with(p)),
            "collect sent a non-read operation: {action}"
        );
        seen.push(action.to_string());
    }
    for op in [
        "DescribeVpcEndpointServiceConfigurations",
        "DescribeLoadBalancers",
        "DescribeListeners",
        "DescribeTargetGroups",
        "DescribeTargetHealth",
        "DescribeTargetGroupAttributes",
    ] {
        assert_eq!(
            seen.iter().filter(|s| *s == op).count(),
            1,
            "{op} once (one load balancer, one target group); seen {seen:?}"
        );
    }

    // 2. The manifest: the new calls are `ok`, with their item counts and files.
    let manifest = read_json(&snap.join("manifest.json"));
    let calls = manifest["VpcreachManifest"]["calls"]
        .as_array()
        .expect("calls")
        .clone();
    let failed: BTreeSet<&str> = calls
        .iter()
        .filter(|c| c["status"] != "ok")
        .filter_map(|c| c["operation"].as_str())
        .collect();
    assert_eq!(failed, BTreeSet::from(["DescribeServerlessCaches"]));
    let call = |op: &str| -> Value {
        calls
            .iter()
            .find(|c| c["operation"] == op)
            .cloned()
            .unwrap_or_else(|| panic!("{op} not in the manifest"))
    };
    // (operation, file, key, items): one NLB, one listener, one target group, two targets, one
    // service; the attributes count is moto's set of defaults, checked below by content.
    for (op, file, key, items) in [
        (
            "DescribeLoadBalancers",
            "describe-load-balancers",
            "LoadBalancers",
            Some(1),
        ),
        (
            "DescribeListeners",
            "describe-listeners",
            "Listeners",
            Some(1),
        ),
        (
            "DescribeTargetGroups",
            "describe-target-groups",
            "TargetGroups",
            Some(1),
        ),
        (
            "DescribeTargetHealth",
            "describe-target-health",
            "LoadBalancerTargetHealth",
            Some(2),
        ),
        (
            "DescribeTargetGroupAttributes",
            "describe-target-group-attributes",
            "TargetGroupAttributes",
            None,
        ),
        (
            "DescribeVpcEndpointServiceConfigurations",
            "describe-vpc-endpoint-service-configurations",
            "ServiceConfigurations",
            Some(1),
        ),
    ] {
        let c = call(op);
        assert_eq!(
            c["file"],
            format!("{ACCOUNT}/us-east-1/{file}.json").as_str()
        );
        assert_eq!(c["key"], key);
        if let Some(n) = items {
            assert_eq!(c["items"], n, "{c}");
        }
    }

    // 3. The files, in the shapes scripts/export-snapshot.sh writes.
    let dir = snap.join(ACCOUNT).join("us-east-1");
    let file = |name: &str| read_json(&dir.join(format!("{name}.json")));
    let lbs = file("describe-load-balancers");
    let lb = &lbs["LoadBalancers"][0];
    assert_eq!(lb["LoadBalancerArn"], id("load_balancer").as_str());
    assert_eq!(lb["Type"], "network");
    assert_eq!(lb["Scheme"], "internal");
    assert_eq!(lb["VpcId"], id("vpc").as_str());
    assert_eq!(lb["State"]["Code"], "active");
    let subnets: Vec<&str> = lb["AvailabilityZones"]
        .as_array()
        .expect("zones")
        .iter()
        .filter_map(|z| z["SubnetId"].as_str())
        .collect();
    assert_eq!(
        subnets.iter().copied().collect::<BTreeSet<_>>(),
        ids["subnets"]
            .as_array()
            .expect("subnets")
            .iter()
            .filter_map(Value::as_str)
            .collect::<BTreeSet<_>>()
    );
    // Moto gaps: an `app/` ARN for a network load balancer, and no addresses.
    assert!(id("load_balancer").contains(":loadbalancer/app/svc-nlb/"));
    assert!(lb["AvailabilityZones"]
        .as_array()
        .expect("zones")
        .iter()
        .all(|z| z["LoadBalancerAddresses"] == serde_json::json!([])));

    let listeners = file("describe-listeners");
    let l = &listeners["Listeners"][0];
    assert_eq!(listeners["Listeners"].as_array().map(Vec::len), Some(1));
    assert_eq!(l["ListenerArn"], id("listener").as_str());
    assert_eq!(l["LoadBalancerArn"], id("load_balancer").as_str());
    assert_eq!((&l["Port"], &l["Protocol"]), (&443.into(), &"TCP".into()));
    assert_eq!(l["DefaultActions"][0]["Type"], "forward");
    assert_eq!(
        l["DefaultActions"][0]["TargetGroupArn"],
        id("target_group").as_str()
    );

    let tgs = file("describe-target-groups");
    let tg = &tgs["TargetGroups"][0];
    assert_eq!(tg["TargetGroupArn"], id("target_group").as_str());
    assert_eq!(
        (&tg["Protocol"], &tg["Port"]),
        (&"TCP".into(), &8443.into())
    );
    assert_eq!(tg["TargetType"], "instance");
    assert_eq!(tg["LoadBalancerArns"][0], id("load_balancer").as_str());

    let health = file("describe-target-health");
    let h = &health["LoadBalancerTargetHealth"][0];
    assert_eq!(h["TargetGroupArn"], id("target_group").as_str());
    let by_id = |i: &str| -> Value {
        h["TargetHealthDescriptions"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["Target"]["Id"] == i).cloned())
            .unwrap_or_else(|| panic!("{i} not among the targets: {h}"))
    };
    let running = by_id(&id("instance"));
    assert_eq!(running["Target"]["Port"], 8443);
    assert_eq!(running["TargetHealth"]["State"], "healthy");
    let stopped = by_id(&id("stopped_instance"));
    assert_eq!(stopped["TargetHealth"]["State"], "unused");
    assert_eq!(stopped["TargetHealth"]["Reason"], "Target.InvalidState");

    let attrs = file("describe-target-group-attributes");
    let a = &attrs["TargetGroupAttributes"][0];
    assert_eq!(a["TargetGroupArn"], id("target_group").as_str());
    assert!(
        a["Attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .any(|kv| kv["Key"] == "preserve_client_ip.enabled" && kv["Value"] == "false"),
        "{a}"
    );

    let services = file("describe-vpc-endpoint-service-configurations");
    let s = &services["ServiceConfigurations"][0];
    assert_eq!(s["ServiceId"], id("service_id").as_str());
    assert_eq!(s["ServiceName"], id("service_name").as_str());
    assert_eq!(s["AcceptanceRequired"], true);
    assert_eq!(
        s["NetworkLoadBalancerArns"][0],
        id("load_balancer").as_str()
    );

    // 4. The loader and the model: no error, and every link the files name is resolved.
    let t = model::build(snapshot::load(&snap).expect("the collected snapshot loads"));
    let errors: Vec<String> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{:?}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(t.endpoint_services.len(), 1);
    let svc = &t.endpoint_services[0];
    assert_eq!(
        (svc.id.as_str(), svc.name.as_str()),
        (id("service_id").as_str(), id("service_name").as_str())
    );
    assert_eq!(svc.acceptance_required, Some(true));
    assert_eq!(svc.load_balancers.len(), 1);
    let lb = &t.load_balancers[svc.load_balancers[0].idx.expect("NLB resolved").i()];
    assert_eq!(lb.arn, id("load_balancer"));
    assert!(lb.is_network() && lb.active);
    assert_eq!(lb.vpc.id, id("vpc"));
    assert!(lb.vpc.idx.is_some());
    assert_eq!(lb.zones.len(), 2);
    assert!(lb.zones.iter().all(|z| z.subnet.idx.is_some()));
    // Moto gaps: no addresses, no ENIs.
    assert!(lb.zones.iter().all(|z| z.addresses.is_empty()));
    assert!(lb.network_interfaces.is_empty());
    assert_eq!(lb.listeners.len(), 1);
    let listener = &t.listeners[lb.listeners[0].i()];
    assert_eq!(
        (listener.port, listener.protocol.as_str()),
        (Some(443), "TCP")
    );
    assert_eq!(listener.target_groups.len(), 1);
    let tg = &t.target_groups[listener.target_groups[0].idx.expect("TG resolved").i()];
    assert_eq!((tg.name.as_str(), tg.port), ("svc-tg", Some(8443)));
    assert_eq!(tg.target_type, "instance");
    assert!(tg.health_known);
    assert_eq!(tg.preserve_client_ip, Some(false));
    assert_eq!(tg.targets.len(), 2);
    for target in &tg.targets {
        let inst = &t.instances[target.instance.expect("instance target resolved").i()];
        assert_eq!(inst.id, target.id);
        // An instance target's address is the instance's primary private IP.
        assert_eq!(target.address, inst.private_ip.map(IpAddr::V4));
        assert!(target.address.is_some());
        assert_eq!(target.port, Some(8443));
        if target.id == id("instance") {
            assert!(target.healthy());
        } else {
            assert_eq!(target.id, id("stopped_instance"));
            assert!(!target.healthy());
            assert_eq!(target.health.as_deref(), Some("unused"));
            assert_eq!(target.reason.as_deref(), Some("Target.InvalidState"));
        }
    }
}
