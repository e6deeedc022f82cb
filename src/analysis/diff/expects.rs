//! `[[expect]]` entries on both sides of a diff: evaluated as `check` evaluates them (waivers
//! aside), reported when the verdict changed, explained by the configuration differences on
//! the components their direct walks and blockers touch and on the relays they go through.

use super::{state, Side};
use crate::analysis::check::{
    ask::source_forms,
    expect::evaluate,
    relays::{instance_of, Discovered},
};
use crate::config::Config;
use crate::engine::Question;
use crate::findings::check::{ExpectationResult, Status};
use crate::findings::diff::{Because, ExpectationChange, State};
use std::collections::BTreeSet;

/// One side's verdict, whether it held, and the components it touched.
fn side(
    s: Side<'_, '_>,
    cfg: &Config,
    e: &crate::config::Expectation,
    discovered: &Discovered,
) -> (State, bool, BTreeSet<String>) {
    let (t, engine) = s;
    let mut touched = BTreeSet::new();
    touched.insert(e.from.clone());
    touched.insert(e.to.trim_start_matches("cache:").to_string());
    for f in source_forms(cfg, &e.from) {
        let q = Question {
            from: f,
            to: e.to.clone(),
            protocol: e.protocol.clone(),
            ports: e.port.clone(),
            ephemeral: None,
        };
        if let Ok(a) = engine.ask(&q) {
            for p in &a.paths {
                touched.extend(
                    p.forward
                        .iter()
                        .chain(&p.return_)
                        .map(|h| h.component.clone()),
                );
            }
            touched.extend(a.blocked.iter().map(|b| b.component.clone()));
        }
    }
    match evaluate(t, engine, cfg, e, discovered) {
        Ok((r, _)) => {
            add_ways(t, &r, &mut touched);
            (state(r.actual), r.status == Status::Held, touched)
        }
        Err(_) => (State::Absent, false, touched),
    }
}

fn add_ways(t: &crate::model::Topology, r: &ExpectationResult, touched: &mut BTreeSet<String>) {
    touched.extend(r.blockers.iter().map(|b| b.component.clone()));
    for w in &r.ways {
        if let Some(i) = w.relay.as_deref().and_then(|h| instance_of(t, h)) {
            touched.insert(i.id.clone());
            for e in &i.network_interfaces {
                touched.insert(t.network_interfaces[e.i()].id.clone());
            }
        }
    }
}

/// The expectations whose verdict changed.
pub fn changes(
    before: Side<'_, '_>,
    after: Side<'_, '_>,
    cfg: &Config,
    discovered: (&Discovered, &Discovered),
    explain: &mut dyn FnMut(&BTreeSet<String>) -> Vec<Because>,
) -> Vec<ExpectationChange> {
    let mut out = Vec::new();
    for e in &cfg.expects {
        let (a, held_a, ta) = side(before, cfg, e, discovered.0);
        let (b, held_b, tb) = side(after, cfg, e, discovered.1);
        if a == b {
            continue;
        }
        let touched: BTreeSet<String> = ta.union(&tb).cloned().collect();
        let outside = e.from == "internet" || cfg.sources.iter().any(|s| s.name == e.from);
        out.push(ExpectationChange {
            name: e.name.clone(),
            from: e.from.clone(),
            to: e.to.clone(),
            port: e.port.clone().unwrap_or_else(|| "default".into()),
            before: a,
            after: b,
            held_before: held_a,
            held_after: held_b,
            new_exposure: outside && !a.reaches() && b.reaches(),
            because: explain(&touched),
        });
    }
    out
}
