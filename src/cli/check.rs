//! `vpcreach check`: the policy file (`vpcreach.toml`: `[[expect]]`, `[rules]`, `[[waive]]`)
//! against one snapshot, for CI: one load, one engine, every expectation and rule; output for
//! people, JSON, SARIF, JUnit XML or GitHub annotations.
//!
//! Waivers are judged at today's UTC date from the system clock, or at `VPCREACH_TODAY`
//! (`YYYY-MM-DD`) when set (for tests and reproducible runs).

use super::{exit, SnapshotArg};
use crate::analysis::check::{self as analysis, relays::Discovered, CheckInput};
use crate::engine::Engine;
use crate::findings::check::CheckReport;
use crate::render::{check_github, check_human, check_junit, check_sarif, json};
use std::path::PathBuf;

/// `check --help`: what its exit codes mean.
pub const CHECK_HELP: &str = "Exit codes:
  0  every expectation and selected rule holds (or is waived) and the snapshot is complete
  1  an expectation or rule is violated, or the snapshot is incomplete (unless
     --allow-incomplete)
  2  usage error: no configuration file, a configuration error (file:line:col), an
     expectation that names nothing, an unreadable snapshot, or --output is a directory

Environment: VPCREACH_TODAY=YYYY-MM-DD judges waivers' `until` at that date instead of
today (UTC).";

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Grouped text for people, with a one-line summary.
    Human,
    /// The documented JSON contract (`vpcreach schema check`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for GitLab, Jenkins and other test report viewers.
    Junit,
    /// GitHub Actions workflow commands (annotations on the policy file).
    Github,
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// The policy file. Default: ./vpcreach.toml (required: check without one is an error).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    /// A Terraform / OpenTofu plan (`terraform show -json tfplan > plan.json`, format 1.x)
    /// applied to the snapshot in memory: the policy is checked on the planned state.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Write the output to FILE (overwritten if it exists) and print only the summary line to
    /// stderr.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Today's date: `VPCREACH_TODAY` (YYYY-MM-DD) or the system clock's UTC date.
pub fn today() -> Result<jiff::civil::Date, String> {
    match std::env::var("VPCREACH_TODAY") {
        Ok(s) if !s.trim().is_empty() => s
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|e| format!("VPCREACH_TODAY={s:?} is not a date YYYY-MM-DD: {e}")),
        _ => Ok(jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()),
    }
}

/// Render the report in `format`.
pub fn render(report: &CheckReport, format: CheckFormat, colour: bool) -> String {
    match format {
        CheckFormat::Human => check_human::render(report, colour),
        CheckFormat::Json => json::to_json(report),
        CheckFormat::Sarif => check_sarif::render(report),
        CheckFormat::Junit => check_junit::render(report),
        CheckFormat::Github => check_github::render(report),
    }
}

/// Exit 0 when all hold, 1 on violations (or an incomplete snapshot), 2 on errors.
pub fn run(args: CheckArgs) -> i32 {
    let path = args
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("vpcreach.toml"));
    if args.config.is_none() && !path.exists() {
        eprintln!(
            "vpcreach check: no configuration: ./vpcreach.toml does not exist and --config was not given; check needs a policy file with [[expect]] entries or [rules]"
        );
        return exit::USAGE;
    }
    if let Some(out) = &args.output {
        if out.is_dir() {
            eprintln!(
                "vpcreach check: --output {} is a directory; give a file path",
                out.display()
            );
            return exit::USAGE;
        }
    }
    let config = match crate::config::load(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vpcreach check: {e}");
            return exit::USAGE;
        }
    };
    let today = match today() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("vpcreach check: {e}");
            return exit::USAGE;
        }
    };
    let (loaded, applied) = match &args.plan {
        Some(plan) => match args.snapshot.load_planned(plan) {
            Ok((_, after, applied)) => {
                eprintln!(
                    "vpcreach check: plan {} applied: {} resource change(s), {} not evaluated{}",
                    crate::render::escape::one_line(&applied.plan),
                    applied.applied.len(),
                    applied.not_evaluated.len(),
                    applied
                        .not_evaluated
                        .iter()
                        .map(|n| format!("; {} {}", n.address, n.reason))
                        .collect::<String>()
                );
                (after, Some(applied))
            }
            Err(code) => return code,
        },
        None => match args.snapshot.load_network() {
            Ok(l) => (l, None),
            Err(code) => return code,
        },
    };
    let engine = Engine::new(&loaded.topology);
    // The rules' findings: the whole audit (relay exposure, cache findings, declared SSM relays)
    // plus the SSM readiness gaps of every running instance; skipped when no rule is selected.
    // Expectations that count any way also go through the relays the audit discovers: from
    // the audit when it runs, else computed on their own.
    let audit_input = crate::analysis::audit::AuditInput {
        snapshot: loaded.name.clone(),
        config: Some(config.file.to_string_lossy().into_owned()),
        ranges: config
            .sources
            .iter()
            .map(|s| (s.clone(), "config".to_string()))
            .collect(),
        relays: config.relays.clone(),
    };
    let no_rules = config
        .rules
        .as_ref()
        .is_some_and(|r| matches!(&r.select, crate::config::Selection::Codes(c) if c.is_empty()));
    let any_way = config
        .expects
        .iter()
        .any(|e| matches!(e.way, crate::config::Way::Any));
    let (findings, discovered) = if no_rules {
        let discovered = if any_way {
            Discovered::compute(&loaded.topology, &engine, &audit_input)
        } else {
            Discovered::default()
        };
        (Vec::new(), discovered)
    } else {
        let report = crate::analysis::audit::audit(&loaded.topology, &engine, &audit_input);
        let discovered = Discovered::of_report(&report);
        let mut f = report.findings;
        f.extend(analysis::ssm_findings::findings(&loaded.topology, &engine));
        f.sort();
        f.dedup();
        (f, discovered)
    };
    let input = CheckInput {
        config: &config,
        findings: &findings,
        discovered: &discovered,
        today,
        allow_incomplete: args.snapshot.allow_incomplete,
        snapshot: loaded.name.clone(),
    };
    let report = match analysis::run(&loaded.topology, &engine, &input) {
        Ok(mut r) => {
            r.plan = applied;
            r
        }
        Err(errors) => {
            for e in errors {
                eprintln!(
                    "vpcreach check: {}",
                    crate::render::escape::terminal_safe(&e)
                );
            }
            return exit::USAGE;
        }
    };
    match &args.output {
        Some(out) => {
            let text = render(&report, args.format, false);
            if let Err(e) = std::fs::write(out, text) {
                eprintln!("vpcreach check: cannot write {}: {e}", out.display());
                return exit::USAGE;
            }
            eprintln!("{}", check_human::summary_line(&report));
        }
        None => print!(
            "{}",
            render(&report, args.format, crate::render::colour::enabled())
        ),
    }
    if report.summary.passed {
        exit::OK
    } else {
        exit::FINDINGS
    }
}
