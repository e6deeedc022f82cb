//! The synthetic organisation generator (`tests/support/synth_org`): a tiny org loads cleanly,
//! its counts match the spec, and the answers built in on purpose come out of the engine. And
//! the synthetic VPC blocks of the overlaps benchmark (`tests/support/overlap_topology.rs`):
//! the sweep finds exactly the pairs an all-pairs comparison finds.

use vpcreach::diag::Severity;
use vpcreach::engine::{Engine, Question, Verdict};
#[path = "support/overlap_topology.rs"]
mod overlap_topology;
#[path = "support/synth_org/mod.rs"]
mod synth_org;

use ipnet::IpNet;
use synth_org::{summarize, write_snapshot, OrgSpec};
use vpcreach::analysis::overlaps::{overlapping_pairs, vpc_blocks};

fn tiny() -> OrgSpec {
    OrgSpec::scale(5, 200, 40)
}

#[test]
fn tiny_org_loads_and_answers() {
    let spec = tiny();
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = write_snapshot(&spec, dir.path()).expect("write snapshot");
    assert!(summary.bytes > 0);
    assert_eq!(summary.files.len(), 23 * summary.scopes);

    let snapshot = vpcreach::snapshot::load(dir.path()).expect("load");
    let errors: Vec<String> = snapshot
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(errors.is_empty(), "snapshot errors: {errors:#?}");
    let t = vpcreach::model::build(snapshot);
    let problems: Vec<String> = t
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(problems.is_empty(), "model diagnostics: {problems:#?}");

    // Counts match the spec and the summary.
    assert_eq!(t.vpcs.len(), spec.vpcs);
    assert_eq!(summary.vpcs, spec.vpcs);
    assert_eq!(t.network_interfaces.len(), spec.enis);
    assert_eq!(summary.enis, spec.enis);
    assert_eq!(t.security_groups.len(), spec.security_groups);
    assert_eq!(summary.security_groups, spec.security_groups);
    assert_eq!(t.subnets.len(), spec.vpcs * spec.subnets_per_vpc);
    assert_eq!(t.instances.len(), summary.instances);
    assert_eq!(t.transit_gateways.len(), spec.tgws);
    assert_eq!(t.vpc_peering_connections.len(), spec.peerings);
    assert_eq!(t.replication_groups.len(), spec.caches);
    assert_eq!(t.cache_clusters.len(), 2 * spec.caches);
    assert_eq!(t.nat_gateways.len(), spec.vpcs);
    assert_eq!(t.transit_gateway_attachments.len(), summary.tgw_attachments);
    // Every cache node found its ENI.
    for c in &t.cache_clusters {
        for n in &c.nodes {
            assert!(
                n.network_interface.is_some(),
                "{} has a node without ENI",
                c.id
            );
        }
    }

    // Deliberate answers.
    let engine = Engine::new(&t);
    let verdict = |q: &Question| -> Verdict {
        engine
            .ask(q)
            .unwrap_or_else(|e| panic!("{q:?}: {e}"))
            .verdict
    };
    assert_eq!(
        verdict(&Question::tcp(
            &summary.probe_client,
            &summary.probe_open_server,
            Some("22")
        )),
        Verdict::Reachable
    );
    assert_eq!(
        verdict(&Question::tcp(
            &summary.probe_client,
            &summary.probe_closed_server,
            Some("22")
        )),
        Verdict::Unreachable
    );
    assert_eq!(
        verdict(&Question::tcp(
            "internet",
            &summary.public_instance,
            Some("443")
        )),
        Verdict::Reachable
    );
    let cache = summary.cache.clone().expect("a cache");
    assert_eq!(
        verdict(&Question::tcp(
            &summary.probe_client,
            format!("cache:{cache}"),
            None
        )),
        Verdict::Reachable
    );

    // Every representative question is answerable; the ones with a built-in verdict agree.
    assert!(summary.queries.len() >= 10, "{:?}", summary.queries);
    for q in &summary.queries {
        let question = Question::tcp(&q.from, &q.to, q.port.as_deref());
        let v = verdict(&question);
        if let Some(expect) = q.expect_reachable {
            assert_eq!(v == Verdict::Reachable, expect, "{q:?} gave {v}");
        }
    }
}

