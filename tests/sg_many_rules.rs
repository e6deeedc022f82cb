//! Security groups with many rules (docs/semantics.md S1–S4: a group admits what any of its
//! rules admits; a reply needs no rule): the demo snapshot with 1,000 generated ingress rules on
//! the cache group and 1,000 generated egress rules on the client's group
//! (`tests/support/many_rules.rs`). The rules are merged once per group; the answers and the
//! rule each answer cites must be those of the rules one by one.

#[path = "support/many_rules.rs"]
mod many_rules;

use many_rules::{Admit6380At, CACHE_GROUP, CACHE_NODE, CLIENT};
use vpcreach::engine::{Code, Engine, Question, Verdict};

fn topology(n: usize, admit: Option<Admit6380At>) -> vpcreach::model::Topology {
    let dir = tempfile::tempdir().expect("tempdir");
    many_rules::write(dir.path(), n, admit).expect("write snapshot");
    let snapshot = vpcreach::snapshot::load(dir.path()).expect("load");
    assert_eq!(
        snapshot.diagnostics.error_count(),
        0,
        "generated rules load"
    );
    vpcreach::model::build(snapshot)
}

/// The ingress citations at the cache node's group on the forward leg of every path.
fn ingress_rules(a: &vpcreach::engine::Answer) -> Vec<String> {
    a.paths
        .iter()
        .flat_map(|p| &p.forward)
        .filter(|h| h.component == CACHE_GROUP)
        .filter_map(|h| h.rule.clone())
        .collect()
}

/// Derivation, by hand: the client (ssm-host, 10.0.11.20) and the cache node (10.0.11.57) are
/// in subnet private-a, so no NACL is crossed; the client's group keeps its allow-all egress
/// rule (S2); on the cache group only the inserted rule 637 (`tcp 6380 from 10.0.11.20/32`)
/// admits tcp 6380 from 10.0.11.20 (every generated peer lies outside 10.0.0.0/16 or names
/// another group, see many_rules.rs), and the reply needs no rule (S4, stateful). So: reachable,
/// and the ingress hop cites that rule and only it.
#[test]
fn one_rule_among_a_thousand_admits_and_is_cited() {
    let t = topology(1_000, Some(Admit6380At(637)));
    assert_eq!(
        t.security_groups
            .iter()
            .find(|g| g.id == CACHE_GROUP)
            .map(|g| g.inbound.len()),
        Some(1_003),
        "the demo's three rules (one tcp 6379 permission naming three groups: haproxy, ssm-host and demo-redis-gateway) and 1,000 more"
    );
    let engine = Engine::new(&t);
    let a = engine
        .ask(&Question::tcp(CLIENT, CACHE_NODE, Some("6380")))
        .expect("answer");
    assert_eq!(a.verdict, Verdict::Reachable, "{a:#?}");
    let cited = ingress_rules(&a);
    assert!(!cited.is_empty(), "an ingress hop at {CACHE_GROUP}");
    for c in &cited {
        assert_eq!(
            c,
            &format!("{CACHE_GROUP} ingress tcp 6380 from 10.0.11.20/32")
        );
    }
    // tcp 6379: only the original group-reference rule (from ssm-host) admits it.
    let a = engine
        .ask(&Question::tcp(CLIENT, CACHE_NODE, Some("6379")))
        .expect("answer");
    assert_eq!(a.verdict, Verdict::Reachable, "{a:#?}");
    for c in ingress_rules(&a) {
        assert_eq!(
            c,
            format!("{CACHE_GROUP} ingress tcp 6379 from sg-08819528322010004")
        );
    }
}

/// Derivation, by hand: without the inserted rule nothing on the cache group admits tcp 6381
/// from 10.0.11.20 (the 1,000 generated rules name other peers), so the cache group blocks it
/// with a rule mismatch (S1: a group admits only what a rule admits), on the forward leg.
#[test]
fn a_thousand_rules_that_do_not_match_block() {
    let t = topology(1_000, None);
    let engine = Engine::new(&t);
    for _ in 0..2 {
        // Twice: the second answer comes from the merged rules cached by the first.
        let a = engine
            .ask(&Question::tcp(CLIENT, CACHE_NODE, Some("6381")))
            .expect("answer");
        assert_eq!(a.verdict, Verdict::Unreachable, "{a:#?}");
        assert!(
            a.blocked
                .iter()
                .any(|b| b.component == CACHE_GROUP && b.code == Code::ENI_SG_RULES_MISMATCH),
            "{:#?}",
            a.blocked
        );
    }
}
