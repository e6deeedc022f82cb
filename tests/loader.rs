//! Snapshot loading: every layout, every resource kind, every bad-input class, through the
//! library (`snapshot::load` + `model::build`) and through the binary (`inventory`).
//!
//! Fixtures: `fixtures/batfish/` (Batfish's AWS test snapshots, Apache-2.0, see its README) and
//! `fixtures/loader/<case>/` (hand-written, one case per folder, see `fixtures/loader/README.md`).

use ipnet::IpNet;
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use vpcreach::diag::{DiagCode, Diagnostic, Severity};
use vpcreach::model::{
    self, EniOwner, GroupResolution, Protocol, RouteDestination, RouteTarget, RuleAction, SgPeer,
    Topology,
};
use vpcreach::snapshot::{self, scope::ScopeSource, FileReport};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Load and build a fixture; returns the per-file reports and the model.
fn load(rel: &str) -> (Vec<FileReport>, Topology) {
    let snap = snapshot::load(&fixture(rel))
        .unwrap_or_else(|e| panic!("fixture {rel} should be readable: {e}"));
    let files = snap.files.clone();
    (files, model::build(snap))
}

/// Non-zero object counts per kind, per `account/region`.
fn counts(t: &Topology) -> BTreeMap<String, BTreeMap<String, usize>> {
    let inv = vpcreach::findings::inventory::inventory(t, "test", Vec::new());
    inv.scopes
        .iter()
        .map(|s| {
            let c = s
                .counts
                .iter()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| (k.to_string(), *v))
                .collect();
            (format!("{}/{}", s.account, s.region), c)
        })
        .collect()
}

/// Inactive counts per kind, per `account/region`.
fn inactive(t: &Topology) -> BTreeMap<String, BTreeMap<String, usize>> {
    let inv = vpcreach::findings::inventory::inventory(t, "test", Vec::new());
    inv.scopes
        .iter()
        .map(|s| {
            let c = s
                .inactive
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect();
            (format!("{}/{}", s.account, s.region), c)
        })
        .collect()
}

/// `"vpcs=1 subnets=2"` → map.
fn kinds(spec: &str) -> BTreeMap<String, usize> {
    spec.split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("kind=count");
            (k.to_string(), v.parse().expect("a count"))
        })
        .collect()
}

fn sev_count(t: &Topology, s: Severity) -> usize {
    t.diagnostics.count(s)
}

/// The diagnostics of a severity other than notes, as `(severity, code, file, pointer)`.
fn problems(t: &Topology) -> Vec<&Diagnostic> {
    t.diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .collect()
}

/// The one diagnostic with this code at this pointer.
fn diag_at<'a>(t: &'a Topology, code: DiagCode, pointer: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = t
        .diagnostics
        .iter()
        .filter(|d| d.code == code && d.pointer.as_deref() == Some(pointer))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code} at {pointer}, got {found:?} among {:#?}",
        t.diagnostics.0
    );
    found[0]
}

fn net(s: &str) -> IpNet {
    s.parse().expect("a CIDR")
}

fn ip4(s: &str) -> Ipv4Addr {
    s.parse().expect("an IPv4 address")
}

macro_rules! the {
    ($t:expr, $arena:ident, $id:expr) => {{
        let found: Vec<_> = $t.$arena.iter().filter(|x| x.id == $id).collect();
        assert_eq!(found.len(), 1, "one {} with id {}", stringify!($arena), $id);
        found[0]
    }};
}

fn run_inventory(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .arg("inventory")
        .args(args)
        .output()
        .expect("run vpcreach");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn inventory_json(rel: &str) -> (i32, Value) {
    let path = fixture(rel);
    let (code, stdout, stderr) = run_inventory(&[
        "--snapshot",
        path.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("inventory JSON for {rel}: {e}\nstdout: {stdout}\nstderr: {stderr}")
    });
    (code, v)
}

// ---------------------------------------------------------------------------------------------
// Batfish snapshots: all load with zero errors; exact counts recorded
// ---------------------------------------------------------------------------------------------

/// snapshot → (scope → counts), errors, warnings, notes.
/// A Batfish snapshot: its name, counts per scope, warnings and notes.
type BatfishRow = (
    &'static str,
    &'static [(&'static str, &'static str)],
    usize,
    usize,
);

const BATFISH: &[BatfishRow] = &[
    (
        "test",
        &[(
            "028403472736/us-west-2",
            "instances=2 network_acls=2 network_interfaces=2 security_groups=2 subnets=3 vpcs=2",
        )],
        // 3 + impossible-value: subnet-1f315846 (172.31.0.0/20) names vpc-b390fad5, whose
        // only block is 192.168.0.0/16 (Batfish's hand-made snapshot).
        4,
        3,
    ),
    (
        "test-load-balancer",
        &[(
            "554773406868/us-west-2",
            "instances=3 internet_gateways=1 load_balancers=1 network_acls=1 network_interfaces=5 \
             prefix_lists=2 route_tables=2 security_groups=3 subnets=3 target_groups=4 vpcs=1",
        )],
        // The target groups name a VPC that is not in the snapshot.
        3,
        2,
    ),
    (
        "test-multi-account",
        &[("111/us-west-1", "vpcs=1"), ("222/us-west-2", "vpcs=1")],
        0,
        0,
    ),
    (
        "test-nat-gateway",
        &[(
            "554773406868/us-west-2",
            "instances=3 internet_gateways=1 nat_gateways=1 network_acls=2 network_interfaces=4 \
             route_tables=3 security_groups=3 subnets=3 vpcs=1",
        )],
        0,
        2,
    ),
    (
        "test-public-private-subnet",
        &[(
            "554773406868/us-west-2",
            "instances=2 internet_gateways=1 network_acls=1 network_interfaces=2 route_tables=2 \
             security_groups=3 subnets=2 vpcs=1",
        )],
        0,
        2,
    ),
    (
        "test-public-subnet",
        &[(
            "554773406868/us-west-2",
            "instances=1 internet_gateways=1 network_acls=1 network_interfaces=1 route_tables=2 \
             security_groups=2 subnets=1 vpcs=1",
        )],
        0,
        2,
    ),
    (
        "test-subnet",
        &[(
            "554773406868/us-west-2",
            "instances=2 network_acls=1 network_interfaces=2 route_tables=1 security_groups=3 \
             subnets=1 vpcs=1",
        )],
        0,
        2,
    ),
    (
        "test-vpc-endpoint-gateway",
        &[(
            "554773406868/us-east-1",
            "instances=2 internet_gateways=1 network_acls=2 network_interfaces=2 prefix_lists=2 \
             route_tables=3 security_groups=2 subnets=2 vpc_endpoints=1 vpcs=1",
        )],
        0,
        1,
    ),
    (
        "test-vpc-endpoint-interface",
        &[(
            "554773406868/us-east-1",
            "instances=2 internet_gateways=1 network_acls=2 network_interfaces=3 prefix_lists=2 \
             route_tables=2 security_groups=2 subnets=2 vpc_endpoints=1 vpcs=1",
        )],
        0,
        1,
    ),
];

#[test]
fn every_batfish_snapshot_loads_with_zero_errors_and_exact_counts() {
    // Every test* folder is in the table (none silently skipped).
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("batfish"))
        .expect("fixtures/batfish")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("test"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = BATFISH.iter().map(|(n, ..)| n.to_string()).collect();
    assert_eq!(on_disk, listed);

    for (name, scopes, warnings, notes) in BATFISH {
        let (files, t) = load(&format!("batfish/{name}"));
        assert_eq!(
            sev_count(&t, Severity::Error),
            0,
            "{name}: {:#?}",
            t.diagnostics.0
        );
        assert!(files.iter().all(|f| f.errors == 0), "{name}");
        let expected: BTreeMap<String, BTreeMap<String, usize>> = scopes
            .iter()
            .map(|(s, c)| (s.to_string(), kinds(c)))
            .collect();
        assert_eq!(counts(&t), expected, "{name}");
        assert_eq!(
            sev_count(&t, Severity::Warning),
            *warnings,
            "{name}: {:#?}",
            t.diagnostics.0
        );
        assert_eq!(
            sev_count(&t, Severity::Note),
            *notes,
            "{name}: {:#?}",
            t.diagnostics.0
        );
        // Known-but-unmodelled outputs are ignored, never unknown.
        assert!(files.iter().all(|f| f.unknown.is_empty()), "{name}");
    }
}

#[test]
fn batfish_unmodelled_kinds_are_listed_as_ignored() {
    let (files, _) = load("batfish/test-vpc-endpoint-gateway");
    let mut ignored: Vec<&str> = files
        .iter()
        .flat_map(|f| f.ignored.iter().map(String::as_str))
        .collect();
    ignored.sort();
    assert_eq!(
        ignored,
        vec![
            "AvailabilityZones",
            "CustomerGateways",
            "DBInstances",
            "DomainStatusList",
            "LoadBalancerAttributes",
            "ServiceDetails",
            "ServiceNames",
            "VpnConnections",
            "VpnGateways",
        ]
    );
    let empty = files
        .iter()
        .find(|f| f.path == "aws_configs/us-east-1/TransitGatewayStaticRoutes.json")
        .expect("file report");
    assert_eq!(empty.loaded.get("TransitGatewayStaticRoutes"), Some(&0));
}

#[test]
fn batfish_scopes_come_from_path_or_convention() {
    let (_, t) = load("batfish/test-multi-account");
    let s: Vec<(&str, &str, ScopeSource, ScopeSource)> = t
        .scopes
        .iter()
        .map(|s| {
            (
                s.account.as_str(),
                s.region.as_str(),
                s.account_source,
                s.region_source,
            )
        })
        .collect();
    assert_eq!(
        s,
        vec![
            ("111", "us-west-1", ScopeSource::Path, ScopeSource::Path),
            ("222", "us-west-2", ScopeSource::Path, ScopeSource::Path),
        ]
    );
    // Bare aws_configs: us-west-2 by convention, account from OwnerId, each with a note.
    let (_, t) = load("batfish/test-subnet");
    assert_eq!(t.scopes.len(), 1);
    assert_eq!(t.scopes[0].account, "554773406868");
    assert_eq!(t.scopes[0].account_source, ScopeSource::Contents);
    assert_eq!(t.scopes[0].region, "us-west-2");
    assert_eq!(t.scopes[0].region_source, ScopeSource::Convention);
    let notes: Vec<&str> = t
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagCode::InferredScope)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(notes[0].contains("guessed as 554773406868"), "{notes:?}");
    assert!(
        notes[1].contains("us-west-2 by Batfish's convention"),
        "{notes:?}"
    );
}

