//! The bodies of the two fuzz targets, shared by the fuzzer (`fuzz/`, cargo-afl) and the test
//! suite (`tests/fuzz_corpus.rs` replays every file of `fuzz/corpus/<target>/` and every crash
//! fixture of `fixtures/fuzz/<target>/` through the same function, no fuzzer needed).
//!
//! * [`loader`]: bytes → one snapshot file → snapshot → model → inventory. Properties: no panic;
//!   every error names the file and an RFC 6901 pointer that, when the file is JSON, leads into
//!   it (to the value at fault, or for a missing member to the element lacking it).
//! * [`engine`]: bytes → a random *valid* network (`tests/support/netgen`, its draws read from
//!   the bytes) → snapshot → model → one analysis drawn from the bytes (a `reach` question,
//!   `overlaps` with or without the renumbering plan, or the audit), rendered. Properties: no
//!   panic; the generated snapshot loads without an error diagnostic; an answer's JSON parses.
//!
//! Included with `#[path = ".../tests/support/fuzz_targets/mod.rs"] mod fuzz_targets;`; uses
//! only vpcreach's public API.

#![allow(dead_code, unused_imports)]

#[path = "../netgen/mod.rs"]
mod netgen;

mod engine;
mod loader;

pub use engine::engine;
pub use loader::{loader, FILE_NAMES};

/// A target's body: one input, a panic when a property fails.
pub type Target = fn(&[u8]);

/// The targets, by the name of their corpus folder.
pub const TARGETS: &[(&str, Target)] = &[("loader", loader), ("engine", engine)];
