//! Analyses over the model: computations that read the normalized [`crate::model::Topology`]
//! and produce findings or data the engine uses. One module per analysis.

pub mod audit;
pub mod cache_checks;
pub mod check;
pub mod diff;
pub mod overlaps;
pub mod report;
pub mod ssm;
