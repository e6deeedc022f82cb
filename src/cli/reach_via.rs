//! `vpcreach reach --via RELAY`: one question through a relay, as `check` asks a `via`
//! expectation (semantics M1–M3, M10): leg 1 from the source to the relay (its listen port; for an
//! `http-proxy` directly or through an interface endpoint of its PrivateLink service), leg 2
//! from the relay to the target on the question's port. Both legs cover forward and return.

use super::{exit, SnapshotArg};
use crate::analysis::check::relays::{find, way, Leg2};
use crate::config::Config;
use crate::engine::{Engine, Verdict};
use crate::findings::check::CheckBlocker;
use crate::findings::reach_via::ViaAnswer;
use crate::model::Topology;
use crate::render::Format;
use std::fmt::Write;

/// One question through a relay, as given to `reach`.
pub struct ViaQuestion<'a> {
    pub snapshot: &'a SnapshotArg,
    pub from: &'a str,
    pub to: &'a str,
    pub protocol: &'a str,
    pub port: Option<&'a str>,
    pub format: Format,
    /// What `--expect` wants, if given.
    pub expect: Option<Verdict>,
    /// `--config`, if given.
    pub config: Option<&'a std::path::Path>,
}

fn config(args: &ViaQuestion<'_>) -> Result<Config, String> {
    let path = match args.config {
        Some(p) => p.to_path_buf(),
        None => {
            let p = std::path::PathBuf::from("vpcreach.toml");
            if !p.is_file() {
                return Ok(Config::default());
            }
            p
        }
    };
    crate::config::load(&path).map_err(|e| e.to_string())
}

/// Answer `args` through `via`; exit codes as `reach`.
pub fn run(args: &ViaQuestion<'_>, t: &Topology, via: &str) -> i32 {
    let safe = crate::render::escape::terminal_safe;
    let config = match config(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vpcreach reach: {}", safe(&e));
            return exit::USAGE;
        }
    };
    let Some(through) = find(t, &config, via) else {
        eprintln!(
            "vpcreach reach: --via {}: names no declared relay and no instance",
            safe(via)
        );
        return exit::USAGE;
    };
    let engine = Engine::new(t);
    let q = Leg2 {
        from: args.from,
        to: args.to,
        protocol: args.protocol,
        port: args.port,
    };
    let (result, legs) = match way(t, &engine, &config, &through, &q) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vpcreach reach: {}", safe(&e));
            return exit::USAGE;
        }
    };
    let blockers: Vec<CheckBlocker> = legs.iter().flat_map(|a| a.blockers.clone()).collect();
    let mut incomplete: Vec<String> = legs.iter().flat_map(|a| a.incomplete.clone()).collect();
    incomplete.sort();
    incomplete.dedup();
    let verdict = result.verdict;
    let text = match args.format {
        Format::Json => crate::render::json::to_json(&ViaAnswer::new(
            (args.from, args.to, args.protocol, args.port),
            result,
            blockers,
            incomplete.clone(),
        )),
        Format::Table | Format::Text => {
            let mut out = String::new();
            let port = args.port.map(|p| format!(" port {p}")).unwrap_or_default();
            let kind = result.relay_kind.as_deref().unwrap_or("relay");
            let _ = writeln!(
                out,
                "{}: {} -> {} ({}{port}) via {} ({kind})",
                verdict.to_string().to_uppercase(),
                args.from,
                args.to,
                args.protocol,
                via
            );
            for (i, l) in result.legs.iter().enumerate() {
                let _ = writeln!(out, "  leg {}: {l}", i + 1);
            }
            for b in &blockers {
                let _ = writeln!(
                    out,
                    "  blocked ({}): {} {}: {}",
                    b.way, b.code, b.component, b.detail
                );
            }
            for r in &incomplete {
                let _ = writeln!(out, "  incomplete: {r}");
            }
            safe(&out)
        }
    };
    print!("{text}");
    let Some(want) = args.expect else {
        return exit::OK;
    };
    if verdict != want {
        eprintln!("vpcreach: expected {want}, got {verdict} via {}", safe(via));
        args.snapshot.note_incomplete(&incomplete);
        exit::FINDINGS
    } else if args.snapshot.refuse_incomplete(&incomplete) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