#[test]
fn deterministic_and_summarize_matches() {
    let spec = tiny();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let sa = write_snapshot(&spec, a.path()).expect("write a");
    let sb = write_snapshot(&spec, b.path()).expect("write b");
    assert_eq!(sa.bytes, sb.bytes);
    assert_eq!(sa.queries, sb.queries);
    for (fa, fb) in sa.files.iter().zip(&sb.files) {
        let ta = std::fs::read(fa).expect("read a");
        let tb = std::fs::read(fb).expect("read b");
        assert!(ta == tb, "{} differs", fa.display());
    }
    let dry = summarize(&spec).expect("summarize");
    assert!(dry.files.is_empty());
    assert_eq!(dry.queries, sa.queries);
    assert_eq!(dry.enis, sa.enis);

    let mut other = spec.clone();
    other.seed ^= 1;
    let so = summarize(&other).expect("summarize other");
    assert_ne!(so.probe_client, sa.probe_client);
}

#[test]
fn too_small_specs_are_refused() {
    let mut spec = tiny();
    spec.security_groups = 3;
    assert!(summarize(&spec).is_err());
    let mut spec = tiny();
    spec.enis = 10;
    assert!(summarize(&spec).is_err());
}

/// Every pair `(i, j)`, `i < j`, of overlapping blocks, the slow way. Two CIDR blocks overlap
/// exactly when one contains the other.
fn all_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..nets.len() {
        for j in i + 1..nets.len() {
            if nets[i].contains(&nets[j]) || nets[j].contains(&nets[i]) {
                out.push((i, j));
            }
        }
    }
    out
}

#[test]
fn synthetic_sweep_matches_all_pairs() {
    let t = overlap_topology::synthetic_topology(2_000, 7);
    let blocks = vpc_blocks(&t);
    let nets: Vec<IpNet> = blocks.iter().map(|b| b.net).collect();
    // The topology holds exactly the generated blocks, one per VPC.
    let mut expected: Vec<IpNet> = overlap_topology::synthetic_blocks(2_000, 7)
        .into_iter()
        .map(IpNet::V4)
        .collect();
    let mut loaded = nets.clone();
    expected.sort_unstable();
    loaded.sort_unstable();
    assert_eq!(loaded, expected);
    let mut got = overlapping_pairs(&nets);
    got.sort_unstable();
    assert_eq!(got, all_pairs(&nets));
}

/// Timing of CIDR-source questions (issue 9 §4) on a synthetic organisation: a subnet's block,
/// a VPC's block, 10.0.0.0/8 and 0.0.0.0/0 (every interface of the organisation, one walk per
/// interface and per subnet of unheld addresses) to one instance. Scale from
/// `SYNTH_CIDR_SCALE=full` (1,000 VPCs / 100,000 ENIs) or small (50 / 5,000, default):
/// `SYNTH_CIDR_SCALE=full cargo test --release --test synth cidr_source_timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn cidr_source_timing() {
    let spec = match std::env::var("SYNTH_CIDR_SCALE").as_deref() {
        Ok("full") => OrgSpec::scale(1_000, 100_000, 20_000),
        _ => OrgSpec::scale(50, 5_000, 1_000),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = write_snapshot(&spec, dir.path()).expect("write snapshot");
    let t = vpcreach::model::build(vpcreach::snapshot::load(dir.path()).expect("load"));
    let engine = Engine::new(&t);
    let subnet = t.subnets[0]
        .cidr_v4
        .map(|c| c.to_string())
        .unwrap_or_default();
    let vpc = t.vpcs[0].cidrs_v4[0].to_string();
    for from in [subnet.as_str(), vpc.as_str(), "10.0.0.0/8", "0.0.0.0/0"] {
        let q = Question::tcp(from, &summary.probe_open_server, Some("22"));
        let start = std::time::Instant::now();
        let a = engine.ask(&q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        eprintln!(
            "{} ENIs: --from {from} --to {}: {} sources, {} in {:.1} ms",
            t.network_interfaces.len(),
            summary.probe_open_server,
            a.question.sources.len(),
            a.verdict,
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