/// One resource shape per file: what each loads (key=count, ignored:Key, unknown:Key), and its
/// warnings and notes (dangling references to objects the single file lacks, the unknown region).
const SINGLE: &[(&str, &str, usize, usize)] = &[
    ("CustomerGatewayTest", "ignored:CustomerGateways", 1, 1),
    ("DefaultAction", "unknown:TargetGroupArn unknown:Type", 3, 1),
    (
        "DirectConnectGatewayAssociationTest",
        "ignored:DirectConnectGatewayAssociations",
        1,
        1,
    ),
    (
        "DirectConnectGatewayTest",
        "ignored:DirectConnectGateways",
        1,
        1,
    ),
    (
        "DirectConnectVirtualInterfaceTest",
        "ignored:VirtualInterfaces",
        1,
        1,
    ),
    ("ElasticsearchDomainTest", "ignored:DomainStatusList", 1, 1),
    ("InstanceTest", "Reservations=2", 4, 2),
    ("InternetGatewayTest", "InternetGateways=1", 2, 1),
    (
        "LoadBalancerAttributesTest",
        "ignored:LoadBalancerAttributes",
        1,
        1,
    ),
    (
        "LoadBalancerListenerTest",
        "LoadBalancerListeners=1",
        // The listener's load balancer and target group are not in this one file.
        3,
        1,
    ),
    (
        "LoadBalancerTargetHealthTest",
        "LoadBalancerTargetHealth=1",
        // The target group is not in this one file.
        2,
        1,
    ),
    // VPC and subnets of the load balancers are not in this one file.
    ("LoadBalancerTest", "LoadBalancers=3", 6, 1),
    ("NatGatewayTest", "NatGateways=2", 2, 1),
    ("NetworkAclIcmpTest", "NetworkAcls=1", 3, 1),
    ("NetworkAclTest", "NetworkAcls=1", 3, 1),
    ("NetworkAclV6Test", "NetworkAcls=1", 3, 1),
    ("NetworkInterfaceTest", "NetworkInterfaces=2", 4, 2),
    ("PrefixListTest", "PrefixLists=1", 1, 1),
    ("RdsInstanceTest", "ignored:DBInstances", 1, 1),
    (
        "RoutePrefixListId",
        "unknown:DestinationPrefixListId unknown:GatewayId unknown:Origin unknown:State",
        5,
        1,
    ),
    ("RouteTableTest", "RouteTables=1", 2, 1),
    ("RouteV6TableTest", "RouteTables=1", 2, 1),
    // 13 dangling references + 2 impossible-value warnings: tcp FromPort -1/ToPort 50 and
    // 30/-1 ("Closed interval" in Batfish's test), read with the -1 end open (0-50, 30-65535).
    // 14 warnings: sg-0de0ddfa8a5a12348 appears three times with different rules, so none is used
    // (two duplicate-id warnings) and its own dangling VpcId warning is not emitted any more.
    ("SecurityGroupTest", "SecurityGroups=12", 14, 1),
    ("SecurityGroupTestDeser", "SecurityGroups=1", 3, 1),
    ("SubnetTest", "Subnets=1", 1, 2),
    // The target group's VPC and load balancer are not in this one file.
    ("TargetGroupTest", "TargetGroups=1", 3, 1),
    (
        "TransitGatewayAttachmentTest",
        "TransitGatewayAttachments=5",
        1,
        7,
    ),
    (
        "TransitGatewayPropagationsTest",
        "TransitGatewayPropagations=1",
        2,
        1,
    ),
    (
        "TransitGatewayRouteTableTest",
        "TransitGatewayRouteTables=2",
        3,
        1,
    ),
    (
        "TransitGatewayStaticRoutesTest",
        "TransitGatewayStaticRoutes=2",
        3,
        1,
    ),
    ("TransitGatewayTest", "TransitGateways=2", 0, 2),
    (
        "TransitGatewayVpcAttachmentTest",
        "TransitGatewayVpcAttachments=2",
        2,
        2,
    ),
    // vpce-0d4dd62ef8577fa8e twice with different content: neither is used. 6 warnings: the
    // guessed region, the duplicate-id, and vpce-0dacb0be80d30b16e's dangling VpcId, two
    // subnets and one group (the dropped endpoint no longer adds references of its own).
    ("VpcEndpointTest", "VpcEndpoints=3", 6, 1),
    ("VpcPeeringConnectionsTest", "VpcPeeringConnections=1", 1, 3),
    (
        "VpcPeeringConnectionsTestIgnoreNonActive",
        "VpcPeeringConnections=3",
        1,
        3,
    ),
    ("VpcTest", "Vpcs=1", 1, 1),
    ("VpnConnectionTest", "ignored:VpnConnections", 1, 1),
    (
        "VpnConnectionTransitGatewayTest",
        "ignored:VpnConnections",
        1,
        1,
    ),
    (
        "VpnConnectionWithTunnelOptions",
        "ignored:VpnConnections",
        1,
        1,
    ),
    ("VpnGatewayTest", "ignored:VpnGateways", 1, 1),
];

#[test]
fn every_batfish_single_file_loads_with_zero_errors() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("batfish/single"))
        .expect("fixtures/batfish/single")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = SINGLE.iter().map(|(n, ..)| n.to_string()).collect();
    assert_eq!(on_disk, listed);

    for (name, spec, warnings, notes) in SINGLE {
        let (files, t) = load(&format!("batfish/single/{name}.json"));
        assert_eq!(files.len(), 1);
        let f = &files[0];
        let mut got: Vec<String> = f
            .loaded
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .chain(f.ignored.iter().map(|k| format!("ignored:{k}")))
            .chain(f.unknown.iter().map(|k| format!("unknown:{k}")))
            .collect();
        got.sort();
        let mut want: Vec<String> = spec.split_whitespace().map(str::to_string).collect();
        want.sort();
        assert_eq!(got, want, "{name}");
        assert_eq!(
            sev_count(&t, Severity::Error),
            0,
            "{name}: {:#?}",
            t.diagnostics.0
        );
        assert_eq!(
            sev_count(&t, Severity::Warning),
            *warnings,
            "{name}: {:#?}",
            t.diagnostics.0
        );
        assert_eq!(
            sev_count(&t, Severity::Note),
            *notes,
            "{name}: {:#?}",
            t.diagnostics.0
        );
    }
}

#[test]
fn batfish_single_folder_loads_as_one_flat_snapshot() {
    let (_, t) = load("batfish/single");
    assert_eq!(sev_count(&t, Severity::Error), 0);
    // Batfish's unit-test files reuse ids with different content; which copy AWS holds is
    // unknown, so none is used (duplicate-id): sg-0de0ddfa8a5a12348 (3 copies in
    // SecurityGroupTest.json) and sg-01a88a2ecd621d9ba (SecurityGroupTest vs …Deser): 8 of 10
    // groups; acl-4db39c28 (the NetworkAcl tests, IPv4, ICMP and IPv6): 0 of 1; rtb-296bf350 (the
    // IPv4 and IPv6 route-table tests): 0 of 1; vpce-0d4dd62ef8577fa8e (twice in VpcEndpointTest): 1 of 2;
    // pcx-f754069e (VpcPeeringConnectionsTest vs …IgnoreNonActive): 2 of 3.
    let expected = kinds(
        "instances=2 internet_gateways=1 load_balancers=3 nat_gateways=2 \
         network_interfaces=2 prefix_lists=1 security_groups=8 subnets=1 \
         target_groups=1 transit_gateway_attachments=5 \
         transit_gateway_route_tables=2 transit_gateways=2 vpc_endpoints=1 \
         vpc_peering_connections=2 vpcs=1",
    );
    assert_eq!(
        counts(&t),
        BTreeMap::from([("118292266645/us-west-2".to_string(), expected)])
    );
    assert_eq!(
        inactive(&t)["118292266645/us-west-2"],
        kinds(
            // load_balancers: the one in state "failed" (LoadBalancerTest.json).
            "instances=2 load_balancers=1 nat_gateways=1 transit_gateway_attachments=1 \
             transit_gateway_route_tables=1 transit_gateways=1 vpc_peering_connections=2"
        )
    );
    // Three NetworkAcl files describe the same acl-4db39c28 differently: the first is kept.
    let dups: Vec<&Diagnostic> = t
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagCode::DuplicateId)
        .collect();
    assert_eq!(dups.len(), 8);
    assert!(dups.iter().all(|d| d.severity == Severity::Warning));
}

// ---------------------------------------------------------------------------------------------
// Per resource kind (Batfish single-shape files)
// ---------------------------------------------------------------------------------------------

#[test]
fn nacl_entries_sorted_with_final_deny_added() {
    let (_, t) = load("batfish/single/NetworkAclTest.json");
    let acl = the!(t, network_acls, "acl-4db39c28");
    assert!(acl.is_default);
    assert_eq!(acl.vpc.id, "vpc-f8fad69d");
    let inbound: Vec<_> = acl
        .inbound
        .iter()
        .map(|e| {
            (
                e.rule_number,
                e.action,
                e.protocol,
                e.cidr,
                e.ports,
                e.synthesized,
            )
        })
        .collect();
    assert_eq!(
        inbound,
        vec![
            (
                100,
                RuleAction::Deny,
                Protocol::Number(6),
                net("162.243.144.192/32"),
                Some((3306, 3306)),
                false
            ),
            (
                32767,
                RuleAction::Deny,
                Protocol::All,
                net("0.0.0.0/0"),
                None,
                true
            ),
            (
                32768,
                RuleAction::Deny,
                Protocol::All,
                net("::/0"),
                None,
                true
            ),
        ]
    );
    let outbound: Vec<(u16, RuleAction, bool)> = acl
        .outbound
        .iter()
        .map(|e| (e.rule_number, e.action, e.synthesized))
        .collect();
    assert_eq!(
        outbound,
        vec![
            (100, RuleAction::Allow, false),
            (32767, RuleAction::Deny, true),
            (32768, RuleAction::Deny, true)
        ]
    );
}

#[test]
fn security_group_rules_from_batfish_shape() {
    let (_, t) = load("batfish/single/SecurityGroupTestDeser.json");
    let sg = the!(t, security_groups, "sg-01a88a2ecd621d9ba");
    assert_eq!(sg.owner.as_deref(), Some("118292266645"));
    assert_eq!(sg.inbound.len(), 1);
    assert_eq!(sg.inbound[0].protocol, Protocol::Number(6));
    assert_eq!(sg.inbound[0].ports, Some((22, 22)));
    assert!(matches!(&sg.inbound[0].peer, SgPeer::Cidr { cidr } if *cidr == net("1.2.3.4/32")));
    assert_eq!(sg.outbound.len(), 2);
    assert!(matches!(&sg.outbound[0].peer, SgPeer::Cidr { cidr } if *cidr == net("0.0.0.0/0")));
    match &sg.outbound[1].peer {
        SgPeer::PrefixList { prefix_list } => {
            assert_eq!(prefix_list.id, "pl-7ba54012");
            assert!(prefix_list.idx.is_none());
        }
        other => panic!("expected a prefix-list peer, got {other:?}"),
    }
    let d = diag_at(
        &t,
        DiagCode::DanglingReference,
        "/SecurityGroups/0/IpPermissionsEgress/1/PrefixListIds/0/PrefixListId",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("UNRESOLVED_PREFIX_LIST"),
        "{}",
        d.message
    );
}

#[test]
fn instances_and_their_nested_enis() {
    let (_, t) = load("batfish/single/InstanceTest.json");
    let states: Vec<(&str, &str, bool)> = t
        .instances
        .iter()
        .map(|i| (i.id.as_str(), i.state.as_str(), i.active))
        .collect();
    assert_eq!(
        states,
        vec![
            ("i-08e529f98f5659289", "pending", false),
            ("i-05f467abe21e9b883", "stopped", false)
        ]
    );
    // ENIs described only inside describe-instances become ENIs of the model.
    assert_eq!(t.network_interfaces.len(), 2);
    for (i, inst) in t.instances.iter().enumerate() {
        assert_eq!(inst.network_interfaces.len(), 1);
        let eni = &t.network_interfaces[inst.network_interfaces[0].i()];
        assert_eq!(
            eni.owned_by,
            EniOwner::Instance(inst.id.clone()),
            "instance {i}"
        );
    }
}

