//! Findings: the results of analyses as plain, serializable data (no rendering here).

pub mod audit;
pub mod audit_report;
pub mod check;
pub mod diff;
pub mod inventory;
pub mod overlaps;
pub mod reach_via;
pub mod report;
pub mod ssm;
pub mod topology_graph;
