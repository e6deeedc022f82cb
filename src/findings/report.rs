//! The pre-migration audit report (`vpcreach report`): plain data that the HTML and Markdown
//! renderers print. It gathers what other analyses answer (the audit, the overlaps with their
//! renumbering plan, the inventory counts) with the topology graph and the path diagrams of
//! exposed caches. The before/after section is an `Option`: filled from a `diff` when one is
//! asked for (`--before`), absent otherwise.

use super::audit_report::AuditReport;
use super::overlaps::OverlapReport;
use super::topology_graph::TopologyGraph;
pub use super::topology_graph::{exposure_of, Exposure};
use crate::catalogue::Code;

/// Everything the report shows.
#[derive(Clone, Debug)]
pub struct ReportData {
    /// The snapshot reported on, as named on the command line.
    pub snapshot: String,
    /// The configuration read, when one was.
    pub config: Option<String>,
    /// When the report was made (`--timestamp` only: without it the output is reproducible).
    pub generated_at: Option<String>,
    /// Section 1: scope and completeness.
    pub scope: ScopeSummary,
    pub completeness: Completeness,
    /// Sections 2–4 and 7: the audit (caches, relays, SSM, findings, assumptions).
    pub audit: AuditReport,
    /// Section 5: overlapping blocks, with the renumbering plan.
    pub overlaps: OverlapReport,
    /// The topology graph (drawn as SVG, written as DOT, as Mermaid in Markdown).
    pub graph: TopologyGraph,
    /// One path diagram per way an outside source reaches a cache.
    pub exposure_paths: Vec<ExposurePath>,
    /// Section 6: what a change does (`--before`); absent without it.
    pub diff: Option<DiffSection>,
}

/// The snapshot's scope: accounts, regions and what it holds.
#[derive(Clone, Debug, Default)]
pub struct ScopeSummary {
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// Object counts over the whole snapshot (`vpcs`, `subnets`, …), in a fixed order.
    pub counts: Vec<(String, usize)>,
}

/// What did not load and what was inferred rather than read.
#[derive(Clone, Debug, Default)]
pub struct Completeness {
    /// SNAPSHOT_INCOMPLETE reasons: files that failed to load or loaded partly, failed calls.
    pub incomplete: Vec<String>,
    /// Loader diagnostics by severity: (errors, warnings, notes).
    pub diagnostics: (usize, usize, usize),
    /// The first loader errors and warnings, as printed by `inventory`.
    pub problems: Vec<String>,
    /// Data taken as an assumption (an account or region guessed, VPC DNS attributes assumed,
    /// transit-gateway associations taken from the gateway's defaults).
    pub inferred: Vec<String>,
}

/// One step of a path diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathStep {
    /// `internet`, `range`, `internet-gateway`, `network-acl`, `security-group`, `relay`,
    /// `cache`, … (an engine component kind, or one of those).
    pub kind: String,
    /// The id (or the range name).
    pub id: String,
    pub name: Option<String>,
    /// The rule or route that let the traffic through, when the engine names one.
    pub rule: Option<String>,
}

/// The way an outside source reaches a cache, left to right.
#[derive(Clone, Debug)]
pub struct ExposurePath {
    pub cache: String,
    pub source: String,
    /// The relay's id, when the source goes through one.
    pub relay: Option<String>,
    /// `reachable` or `partial`.
    pub verdict: String,
    pub ports: String,
    pub steps: Vec<PathStep>,
}

/// The before/after section (`--before`): filled from the diff of two snapshots.
#[derive(Clone, Debug, Default)]
pub struct DiffSection {
    /// The snapshot before the change.
    pub before: String,
    /// What changed, newly exposed first.
    pub changes: Vec<DiffChange>,
}

/// One change between two snapshots.
#[derive(Clone, Debug)]
pub struct DiffChange {
    /// A catalogue code, when the change is one (`RELAY_EXPOSURE`).
    pub code: Option<Code>,
    /// `newly exposed`, `no longer exposed`, `finding added`, …
    pub kind: String,
    /// What it is about (a cache, a group, a route table).
    pub subject: String,
    pub detail: String,
}

impl ReportData {
    /// The exposure of `cache`, from the audit's `reached_by`.
    pub fn exposure(&self, cache: &str) -> Exposure {
        let Some(c) = self.audit.caches.iter().find(|c| c.cache == cache) else {
            return Exposure::Internal;
        };
        exposure_of(c)
    }
}