#[test]
fn inactive_objects_in_batfish_shapes() {
    let (_, t) = load("batfish/single/NatGatewayTest.json");
    let nats: Vec<(&str, bool)> = t
        .nat_gateways
        .iter()
        .map(|n| (n.id.as_str(), n.active))
        .collect();
    assert_eq!(
        nats,
        vec![
            ("nat-07de522fdf38aba9d", false),
            ("nat-05dba92075d71c408", true)
        ]
    );
    // Only the live NAT gateway's missing subnet is worth a warning.
    let d = diag_at(&t, DiagCode::DanglingReference, "/NatGateways/1/SubnetId");
    assert!(d.message.contains("subnet-847e4dc2"));
    assert!(!t
        .diagnostics
        .iter()
        .any(|d| d.pointer.as_deref() == Some("/NatGateways/0/SubnetId")));

    let (_, t) = load("batfish/single/VpcPeeringConnectionsTestIgnoreNonActive.json");
    let pcx: Vec<(&str, &str, bool)> = t
        .vpc_peering_connections
        .iter()
        .map(|p| (p.id.as_str(), p.status.as_str(), p.active))
        .collect();
    assert_eq!(
        pcx,
        vec![
            ("pcx-f754069e", "active", true),
            ("pcx-4ee8b427", "deleted", false),
            ("pcx-0ff752226f8e366f2", "failed", false)
        ]
    );

    let (_, t) = load("batfish/single/TransitGatewayAttachmentTest.json");
    let att: Vec<(&str, &str, bool)> = t
        .transit_gateway_attachments
        .iter()
        .map(|a| (a.id.as_str(), a.resource_type.as_str(), a.active))
        .collect();
    assert_eq!(
        att,
        vec![
            ("tgw-attach-07f5ec59e9f540021", "vpc", false),
            ("tgw-attach-0ae2696617bb06fb4", "vpc", true),
            ("tgw-attach-0ce5cf730c95980d9", "vpc", true),
            (
                "tgw-attach-0dbe0fb191f73f405",
                "direct-connect-gateway",
                true
            ),
            ("tgw-attach-084b68f4a40b12383", "peering", true),
        ]
    );
}

#[test]
fn aws_managed_prefix_list_cidrs() {
    let (_, t) = load("batfish/single/PrefixListTest.json");
    let pl = the!(t, prefix_lists, "pl-00a54069");
    assert_eq!(pl.name.as_deref(), Some("com.amazonaws.us-west-2.dynamodb"));
    assert_eq!(
        pl.cidrs,
        Some(vec![net("52.94.10.0/24"), net("52.94.28.0/23")])
    );
}

// ---------------------------------------------------------------------------------------------
// Layouts and scopes (fixtures/loader)
// ---------------------------------------------------------------------------------------------

#[test]
fn flat_folder_keys_not_names_several_keys_and_merging() {
    let (files, t) = load("loader/flat");
    assert_eq!(
        counts(&t),
        BTreeMap::from([(
            "210987654321/eu-west-1".to_string(),
            kinds("subnets=2 vpcs=1")
        )])
    );
    assert_eq!(t.scopes[0].account_source, ScopeSource::Contents);
    assert_eq!(t.scopes[0].region_source, ScopeSource::Contents);
    // A file named Vpcs.json holding Subnets is read as subnets; network.json holds two keys.
    let by_path: BTreeMap<&str, &FileReport> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    assert_eq!(
        by_path["Vpcs.json"].loaded,
        BTreeMap::from([("Subnets".to_string(), 1)])
    );
    assert_eq!(
        by_path["network.json"].loaded,
        BTreeMap::from([("Subnets".to_string(), 1), ("Vpcs".to_string(), 1)])
    );
    // Same-key arrays from the two files merge: both subnets belong to the one VPC.
    let vpc = the!(t, vpcs, "vpc-0f1a000000000001");
    let subnets: Vec<&str> = vpc
        .subnets
        .iter()
        .map(|s| t.subnets[s.i()].id.as_str())
        .collect();
    assert_eq!(
        subnets,
        vec!["subnet-0f1a000000000002", "subnet-0f1a000000000001"]
    );
    // The guesses are notes, never silent.
    let notes: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        notes,
        vec![
            "account of folder . guessed as 210987654321 from OwnerId/ARN values in its files",
            "region of folder . guessed as eu-west-1 from availability zones/ARNs in its files",
        ]
    );
    assert!(t.diagnostics.iter().all(|d| d.severity == Severity::Note));
}

#[test]
fn batfish_layout_accounts_regions_and_bare_folder() {
    let (_, t) = load("loader/batfish-layout");
    let scopes: Vec<(String, ScopeSource, ScopeSource, Vec<&str>)> = t
        .scopes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                format!("{}/{}", s.account, s.region),
                s.account_source,
                s.region_source,
                t.vpcs
                    .iter()
                    .filter(|v| v.scope.i() == i)
                    .map(|v| v.id.as_str())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        scopes,
        vec![
            (
                "111111111111/us-east-1".into(),
                ScopeSource::Path,
                ScopeSource::Path,
                vec!["vpc-a"]
            ),
            (
                "222222222222/us-east-2".into(),
                ScopeSource::Contents,
                ScopeSource::Path,
                vec!["vpc-b"]
            ),
            (
                "default/us-west-2".into(),
                ScopeSource::Unknown,
                ScopeSource::Convention,
                vec!["vpc-c"]
            ),
        ]
    );
    assert_eq!(sev_count(&t, Severity::Note), 3);
    assert_eq!(problems(&t).len(), 0);
}

