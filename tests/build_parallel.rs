//! The model build runs scopes on both cores (`src/model/build/scopes.rs`); its result must not
//! depend on how many threads ran it or in which order they finished: every arena (so every
//! index), every diagnostic and its order, what is known to be missing. Each snapshot is built
//! on a one-thread pool and on a four-thread pool and the two models compared whole (the id
//! index is compared through the arenas' resolved references).

#[path = "support/synth_org/mod.rs"]
mod synth_org;

use std::path::Path;
use vpcreach::model::Topology;

/// Everything the build decides, as text (the id index aside: its hash map's iteration order is
/// randomly keyed; every reference it resolved is in the arenas).
fn fingerprint(t: &Topology) -> String {
    let mut s = String::new();
    let mut put = |name: &str, v: String| {
        s.push_str(name);
        s.push('\n');
        s.push_str(&v);
        s.push('\n');
    };
    put("scopes", format!("{:#?}", t.scopes));
    put("vpcs", format!("{:#?}", t.vpcs));
    put("subnets", format!("{:#?}", t.subnets));
    put("route_tables", format!("{:#?}", t.route_tables));
    put("network_acls", format!("{:#?}", t.network_acls));
    put("security_groups", format!("{:#?}", t.security_groups));
    put("network_interfaces", format!("{:#?}", t.network_interfaces));
    put("instances", format!("{:#?}", t.instances));
    put("elastic_ips", format!("{:#?}", t.elastic_ips));
    put("internet_gateways", format!("{:#?}", t.internet_gateways));
    put("eigws", format!("{:#?}", t.egress_only_internet_gateways));
    put("nat_gateways", format!("{:#?}", t.nat_gateways));
    put("vpc_endpoints", format!("{:#?}", t.vpc_endpoints));
    put("prefix_lists", format!("{:#?}", t.prefix_lists));
    put("peerings", format!("{:#?}", t.vpc_peering_connections));
    put("tgws", format!("{:#?}", t.transit_gateways));
    put("tgw_atts", format!("{:#?}", t.transit_gateway_attachments));
    put("tgw_rts", format!("{:#?}", t.transit_gateway_route_tables));
    put(
        "cache_subnet_groups",
        format!("{:#?}", t.cache_subnet_groups),
    );
    put("cache_clusters", format!("{:#?}", t.cache_clusters));
    put("replication_groups", format!("{:#?}", t.replication_groups));
    put("serverless", format!("{:#?}", t.serverless_caches));
    put("load_balancers", format!("{:#?}", t.load_balancers));
    put("listeners", format!("{:#?}", t.listeners));
    put("target_groups", format!("{:#?}", t.target_groups));
    put("endpoint_services", format!("{:#?}", t.endpoint_services));
    put("resource_gateways", format!("{:#?}", t.resource_gateways));
    put(
        "resource_configs",
        format!("{:#?}", t.resource_configurations),
    );
    put("missing_data", format!("{:#?}", t.missing_data));
    put("completeness", format!("{:#?}", t.completeness));
    let diags: Vec<String> = t.diagnostics.iter().map(|d| d.to_string()).collect();
    put("diagnostics", diags.join("\n"));
    s
}

fn built_with(threads: usize, dir: &Path) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| {
        let snap = vpcreach::snapshot::load(dir).expect("fixture loads");
        fingerprint(&vpcreach::model::build(snap))
    })
}

fn same_on_one_and_four_threads(dir: &Path, label: &str) {
    let one = built_with(1, dir);
    let four = built_with(4, dir);
    if one != four {
        let at = one
            .lines()
            .zip(four.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let context: Vec<&str> = one.lines().skip(at.saturating_sub(5)).take(10).collect();
        panic!(
            "{}: the model differs between 1 and 4 threads at line {at}:\n{}\n--- 4 threads:\n{}",
            dir.display(),
            context.join("\n"),
            four.lines().nth(at).unwrap_or("")
        );
    }
    if let Some(out) = std::env::var_os("VPCREACH_FINGERPRINT_DIR") {
        std::fs::write(Path::new(&out).join(label.replace('/', "_")), one)
            .expect("write fingerprint");
    }
}

/// Fixtures with several scopes, cross-scope references, and diagnostics made in each pass.
#[test]
fn fixtures_build_the_same_on_any_number_of_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for dir in [
        "demo",
        "loader/multi-scope",
        "loader/shared-tgw",
        "loader/duplicates",
        "loader/dangling",
        "loader/foreign-owner",
        "loader/impossible-values",
        "loader/order-conflicts",
        "loader/rejected-elements",
        "loader/unreadable-containers",
        "loader/privatelink",
        "loader/tgw-defaults",
        "loader/bad-entries",
    ] {
        let d = root.join(dir);
        assert!(d.is_dir(), "fixture {dir} exists");
        same_on_one_and_four_threads(&d, dir);
    }
}

/// A synthetic organisation: 6 scopes (3 accounts × 2 regions), each with transit gateways,
/// peerings, caches and thousands of interfaces.
#[test]
fn a_synthetic_organisation_builds_the_same_on_any_number_of_threads() {
    let dir = std::env::temp_dir().join(format!("vpcreach-build-parallel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let spec = synth_org::OrgSpec::scale(300, 3000, 600);
    synth_org::write_snapshot(&spec, &dir).expect("write the organisation");
    same_on_one_and_four_threads(&dir, "synthetic-org");
    std::fs::remove_dir_all(&dir).ok();
}
