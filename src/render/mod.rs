//! Renderers: turn findings into text for people (tables) or machines (JSON). One file each.

pub mod audit_markdown;
pub mod audit_table;
pub mod check_github;
pub mod check_human;
pub mod check_junit;
pub mod check_sarif;
pub mod colour;
pub mod diff_text;
pub mod escape;
pub mod explain;
pub mod json;
pub mod overlaps_table;
pub mod path_groups;
pub mod reach_table;
pub mod report;
pub mod schema;
pub mod table;
pub mod width;

/// An output format chosen on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// The documented JSON contract.
    Json,
    /// Plain lines: one per hop or table row, no box drawing, no wrapping (for grep and logs).
    Text,
}
