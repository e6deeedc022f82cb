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
    // Its one listener: TCP 443, forwarding to target group "web" (named twice in the action:
    // TargetGroupArn and ForwardConfig; kept once).
    assert_eq!(lb.listeners.len(), 1);
    let l = &t.listeners[lb.listeners[0].i()];
    assert_eq!((l.port, l.protocol.as_str()), (Some(443), "TCP"));
    assert_eq!(l.target_groups.len(), 1);
    let tg = &t.target_groups[l.target_groups[0].idx.expect("resolved").i()];
    assert_eq!((tg.name.as_str(), tg.port), ("web", Some(8443)));
    assert!(tg.health_known);
    assert_eq!(tg.preserve_client_ip, Some(true));
    // Targets: web-1 healthy at 10.0.2.11 (eni-…b2), web-2 unhealthy at 10.0.2.12 (eni-…b3),
    // both on port 8443 (instance targets: the instance's primary private address).
    let got: Vec<(String, Option<u16>, bool, Option<IpAddr>, Option<String>)> = tg
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