#[test]
fn same_ids_in_two_scopes_are_never_confused() {
    let (_, t) = load("loader/multi-scope");
    assert_eq!(problems(&t), Vec::<&Diagnostic>::new());
    let each = "network_interfaces=1 route_tables=1 security_groups=1 subnets=1 \
                vpc_peering_connections=1 vpcs=1";
    assert_eq!(
        counts(&t),
        BTreeMap::from([
            ("111111111111/us-east-1".to_string(), kinds(each)),
            ("222222222222/eu-west-1".to_string(), kinds(each)),
        ])
    );
    for (scope, vpc_cidr, subnet_cidr, eni_ip, group_name, explicit) in [
        (
            "111111111111/us-east-1",
            "10.1.0.0/16",
            "10.1.1.0/24",
            "10.1.1.10",
            "app-us",
            false,
        ),
        (
            "222222222222/eu-west-1",
            "10.2.0.0/16",
            "10.2.1.0/24",
            "10.2.1.10",
            "app-eu",
            true,
        ),
    ] {
        let in_scope = |s: model::ScopeIdx| t.scope_name(s) == scope;
        let subnet = t
            .subnets
            .iter()
            .find(|s| in_scope(s.scope))
            .expect("subnet");
        let vpc = &t.vpcs[subnet.vpc.idx.expect("resolved").i()];
        assert!(
            in_scope(vpc.scope),
            "{scope}: subnet's VPC from the other scope"
        );
        assert_eq!(vpc.cidrs_v4, vec![vpc_cidr.parse().expect("cidr")]);
        assert_eq!(subnet.cidr_v4, Some(subnet_cidr.parse().expect("cidr")));
        let rt = &t.route_tables[subnet.route_table.expect("a route table").i()];
        assert!(in_scope(rt.scope));
        assert_eq!(subnet.route_table_explicit, explicit);
        let eni = t
            .network_interfaces
            .iter()
            .find(|e| in_scope(e.scope))
            .expect("eni");
        assert_eq!(eni.private_ips[0].address, ip4(eni_ip));
        assert_eq!(
            eni.subnet.idx.map(|s| t.subnets[s.i()].cidr_v4),
            Some(subnet.cidr_v4)
        );
        let sg = &t.security_groups[eni.groups[0].idx.expect("resolved").i()];
        assert_eq!(sg.name, group_name);
        assert!(in_scope(sg.scope));
        assert_eq!(sg.members.len(), 1);
        let pcx = t
            .vpc_peering_connections
            .iter()
            .find(|p| in_scope(p.scope))
            .expect("pcx");
        assert_eq!(
            t.scope_name(t.vpcs[pcx.requester.vpc.idx.expect("req").i()].scope),
            "111111111111/us-east-1"
        );
        assert_eq!(
            t.scope_name(t.vpcs[pcx.accepter.vpc.idx.expect("acc").i()].scope),
            "222222222222/eu-west-1"
        );
        assert!(pcx.cross_region());
    }
    // The 111 group names sg-0001 of account 222: the eu group, not itself.
    let us = t
        .security_groups
        .iter()
        .find(|g| g.name == "app-us")
        .expect("app-us");
    match &us.inbound[0].peer {
        SgPeer::Group(g) => {
            assert_eq!(g.resolution, GroupResolution::Resolved);
            assert_eq!(
                t.security_groups[g.group.idx.expect("resolved").i()].name,
                "app-eu"
            );
        }
        other => panic!("expected a group peer, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Key classes, wrappers, prefix lists
// ---------------------------------------------------------------------------------------------

#[test]
fn ignored_unknown_and_parentless_keys_are_reported_per_file() {
    let (files, t) = load("loader/key-classes");
    let report: BTreeMap<&str, (Vec<&str>, Vec<&str>, usize)> = files
        .iter()
        .map(|f| {
            (
                f.path.trim_start_matches("123456789012/us-east-1/"),
                (
                    f.ignored.iter().map(String::as_str).collect(),
                    f.unknown.iter().map(String::as_str).collect(),
                    f.warnings,
                ),
            )
        })
        .collect();
    let expected: BTreeMap<&str, (Vec<&str>, Vec<&str>, usize)> = BTreeMap::from([
        (
            "describe-load-balancers.json",
            (vec!["DBInstances"], vec![], 0),
        ),
        ("describe-vpcs.json", (vec!["NextToken"], vec![], 0)),
        (
            "describe-vpn-gateways.json",
            (vec!["VpnGateways"], vec![], 0),
        ),
        (
            "get-managed-prefix-list-entries.json",
            (vec![], vec!["Entries"], 1),
        ),
        (
            "get-transit-gateway-route-table-associations.json",
            (vec![], vec!["Associations"], 1),
        ),
        (
            "get-transit-gateway-route-table-propagations.json",
            (vec![], vec!["TransitGatewayRouteTablePropagations"], 1),
        ),
        (
            "search-transit-gateway-routes.json",
            (vec![], vec!["AdditionalRoutesAvailable", "Routes"], 2),
        ),
        ("widgets.json", (vec![], vec!["Gadgets", "Widgets"], 2)),
    ]);
    assert_eq!(report, expected);
    assert_eq!(counts(&t)["123456789012/us-east-1"], kinds("vpcs=1"));

    let mut got: Vec<(Severity, DiagCode, String, String)> = t
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.severity,
                d.code,
                d.file.clone().unwrap_or_default(),
                d.pointer.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let f = |n: &str| format!("123456789012/us-east-1/{n}");
    let w = Severity::Warning;
    let mut want = vec![
        (
            w,
            DiagCode::ParentlessOutput,
            f("get-managed-prefix-list-entries.json"),
            "/Entries".into(),
        ),
        (
            w,
            DiagCode::ParentlessOutput,
            f("get-transit-gateway-route-table-associations.json"),
            "/Associations".into(),
        ),
        (
            w,
            DiagCode::ParentlessOutput,
            f("get-transit-gateway-route-table-propagations.json"),
            "/TransitGatewayRouteTablePropagations".into(),
        ),
        (
            w,
            DiagCode::ParentlessOutput,
            f("search-transit-gateway-routes.json"),
            "/AdditionalRoutesAvailable".into(),
        ),
        (
            w,
            DiagCode::ParentlessOutput,
            f("search-transit-gateway-routes.json"),
            "/Routes".into(),
        ),
        (
            w,
            DiagCode::UnknownKey,
            f("widgets.json"),
            "/Gadgets".into(),
        ),
        (
            w,
            DiagCode::UnknownKey,
            f("widgets.json"),
            "/Widgets".into(),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    // The parentless warning tells how to wrap the output.
    let d = diag_at(&t, DiagCode::ParentlessOutput, "/Entries");
    assert!(
        d.message.contains("ManagedPrefixListEntries"),
        "{}",
        d.message
    );
}

#[test]
fn wrapper_keys_and_raw_vpc_attribute_output() {
    let (files, t) = load("loader/wrappers");
    assert_eq!(
        counts(&t)["123456789012/us-east-1"],
        kinds("subnets=2 transit_gateway_attachments=2 transit_gateway_route_tables=1 transit_gateways=1 vpcs=3")
    );
    // DNS attributes: two raw describe-vpc-attribute files, the VpcAttributes wrapper, defaults.
    let dns: Vec<(&str, bool, bool, bool)> = t
        .vpcs
        .iter()
        .map(|v| (v.id.as_str(), v.dns_support, v.dns_hostnames, v.dns_assumed))
        .collect();
    assert_eq!(
        dns,
        vec![
            ("vpc-w", true, true, false),
            ("vpc-w2", false, false, false),
            ("vpc-w3", true, true, true),
        ]
    );
    let raw = files
        .iter()
        .find(|f| {
            f.path
                .ends_with("describe-vpc-attribute-enable-dns-support.json")
        })
        .expect("report");
    assert_eq!(
        raw.loaded,
        BTreeMap::from([("VpcAttributes".to_string(), 1)])
    );

    let tgw = the!(t, transit_gateways, "tgw-w");
    assert!(tgw.active && tgw.sg_referencing_support);
    assert_eq!(tgw.attachments.len(), 2);
    assert_eq!(tgw.route_tables.len(), 1);
    let rt = the!(t, transit_gateway_route_tables, "tgw-rtb-w");
    // TransitGatewayAssociations wins over the attachment's own Association (warned below).
    let assoc: Vec<(&str, bool)> = rt
        .associations
        .iter()
        .map(|b| (b.attachment.id.as_str(), b.active))
        .collect();
    assert_eq!(assoc, vec![("tgw-attach-w", true)]);
    let prop: Vec<(&str, &str, bool)> = rt
        .propagations
        .iter()
        .map(|b| (b.attachment.id.as_str(), b.state.as_str(), b.active))
        .collect();
    assert_eq!(
        prop,
        vec![
            ("tgw-attach-w", "enabled", true),
            ("tgw-attach-w2", "disabled", false)
        ]
    );
    let statics: Vec<(Option<IpNet>, bool, usize)> = rt
        .static_routes
        .iter()
        .map(|r| (r.destination, r.active, r.attachments.len()))
        .collect();
    assert_eq!(
        statics,
        vec![
            (Some(net("192.168.0.0/16")), true, 1),
            (Some(net("172.16.0.0/12")), false, 0)
        ]
    );
    let observed: Vec<Option<IpNet>> = rt
        .observed_routes
        .as_ref()
        .expect("TransitGatewayRoutes")
        .iter()
        .map(|r| r.destination)
        .collect();
    assert_eq!(
        observed,
        vec![Some(net("10.8.0.0/16")), Some(net("192.168.0.0/16"))]
    );
    assert!(rt.additional_routes_available);

    let att2 = the!(t, transit_gateway_attachments, "tgw-attach-w2");
    assert!(att2.ipv6_support && att2.appliance_mode);
    assert_eq!(att2.sg_referencing_support, Some(false));
    assert_eq!(att2.creation_time.as_deref(), Some("2024-02-01T10:00:00Z"));
    assert_eq!(att2.subnets[0].id, "subnet-w2");
    assert!(att2.subnets[0].idx.is_some());

    assert_eq!(problems(&t).len(), 2, "{:#?}", t.diagnostics.0);
    let d = diag_at(
        &t,
        DiagCode::SnapshotIncomplete,
        "/TransitGatewayRoutes/0/AdditionalRoutesAvailable",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.file.as_deref(),
        Some("123456789012/us-east-1/search-transit-gateway-routes.json")
    );
    let d = diag_at(
        &t,
        DiagCode::Inconsistent,
        "/TransitGatewayAttachments/1/Association",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("tgw-attach-w2"), "{}", d.message);
}

#[test]
fn prefix_lists_merge_by_id() {
    let (_, t) = load("loader/prefix-lists");
    assert_eq!(problems(&t), Vec::<&Diagnostic>::new());
    let pls: Vec<_> = t
        .prefix_lists
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.name.as_deref(),
                p.address_family.as_deref(),
                p.cidrs.clone(),
            )
        })
        .collect();
    assert_eq!(
        pls,
        vec![
            // describe-managed-prefix-lists.json sorts before describe-prefix-lists.json.
            (
                "pl-63a5400a",
                Some("com.amazonaws.us-east-1.s3"),
                Some("IPv4"),
                Some(vec![net("52.216.0.0/15"), net("54.231.0.0/17")])
            ),
            (
                "pl-0corp",
                Some("corp-offices"),
                Some("IPv4"),
                Some(vec![net("198.51.100.0/24"), net("203.0.113.0/24")])
            ),
            ("pl-0noentries", Some("partners-v6"), Some("IPv6"), None),
            (
                "pl-02cd2c6b",
                Some("com.amazonaws.us-east-1.dynamodb"),
                None,
                Some(vec![net("3.218.182.0/24")])
            ),
        ]
    );
    // A list without entries counts as inactive (it matches nothing).
    assert_eq!(
        inactive(&t)["123456789012/us-east-1"],
        kinds("prefix_lists=1")
    );
    let sg = the!(t, security_groups, "sg-p");
    let peers: Vec<(&str, bool)> = sg
        .inbound
        .iter()
        .chain(sg.outbound.iter())
        .map(|r| match &r.peer {
            SgPeer::PrefixList { prefix_list } => {
                (prefix_list.id.as_str(), prefix_list.idx.is_some())
            }
            other => panic!("expected prefix-list peers, got {other:?}"),
        })
        .collect();
    assert_eq!(
        peers,
        vec![
            ("pl-0corp", true),
            ("pl-0noentries", true),
            ("pl-63a5400a", true)
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Model semantics the loader must set up
// ---------------------------------------------------------------------------------------------

#[test]
fn effective_route_table_and_nacl() {
    let (_, t) = load("loader/tables");
    assert_eq!(t.diagnostics.0, Vec::<Diagnostic>::new());
    let eff: Vec<(&str, &str, bool, &str, bool)> = t
        .subnets
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                t.route_tables[s.route_table.expect("rt").i()].id.as_str(),
                s.route_table_explicit,
                t.network_acls[s.network_acl.expect("acl").i()].id.as_str(),
                s.network_acl_explicit,
            )
        })
        .collect();
    assert_eq!(
        eff,
        vec![
            ("subnet-a", "rtb-custom", true, "acl-custom", true),
            ("subnet-b", "rtb-main", false, "acl-default", false),
            // Its association to rtb-custom is `disassociated`: main table.
            ("subnet-c", "rtb-main", false, "acl-default", false),
        ]
    );
    let vpc = the!(t, vpcs, "vpc-e");
    assert_eq!(
        vpc.main_route_table
            .map(|r| t.route_tables[r.i()].id.as_str()),
        Some("rtb-main")
    );
    assert_eq!(
        vpc.default_network_acl
            .map(|a| t.network_acls[a.i()].id.as_str()),
        Some("acl-default")
    );
    // R3: the custom table lacks its local route; it is synthesized.
    let custom = the!(t, route_tables, "rtb-custom");
    let routes: Vec<(RouteDestination, &str, bool)> = custom
        .routes
        .iter()
        .map(|r| (r.destination.clone(), r.target.id(), r.synthesized))
        .collect();
    assert_eq!(
        routes,
        vec![
            (RouteDestination::Cidr(net("0.0.0.0/0")), "igw-e", false),
            (RouteDestination::Cidr(net("10.1.0.0/16")), "local", true),
        ]
    );
    assert!(matches!(&custom.routes[0].target, RouteTarget::InternetGateway(r) if r.idx.is_some()));
    assert_eq!(the!(t, route_tables, "rtb-main").routes.len(), 1);
}

#[test]
fn nacl_entries_sorted_by_rule_number_not_json_order() {
    let (_, t) = load("loader/tables");
    let acl = the!(t, network_acls, "acl-custom");
    let inbound: Vec<(u16, RuleAction, Protocol, IpNet, bool)> = acl
        .inbound
        .iter()
        .map(|e| (e.rule_number, e.action, e.protocol, e.cidr, e.synthesized))
        .collect();
    assert_eq!(
        inbound,
        vec![
            (
                100,
                RuleAction::Deny,
                Protocol::Number(6),
                net("0.0.0.0/0"),
                false
            ),
            (
                120,
                RuleAction::Allow,
                Protocol::Number(1),
                net("10.0.0.0/8"),
                false
            ),
            (150, RuleAction::Allow, Protocol::All, net("::/0"), false),
            (
                200,
                RuleAction::Allow,
                Protocol::Number(6),
                net("0.0.0.0/0"),
                false
            ),
            (
                32767,
                RuleAction::Deny,
                Protocol::All,
                net("0.0.0.0/0"),
                false
            ),
            (32768, RuleAction::Deny, Protocol::All, net("::/0"), true),
        ]
    );
    assert_eq!(acl.inbound[0].ports, Some((22, 22)));
    assert_eq!(acl.inbound[3].ports, Some((443, 443)));
    let icmp = acl.inbound[1].icmp.expect("icmp match");
    assert_eq!((icmp.icmp_type, icmp.code), (Some(8), None));
    let outbound: Vec<(u16, bool)> = acl
        .outbound
        .iter()
        .map(|e| (e.rule_number, e.synthesized))
        .collect();
    assert_eq!(outbound, vec![(100, false), (32767, true), (32768, true)]);
}

#[test]
fn sg_rules_flattened_with_every_peer_kind() {
    let (_, t) = load("loader/sg-rules");
    let sg = the!(t, security_groups, "sg-app");
    let rules: Vec<_> = sg
        .inbound
        .iter()
        .map(|r| {
            let peer = match &r.peer {
                SgPeer::Cidr { cidr } => format!("cidr {cidr}"),
                SgPeer::PrefixList { prefix_list } => format!("pl {}", prefix_list.id),
                SgPeer::Group(g) => format!("group {} {:?}", g.group.id, g.resolution),
            };
            (r.protocol, r.ports, peer)
        })
        .collect();
    let tcp443 = (Protocol::Number(6), Some((443, 443)));
    assert_eq!(
        rules,
        vec![
            (tcp443.0, tcp443.1, "cidr 10.0.0.0/8".into()),
            (tcp443.0, tcp443.1, "cidr 192.168.0.0/16".into()),
            (tcp443.0, tcp443.1, "cidr 2001:db8::/32".into()),
            (tcp443.0, tcp443.1, "pl pl-63a5400a".into()),
            (tcp443.0, tcp443.1, "group sg-web Resolved".into()),
            (
                tcp443.0,
                tcp443.1,
                "group sg-0partner UnknownAccount".into()
            ),
            (Protocol::Number(1), None, "cidr 0.0.0.0/0".into()),
            (Protocol::All, None, "group sg-app Resolved".into()),
        ]
    );
    assert_eq!(sg.inbound[0].description.as_deref(), Some("corp"));
    assert_eq!(sg.inbound[0].pointer, "/SecurityGroups/0/IpPermissions/0");
    let icmp = sg.inbound[6].icmp.expect("icmp");
    assert_eq!((icmp.icmp_type, icmp.code), (Some(8), None));
    assert_eq!(sg.outbound.len(), 1);
    let web = the!(t, security_groups, "sg-web");
    assert!(web.inbound.is_empty() && web.outbound.is_empty());

    // Other account: a note naming UNKNOWN_PEERED_SGS, not a warning.
    assert_eq!(problems(&t), Vec::<&Diagnostic>::new());
    let d = diag_at(
        &t,
        DiagCode::DanglingReference,
        "/SecurityGroups/0/IpPermissions/0/UserIdGroupPairs/1/GroupId",
    );
    assert_eq!(d.severity, Severity::Note);
    assert!(d.message.contains("sg-0partner"), "{}", d.message);
    assert!(d.message.contains("999999999999"), "{}", d.message);
    assert!(d.message.contains("UNKNOWN_PEERED_SGS"), "{}", d.message);
}

#[test]
fn dangling_references_are_kept_and_warned_with_ids() {
    let (_, t) = load("loader/dangling");
    let file = |n: &str| Some(format!("123456789012/us-east-1/{n}"));
    let mut got: Vec<(Severity, DiagCode, Option<String>, Option<String>)> = t
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.code, d.file.clone(), d.pointer.clone()))
        .collect();
    got.sort();
    let w = (Severity::Warning, DiagCode::DanglingReference);
    let mut want = vec![
        (
            w.0,
            w.1,
            file("describe-instances.json"),
            Some("/Reservations/0/Instances/0/SubnetId".to_string()),
        ),
        (
            w.0,
            w.1,
            file("describe-network-interfaces.json"),
            Some("/NetworkInterfaces/0/SubnetId".to_string()),
        ),
        (
            w.0,
            w.1,
            file("describe-route-tables.json"),
            Some("/RouteTables/0/Routes/1/VpcPeeringConnectionId".to_string()),
        ),
        (
            w.0,
            w.1,
            file("describe-security-groups.json"),
            Some("/SecurityGroups/0/IpPermissions/0/UserIdGroupPairs/0/GroupId".to_string()),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    let msg = |p: &str| diag_at(&t, DiagCode::DanglingReference, p).message.clone();
    assert!(msg("/RouteTables/0/Routes/1/VpcPeeringConnectionId").contains("pcx-deleted"));
    let sg_msg = msg("/SecurityGroups/0/IpPermissions/0/UserIdGroupPairs/0/GroupId");
    assert!(
        sg_msg.contains("sg-deleted") && sg_msg.contains("STALE_SG_REFERENCE"),
        "{sg_msg}"
    );
    assert!(msg("/NetworkInterfaces/0/SubnetId").contains("subnet-missing"));
    assert!(msg("/Reservations/0/Instances/0/SubnetId").contains("subnet-missing"));

    // Kept, not dropped.
    let rt = the!(t, route_tables, "rtb-d");
    assert_eq!(rt.routes.len(), 2);
    assert!(matches!(
        &rt.routes[1].target,
        RouteTarget::VpcPeeringConnection(r) if r.id == "pcx-deleted" && r.idx.is_none()
    ));
    let sg = the!(t, security_groups, "sg-d");
    assert!(matches!(
        &sg.inbound[0].peer,
        SgPeer::Group(g) if g.group.id == "sg-deleted" && g.resolution == GroupResolution::Stale
    ));
    let eni = the!(t, network_interfaces, "eni-d");
    assert_eq!(
        (eni.subnet.id.as_str(), eni.subnet.idx),
        ("subnet-missing", None)
    );
    assert!(eni.vpc.idx.is_some());
    let inst = the!(t, instances, "i-d");
    assert!(matches!(&inst.subnet, Some(r) if r.id == "subnet-missing" && r.idx.is_none()));
}

/// `loader/duplicates`: vpc-1 twice, identical (silent, one kept); sg-1 in a.json ("first") and
/// b.json ("second") with different content. Which copy AWS holds is unknown and file order must
/// not decide it: neither is used, a warning names both places, and sg-1 is a rejected element
/// (messages about it say "failed to load", never "not in the snapshot").
#[test]
fn duplicate_ids_with_different_content_are_reported() {
    let (_, t) = load("loader/duplicates");
    assert_eq!(counts(&t)["123456789012/us-east-1"], kinds("vpcs=1"));
    assert_eq!(t.diagnostics.0.len(), 1, "{:#?}", t.diagnostics.0);
    let d = diag_at(&t, DiagCode::DuplicateId, "/SecurityGroups/0");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.file.as_deref(), Some("123456789012/us-east-1/b.json"));
    assert_eq!(
        d.message,
        "security group sg-1 appears again with different content \
         (123456789012/us-east-1/a.json#/SecurityGroups/0): which copy AWS holds is unknown, so \
         neither is used"
    );
    assert!(t.security_groups.iter().all(|g| g.id != "sg-1"));
}

#[test]
fn enis_secondary_ips_and_public_ips_from_association_and_addresses() {
    let (_, t) = load("loader/enis");
    assert_eq!(problems(&t), Vec::<&Diagnostic>::new());
    let ips = |id: &str| -> Vec<(Ipv4Addr, bool, Option<Ipv4Addr>)> {
        the!(t, network_interfaces, id)
            .private_ips
            .iter()
            .map(|p| (p.address, p.primary, p.public_ip))
            .collect()
    };
    assert_eq!(
        ips("eni-multi"),
        vec![
            (ip4("10.4.1.10"), true, Some(ip4("54.0.0.10"))),
            (ip4("10.4.1.11"), false, Some(ip4("54.0.0.11"))),
            (ip4("10.4.1.12"), false, None),
        ]
    );
    let multi = the!(t, network_interfaces, "eni-multi");
    assert_eq!(
        multi.ipv6_addresses,
        vec!["2600:1f18:1:101::10"
            .parse::<std::net::Ipv6Addr>()
            .expect("v6")]
    );
    assert!(!multi.source_dest_check);
    assert_eq!(multi.name.as_deref(), Some("multi"));
    assert_eq!(multi.owned_by, EniOwner::Instance("i-n".into()));
    assert_eq!(
        multi.private_addresses().collect::<Vec<IpAddr>>().len(),
        4,
        "three v4 and one v6"
    );
    // From describe-addresses only, with a note saying so.
    assert_eq!(
        ips("eni-eip"),
        vec![(ip4("10.4.1.20"), true, Some(ip4("3.3.3.3")))]
    );
    let notes: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        notes,
        vec!["public IP 3.3.3.3 of eni-eip taken from describe-addresses (the ENI data had no association)"]
    );
    // ENI known only from describe-instances.
    assert_eq!(
        ips("eni-nested"),
        vec![
            (ip4("10.4.1.30"), true, None),
            (ip4("10.4.1.31"), false, None)
        ]
    );
    let nested = the!(t, instances, "i-nested");
    assert_eq!(nested.network_interfaces.len(), 1);
    assert_eq!(
        t.network_interfaces[nested.network_interfaces[0].i()].id,
        "eni-nested"
    );
    let inst = the!(t, instances, "i-n");
    assert_eq!(inst.public_ip, Some(ip4("54.0.0.10")));
    assert_eq!(
        inst.instance_profile.as_deref(),
        Some("arn:aws:iam::123456789012:instance-profile/ssm")
    );
    assert!(!inst.source_dest_check);
    // An unassociated elastic IP counts as inactive.
    assert_eq!(
        inactive(&t)["123456789012/us-east-1"],
        kinds("elastic_ips=1")
    );
    assert_eq!(the!(t, security_groups, "sg-n").members.len(), 3);
}

