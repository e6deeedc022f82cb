//! What `vpcreach reach --via RELAY --format json` prints: one question through a relay
//! (semantics M1–M3, M10), its two legs, what blocks them and what is missing from the
//! snapshot. Its JSON Schema is `docs/schema/reach-via.schema.json`.

use super::check::{CheckBlocker, WayResult};
use crate::engine::Verdict;
use serde::Serialize;

/// The version of this output's shape; fields are only ever added.
pub const REACH_VIA_FORMAT: u32 = 1;

/// The answer of `reach --via`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ViaAnswer {
    pub format_version: u32,
    /// The source as given.
    pub from: String,
    /// The target as given.
    pub to: String,
    pub protocol: String,
    /// The port asked, as given (`N` or `N-M`); absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// Always `relay`.
    pub kind: String,
    /// The relay as given to `--via`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
    /// `tcp-proxy`, `ssh-bastion`, `ssm-port-forward`, `nat-instance`, `http-proxy`,
    /// `discovered` or `instance` (an undeclared instance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_kind: Option<String>,
    /// `reachable` when both legs are, `unreachable` when either is, else `partial`.
    pub verdict: Verdict,
    /// What happened on each leg, in words (`i-… -> i-… over vpce-…:3128: reachable`).
    pub legs: Vec<String>,
    /// What stops each leg (every way tried when none completes).
    pub blockers: Vec<CheckBlocker>,
    /// Snapshot files that did not load and that the answer may depend on.
    pub incomplete: Vec<String>,
}

impl ViaAnswer {
    /// The answer for `way` (the relay's result) and what its legs found.
    pub fn new(
        q: (&str, &str, &str, Option<&str>),
        way: WayResult,
        blockers: Vec<CheckBlocker>,
        incomplete: Vec<String>,
    ) -> Self {
        let (from, to, protocol, port) = q;
        ViaAnswer {
            format_version: REACH_VIA_FORMAT,
            from: from.to_string(),
            to: to.to_string(),
            protocol: protocol.to_string(),
            port: port.map(str::to_string),
            kind: way.kind,
            relay: way.relay,
            relay_kind: way.relay_kind,
            verdict: way.verdict,
            legs: way.legs,
            blockers,
            incomplete,
        }
    }
}
