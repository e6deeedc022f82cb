//! `vpcreach check`: the policy file's `[[expect]]` entries, `[rules]` and `[[waive]]` entries
//! evaluated against one loaded snapshot with one engine (expectations in parallel with rayon;
//! the engine answers from several threads at once).
//!
//! One file per concern: [`ask`] (one question, named sources as their blocks), [`relays`]
//! (which relay, its two legs), [`expect`] (the ways of one expectation), [`rules`] (findings
//! as invariants), [`waivers`] (exceptions, expired and unused ones), [`ssm_findings`] (the
//! findings this branch can produce before audit's are merged).

pub mod ask;
pub mod expect;
pub mod relays;
pub mod rules;
pub mod ssm_findings;
pub mod waivers;

use crate::config::Config;
use crate::engine::Engine;
use crate::findings::audit::AuditFinding;
use crate::findings::check::{CheckReport, CheckSummary, Status, CHECK_FORMAT};
use crate::model::Topology;
use rayon::prelude::*;

/// What a check needs besides the snapshot.
pub struct CheckInput<'a> {
    pub config: &'a Config,
    /// The audit findings the rules select from.
    pub findings: &'a [AuditFinding],
    /// The relays the audit discovered: ways of expectations that count any way.
    pub discovered: &'a relays::Discovered,
    /// The date waivers are judged at.
    pub today: jiff::civil::Date,
    /// `--allow-incomplete`: an incomplete snapshot does not fail the check.
    pub allow_incomplete: bool,
    /// The snapshot's name (for the report).
    pub snapshot: String,
}

/// Run the check. `Err` lists the expectations that cannot be asked (each `file:line:col:
/// message`): a configuration error, not a violation.
pub fn run(
    t: &Topology,
    engine: &Engine<'_>,
    input: &CheckInput<'_>,
) -> Result<CheckReport, Vec<String>> {
    let config = input.config;
    let evaluated: Vec<_> = config
        .expects
        .par_iter()
        .map(|e| {
            expect::evaluate(t, engine, config, e, input.discovered).map_err(|m| {
                format!(
                    "{}:{}:{}: expect {:?}: {m}",
                    config.file.display(),
                    e.at.line,
                    e.at.column,
                    e.name
                )
            })
        })
        .collect();
    let mut errors = Vec::new();
    let mut expectations = Vec::new();
    let mut incomplete: Vec<String> = t.completeness.files.iter().map(|f| f.describe()).collect();
    incomplete.extend(crate::model::unknown_subnet_data(t));
    for r in evaluated {
        match r {
            Ok((e, inc)) => {
                expectations.push(e);
                incomplete.extend(inc);
            }
            Err(m) => errors.push(m),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    incomplete.sort();
    incomplete.dedup();
    let mut rules = rules::evaluate(config.rules.as_ref(), input.findings);
    let waivers = waivers::apply(&config.waivers, input.today, &mut expectations, &mut rules);
    let count = |s: Status| expectations.iter().filter(|e| e.status == s).count();
    let violated = count(Status::Violated);
    let rules_violated = rules
        .iter()
        .filter(|r| r.status == Status::Violated)
        .count();
    let findings = rules
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.waiver.is_none())
        .count();
    let findings_waived = rules
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.waiver.is_some())
        .count();
    let is_incomplete = !incomplete.is_empty();
    let summary = CheckSummary {
        passed: violated == 0 && rules_violated == 0 && (!is_incomplete || input.allow_incomplete),
        expectations: expectations.len(),
        expectations_held: count(Status::Held),
        expectations_violated: violated,
        expectations_waived: count(Status::Waived),
        rules: rules.len(),
        rules_violated,
        findings,
        findings_waived,
        incomplete: is_incomplete,
        incomplete_allowed: is_incomplete && input.allow_incomplete,
    };
    Ok(CheckReport {
        format_version: CHECK_FORMAT,
        config: config.file.display().to_string(),
        snapshot: input.snapshot.clone(),
        summary,
        incomplete,
        expectations,
        rules,
        waivers,
        plan: None,
    })
}