#[test]
fn cache_nodes_tied_to_enis_by_description() {
    let (_, t) = load("loader/cache");
    assert_eq!(problems(&t), Vec::<&Diagnostic>::new());
    let nodes: Vec<_> = t
        .cache_clusters
        .iter()
        .flat_map(|c| {
            c.nodes.iter().map(|n| {
                (
                    format!("{}/{}", c.id, n.id),
                    n.network_interface
                        .map(|e| t.network_interfaces[e.i()].id.clone()),
                    n.subnet.map(|s| t.subnets[s.i()].id.as_str()),
                    n.address,
                )
            })
        })
        .collect();
    assert_eq!(
        nodes,
        vec![
            (
                "demo-001/0001".into(),
                Some("eni-c1".into()),
                Some("subnet-cb"),
                Some("10.5.2.50".parse().expect("ip"))
            ),
            (
                "demo-002/0001".into(),
                Some("eni-c2".into()),
                Some("subnet-ca"),
                Some("10.5.1.50".parse().expect("ip"))
            ),
            // No "ElastiCache memc" ENI: the group subnet of its AZ, address unknown, a note.
            ("memc/0001".into(), None, Some("subnet-ca"), None),
        ]
    );
    let notes: Vec<&Diagnostic> = t.diagnostics.iter().collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].code, DiagCode::AssumedDefault);
    assert!(
        notes[0].message.contains("memc/0001"),
        "{}",
        notes[0].message
    );
    let owners: Vec<EniOwner> = t
        .network_interfaces
        .iter()
        .map(|e| e.owned_by.clone())
        .collect();
    assert_eq!(
        owners,
        vec![
            EniOwner::CacheNode("demo-001".into()),
            EniOwner::CacheNode("demo-002".into()),
            EniOwner::ServerlessCache("sl".into()),
        ]
    );
    let ports: Vec<(&str, Vec<u16>)> = t
        .cache_clusters
        .iter()
        .map(|c| (c.id.as_str(), c.ports.clone()))
        .collect();
    assert_eq!(
        ports,
        vec![
            ("demo-001", vec![6379]),
            ("demo-002", vec![6379]),
            ("memc", vec![11211])
        ]
    );
    let vpc = the!(t, vpcs, "vpc-c");
    let vpc_idx = t.vpcs.iter().position(|v| v.id == vpc.id).expect("vpc");
    assert!(t
        .cache_clusters
        .iter()
        .all(|c| c.vpc.map(|v| v.i()) == Some(vpc_idx)));
    let rg = the!(t, replication_groups, "demo");
    assert_eq!(
        rg.members.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["demo-001", "demo-002"]
    );
    assert!(rg.members.iter().all(|m| m.idx.is_some()));
    assert!(rg.transit_encryption && !rg.auth_token);
    // TransitEncryptionMode is kept as written: `preferred` on the group and on demo-001 (the
    // fixture gives it there only), absent on demo-002 and on the memcached cluster.
    assert_eq!(rg.transit_encryption_mode.as_deref(), Some("preferred"));
    let modes: Vec<(&str, Option<&str>)> = t
        .cache_clusters
        .iter()
        .map(|c| (c.id.as_str(), c.transit_encryption_mode.as_deref()))
        .collect();
    assert_eq!(
        modes,
        vec![
            ("demo-001", Some("preferred")),
            ("demo-002", None),
            ("memc", None)
        ]
    );
    let sl = &t.serverless_caches[0];
    assert_eq!(sl.name, "sl");
    assert_eq!(sl.ports, vec![6379, 6380]);
    assert_eq!(sl.network_interfaces.len(), 1);
    assert_eq!(
        t.network_interfaces[sl.network_interfaces[0].i()].id,
        "eni-sl"
    );
    assert_eq!(sl.vpc.map(|v| v.i()), Some(vpc_idx));
}

