//! PrivateLink: loading load balancers, listeners, target groups, endpoint services, resource
//! gateways and resource configurations, and what the model ties together. Every expected value
//! is read off the fixture by hand (fixtures/loader/privatelink, fixtures/loader/privatelink-bad).

use std::net::IpAddr;
use std::path::PathBuf;
use vpcreach::diag::{DiagCode, Severity};
use vpcreach::model::{self, EndpointType, Resource, Topology};
use vpcreach::snapshot;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn load(rel: &str) -> Topology {
    model::build(snapshot::load(&fixture(rel)).expect("fixture loads"))
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn nlb_listener_target_group_and_targets_are_linked() {
    let t = load("loader/privatelink");
    assert_eq!(
        t.diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .count(),
        0
    );
    // One NLB (describe-load-balancers.json): network, internal, active, one zone in
    // subnet-…b1 with PrivateIPv4Address 10.0.2.100; its interface is the ENI described
    // "ELB net/web-nlb/50dc6c495c0c9188" (eni-…b1).
    assert_eq!(t.load_balancers.len(), 1);
    assert_eq!(t.resource_configurations.len(), 3);
    let lb = &t.load_balancers[0];
    assert!(lb.is_network() && lb.active);
    assert_eq!(lb.arn_suffix(), Some("net/web-nlb/50dc6c495c0c9188"));
    assert_eq!(lb.zones[0].addresses, vec![ip("10.0.2.100")]);
    assert_eq!(lb.zones[0].subnet.id, "subnet-000000000000000b1");
    let enis: Vec<&str> = lb
        .network_interfaces
        .iter()
        .map(|e| t.network_interfaces[e.i()].id.as_str())
        .collect();
    assert_eq!(enis, vec!["eni-000000000000000b1"]);
    // Its listeners: TCP 443, forwarding to target group "web" (named twice in the action:
    // TargetGroupArn and ForwardConfig; kept once), and TCP 8080 with no action.
    assert_eq!(lb.listeners.len(), 2);
    assert!(t.listeners[lb.listeners[1].i()].target_groups.is_empty());
    let l = &t.listeners[lb.listeners[0].i()];
    assert_eq!((l.port, l.protocol.as_str()), (Some(443), "TCP"));
    assert_eq!(l.target_groups.len(), 1);
    let tg = &t.target_groups[l.target_groups[0].idx.expect("resolved").i()];
    assert_eq!((tg.name.as_str(), tg.port), ("web", Some(8443)));
    assert!(tg.health_known);
    assert_eq!(tg.preserve_client_ip, Some(true));
    // Targets: web-1 healthy at 10.0.2.11 (eni-…b2), web-2 unhealthy at 10.0.2.12 (eni-…b3),
    // both on port 8443 (instance targets: the instance's primary private address).
    type Row = (String, Option<u16>, bool, Option<IpAddr>, Option<String>);
    let got: Vec<Row> = tg
        .targets
        .iter()
        .map(|x| {
            (
                x.id.clone(),
                x.port,
                x.healthy(),
                x.address,
                x.network_interface
                    .map(|e| t.network_interfaces[e.i()].id.clone()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "i-000000000000000b1".into(),
                Some(8443),
                true,
                Some(ip("10.0.2.11")),
                Some("eni-000000000000000b2".into())
            ),
            (
                "i-000000000000000b2".into(),
                Some(8443),
                false,
                Some(ip("10.0.2.12")),
                Some("eni-000000000000000b3".into())
            ),
        ]
    );
}

#[test]
fn consumer_endpoints_reach_their_service_and_resource_configurations() {
    let t = load("loader/privatelink");
    // Both interface endpoints (consumer-a and consumer-b, overlapping 10.0.0.0/16) name the
    // endpoint service vpce-svc-0123456789abcdef0, whose NLB is web-nlb.
    let svc = &t.endpoint_services[0];
    assert_eq!(svc.id, "vpce-svc-0123456789abcdef0");
    assert!(svc.active);
    assert_eq!(svc.load_balancers[0].idx.map(|i| i.i()), Some(0));
    let by_id = |id: &str| t.vpc_endpoints.iter().find(|e| e.id == id).unwrap();
    for id in ["vpce-0000000000000e001", "vpce-0000000000000e002"] {
        let ep = by_id(id);
        assert_eq!(ep.endpoint_type, EndpointType::Interface);
        assert_eq!(ep.endpoint_service.map(|s| s.i()), Some(0), "{id}");
    }
    // The two resource endpoints: …e003 → rcfg-…db01 (ipResource 10.0.3.20, port 5432),
    // …e004 → rcfg-…ca01 (dnsResource of the cache node shared-001, port 6379).
    let db = by_id("vpce-0000000000000e003");
    assert_eq!(db.endpoint_type, EndpointType::Resource);
    let c =
        &t.resource_configurations[db.resource_configuration.as_ref().unwrap().idx.unwrap().i()];
    assert_eq!(c.id, "rcfg-0000000000000db01");
    assert_eq!(c.resource, Resource::Ip(ip("10.0.3.20")));
    assert_eq!(c.port_ranges, vec![(5432, 5432)]);
    let cache = by_id("vpce-0000000000000e004");
    let c = &t.resource_configurations[cache
        .resource_configuration
        .as_ref()
        .unwrap()
        .idx
        .unwrap()
        .i()];
    assert_eq!(
        c.resource,
        Resource::Dns("shared-001.abc123.0001.use1.cache.amazonaws.com".into())
    );
    // The resource gateway: subnet-…b1, group sg-…a2, and the ENI whose description names
    // rgw-0123456789abcdef0 (eni-…b4, 10.0.2.200).
    let g = &t.resource_gateways[c.gateway.idx.unwrap().i()];
    assert!(g.active);
    assert_eq!(g.security_groups[0].id, "sg-000000000000000a2");
    let enis: Vec<&str> = g
        .network_interfaces
        .iter()
        .map(|e| t.network_interfaces[e.i()].id.as_str())
        .collect();
    assert_eq!(enis, vec!["eni-000000000000000b4"]);
}

#[test]
fn bad_privatelink_input_names_file_and_pointer() {
    let snap = snapshot::load(&fixture("loader/privatelink-bad")).unwrap();
    let t = model::build(snap);
    let msgs: Vec<String> = t.diagnostics.iter().map(|d| d.to_string()).collect();
    let has = |code: DiagCode, needle: &str| {
        t.diagnostics
            .iter()
            .any(|d| d.code == code && d.to_string().contains(needle))
    };
    // Listener port 70000: that LoadBalancerListeners element is skipped, with its pointer.
    assert!(
        has(
            DiagCode::InvalidValue,
            "listeners.json#/LoadBalancerListeners/1/Listeners/0/Port"
        ),
        "{msgs:#?}"
    );
    // Port range "2048-1024" (low above high) and an address that is not one.
    assert!(has(
        DiagCode::InvalidValue,
        "resource-configurations.json#/ResourceConfigurations/1/portRanges/1"
    ));
    assert!(has(
        DiagCode::InvalidValue,
        "#/ResourceConfigurations/2/resourceConfigurationDefinition/ipResource/ipAddress"
    ));
    // Bare describe-target-health and list-resource-gateways outputs: told how to wrap them.
    assert!(has(DiagCode::ParentlessOutput, "LoadBalancerTargetHealth"));
    assert!(has(DiagCode::ParentlessOutput, "get-resource-gateway"));
    // The good configuration loads, with its range, and a dangling gateway warning.
    assert_eq!(t.resource_configurations.len(), 1);
    assert_eq!(t.resource_configurations[0].port_ranges, vec![(1024, 2048)]);
    assert!(has(DiagCode::DanglingReference, "rgw-00000000000000001"));
    // The good listener loads; its load balancer and target group are not in the snapshot.
    assert_eq!(t.listeners.len(), 1);
    assert!(t.listeners[0].load_balancer.idx.is_none());
    assert!(has(
        DiagCode::DanglingReference,
        "loadbalancer/net/lb/0000000000000001"
    ));
    assert!(has(
        DiagCode::DanglingReference,
        "targetgroup/tg/0000000000000001"
    ));
}

// ---------------------------------------------------------------------------------------------
// Reachability through PrivateLink (docs/semantics.md L1–L6), on fixtures/loader/privatelink:
//
//   consumer-a vpc-…c001 10.0.0.0/16   client-a 10.0.1.10 (egress all)
//     vpce-…e001 (Interface, ENI 10.0.1.50, sg endpoint-a: tcp 0-65535 from 10.0.0.0/16)
//   consumer-b vpc-…c002 10.0.0.0/16   client-b 10.0.1.10 (same addresses as consumer-a)
//     vpce-…e002 (Interface, ENI 10.0.1.50), vpce-…e003/…e004/…e005 (Resource, ENIs
//     10.0.1.60/61/62); sg endpoint-b: tcp 443, 5432, 5433, 6379, 3306 from 10.0.0.0/16
//   provider vpc-…b1 10.0.0.0/16 (overlaps both)
//     NLB web-nlb, ENI 10.0.2.100; listeners TCP 443 → target group web (TCP 8443: web-1
//     10.0.2.11 healthy, web-2 10.0.2.12 unhealthy) and TCP 8080 → nothing
//     web targets' sg: tcp 8443 from 10.0.2.100/32 only
//     resource gateway rgw-… ENI 10.0.2.200, sg egress tcp 5432, 5433, 6379 to 10.0.3.0/24
//     database 10.0.3.20 (sg: 5432, 5433 from the gateway's group), cache node shared-001
//     10.0.3.30 (sg: 6379 from the gateway's group)
//   resource configurations: database = ipResource 10.0.3.20 ports 5432; cache = dnsResource
//     shared-001.abc123.0001.use1.cache.amazonaws.com ports 6379; reports-db = dnsResource
//     reports.db.example.internal ports 3306
// Every NACL allows everything; every route table has only its local route.
// ---------------------------------------------------------------------------------------------

use serde_json::Value;
use std::process::Command;

fn reach_in(dir: &std::path::Path, from: &str, to: &str, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot"])
        .arg(dir)
        .args(["--from", from, "--to", to, "--format", "json"])
        .args(args)
        .output()
        .expect("run vpcreach");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn reach(from: &str, to: &str, args: &[&str]) -> Value {
    reach_in(&fixture("loader/privatelink"), from, to, args)
}

fn codes(v: &Value) -> Vec<String> {
    v["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["code"].as_str().map(String::from))
        .collect()
}

fn forward_components(v: &Value) -> Vec<String> {
    v["paths"][0]["forward"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["component"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn endpoint_service_reaches_the_healthy_target_on_the_target_port() {
    // client-a → 10.0.1.50:443 (its own VPC: local route, endpoint-a admits tcp from
    // 10.0.0.0/16) → endpoint service → web-nlb listener TCP 443 → target group web on port
    // 8443. web-1 is healthy: it receives 10.0.2.100 → 10.0.2.11:8443, which its group admits
    // (tcp 8443 from 10.0.2.100/32). web-2 is unhealthy: no traffic, a note. The reply goes
    // back 10.0.2.11 → 10.0.2.100 (local), to the endpoint, then 10.0.1.50 → 10.0.1.10.
    let v = reach(
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    let hops = forward_components(&v);
    assert!(hops.contains(&"web-nlb".to_string()), "{hops:?}");
    assert_eq!(
        hops.last().map(String::as_str),
        Some("eni-000000000000000b2")
    );
    let target_sg = &v["paths"][0]["forward"][6];
    assert_eq!(
        target_sg["rule"],
        "sg-000000000000000a1 ingress tcp 8443 from 10.0.2.100/32"
    );
    assert_eq!(
        v["paths"].as_array().map(Vec::len),
        Some(1),
        "web-2 gets nothing"
    );
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("LB_TARGET_UNHEALTHY") && warnings.contains("i-000000000000000b2"),
        "{warnings}"
    );
    let back: Vec<&str> = v["paths"][0]["return"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["component"].as_str().unwrap())
        .collect();
    assert_eq!(
        back,
        vec![
            "eni-000000000000000b2",
            "eni-0000000000000e001",
            "eni-0000000000000c001"
        ]
    );
}

#[test]
fn overlapping_consumer_reaches_the_same_service() {
    // client-b has the same address as client-a in another VPC with the same CIDR (and the
    // provider's CIDR is the same again): no route between the VPCs is needed, the endpoint
    // is in client-b's own VPC. Same answer as for client-a.
    let v = reach(
        "i-0000000000000c002",
        "vpce-0000000000000e002",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(
        forward_components(&v).last().map(String::as_str),
        Some("eni-000000000000000b2")
    );
}

#[test]
fn listener_protocol_and_port_decide_what_passes() {
    // Port 80: endpoint-a admits it, but web-nlb listens on TCP 443 and 8080 only.
    let v = reach(
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "80"],
    );
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(codes(&v), vec!["LB_NO_LISTENER"]);
    // Port 8080: a listener, but it forwards to no target group.
    let v = reach(
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "8080"],
    );
    assert_eq!(codes(&v), vec!["ELBV2_LISTENER_HAS_NO_TG"]);
    // UDP 443: endpoint-a admits tcp only, and the listener is TCP: both stop it.
    let v = reach(
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--protocol", "udp", "--port", "443"],
    );
    let c = codes(&v);
    assert!(c.contains(&"LB_NO_LISTENER".to_string()), "{c:?}");
}

#[test]
fn target_security_group_sees_the_load_balancer_address() {
    // The same snapshot with web's group admitting the client's address (10.0.1.10/32)
    // instead of the load balancer's (10.0.2.100/32): the target sees 10.0.2.100 as source
    // over PrivateLink, so the path stops at the target's group.
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("loader/privatelink/111111111111/us-east-1");
    let dst = tmp.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap().flatten() {
        let text = std::fs::read_to_string(f.path()).unwrap();
        let text = text.replace("10.0.2.100/32", "10.0.1.10/32");
        std::fs::write(dst.join(f.file_name()), text).unwrap();
    }
    let v = reach_in(
        tmp.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(codes(&v), vec!["ENI_SG_RULES_MISMATCH"]);
    assert_eq!(v["blocked"][0]["component"], "sg-000000000000000a1");
}

#[test]
fn resource_endpoint_to_an_ip_resource_within_its_ports() {
    // client-b → 10.0.1.60:5432 (endpoint-b admits 5432) → rcfg database (TCP 5432) →
    // resource gateway: source 10.0.2.200, its group's egress allows 5432 to 10.0.3.0/24 →
    // local route → database's group admits 5432 from the gateway's group (10.0.2.200 is a
    // member) → delivered; the reply returns to the gateway and the endpoint.
    let v = reach(
        "i-0000000000000c002",
        "vpce-0000000000000e003",
        &["--port", "5432"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    let hops = forward_components(&v);
    assert!(hops.contains(&"rgw-0123456789abcdef0".to_string()));
    assert!(
        hops.contains(&"sg-000000000000000a2".to_string()),
        "gateway egress: {hops:?}"
    );
    assert_eq!(
        hops.last().map(String::as_str),
        Some("eni-000000000000000b5")
    );
    // 5433: endpoint-b, the gateway's egress and the database's group would all allow it,
    // but the configuration carries 5432 only.
    let v = reach(
        "i-0000000000000c002",
        "vpce-0000000000000e003",
        &["--port", "5433"],
    );
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(codes(&v), vec!["RESOURCE_PORT_RANGE_RESTRICTION"]);
}

#[test]
fn resource_endpoint_to_a_dns_resource_matched_to_a_cache_node() {
    // The cache configuration's name is shared-001's node endpoint; the node's ENI
    // (ElastiCache shared-001) holds 10.0.3.30, whose group admits 6379 from the gateway.
    let v = reach(
        "i-0000000000000c002",
        "vpce-0000000000000e004",
        &["--port", "6379"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    assert_eq!(
        forward_components(&v).last().map(String::as_str),
        Some("eni-000000000000000b6")
    );
    // reports.db.example.internal is no name the snapshot knows: the path stops there.
    let v = reach(
        "i-0000000000000c002",
        "vpce-0000000000000e005",
        &["--port", "3306"],
    );
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(codes(&v), vec!["RESOURCE_DNS_UNRESOLVED"]);
}

#[test]
fn no_healthy_target_fails_open_to_all_of_them() {
    // The same snapshot with web-1 unhealthy too: no target is healthy, so the NLB fails open
    // (L3) and sends to both, each path completing (both targets' group admits 10.0.2.100 on
    // 8443), with a warning for each target.
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("loader/privatelink/111111111111/us-east-1");
    let dst = tmp.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap().flatten() {
        let mut text = std::fs::read_to_string(f.path()).unwrap();
        if f.file_name() == "describe-target-health.json" {
            text = text.replace("\"healthy\"", "\"unhealthy\"");
        }
        std::fs::write(dst.join(f.file_name()), text).unwrap();
    }
    let v = reach_in(
        tmp.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    let mut ends: Vec<String> = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            p["forward"].as_array()?.last()?["component"]
                .as_str()
                .map(String::from)
        })
        .collect();
    ends.sort();
    assert_eq!(ends, vec!["eni-000000000000000b2", "eni-000000000000000b3"]);
    let w = v["warnings"].to_string();
    assert_eq!(w.matches("fails open").count(), 2, "{w}");
}

/// A copy of `fixtures/loader/privatelink-nlb-sg` with each `(from, to)` text replacement.
fn nlb_sg_variant(replace: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("loader/privatelink-nlb-sg/111111111111/us-east-1");
    let dst = tmp.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).unwrap();
    for f in std::fs::read_dir(&src).unwrap().flatten() {
        let mut text = std::fs::read_to_string(f.path()).unwrap();
        for (a, b) in replace {
            text = text.replace(a, b);
        }
        std::fs::write(dst.join(f.file_name()), text).unwrap();
    }
    tmp
}

#[test]
fn load_balancer_security_groups_filter_privatelink_traffic() {
    // fixtures/loader/privatelink-nlb-sg: the privatelink fixture with web-nlb in group
    // web-nlb (sg-…a5: ingress tcp 443 from 10.0.1.10/32, egress tcp 8443 to 10.0.2.0/24),
    // enforcement of its inbound rules on PrivateLink traffic on, and web (sg-…a1) admitting
    // tcp 8443 from group web-nlb instead of from 10.0.2.100/32.
    //
    // L3a by hand: client-a 10.0.1.10 → endpoint-a 10.0.1.50:443. At web-nlb the inbound
    // rules see the client's private address (AWS: "the source of the traffic is the private
    // IP address of the client, not the endpoint interface"): 10.0.1.10/32 on 443 is
    // admitted. Listener TCP 443 → web-1 10.0.2.11:8443 from 10.0.2.100: web-nlb's egress
    // admits tcp 8443 to 10.0.2.0/24, and web admits it from a member of web-nlb (the load
    // balancer's interface, same VPC). Reachable.
    let base = fixture("loader/privatelink-nlb-sg");
    let v = reach_in(
        &base,
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
    let rules: Vec<String> = v["paths"][0]["forward"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["rule"].as_str().map(String::from))
        .collect();
    for want in [
        "sg-000000000000000a5 ingress tcp 443 from 10.0.1.10/32",
        "sg-000000000000000a5 egress tcp 8443 to 10.0.2.0/24",
        "sg-000000000000000a1 ingress tcp 8443 from sg-000000000000000a5",
    ] {
        assert!(
            rules.iter().any(|r| r.contains(want)),
            "{want} in {rules:?}"
        );
    }

    // The rule names the endpoint's address instead of the client's: the inbound rules never
    // see 10.0.1.50 as the source, so web-nlb's group stops it; the fix names the client.
    let t = nlb_sg_variant(&[(
        "\"CidrIp\": \"10.0.1.10/32\"",
        "\"CidrIp\": \"10.0.1.50/32\"",
    )]);
    let v = reach_in(
        t.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(codes(&v), vec!["ENI_SG_RULES_MISMATCH"]);
    assert_eq!(v["blocked"][0]["component"], "sg-000000000000000a5");
    assert_eq!(v["blocked"][0]["direction"], "ingress");
    assert_eq!(
        v["blocked"][0]["fix"],
        "add to sg-000000000000000a5 ingress tcp 443 from 10.0.1.10/32"
    );

    // Same rule, enforcement off: PrivateLink traffic is not filtered by the inbound rules.
    let t = nlb_sg_variant(&[
        (
            "\"CidrIp\": \"10.0.1.10/32\"",
            "\"CidrIp\": \"10.0.1.50/32\"",
        ),
        (
            "\"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic\": \"on\"",
            "\"EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic\": \"off\"",
        ),
    ]);
    let v = reach_in(
        t.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");

    // Egress only to 10.0.9.0/24: what the load balancer sends to 10.0.2.11 is stopped at its
    // own group, outbound.
    let t = nlb_sg_variant(&[("\"CidrIp\": \"10.0.2.0/24\"", "\"CidrIp\": \"10.0.9.0/24\"")]);
    let v = reach_in(
        t.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(v["blocked"][0]["component"], "sg-000000000000000a5");
    assert_eq!(v["blocked"][0]["direction"], "egress");
}

#[test]
fn load_balancer_group_references_do_not_match_the_client_over_privatelink() {
    // web-nlb's inbound rule names client-a's group (sg-…c001) instead of its address. Group
    // references never match across PrivateLink (S6): stopped at web-nlb's group, with
    // SG_REFERENCES_NOT_PRESERVED saying why.
    let t = nlb_sg_variant(&[]);
    let f = t
        .path()
        .join("111111111111/us-east-1/describe-security-groups.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    for g in doc["SecurityGroups"].as_array_mut().unwrap() {
        if g["GroupId"] == "sg-000000000000000a5" {
            g["IpPermissions"] = serde_json::json!([{
                "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [],
                "UserIdGroupPairs": [{"GroupId": "sg-0000000000000c001", "UserId": "111111111111"}]
            }]);
        }
    }
    std::fs::write(&f, doc.to_string()).unwrap();
    let v = reach_in(
        t.path(),
        "i-0000000000000c001",
        "vpce-0000000000000e001",
        &["--port", "443"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(v["blocked"][0]["component"], "sg-000000000000000a5");
    assert_eq!(codes(&v), vec!["SG_REFERENCES_NOT_PRESERVED"]);
}
