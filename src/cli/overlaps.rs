//! `vpcreach overlaps`: overlapping VPC CIDR blocks, their Transit Gateway and peering impact,
//! remedies, a renumbering plan (`--plan`) and what-if attachment answers (`--what-if-attach`).

use super::{exit, SnapshotArg};
use crate::analysis::overlaps::{analyze, OverlapOptions};
use crate::findings::overlaps::OverlapReport;
use crate::render::{json, overlaps_table, Format};
use ipnet::IpNet;
use std::io::Write;

/// Which findings make the exit code 1 (for CI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A TGW propagation suppressed by an overlap (also a what-if that would not propagate).
    Tgw,
    /// An active peering between overlapping VPCs (inconsistent snapshot).
    Peering,
    /// Any overlap at all, latent ones included.
    Any,
}

/// Arguments of `overlaps`.
#[derive(Debug, clap::Args)]
pub struct OverlapsArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub width: super::WidthArg,
    /// Exit 1 when a finding of this kind exists, or when the snapshot is incomplete
    /// (SNAPSHOT_INCOMPLETE; unless `--allow-incomplete`).
    #[arg(long, value_enum, value_name = "KIND")]
    pub fail_on: Option<FailOn>,
    /// Propose replacement blocks for shadowed VPCs and the largest set of VPCs per region that
    /// can share one TGW.
    #[arg(long)]
    pub plan: bool,
    /// Free-block pool for remedies and the plan (repeatable; default: RFC 1918 space). Blocks
    /// in use anywhere in the snapshot are removed from it.
    #[arg(long, value_name = "CIDR", num_args = 1..)]
    pub pool: Vec<IpNet>,
    /// Before a migration: would attaching this VPC to `--tgw` propagate its blocks?
    #[arg(long, value_name = "VPC", requires = "tgw")]
    pub what_if_attach: Option<String>,
    /// The transit gateway for `--what-if-attach`.
    #[arg(long, value_name = "TGW", requires = "what_if_attach")]
    pub tgw: Option<String>,
}

/// Exit 0, or 1 when `--fail-on` matches a finding; 2 on unreadable input or unknown ids.
pub fn run(args: OverlapsArgs) -> i32 {
    let loaded = match args.snapshot.load_network() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let opts = OverlapOptions {
        plan: args.plan,
        pool: if args.pool.is_empty() {
            None
        } else {
            Some(args.pool.iter().map(|n| n.trunc()).collect())
        },
        what_if: args.what_if_attach.clone().zip(args.tgw.clone()),
    };
    let report = match analyze(&loaded.topology, &loaded.name, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "vpcreach: {}",
                crate::render::escape::terminal_safe(&e.to_string())
            );
            return exit::USAGE;
        }
    };
    // Streamed: each section is written as it is formatted, never one string of the report.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Table => overlaps_table::write(&mut out, &report, args.width.columns()),
        Format::Text => overlaps_table::write(&mut out, &report, crate::render::width::TEXT),
        Format::Json => json::write_json(&mut out, &report),
    }
    .and_then(|()| out.flush());
    match written {
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("vpcreach: cannot write the report: {e}");
            return exit::USAGE;
        }
        Ok(()) => {}
    }
    match args.fail_on {
        Some(kind) if fails(&report, kind) => exit::FINDINGS,
        // A clean report on data that did not load proves nothing.
        Some(_)
            if args
                .snapshot
                .refuse_incomplete(&report.incomplete_reasons()) =>
        {
            exit::FINDINGS
        }
        _ => exit::OK,
    }
}

/// True when the report holds a finding of that kind.
pub fn fails(r: &OverlapReport, kind: FailOn) -> bool {
    let what_if_blocked = r.what_if.as_ref().is_some_and(|w| !w.would_propagate);
    match kind {
        FailOn::Tgw => r.summary.tgw_propagation_suppressed > 0 || what_if_blocked,
        FailOn::Peering => r.summary.peering_impossible > 0,
        FailOn::Any => r.summary.overlaps > 0 || what_if_blocked,
    }
}