#[test]
fn inactive_objects_are_counted_as_inactive_without_warnings() {
    let (_, t) = load("loader/inactive");
    // Dead objects pointing at missing things (subnet-gone, vpc-gone, sg-gone) stay quiet.
    assert_eq!(t.diagnostics.0, Vec::<Diagnostic>::new());
    let scope = "123456789012/us-east-1";
    assert_eq!(
        counts(&t)[scope],
        kinds(
            "egress_only_internet_gateways=1 instances=3 internet_gateways=2 nat_gateways=2 subnets=1 \
             transit_gateway_attachments=1 transit_gateways=2 vpc_endpoints=1 vpc_peering_connections=2 vpcs=2"
        )
    );
    assert_eq!(
        inactive(&t)[scope],
        kinds(
            "instances=2 internet_gateways=1 nat_gateways=1 transit_gateway_attachments=1 \
             transit_gateways=1 vpc_endpoints=1 vpc_peering_connections=1"
        )
    );
    // A disassociated VPC CIDR block is not one of its blocks.
    assert_eq!(
        the!(t, vpcs, "vpc-i2").cidrs_v4,
        vec!["10.7.0.0/16".parse().expect("cidr")]
    );
    let nat = the!(t, nat_gateways, "nat-dead");
    assert_eq!(nat.connectivity, model::Connectivity::Private);
    assert!(the!(t, egress_only_internet_gateways, "eigw-i").active);
}

#[test]
fn collect_manifest_failed_call_is_snapshot_incomplete() {
    let (files, t) = load("loader/manifest");
    // The manifest folder (the snapshot root) is not a scope of its own.
    assert_eq!(
        counts(&t),
        BTreeMap::from([("123456789012/us-east-1".to_string(), kinds("vpcs=1"))])
    );
    assert_eq!(
        files
            .iter()
            .find(|f| f.path == "manifest.json")
            .map(|f| f.loaded.clone()),
        Some(BTreeMap::from([("VpcreachManifest".to_string(), 1)]))
    );
    assert_eq!(t.diagnostics.0.len(), 1, "{:#?}", t.diagnostics.0);
    let d = &t.diagnostics.0[0];
    assert_eq!(
        (d.severity, d.code),
        (Severity::Warning, DiagCode::SnapshotIncomplete)
    );
    assert!(
        d.message.contains("DescribeSecurityGroups"),
        "{}",
        d.message
    );
    assert!(d.message.contains("UnauthorizedOperation"), "{}", d.message);
    assert_eq!(t.missing_data.len(), 1);
    assert_eq!(
        (
            t.missing_data[0].account.as_str(),
            t.missing_data[0].region.as_str(),
            t.missing_data[0].key.as_str()
        ),
        ("123456789012", "us-east-1", "SecurityGroups")
    );
}

#[test]
fn every_modelled_key_is_exercised_by_a_loader_fixture() {
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixture("loader"))
        .expect("fixtures/loader")
        .flatten()
    {
        if entry.path().is_dir() {
            let (files, _) = load(&format!("loader/{}", entry.file_name().to_string_lossy()));
            for f in files {
                seen.extend(f.loaded.into_iter().filter(|(_, n)| *n > 0).map(|(k, _)| k));
            }
        }
    }
    let missing: Vec<&&str> = snapshot::MODELLED_KEYS
        .iter()
        .filter(|k| !seen.contains(**k))
        .collect();
    assert_eq!(missing, Vec::<&&str>::new());
}

// ---------------------------------------------------------------------------------------------
// Bad input: file, pointer, what was expected; loading goes on
// ---------------------------------------------------------------------------------------------

#[test]
fn each_bad_input_class_names_file_pointer_and_expectation() {
    let (files, t) = load("loader/bad-input");
    let f = |n: &str| format!("123456789012/us-east-1/{n}");
    let cases: &[(&str, &str, DiagCode, &str)] = &[
        // malformed JSON
        (
            "describe-route-tables.json",
            "",
            DiagCode::JsonSyntax,
            "invalid JSON: expected `,` or `}` at line 3 column 54",
        ),
        // wrong type
        (
            "describe-vpcs.json",
            "/Vpcs/1/IsDefault",
            DiagCode::InvalidValue,
            "invalid type: string \"no\", expected a boolean; element skipped",
        ),
        // invalid CIDR
        (
            "describe-subnets.json",
            "/Subnets/0/CidrBlock",
            DiagCode::InvalidValue,
            "expected an IPv4 CIDR block like \"10.0.0.0/16\", got \"10.0.1.0/33\"; element skipped",
        ),
        // port out of range
        (
            "describe-security-groups.json",
            "/SecurityGroups/1/IpPermissions/0/FromPort",
            DiagCode::InvalidValue,
            "expected a port number from -1 to 65535, got 70000; element skipped",
        ),
        // an object where the array of a key belongs
        (
            "describe-network-acls.json",
            "/NetworkAcls",
            DiagCode::InvalidValue,
            "expected an array under \"NetworkAcls\", got an object",
        ),
        // not an AWS CLI output at all
        (
            "describe-network-interfaces.json",
            "",
            DiagCode::InvalidValue,
            "expected a JSON object at the top level (the output of an AWS CLI call), got an array",
        ),
    ];
    assert_eq!(t.diagnostics.0.len(), cases.len(), "{:#?}", t.diagnostics.0);
    for (file, pointer, code, message) in cases {
        let d = t
            .diagnostics
            .iter()
            .find(|d| d.file.as_deref() == Some(f(file).as_str()))
            .unwrap_or_else(|| panic!("a diagnostic for {file}"));
        assert_eq!(d.severity, Severity::Error, "{file}");
        assert_eq!(d.code, *code, "{file}");
        assert_eq!(d.pointer.as_deref(), Some(*pointer), "{file}");
        assert_eq!(d.message, *message, "{file}");
        assert_eq!(
            files.iter().find(|r| r.path == f(file)).map(|r| r.errors),
            Some(1),
            "{file}"
        );
    }
    // Loading went on: the good elements of the same files are there.
    assert_eq!(
        counts(&t)["123456789012/us-east-1"],
        kinds("security_groups=1 subnets=1 vpcs=1")
    );
    assert_eq!(t.vpcs[0].id, "vpc-good");
    assert_eq!(t.subnets[0].id, "subnet-good");
    assert_eq!(t.security_groups[0].id, "sg-good");
}

#[test]
fn non_utf8_and_empty_files_are_errors_with_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("latin1.json"), b"{\"Vpcs\": [\"caf\xe9\"]}").expect("write");
    std::fs::write(dir.path().join("empty.json"), b"").expect("write");
    std::fs::write(
        dir.path().join("vpcs.json"),
        br#"{"Vpcs": [{"VpcId": "vpc-1", "OwnerId": "123456789012", "CidrBlock": "10.0.0.0/16"}]}"#,
    )
    .expect("write");
    let snap = snapshot::load(dir.path()).expect("readable");
    let t = model::build(snap);
    let errors: Vec<(Option<&str>, Option<&str>, DiagCode)> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.file.as_deref(), d.pointer.as_deref(), d.code))
        .collect();
    assert_eq!(
        errors,
        vec![
            (Some("empty.json"), Some(""), DiagCode::JsonSyntax),
            (Some("latin1.json"), Some(""), DiagCode::JsonSyntax),
        ]
    );
    assert_eq!(t.vpcs.len(), 1);
    assert_eq!(
        t.vpcs[0].cidrs_v4,
        vec!["10.0.0.0/16".parse().expect("cidr")]
    );
}

#[test]
fn an_array_or_scalar_element_is_not_read_as_an_object() {
    // serde would read `["vpc-arr"]` as a Vpc with VpcId "vpc-arr": it must be an error instead.
    let dir = tempfile::tempdir().expect("tempdir");
    let scope = dir.path().join("123456789012").join("us-east-1");
    std::fs::create_dir_all(&scope).expect("mkdir");
    std::fs::write(
        scope.join("vpcs.json"),
        br#"{"Vpcs": [["vpc-arr"], "vpc-str", {"VpcId": "vpc-ok", "CidrBlock": "10.0.0.0/16"}]}"#,
    )
    .expect("write");
    let t = model::build(snapshot::load(dir.path()).expect("readable"));
    let errors: Vec<(Option<&str>, Option<&str>, &str)> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.file.as_deref(), d.pointer.as_deref(), d.message.as_str()))
        .collect();
    let file = Some("123456789012/us-east-1/vpcs.json");
    assert_eq!(
        errors,
        vec![
            (
                file,
                Some("/Vpcs/0"),
                "expected an object as each element of \"Vpcs\", got an array; element skipped"
            ),
            (
                file,
                Some("/Vpcs/1"),
                "expected an object as each element of \"Vpcs\", got a string; element skipped"
            ),
        ]
    );
    let ids: Vec<&str> = t.vpcs.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, vec!["vpc-ok"]);
}

// ---------------------------------------------------------------------------------------------
// The binary: exit codes and JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn inventory_exit_0_on_clean_snapshot_with_json_counts() {
    let (code, v) = inventory_json("loader/tables");
    assert_eq!(code, 0);
    assert_eq!(v["format_version"], 1);
    assert_eq!(
        (
            v["errors"].as_u64(),
            v["warnings"].as_u64(),
            v["notes"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    let scopes = v["scopes"].as_array().expect("scopes");
    assert_eq!(scopes.len(), 1);
    assert_eq!(scopes[0]["account"], "123456789012");
    assert_eq!(scopes[0]["region"], "us-east-1");
    assert_eq!(scopes[0]["account_source"], "path");
    let c = &scopes[0]["counts"];
    assert_eq!(
        (
            c["vpcs"].as_u64(),
            c["subnets"].as_u64(),
            c["route_tables"].as_u64(),
            c["network_acls"].as_u64(),
            c["internet_gateways"].as_u64()
        ),
        (Some(1), Some(3), Some(2), Some(2), Some(1))
    );
    assert_eq!(v["files"].as_array().map(Vec::len), Some(5));
}

#[test]
fn inventory_exit_0_on_every_batfish_snapshot() {
    for (name, scopes, warnings, _) in BATFISH {
        let (code, v) = inventory_json(&format!("batfish/{name}"));
        assert_eq!(code, 0, "{name}");
        assert_eq!(v["errors"], 0, "{name}");
        assert_eq!(v["warnings"].as_u64(), Some(*warnings as u64), "{name}");
        assert_eq!(
            v["scopes"].as_array().map(Vec::len),
            Some(scopes.len()),
            "{name}"
        );
    }
}

#[test]
fn inventory_exit_1_with_errors_in_json() {
    let (code, v) = inventory_json("loader/bad-input");
    assert_eq!(code, 1);
    assert_eq!(v["errors"], 6);
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["pointer"] == "/Subnets/0/CidrBlock")
        .expect("the CIDR error");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "invalid-value");
    assert_eq!(d["file"], "123456789012/us-east-1/describe-subnets.json");
    assert!(d["message"]
        .as_str()
        .expect("message")
        .contains("10.0.1.0/33"));
    // Every error in the JSON has a file and a pointer.
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        if d["severity"] == "error" {
            assert!(d["file"].is_string() && d["pointer"].is_string(), "{d}");
        }
    }
}

