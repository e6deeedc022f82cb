//! The result of `vpcreach diff`: what a change between two snapshots (or a snapshot and a
//! planned state) does to reachability — per (source, cache, port, relay) of the audit matrix
//! and per `[[expect]]` — and why: the configuration differences on the changed paths. Plain
//! serializable data, the JSON contract of `diff --format json` (`format_version` 1);
//! `crate::analysis::diff` produces it, `crate::render::diff_text` prints it.

use serde::Serialize;

/// Format version of the diff JSON.
pub const DIFF_FORMAT: u32 = 1;

/// The whole diff.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DiffReport {
    /// Always 1 for this shape; fields are only ever added.
    pub format_version: u32,
    /// The snapshot before the change.
    pub before: String,
    /// The snapshot (or planned state) after the change.
    pub after: String,
    /// The configuration file read (absent when none was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    pub summary: DiffSummary,
    /// Reachability changes of the audit matrix, newly exposed first.
    pub changes: Vec<Change>,
    /// `[[expect]]` entries whose verdict changed.
    pub expectations: Vec<ExpectationChange>,
    /// Configuration differences that change no reachability (those that do are in the
    /// `because` of their changes).
    pub config_changes: Vec<ConfigChange>,
    /// What of either snapshot did not load (SNAPSHOT_INCOMPLETE): the diff may miss changes.
    pub incomplete: Incomplete,
    /// What every entry takes for granted.
    pub assumptions: Vec<String>,
    /// With `--plan`: the Terraform / OpenTofu plan applied to the `before` snapshot to make
    /// the `after` side (changes applied, those not evaluated, what the planned state assumes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::tfplan::Applied>,
}

/// Counts of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiffSummary {
    /// Changes that are new exposures: newly reachable from the internet or a named range,
    /// directly or through a relay (what `--fail-on new-exposure` fails on).
    pub new_exposures: usize,
    pub newly_reachable: usize,
    pub no_longer_reachable: usize,
    pub verdict_changed: usize,
    pub path_changed: usize,
    pub expectations_changed: usize,
    /// Every configuration difference (those in `because` lists and those in `config_changes`).
    pub config_differences: usize,
}

/// Load problems of each side.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Incomplete {
    pub before: Vec<String>,
    pub after: Vec<String>,
}

impl Incomplete {
    /// Whether either side is incomplete.
    pub fn any(&self) -> bool {
        !self.before.is_empty() || !self.after.is_empty()
    }
}

/// The state of one matrix entry on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Every address (every interface) of the source completes forward and return.
    Reachable,
    /// Some do.
    Partial,
    /// None does.
    Unreachable,
    /// The cache, the source group or subnet, or the relay does not exist on this side.
    Absent,
}

impl State {
    /// `reachable`, `partial`, `unreachable`, `absent`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Reachable => "reachable",
            State::Partial => "partial",
            State::Unreachable => "unreachable",
            State::Absent => "absent",
        }
    }

    /// Reachable or partial.
    pub fn reaches(self) -> bool {
        matches!(self, State::Reachable | State::Partial)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Unreachable (or absent) before, reachable or partial after.
    NewlyReachable,
    /// Reachable or partial before, unreachable (or absent) after.
    NoLongerReachable,
    /// Reachable ↔ partial.
    VerdictChanged,
    /// Same verdict, different components on the way.
    PathChanged,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::NewlyReachable => "newly reachable",
            ChangeKind::NoLongerReachable => "no longer reachable",
            ChangeKind::VerdictChanged => "verdict changed",
            ChangeKind::PathChanged => "path changed",
        }
    }
}

/// One changed entry of the audit matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// `internet`, a named range, `sg-…` or `subnet-…` (as in the audit's `reached_by`).
    pub source: String,
    /// `internet`, `range`, `security-group` or `subnet`.
    pub source_kind: String,
    /// The cache (replication-group id, cache-cluster id or serverless name).
    pub target: String,
    /// One port of the cache.
    pub port: u16,
    /// The relay's instance id, or null for direct reach.
    pub via: Option<String>,
    pub before: State,
    pub after: State,
    pub kind: ChangeKind,
    /// Newly reachable from the internet or a named range (`--fail-on new-exposure`).
    pub new_exposure: bool,
    /// The configuration differences on the components of its paths (before's and after's),
    /// or, on a side without a path, on the components its blockers name.
    pub because: Vec<Because>,
}

/// A configuration difference that explains a change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Because {
    /// The component's id (`sg-…`, `acl-…`, `rtb-…`, `i-…`, a cache id).
    pub component: String,
    /// `security-group`, `network-acl`, `route-table`, … (as in reach answers).
    pub kind: String,
    /// What changed, in words (`added ingress tcp 6379 from 0.0.0.0/0`).
    pub change: String,
}

/// A configuration difference that changes no reachability.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct ConfigChange {
    pub component: String,
    pub kind: String,
    pub change: String,
}

/// One `[[expect]]` whose verdict changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ExpectationChange {
    pub name: String,
    pub from: String,
    pub to: String,
    /// The port as written, or `default`.
    pub port: String,
    /// The verdict before (`absent` when the expectation cannot be asked there: a source,
    /// target or relay that names nothing on that side).
    pub before: State,
    pub after: State,
    /// Whether it held before and after.
    pub held_before: bool,
    pub held_after: bool,
    /// Newly reachable, from the internet or a named range.
    pub new_exposure: bool,
    pub because: Vec<Because>,
}
