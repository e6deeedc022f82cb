//! SSM readiness on fixtures/rules/m3-ssm-readiness. Expected answers derived by hand from
//! fixtures/rules/generate.py (case 90) and semantics M3:
//!
//! * `ssm-nat` (i-…01): private subnet, 0/0 → NAT gateway → IGW, group egress all, default NACL:
//!   all three services reached through the NAT; profile attached → ready, route `nat`.
//! * `no-profile` (i-…02): same path, no instance profile → not ready (SSM_NO_INSTANCE_PROFILE),
//!   the services are still reached through the NAT.
//! * `no-https-out` (i-…03): its only group allows egress tcp 80 → 443 stopped at that group
//!   (ENI_SG_RULES_MISMATCH, sg-…02) for each service → not ready, no route.
//! * `ssm-public` (i-…04): public subnet, 0/0 → IGW, own public IP → ready, `internet-gateway`.
//! * `ssm-endpoints` (i-…0b): VPC 2 has interface endpoints vpce-…0b/0c/0d for ssm,
//!   ssmmessages, ec2messages with private DNS on and both DNS attributes on; their group
//!   (sg-…0b) admits 443 from 10.91.1.0/24, where the instance is → ready, `endpoints`.
//! * `outside-endpoint-group` (i-…0c): 10.91.3.10 is outside 10.91.1.0/24 → the endpoint
//!   group stops it (ENI_SG_RULES_MISMATCH, sg-…0b) for all three → not ready.
//! * `ec2messages-dns-off` (i-…15): ssm and ssmmessages resolve to their endpoints (reached);
//!   ec2messages' endpoint vpce-…17 has private DNS off → the name resolves publicly
//!   (SSM_ENDPOINT_BYPASSED) and the VPC has no route out (NO_ROUTE_TO_DESTINATION) →
//!   SSM_SERVICE_UNREACHABLE for ec2messages, not ready.

use super::*;
use std::path::Path;

fn id(prefix: &str, n: u64) -> String {
    format!("{prefix}-90{n:015x}")
}

fn readiness_of_fixture() -> Vec<SsmReadiness> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/m3-ssm-readiness");
    let t = crate::model::build(crate::snapshot::load(&dir).expect("fixture loads"));
    let engine = Engine::new(&t);
    all(&t, &engine)
}

fn find(all: &[SsmReadiness], n: u64) -> &SsmReadiness {
    let want = id("i", n);
    all.iter()
        .find(|r| r.instance == want)
        .unwrap_or_else(|| panic!("{want} not assessed: {all:#?}"))
}

fn codes(r: &SsmReadiness) -> Vec<Code> {
    r.missing.iter().map(|g| g.code).collect()
}

#[test]
fn every_running_instance_is_assessed() {
    let all = readiness_of_fixture();
    assert_eq!(all.len(), 7, "{all:#?}");
    for r in &all {
        assert_eq!(r.services.len(), 3, "{r:#?}");
        assert!(
            r.assumptions.iter().any(|a| a.contains("SSM Agent")),
            "{r:#?}"
        );
    }
}

#[test]
fn through_a_nat_gateway() {
    let all = readiness_of_fixture();
    let r = find(&all, 1);
    assert!(r.ready, "{r:#?}");
    assert_eq!(r.route, Some(SsmRoute::Nat));
    assert!(r.missing.is_empty(), "{r:#?}");
    assert_eq!(
        r.services
            .iter()
            .map(|s| s.service.as_str())
            .collect::<Vec<_>>(),
        [
            "com.amazonaws.us-east-1.ssm",
            "com.amazonaws.us-east-1.ssmmessages",
            "com.amazonaws.us-east-1.ec2messages"
        ]
    );
}

#[test]
fn without_an_instance_profile() {
    let all = readiness_of_fixture();
    let r = find(&all, 2);
    assert!(!r.ready, "{r:#?}");
    assert_eq!(codes(r), [Code::SSM_NO_INSTANCE_PROFILE]);
    assert_eq!(r.route, Some(SsmRoute::Nat));
}

#[test]
fn without_https_egress() {
    let all = readiness_of_fixture();
    let r = find(&all, 3);
    assert!(!r.ready, "{r:#?}");
    assert_eq!(codes(r), [Code::SSM_SERVICE_UNREACHABLE; 3]);
    assert_eq!(r.route, None);
    for s in &r.services {
        assert_eq!(s.verdict, Verdict::Unreachable);
        assert!(
            s.blocked
                .iter()
                .any(|b| b.code == Code::ENI_SG_RULES_MISMATCH && b.component == id("sg", 2)),
            "{s:#?}"
        );
    }
}

#[test]
fn through_an_internet_gateway_with_a_public_address() {
    let all = readiness_of_fixture();
    let r = find(&all, 4);
    assert!(r.ready, "{r:#?}");
    assert_eq!(r.route, Some(SsmRoute::InternetGateway));
}

#[test]
fn through_interface_endpoints() {
    let all = readiness_of_fixture();
    let r = find(&all, 0x0b);
    assert!(r.ready, "{r:#?}");
    assert_eq!(r.route, Some(SsmRoute::Endpoints));
    let eps: Vec<Option<String>> = r.services.iter().map(|s| s.endpoint.clone()).collect();
    assert_eq!(
        eps,
        [
            Some(id("vpce", 0x0b)),
            Some(id("vpce", 0x0c)),
            Some(id("vpce", 0x0d))
        ]
    );
}

#[test]
fn outside_the_endpoint_group() {
    let all = readiness_of_fixture();
    let r = find(&all, 0x0c);
    assert!(!r.ready, "{r:#?}");
    assert_eq!(codes(r), [Code::SSM_SERVICE_UNREACHABLE; 3]);
    for s in &r.services {
        assert!(
            s.blocked
                .iter()
                .any(|b| b.code == Code::ENI_SG_RULES_MISMATCH && b.component == id("sg", 0x0b)),
            "{s:#?}"
        );
    }
}

#[test]
fn an_endpoint_without_private_dns_is_bypassed() {
    let all = readiness_of_fixture();
    let r = find(&all, 0x15);
    assert!(!r.ready, "{r:#?}");
    assert_eq!(
        codes(r),
        [Code::SSM_ENDPOINT_BYPASSED, Code::SSM_SERVICE_UNREACHABLE]
    );
    assert!(r.missing[0].detail.contains(&id("vpce", 0x17)), "{r:#?}");
    assert!(r.missing[1].detail.contains("ec2messages"), "{r:#?}");
    assert_eq!(r.route, None);
    let routes: Vec<Option<SsmRoute>> = r.services.iter().map(|s| s.route).collect();
    assert_eq!(
        routes,
        [Some(SsmRoute::Endpoints), Some(SsmRoute::Endpoints), None]
    );
    assert!(
        r.services[2]
            .blocked
            .iter()
            .any(|b| b.code == Code::NO_ROUTE_TO_DESTINATION),
        "{r:#?}"
    );
}
