//! The result of `vpcreach check`: every `[[expect]]` and every selected rule of the policy
//! file, each held, violated or waived, located at its line in the file; expired and unused
//! waivers; whether the snapshot was complete. Plain serializable data (the JSON contract of
//! `check --format json`, `format_version` 1); `crate::analysis::check` produces it, the
//! renderers under `crate::render` print it as text, JSON, SARIF, JUnit XML or GitHub
//! annotations.

use super::audit::AuditFinding;
use crate::catalogue::{Code, Severity};
use crate::engine::Verdict;
use serde::Serialize;

/// Format version of the check JSON.
pub const CHECK_FORMAT: u32 = 1;

/// The whole check.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CheckReport {
    /// Always 1 for this shape; fields are only ever added.
    pub format_version: u32,
    /// The policy file (as given on the command line).
    pub config: String,
    /// The snapshot checked.
    pub snapshot: String,
    /// Counts, and whether the check passed.
    pub summary: CheckSummary,
    /// Why the snapshot is incomplete (files that did not load, answers resting on missing
    /// data: SNAPSHOT_INCOMPLETE); empty when complete.
    pub incomplete: Vec<String>,
    /// Every `[[expect]]`, in file order.
    pub expectations: Vec<ExpectationResult>,
    /// Every selected rule (finding code), in code order.
    pub rules: Vec<RuleResult>,
    /// Waivers that expired (CHECK_WAIVER_EXPIRED) or waive nothing (CHECK_WAIVER_UNUSED).
    pub waivers: Vec<WaiverNote>,
    /// With `--plan`: the Terraform / OpenTofu plan applied to the snapshot before checking
    /// (changes applied, those not evaluated, what the planned state assumes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::tfplan::Applied>,
}

/// Counts of a check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CheckSummary {
    /// True when nothing is violated and the snapshot is complete (or `--allow-incomplete`).
    pub passed: bool,
    pub expectations: usize,
    pub expectations_held: usize,
    pub expectations_violated: usize,
    pub expectations_waived: usize,
    /// Selected rules.
    pub rules: usize,
    /// Rules with at least one unwaived finding.
    pub rules_violated: usize,
    /// Unwaived findings of selected rules.
    pub findings: usize,
    /// Findings of selected rules that a waiver covers.
    pub findings_waived: usize,
    /// The snapshot is incomplete (SNAPSHOT_INCOMPLETE).
    pub incomplete: bool,
    /// The incompleteness was accepted with `--allow-incomplete`.
    pub incomplete_allowed: bool,
}

/// Held, violated or waived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The expectation holds / the rule has no unwaived finding.
    Held,
    /// It does not.
    Violated,
    /// It does not, and a current waiver accepts that.
    Waived,
}

impl Status {
    /// `held`, `violated`, `waived`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Violated => "violated",
            Status::Waived => "waived",
        }
    }
}

/// A position in the policy file (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One way from the source to the target that the expectation considered.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WayResult {
    /// `direct`, or `relay` (through `relay`).
    pub kind: String,
    /// The relay's host as declared or given (`via`), for `relay`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
    /// `tcp-proxy`, `ssh-bastion`, `ssm-port-forward`, `nat-instance`, `http-proxy`, or
    /// `instance` (an undeclared instance named by `via`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_kind: Option<String>,
    pub verdict: Verdict,
    /// What happened on each leg (`office -> i-…: tcp 6379 reachable`).
    pub legs: Vec<String>,
}

/// Something that stops (or, for an expected-unreachable target, lets through) the flow.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CheckBlocker {
    /// The engine's explanation code (`vpcreach explain CODE`).
    pub code: Code,
    pub component: String,
    /// Which way and leg (`direct`, `via i-… leg 1`).
    pub way: String,
    pub detail: String,
}

/// The result of one `[[expect]]`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ExpectationResult {
    pub name: String,
    /// Where its `[[expect]]` table starts.
    pub at: Position,
    pub from: String,
    pub to: String,
    pub protocol: String,
    /// The ports asked (`6379`, `default` = the cache's ports).
    pub port: String,
    /// `any` (direct or through any declared relay), `direct`, or `via`.
    pub way: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The verdict the file expects.
    pub expected: Verdict,
    /// The verdict found (over the ways that count).
    pub actual: Verdict,
    pub status: Status,
    /// CHECK_EXPECTATION_VIOLATED when violated or waived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// The waiver's reason, when waived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
    /// Every way considered, with its verdict.
    pub ways: Vec<WayResult>,
    /// When violated: the blockers (expected reachable) or nothing (expected unreachable; see
    /// `ways` for the way that gets through).
    pub blockers: Vec<CheckBlocker>,
    /// One line saying what was found.
    pub detail: String,
}

/// One finding of a selected rule.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RuleFinding {
    #[serde(flatten)]
    pub finding: AuditFinding,
    /// The waiver's reason, when a current waiver covers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
}

/// One selected rule (finding code).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RuleResult {
    pub code: Code,
    pub severity: Severity,
    pub summary: String,
    /// Where the rule is selected: its code in `select`, else the `[rules]` table (line 1 when
    /// the file has none).
    pub at: Position,
    pub status: Status,
    /// Its findings (waived ones marked).
    pub findings: Vec<RuleFinding>,
}

/// A waiver that expired or waives nothing.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WaiverNote {
    /// CHECK_WAIVER_EXPIRED or CHECK_WAIVER_UNUSED.
    pub code: Code,
    pub severity: Severity,
    /// Where its `[[waive]]` table starts.
    pub at: Position,
    /// What it waives (`code X (component Y)`, `expect "name"`).
    pub waiver: String,
    pub detail: String,
}
