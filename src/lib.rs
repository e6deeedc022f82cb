//! vpcreach: a network reachability auditor for AWS.
//!
//! Data flows one way through the layers:
//! [`snapshot`] (AWS CLI JSON shapes, file discovery, diagnostics) → [`model`] (the normalized,
//! validated network) → analyses → findings → renderers. Each layer is its own module.

pub mod analysis;
pub mod catalogue;
pub mod cli;
#[cfg(feature = "collect")]
pub mod collect;
pub mod config;
pub mod diag;
pub mod engine;
pub mod findings;
pub mod model;
pub mod net;
pub mod render;
pub mod snapshot;
pub mod tfplan;