#[test]
fn inventory_strict_makes_any_error_fatal() {
    let path = fixture("loader/bad-input");
    let (code, stdout, stderr) = run_inventory(&[
        "--snapshot",
        path.to_str().expect("utf-8"),
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("6 error(s)") && stderr.contains("--strict"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error[invalid-value] 123456789012/us-east-1/describe-security-groups.json#/SecurityGroups/1/IpPermissions/0/FromPort"
        ),
        "{stderr}"
    );
    // Warnings are not errors: --strict passes a snapshot with only warnings.
    let path = fixture("loader/dangling");
    let (code, stdout, _) =
        run_inventory(&["--snapshot", path.to_str().expect("utf-8"), "--strict"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("0 error(s), 4 warning(s)"), "{stdout}");
}

#[test]
fn inventory_exit_2_when_unreadable_or_misused() {
    let missing = fixture("loader/does-not-exist");
    let (code, stdout, stderr) = run_inventory(&["--snapshot", missing.to_str().expect("utf-8")]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("does-not-exist"), "{stderr}");

    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(empty.path().join("notes.txt"), "not json").expect("write");
    let (code, _, stderr) = run_inventory(&["--snapshot", empty.path().to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no *.json files found"), "{stderr}");

    let (code, _, _) = run_inventory(&["--format", "xml"]);
    assert_eq!(code, 2);
}

#[test]
fn inventory_table_lists_inactive_and_caches() {
    let path = fixture("loader/cache");
    let (code, stdout, _) = run_inventory(&["--snapshot", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Account 123456789012 (from path), region us-east-1 (from path)"),
        "{stdout}"
    );
    for id in ["demo", "demo-001", "demo-002", "memc", "sl"] {
        assert!(stdout.contains(id), "{id} in {stdout}");
    }
}

/// A TGW shared from a network account (loaded first) with an attachment to a VPC of an account
/// loaded later: the attachment resolves the VPC and its subnets across scopes, the association
/// and propagation bind, and nothing panics.
#[test]
fn shared_tgw_attachment_resolves_a_vpc_of_a_later_account() {
    let (_, t) = load("loader/shared-tgw");
    assert_eq!(t.diagnostics.error_count(), 0);
    assert_eq!(t.diagnostics.warning_count(), 0, "{:?}", t.diagnostics);
    let att = &t.transit_gateway_attachments[0];
    let vpc = att.vpc.as_ref().and_then(|v| v.idx).expect("VPC resolved");
    assert_eq!(t.vpcs[vpc.i()].id, "vpc-b");
    assert_eq!(t.scopes[t.vpcs[vpc.i()].scope.i()].account, "222222222222");
    assert_eq!(att.subnets.len(), 1);
    assert!(
        att.subnets[0].idx.is_some(),
        "subnet resolved in the VPC's scope"
    );
    let rt = &t.transit_gateway_route_tables[0];
    assert_eq!(rt.associations.len(), 1);
    assert_eq!(rt.propagations.len(), 1);
    let routes =
        vpcreach::model::tgw_routes::effective_routes(&t, vpcreach::model::TgwRouteTableIdx(0));
    assert_eq!(routes.routes.len(), 1);
    assert_eq!(routes.routes[0].destination.to_string(), "10.2.0.0/16");
}

// ---------------------------------------------------------------------------------------------
// Fail closed on bad nested elements (issue 9 §7)
// ---------------------------------------------------------------------------------------------

/// `loader/bad-entries`: acl-custom (subnet-a) holds six bad entries beside its good ones and one
/// bad association; rtb-custom (subnet-a) holds one bad route. Each bad element alone is skipped
/// with its pointer; the NACL and the table stay, and stay the subnet's (no fallback to the
/// default NACL or the main table).
#[test]
fn a_bad_nacl_entry_or_route_skips_that_element_not_its_container() {
    let (files, t) = load("loader/bad-entries");
    let acls = "123456789012/us-east-1/describe-network-acls.json";
    let rtbs = "123456789012/us-east-1/describe-route-tables.json";
    let kept_acl = "the rest of acl-custom kept";
    let expected: &[(&str, &str, &str)] = &[
        (acls, "/NetworkAcls/1/Entries/1/RuleNumber", "expected a NACL rule number from 1 to 32768, got 0; this entry is skipped"),
        (acls, "/NetworkAcls/1/Entries/2/RuleNumber", "expected a NACL rule number from 1 to 32768, got 40000; this entry is skipped"),
        (acls, "/NetworkAcls/1/Entries/3/RuleNumber", "invalid type: string \"101\", expected i64; this entry is skipped"),
        (acls, "/NetworkAcls/1/Entries/4/Egress", "invalid type: string \"false\", expected a boolean; this entry is skipped"),
        (acls, "/NetworkAcls/1/Entries/5/PortRange/To", "expected a port number from -1 to 65535, got 70000; this entry is skipped"),
        (acls, "/NetworkAcls/1/Entries/6/CidrBlock", "expected an IPv4 CIDR block like \"10.0.0.0/16\", got \"0.0.0.0/33\"; this entry is skipped"),
        (acls, "/NetworkAcls/1/Associations/1/SubnetId", "invalid type: integer `7`, expected a string; this association is skipped"),
        (rtbs, "/RouteTables/1/Routes/1/State", "invalid type: integer `1`, expected a string; this route is skipped"),
    ];
    let problems = problems(&t);
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (file, pointer, message) in expected {
        let d = diag_at(&t, DiagCode::InvalidValue, pointer);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.file.as_deref(), Some(*file));
        let tail = if *file == acls {
            kept_acl
        } else {
            "the rest of rtb-custom kept"
        };
        assert_eq!(d.message, format!("{message}, {tail}"), "{pointer}");
    }
    assert_eq!(files.iter().map(|f| f.errors).sum::<usize>(), 8);
    // Both containers loaded (two NACLs, two tables).
    assert_eq!(
        counts(&t)["123456789012/us-east-1"],
        kinds(
            "network_acls=2 route_tables=2 security_groups=1 subnets=2 vpcs=1 network_interfaces=2"
        )
    );
    // subnet-a keeps its own NACL and table.
    let a = the!(t, subnets, "subnet-a");
    assert_eq!(
        a.network_acl.map(|x| t.network_acls[x.i()].id.as_str()),
        Some("acl-custom")
    );
    assert!(a.network_acl_explicit);
    assert_eq!(
        a.route_table.map(|x| t.route_tables[x.i()].id.as_str()),
        Some("rtb-custom")
    );
    assert!(a.route_table_explicit);
    // Only the good entries: inbound 100 deny tcp 22, 200 allow tcp 1-65535, 32767 deny, and
    // the synthesized IPv6 final deny; outbound 100 allow, 32767 deny, synthesized 32768.
    let acl = the!(t, network_acls, "acl-custom");
    let inbound: Vec<(u16, RuleAction, bool)> = acl
        .inbound
        .iter()
        .map(|e| (e.rule_number, e.action, e.synthesized))
        .collect();
    assert_eq!(
        inbound,
        vec![
            (100, RuleAction::Deny, false),
            (200, RuleAction::Allow, false),
            (32767, RuleAction::Deny, false),
            (32768, RuleAction::Deny, true),
        ]
    );
    let outbound: Vec<u16> = acl.outbound.iter().map(|e| e.rule_number).collect();
    assert_eq!(outbound, vec![100, 32767, 32768]);
    // rtb-custom keeps its local route; the bad peering route is gone.
    let routes: Vec<(RouteDestination, &str)> = the!(t, route_tables, "rtb-custom")
        .routes
        .iter()
        .map(|r| (r.destination.clone(), r.target.id()))
        .collect();
    assert_eq!(
        routes,
        vec![(RouteDestination::Cidr(net("10.1.0.0/16")), "local")]
    );
}

/// Run `vpcreach reach` on a loader fixture, JSON output: (exit code, answer).
fn reach_json(rel: &str, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot"])
        .arg(fixture(rel))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run vpcreach");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON answer ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("an exit code"), v)
}

/// The point of keeping the container: eni-b (subnet-b) to eni-a (subnet-a) on tcp 22 meets
/// acl-custom's inbound rule 100 (deny tcp 22) first, so it is unreachable, blocked there. Had
/// acl-custom been dropped over one bad entry, subnet-a would fall back to acl-default (allow
/// all) and the answer would be a wrong "reachable". Port 443 passes rule 200.
#[test]
fn a_bad_entry_does_not_turn_a_blocked_path_reachable() {
    let (_, v) = reach_json(
        "loader/bad-entries",
        &["--from", "eni-b", "--to", "eni-a", "--port", "22"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    let blocked = v["blocked"].as_array().expect("blocked list");
    assert_eq!(blocked.len(), 1, "{v:#}");
    assert_eq!(blocked[0]["component"], "acl-custom");
    assert_eq!(blocked[0]["code"], "SUBNET_ACL_RESTRICTION");
    assert_eq!(blocked[0]["direction"], "inbound");
    assert_eq!(blocked[0]["rule"], "rule 100 deny tcp 22 from 0.0.0.0/0");
    let (_, v) = reach_json(
        "loader/bad-entries",
        &["--from", "eni-b", "--to", "eni-a", "--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
}

/// One expected blocker: from, to, leg, kind, direction, component, detail.
type Blocked<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a str,
    &'a str,
);

/// `loader/unreadable-containers`: acl-broken (`IsDefault: "no"`, associated with subnet-a) and
/// rtb-broken (`VpcId: 5`, associated with subnet-c) cannot be read even without their nested
/// elements. Their subnets get neither the default NACL nor the main table: their NACL / routes
/// are unknown, and every flow through them stops with SNAPSHOT_INCOMPLETE naming the container
/// and where it failed. subnet-b (explicitly on acl-default, no explicit table) is unaffected;
/// subnet-d (no explicit association) see below.
#[test]
fn an_unreadable_nacl_or_route_table_makes_its_subnets_unknown_not_default() {
    let (_, t) = load("loader/unreadable-containers");
    let acls = "123456789012/us-east-1/describe-network-acls.json";
    let rtbs = "123456789012/us-east-1/describe-route-tables.json";
    let suffix = "; element skipped (the traffic of the subnets that depend on it is unknown: SNAPSHOT_INCOMPLETE)";
    let d = diag_at(&t, DiagCode::InvalidValue, "/NetworkAcls/1/IsDefault");
    assert_eq!(d.file.as_deref(), Some(acls));
    assert_eq!(
        d.message,
        format!("invalid type: string \"no\", expected a boolean{suffix}")
    );
    let d = diag_at(&t, DiagCode::InvalidValue, "/RouteTables/1/VpcId");
    assert_eq!(d.file.as_deref(), Some(rtbs));
    assert_eq!(
        d.message,
        format!("invalid type: integer `5`, expected a string{suffix}")
    );
    assert_eq!(problems(&t).len(), 2, "{:#?}", t.diagnostics.0);
    let acl_label = format!("NACL acl-broken (failed to load: {acls}#/NetworkAcls/1)");
    let rtb_label = format!("route table rtb-broken (failed to load: {rtbs}#/RouteTables/1)");
    let a = the!(t, subnets, "subnet-a");
    assert_eq!(a.network_acl, None, "no default NACL substituted");
    assert_eq!(
        a.network_acl_unreadable.as_deref(),
        Some(acl_label.as_str())
    );
    assert_eq!(a.route_table_unreadable, None);
    let c = the!(t, subnets, "subnet-c");
    assert_eq!(c.route_table, None, "no main table substituted");
    assert_eq!(
        c.route_table_unreadable.as_deref(),
        Some(rtb_label.as_str())
    );
    assert_eq!(c.network_acl_unreadable, None);
    // subnet-d has no explicit association: acl-broken's IsDefault cannot be read, so it may be
    // the default NACL subnet-d falls back to (unknown); rtb-broken's associations say it is not
    // the main table, so subnet-d keeps rtb-main.
    let d = the!(t, subnets, "subnet-d");
    assert_eq!(d.network_acl, None);
    assert_eq!(
        d.network_acl_unreadable.as_deref(),
        Some(acl_label.as_str())
    );
    assert_eq!(d.route_table_unreadable, None);
    assert_eq!(
        d.route_table.map(|x| t.route_tables[x.i()].id.as_str()),
        Some("rtb-main")
    );
    let b = the!(t, subnets, "subnet-b");
    assert_eq!(
        (&b.network_acl_unreadable, &b.route_table_unreadable),
        (&None, &None)
    );
    assert_eq!(
        b.route_table.map(|x| t.route_tables[x.i()].id.as_str()),
        Some("rtb-main")
    );

    // (from, to, leg, kind, direction, detail): derived from the associations above. Without
    // the fix every one was reachable through acl-default (allow all) and rtb-main (local).
    let inbound_a = format!("inbound NACL of subnet-a unknown: {acl_label}");
    let outbound_a = format!("outbound NACL of subnet-a unknown: {acl_label}");
    let routes_c = format!("routes of subnet-c unknown: {rtb_label}");
    let cases: &[Blocked] = &[
        // into subnet-a: its inbound NACL is unknown
        (
            "eni-b",
            "eni-a",
            "forward",
            "network-acl",
            Some("inbound"),
            "subnet-a",
            &inbound_a,
        ),
        // out of subnet-a: its outbound NACL is unknown
        (
            "eni-a",
            "eni-b",
            "forward",
            "network-acl",
            Some("outbound"),
            "subnet-a",
            &outbound_a,
        ),
        // out of subnet-c: no routes known
        (
            "eni-c",
            "eni-b",
            "forward",
            "route-table",
            None,
            "subnet-c",
            &routes_c,
        ),
        // into subnet-c: the request arrives (rtb-main, acl-default), the reply has no routes
        (
            "eni-b",
            "eni-c",
            "return",
            "route-table",
            None,
            "subnet-c",
            &routes_c,
        ),
    ];
    for (from, to, leg, kind, dir, component, detail) in cases {
        let (code, v) = reach_json(
            "loader/unreadable-containers",
            &["--from", from, "--to", to, "--port", "22"],
        );
        assert_eq!(code, 0, "{from} -> {to}");
        assert_eq!(v["verdict"], "unreachable", "{from} -> {to}: {v:#}");
        let blocked = v["blocked"].as_array().expect("blocked list");
        // Both legs: a flow stopped by an unknown NACL goes on as a ghost, and its reply crosses
        // the same subnet's NACL the other way, which is unknown too. A routing stop ends the
        // path: one blocker.
        let mirror = match (*kind, *dir) {
            ("network-acl", Some("inbound")) => Some("outbound"),
            ("network-acl", Some("outbound")) => Some("inbound"),
            _ => None,
        };
        assert_eq!(
            blocked.len(),
            1 + usize::from(mirror.is_some()),
            "{from} -> {to}: {v:#}"
        );
        let bl = &blocked[0];
        assert_eq!(bl["code"], "SNAPSHOT_INCOMPLETE", "{from} -> {to}");
        assert_eq!(bl["component"], *component, "{from} -> {to}");
        assert_eq!(bl["kind"], *kind, "{from} -> {to}");
        assert_eq!(bl["leg"], *leg, "{from} -> {to}");
        assert_eq!(bl["direction"].as_str(), *dir, "{from} -> {to}");
        assert_eq!(bl["detail"], *detail, "{from} -> {to}");
        if let Some(m) = mirror {
            let back = &blocked[1];
            assert_eq!(back["code"], "SNAPSHOT_INCOMPLETE", "{from} -> {to}");
            assert_eq!(back["component"], *component, "{from} -> {to}");
            assert_eq!(back["leg"], "return", "{from} -> {to}");
            assert_eq!(back["direction"], m, "{from} -> {to}");
        }
    }
}

/// `loader/order-conflicts`: subnet-a is in the associations of acl-deny (deny all inbound) and
/// acl-allow; subnet-b is explicitly associated with rtb-1 and rtb-2. AWS allows one of each, so
/// the data contradicts itself; before, the last in JSON order won. Now each is a warning naming
/// both, and the NACL / routes are unknown (SNAPSHOT_INCOMPLETE) whatever the order: the same
/// model comes out of the fixture with every array reversed.
#[test]
fn a_subnet_in_two_nacls_or_two_tables_is_unknown_whatever_the_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("loader/order-conflicts/123456789012/us-east-1");
    let dst = dir.path().join("123456789012/us-east-1");
    std::fs::create_dir_all(&dst).expect("mkdir");
    for e in std::fs::read_dir(&src).expect("fixture") {
        let p = e.expect("entry").path();
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON");
        for (_, list) in v.as_object_mut().expect("object").iter_mut() {
            if let Some(a) = list.as_array_mut() {
                a.reverse();
            }
        }
        std::fs::write(dst.join(p.file_name().expect("name")), v.to_string()).expect("write");
    }
    let reversed = model::build(snapshot::load(dir.path()).expect("readable"));
    let (_, t) = load("loader/order-conflicts");
    for t in [&t, &reversed] {
        let warnings: Vec<&str> = problems(t).iter().map(|d| d.message.as_str()).collect();
        let mut warnings = warnings;
        warnings.sort();
        assert_eq!(
            warnings,
            vec![
                "subnet subnet-a is associated with two NACLs, acl-allow and acl-deny: its NACL is unknown (flows through it carry SNAPSHOT_INCOMPLETE)",
                "subnet subnet-b is explicitly associated with two route tables, rtb-1 and rtb-2: its routes are unknown (flows from it carry SNAPSHOT_INCOMPLETE)",
            ]
        );
        assert!(problems(t)
            .iter()
            .all(|d| d.code == DiagCode::Inconsistent && d.severity == Severity::Warning));
        let a = the!(t, subnets, "subnet-a");
        assert_eq!(a.network_acl, None);
        assert_eq!(
            a.network_acl_unreadable.as_deref(),
            Some("associated with two NACLs, acl-allow and acl-deny")
        );
        let b = the!(t, subnets, "subnet-b");
        assert_eq!(b.route_table, None);
        assert_eq!(
            b.route_table_unreadable.as_deref(),
            Some("explicitly associated with two route tables, rtb-1 and rtb-2")
        );
    }
    // eni-b -> eni-a: stops at subnet-b's unknown routes; eni-a -> eni-b: subnet-a routes via
    // rtb-main (local), then its unknown outbound NACL.
    for (from, to, kind, detail) in [
        ("eni-b", "eni-a", "route-table", "routes of subnet-b unknown: explicitly associated with two route tables, rtb-1 and rtb-2"),
        ("eni-a", "eni-b", "network-acl", "outbound NACL of subnet-a unknown: associated with two NACLs, acl-allow and acl-deny"),
    ] {
        let (_, v) = reach_json(
            "loader/order-conflicts",
            &["--from", from, "--to", to, "--port", "22"],
        );
        assert_eq!(v["verdict"], "unreachable", "{v:#}");
        let blocked = v["blocked"].as_array().expect("blocked");
        // eni-a -> eni-b goes on past the unknown NACL as a ghost (both legs): the reply starts
        // in subnet-b, whose routes are unknown (return leg). Unknown routes end a path: eni-b ->
        // eni-a stops there, one blocker.
        let both_legs = kind == "network-acl";
        assert_eq!(blocked.len(), 1 + usize::from(both_legs), "{v:#}");
        assert_eq!(blocked[0]["code"], "SNAPSHOT_INCOMPLETE");
        assert_eq!(blocked[0]["kind"], kind);
        assert_eq!(blocked[0]["detail"], detail);
        if both_legs {
            assert_eq!(blocked[1]["leg"], "return", "{v:#}");
            assert_eq!(blocked[1]["component"], "subnet-b", "{v:#}");
            assert_eq!(blocked[1]["kind"], "route-table", "{v:#}");
        }
    }
}

/// `loader/duplicate-rules`: acl-dup (subnet-a) has two inbound entries numbered 100, allow all
/// first in the file, deny tcp 22 second. AWS refuses such a pair; the snapshot has it, so the
/// deny is evaluated first whatever the order, with a warning: tcp 22 from eni-b is denied by
/// rule 100 (deny), tcp 443 matches only the allow. Reversing the entries changes nothing.
#[test]
fn duplicate_nacl_rule_numbers_take_the_deny_whatever_the_order() {
    let expect = |t: &Topology| {
        let d = diag_at(t, DiagCode::Inconsistent, "/NetworkAcls/1/Entries");
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.message,
            "acl-dup has two inbound entries numbered 100: the deny is evaluated first (whatever their order in the file)"
        );
        assert_eq!(problems(t).len(), 1, "{:#?}", t.diagnostics.0);
        let acl = the!(t, network_acls, "acl-dup");
        type Entry = (u16, RuleAction, Option<(u16, u16)>);
        let inbound: Vec<Entry> = acl
            .inbound
            .iter()
            .map(|e| (e.rule_number, e.action, e.ports))
            .collect();
        assert_eq!(
            inbound,
            vec![
                (100, RuleAction::Deny, Some((22, 22))),
                (100, RuleAction::Allow, None),
                (32767, RuleAction::Deny, None),
                (32768, RuleAction::Deny, None),
            ]
        );
    };
    let (_, t) = load("loader/duplicate-rules");
    expect(&t);
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("loader/duplicate-rules/123456789012/us-east-1");
    let dst = dir.path().join("123456789012/us-east-1");
    std::fs::create_dir_all(&dst).expect("mkdir");
    for e in std::fs::read_dir(&src).expect("fixture") {
        let p = e.expect("entry").path();
        let mut text = std::fs::read_to_string(&p).expect("read");
        if p.ends_with("describe-network-acls.json") {
            let mut v: Value = serde_json::from_str(&text).expect("JSON");
            if let Some(entries) = v["NetworkAcls"][1]["Entries"].as_array_mut() {
                entries.reverse();
            }
            text = v.to_string();
        }
        std::fs::write(dst.join(p.file_name().expect("name")), text).expect("write");
    }
    expect(&model::build(snapshot::load(dir.path()).expect("readable")));
    let (_, v) = reach_json(
        "loader/duplicate-rules",
        &["--from", "eni-b", "--to", "eni-a", "--port", "22"],
    );
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(v["blocked"][0]["component"], "acl-dup");
    assert_eq!(
        v["blocked"][0]["rule"],
        "rule 100 deny tcp 22 from 0.0.0.0/0"
    );
    let (_, v) = reach_json(
        "loader/duplicate-rules",
        &["--from", "eni-b", "--to", "eni-a", "--port", "443"],
    );
    assert_eq!(v["verdict"], "reachable", "{v:#}");
}
