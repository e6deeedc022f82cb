//! One engine question of an expectation (or of a relay leg), with a named `[sources]` range
//! standing for its CIDR blocks.
//!
//! The engine accepts a CIDR block as a source, so a named source of several blocks is asked
//! once per block and the verdicts are combined: **reachable** when every block is reachable,
//! **unreachable** when none reaches (every block unreachable), else **partial** ([`combine`]).

use crate::config::Config;
use crate::engine::{Answer, ComponentKind, Engine, Question, Verdict};
use crate::findings::check::CheckBlocker;

/// What one (possibly multi-block) question found.
#[derive(Clone, Debug)]
pub struct Asked {
    pub verdict: Verdict,
    /// Every blocker of every answer (labelled with the way), without duplicates.
    pub blockers: Vec<CheckBlocker>,
    /// SNAPSHOT_INCOMPLETE reasons of the answers.
    pub incomplete: Vec<String>,
    /// The VPC endpoints the forward legs of the answers' paths and walked paths cross, in
    /// order, without duplicates: the endpoint the traffic really enters (with overlapping
    /// CIDRs, asking one endpoint's address may land on another VPC's endpoint, L1).
    pub endpoints: Vec<String>,
}

impl Asked {
    /// A leg decided without the engine (a relay that does not forward there, an SSM host).
    pub fn decided(verdict: Verdict, blockers: Vec<CheckBlocker>) -> Self {
        Asked {
            verdict,
            blockers,
            incomplete: Vec::new(),
            endpoints: Vec::new(),
        }
    }
}

/// Reachable when all are, unreachable when all are (or there are none), else partial.
pub fn combine(verdicts: &[Verdict]) -> Verdict {
    if !verdicts.is_empty() && verdicts.iter().all(|v| *v == Verdict::Reachable) {
        Verdict::Reachable
    } else if verdicts.iter().all(|v| *v == Verdict::Unreachable) {
        Verdict::Unreachable
    } else {
        Verdict::Partial
    }
}

/// The better of two verdicts (reachable > partial > unreachable): for "any way".
pub fn best(a: Verdict, b: Verdict) -> Verdict {
    let rank = |v: Verdict| match v {
        Verdict::Unreachable => 0,
        Verdict::Partial => 1,
        Verdict::Reachable => 2,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// The source forms a `from` stands for: a `[sources]` name's blocks, else itself.
pub fn source_forms(config: &Config, from: &str) -> Vec<String> {
    match config.sources.iter().find(|s| s.name == from) {
        Some(s) => s.blocks.iter().map(|b| b.to_string()).collect(),
        None => vec![from.to_string()],
    }
}

/// Ask `from → to` (each source form) and combine; `way` labels the blockers.
pub fn ask(
    engine: &Engine<'_>,
    config: &Config,
    from: &str,
    to: &str,
    protocol: &str,
    ports: Option<&str>,
    way: &str,
) -> Result<Asked, String> {
    let mut answers: Vec<Answer> = Vec::new();
    for f in source_forms(config, from) {
        let q = Question {
            from: f.clone(),
            to: to.to_string(),
            protocol: protocol.to_string(),
            ports: ports.map(str::to_string),
            ephemeral: None,
        };
        answers.push(
            engine
                .ask(&q)
                .map_err(|e| format!("{way}: {f} -> {to}: {e}"))?,
        );
    }
    let verdict = combine(&answers.iter().map(|a| a.verdict).collect::<Vec<_>>());
    let mut blockers: Vec<CheckBlocker> = Vec::new();
    let mut incomplete = Vec::new();
    for a in &answers {
        for b in &a.blocked {
            let cb = CheckBlocker {
                code: b.code,
                component: b.component.clone(),
                way: way.to_string(),
                detail: b.detail.clone(),
            };
            if !blockers
                .iter()
                .any(|x| x.code == cb.code && x.component == cb.component && x.detail == cb.detail)
            {
                blockers.push(cb);
            }
        }
        incomplete.extend(a.incomplete_reasons());
    }
    incomplete.sort();
    incomplete.dedup();
    let mut endpoints: Vec<String> = Vec::new();
    for a in &answers {
        let hops = a
            .paths
            .iter()
            .flat_map(|p| &p.forward)
            .chain(a.walked.iter().flat_map(|w| &w.forward));
        for h in hops.filter(|h| h.kind == ComponentKind::VpcEndpoint) {
            if !endpoints.contains(&h.component) {
                endpoints.push(h.component.clone());
            }
        }
    }
    Ok(Asked {
        verdict,
        blockers,
        incomplete,
        endpoints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_combine_per_block_and_best_of_ways() {
        use Verdict::*;
        assert_eq!(combine(&[Reachable, Reachable]), Reachable);
        assert_eq!(combine(&[Unreachable, Unreachable]), Unreachable);
        assert_eq!(combine(&[Reachable, Unreachable]), Partial);
        assert_eq!(combine(&[Partial]), Partial);
        assert_eq!(combine(&[]), Unreachable);
        assert_eq!(best(Unreachable, Partial), Partial);
        assert_eq!(best(Reachable, Partial), Reachable);
    }
}
