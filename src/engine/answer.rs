//! The answer to a reachability question: verdict, paths (forward and return hops), blockers,
//! assumptions and warnings. Plain serializable data; its JSON form is a documented contract.

use super::codes::Code;
use serde::Serialize;

/// `reachable` | `partial` | `unreachable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every flow in the question completes the forward and the return path.
    Reachable,
    /// Some flows complete, others do not (see `passing` / `failing`).
    Partial,
    /// No flow completes.
    Unreachable,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Reachable => "reachable",
            Verdict::Partial => "partial",
            Verdict::Unreachable => "unreachable",
        })
    }
}

/// Which leg of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Leg {
    Forward,
    Return,
}

/// One component a flow passes through.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Hop {
    /// The AWS id (or a description for outside hosts).
    pub component: String,
    /// `network-interface`, `security-group`, `network-acl`, `route-table`, `internet-gateway`,
    /// `nat-gateway`, `vpc-peering-connection`, `transit-gateway`, `transit-gateway-route-table`,
    /// `transit-gateway-attachment`, `vpc-endpoint`, `internet`, `host`.
    pub kind: String,
    /// `ingress` / `egress` for security groups, `inbound` / `outbound` for NACLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// The rule or route that let the traffic through (NACL rule number, SG rule, route
    /// destination and target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// What happened here, in words (addresses after translation, the chosen route, ...).
    pub detail: String,
}

/// A component that stops (part of) a flow.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Blocker {
    pub component: String,
    pub kind: String,
    /// AWS Reachability Analyzer explanation code where one exists.
    pub code: Code,
    pub leg: Leg,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// The rule that denies (NACL rule number), when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub detail: String,
}

/// A set of flows, summarised per dimension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowSummary {
    pub sources: Vec<String>,
    pub destinations: Vec<String>,
    pub protocols: String,
    pub ports: String,
}

/// One distinct way through: its forward and return hops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Path {
    /// Which flows take this path.
    pub flows: FlowSummary,
    pub forward: Vec<Hop>,
    #[serde(rename = "return")]
    pub return_: Vec<Hop>,
}

/// The full answer.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub format_version: u32,
    /// The question as understood (resolved sources and targets).
    pub question: QuestionSummary,
    /// At least one flow completes the forward and the return path.
    pub reachable: bool,
    pub verdict: Verdict,
    /// Flows that complete (when partial or reachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passing: Option<FlowSummary>,
    /// Flows that do not (when partial or unreachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failing: Option<FlowSummary>,
    pub paths: Vec<Path>,
    pub blocked: Vec<Blocker>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
}

/// The resolved question.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionSummary {
    pub from: String,
    pub to: String,
    pub protocol: String,
    pub ports: String,
    /// Resolved sources (ENIs with addresses, or outside hosts).
    pub sources: Vec<String>,
    /// Resolved targets (addresses and the ENIs that hold them).
    pub targets: Vec<String>,
}

/// Format version of the answer JSON.
pub const ANSWER_FORMAT: u32 = 1;
