//! `vpcreach diff --before A --after B`: what a change does to reachability — every cache ×
//! source of the audit and every `[[expect]]`, before and after — and why (the configuration
//! differences on the changed paths). `--fail-on new-exposure` for a pre-change gate in CI.
//! With `--plan plan.json` instead of `--after`, the after side is the `before` snapshot with
//! a Terraform / OpenTofu plan applied to it in memory ([`crate::tfplan`]): the gate runs on
//! the pull request, before `apply`.

use super::{exit, SnapshotArg};
use crate::analysis::diff::{diff, DiffInput};
use crate::engine::Engine;
use crate::render::{diff_text, json};
use std::path::PathBuf;

/// `diff --help`: what its exit codes mean.
pub const DIFF_HELP: &str = "Exit codes:
  0  the diff was printed (and, with --fail-on new-exposure, nothing is newly reachable from
     the internet or a named range)
  1  --fail-on new-exposure: something is newly reachable from the internet or a named range
     (directly or through a relay), or either snapshot is incomplete (unless
     --allow-incomplete); --strict: a snapshot loaded with errors
  2  usage error, an unreadable snapshot or one without VPCs, a bad configuration, or a plan
     that cannot be read (the message names the plan file and the JSON pointer)";

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Text for people: newly exposed first.
    Table,
    /// The documented JSON contract (`vpcreach schema diff`).
    Json,
    /// Markdown (for a pull-request comment).
    Markdown,
}

/// What makes the exit code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFailOn {
    /// Anything newly reachable from the internet or a named range.
    NewExposure,
}

/// Arguments of `diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The snapshot before the change (directory or one JSON file).
    #[arg(long, value_name = "DIR")]
    pub before: PathBuf,
    /// The snapshot after the change.
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "plan",
        conflicts_with = "plan"
    )]
    pub after: Option<PathBuf>,
    /// Instead of --after: a Terraform / OpenTofu plan (`terraform show -json tfplan >
    /// plan.json`, format 1.x) applied to the --before snapshot in memory.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// The configuration (`[sources]`, `[[relay]]`, `[[expect]]`), used for both sides.
    /// Default: ./vpcreach.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DiffFormat,
    /// Exit 1 when something is newly reachable from the internet or a named range.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<DiffFailOn>,
    /// Treat any loading error of either snapshot as fatal (exit 1 before analysing).
    #[arg(long)]
    pub strict: bool,
    /// Let --fail-on pass when either snapshot is incomplete (SNAPSHOT_INCOMPLETE).
    #[arg(long)]
    pub allow_incomplete: bool,
}

/// Exit 0, 1 when `--fail-on` matches (or a side is incomplete), 2 on errors.
pub fn run(args: DiffArgs) -> i32 {
    let cfg = match super::audit::read_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let side = |p: &PathBuf| SnapshotArg {
        snapshot: Some(p.clone()),
        strict: args.strict,
        allow_incomplete: args.allow_incomplete,
    };
    let (before, after, applied) = match (&args.after, &args.plan) {
        (_, Some(plan)) => match side(&args.before).load_planned(plan) {
            Ok((b, a, applied)) => (b, a, Some(applied)),
            Err(code) => return code,
        },
        (Some(after), None) => {
            let before = match side(&args.before).load_network() {
                Ok(l) => l,
                Err(code) => return code,
            };
            match side(after).load_network() {
                Ok(l) => (before, l, None),
                Err(code) => return code,
            }
        }
        (None, None) => {
            eprintln!("vpcreach diff: give --after DIR or --plan FILE");
            return exit::USAGE;
        }
    };
    let input = DiffInput {
        before: before.name.clone(),
        after: after.name.clone(),
        config: cfg,
    };
    let (eb, ea) = (Engine::new(&before.topology), Engine::new(&after.topology));
    let mut report = diff((&before.topology, &eb), (&after.topology, &ea), &input);
    report.plan = applied;
    let text = match args.format {
        DiffFormat::Table => diff_text::table(&report),
        DiffFormat::Markdown => diff_text::markdown(&report),
        DiffFormat::Json => json::to_json(&report),
    };
    print!("{text}");
    if args.fail_on.is_none() {
        return exit::OK;
    }
    if report.summary.new_exposures > 0 {
        eprintln!(
            "vpcreach: {} new exposure(s) (--fail-on new-exposure)",
            report.summary.new_exposures
        );
        return exit::FINDINGS;
    }
    let mut incomplete: Vec<String> = report
        .incomplete
        .before
        .iter()
        .map(|w| format!("before: {w}"))
        .collect();
    incomplete.extend(
        report
            .incomplete
            .after
            .iter()
            .map(|w| format!("after: {w}")),
    );
    if side(&args.before).refuse_incomplete(&incomplete) {
        return exit::FINDINGS;
    }
    exit::OK
}
