//! The engine target: a valid random network drawn from the bytes, then every analysis on it.

use super::netgen::{generate_with, Features, Rng, Spec, ACCOUNT, REGION};
use std::path::Path;
use vpcreach::analysis::audit::{audit, AuditInput};
use vpcreach::analysis::overlaps::{analyze, OverlapOptions};
use vpcreach::diag::{Diagnostics, Severity};
use vpcreach::engine::{Engine, Question};
use vpcreach::model::Topology;
use vpcreach::snapshot::{load_entries, Entry, Source};

/// Ids are the same in every network (the bytes shape the network, not its names).
const SEED: u64 = 0x5eed;

/// The network's snapshot files, in memory, loaded and built.
fn topology(spec: &Spec) -> Topology {
    let entries = spec
        .files()
        .into_iter()
        .map(|(name, doc)| Entry {
            rel: format!("{ACCOUNT}/{REGION}/{name}"),
            source: Source::Bytes(serde_json::to_vec_pretty(&doc).expect("JSON")),
        })
        .collect();
    let snap = load_entries(Path::new("<fuzz>"), entries, Diagnostics::default());
    let t = vpcreach::model::build(snap);
    let errors: Vec<String> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "a generated snapshot loads without errors: {errors:#?}\n{}",
        spec.dump()
    );
    t
}

/// A source or target for a question: an id of the network, an address, a block, `internet`.
fn endpoint(r: &mut Rng, s: &Spec) -> String {
    let addrs = s.used_addresses();
    match r.below(10) {
        0 if !s.enis.is_empty() => s.enis[r.below(s.enis.len())].id.clone(),
        1 if !addrs.is_empty() => addrs[r.below(addrs.len())].to_string(),
        2 if !s.subnets.is_empty() => s.subnets[r.below(s.subnets.len())].id.clone(),
        3 if !s.sgs.is_empty() => s.sgs[r.below(s.sgs.len())].id.clone(),
        4 => s.vpcs[r.below(s.vpcs.len())].id.clone(),
        5 => "internet".into(),
        6 => r
            .pick(&[
                "0.0.0.0/0",
                "10.1.0.0/16",
                "10.1.1.0/28",
                "::/0",
                "203.0.113.0/24",
            ])
            .to_string(),
        7 => format!("{}/10.1.1.5", s.vpcs[r.below(s.vpcs.len())].id),
        8 if !s.enis.is_empty() => match &s.enis[r.below(s.enis.len())].kind {
            super::netgen::EniKind::Instance { id, .. } => id.clone(),
            super::netgen::EniKind::Detached => "198.51.100.7".into(),
        },
        _ => r
            .pick(&["198.51.100.7", "2001:db8::7", "10.2.1.10"])
            .to_string(),
    }
}

/// One analysis of the network, drawn from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Analysis {
    /// A `reach` question, answered and rendered (JSON, table).
    Reach,
    /// `overlaps` (with or without the renumbering plan), rendered (JSON, table).
    Overlaps,
    /// The audit, rendered (JSON, Markdown).
    Audit,
}

/// Generate, load, then one analysis drawn from the input, rendered; panic when a property
/// fails. One analysis per execution, not all of them: a broad question (`0.0.0.0/0` to a whole
/// VPC, every protocol) can take a good part of a second, and AFL learns more from an execution
/// whose coverage belongs to one analysis. Over a run every analysis gets about a third of the
/// inputs.
pub fn engine(data: &[u8]) {
    let Some((flags, body)) = data.split_first() else {
        return;
    };
    let feat = Features {
        peering: flags & 1 != 0,
        igw: flags & 2 != 0,
        tgw: flags & 4 != 0,
        nat: flags & 8 != 0,
        ipv6: flags & 16 != 0,
        prefix_lists: flags & 32 != 0,
        endpoints: flags & 64 != 0,
    };
    let mut r = Rng::from_bytes(body, SEED);
    let spec = generate_with(&mut r, SEED, feat);
    let t = topology(&spec);
    let analysis = *r.pick(&[Analysis::Reach, Analysis::Overlaps, Analysis::Audit]);
    match analysis {
        Analysis::Reach => {
            let engine = Engine::new(&t);
            let question = Question {
                from: endpoint(&mut r, &spec),
                to: endpoint(&mut r, &spec),
                protocol: r
                    .pick(&["tcp", "udp", "icmp", "icmpv6", "all", "50"])
                    .to_string(),
                ports: match r.below(4) {
                    0 => None,
                    1 => Some("22".into()),
                    2 => Some("1024-65535".into()),
                    _ => Some(r.pick(&["0", "443", "6379", "3"]).to_string()),
                },
                ephemeral: r.chance(0.2).then_some((32768, 60999)),
            };
            if let Ok(answer) = engine.ask(&question) {
                let json = vpcreach::render::json::to_json(&answer);
                assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
                vpcreach::render::reach_table::answer(&answer);
            }
        }
        Analysis::Overlaps => {
            let opts = OverlapOptions {
                plan: r.chance(0.5),
                pool: None,
                what_if: None,
            };
            if let Ok(report) = analyze(&t, "fuzz", &opts) {
                vpcreach::render::json::to_json(&report);
                vpcreach::render::table::overlaps(&report);
            }
        }
        Analysis::Audit => {
            let engine = Engine::new(&t);
            let input = AuditInput {
                snapshot: "fuzz".into(),
                config: None,
                ranges: Vec::new(),
                relays: Vec::new(),
            };
            let report = audit(&t, &engine, &input);
            vpcreach::render::json::to_json(&report);
            vpcreach::render::audit_markdown::report(&report);
        }
    }
}
