//! Analyses over the model: computations that read the normalized [`crate::model::Topology`]
//! and produce findings or data the engine uses. One module per analysis.

pub mod overlaps;
/// The effective TGW routes moved under the model ([`crate::model::tgw_routes`]); the old path
/// stays for existing callers.
pub use crate::model::tgw_routes as tgw_propagation;
