//! One `[[expect]]`: the ways that count (direct, through `via`, or any: direct and every
//! relay of [`super::relays::any_way`], declared or discovered), their verdicts, and whether the expectation holds.
//!
//! The expectation's verdict is the best over the ways that count (reachable > partial >
//! unreachable): "unreachable" means no counted way gets through at all.

use super::ask::{ask, best, Asked};
use super::relays::{self, Discovered, Leg2};
use crate::config::{Config, Expectation, Want, Way};
use crate::engine::{Engine, Verdict};
use crate::findings::check::{ExpectationResult, Position, Status, WayResult};
use crate::model::Topology;

/// The engine verdict an expectation wants.
pub fn wanted(w: Want) -> Verdict {
    match w {
        Want::Reachable => Verdict::Reachable,
        Want::Partial => Verdict::Partial,
        Want::Unreachable => Verdict::Unreachable,
    }
}

/// Evaluate one expectation (waivers are applied later). `Err` when a question cannot be
/// asked (a source or target that names nothing, a `via` that names no relay or instance).
pub fn evaluate(
    t: &Topology,
    engine: &Engine<'_>,
    config: &Config,
    e: &Expectation,
    discovered: &Discovered,
) -> Result<(ExpectationResult, Vec<String>), String> {
    let q = Leg2 {
        from: &e.from,
        to: &e.to,
        protocol: &e.protocol,
        port: e.port.as_deref(),
    };
    let mut ways: Vec<WayResult> = Vec::new();
    let mut asked: Vec<Asked> = Vec::new();
    if matches!(e.way, Way::Any | Way::Direct) {
        let a = ask(
            engine,
            config,
            &e.from,
            &e.to,
            &e.protocol,
            e.port.as_deref(),
            "direct",
        )?;
        ways.push(WayResult {
            kind: "direct".into(),
            relay: None,
            relay_kind: None,
            verdict: a.verdict,
            legs: vec![format!("{} -> {}: {}", e.from, e.to, a.verdict)],
        });
        asked.push(a);
    }
    let throughs = match &e.way {
        Way::Direct => Vec::new(),
        Way::Any => relays::any_way(t, config, discovered, e),
        Way::Via(v) => match relays::find(t, config, v) {
            Some(r) => vec![r],
            None => {
                return Err(format!(
                    "via {v:?} names no declared [[relay]] and no instance in the snapshot"
                ))
            }
        },
    };
    for through in &throughs {
        let (w, legs) = relays::way(t, engine, config, through, &q)?;
        ways.push(w);
        asked.extend(legs);
    }
    let actual = ways
        .iter()
        .map(|w| w.verdict)
        .reduce(best)
        .unwrap_or(Verdict::Unreachable);
    let expected = wanted(e.want);
    let held = actual == expected;
    let blockers = if held || expected == Verdict::Unreachable {
        Vec::new()
    } else {
        asked.iter().flat_map(|a| a.blockers.clone()).collect()
    };
    let through_text = match ways.iter().find(|w| w.verdict != Verdict::Unreachable) {
        Some(w) if !held && expected == Verdict::Unreachable => match &w.relay {
            Some(r) => format!(" (through {r})"),
            None => " (directly)".to_string(),
        },
        _ => String::new(),
    };
    let detail = format!(
        "expected {expected}, found {actual}{through_text} for {} -> {} {}/{}",
        e.from,
        e.to,
        e.protocol,
        e.port.as_deref().unwrap_or("default")
    );
    let mut incomplete: Vec<String> = asked.iter().flat_map(|a| a.incomplete.clone()).collect();
    incomplete.sort();
    incomplete.dedup();
    Ok((
        ExpectationResult {
            name: e.name.clone(),
            at: Position {
                line: e.at.line,
                column: e.at.column,
            },
            from: e.from.clone(),
            to: e.to.clone(),
            protocol: e.protocol.clone(),
            port: e.port.clone().unwrap_or_else(|| "default".into()),
            way: match e.way {
                Way::Any => "any",
                Way::Direct => "direct",
                Way::Via(_) => "via",
            }
            .into(),
            via: match &e.way {
                Way::Via(v) => Some(v.clone()),
                _ => None,
            },
            expected,
            actual,
            status: if held { Status::Held } else { Status::Violated },
            code: (!held).then_some(crate::catalogue::Code::CHECK_EXPECTATION_VIOLATED),
            waiver: None,
            ways,
            blockers,
            detail,
        },
        incomplete,
    ))
}
