//! `vpcreach audit`: who reaches each cache — directly, through declared relays and through
//! relays nobody declared — SSM readiness, and the findings.

use super::{exit, SnapshotArg};
use crate::analysis::audit::{audit, AuditInput};
use crate::catalogue::Severity;
use crate::config::{self, Config, NamedSource};
use crate::engine::Engine;
use crate::render::{audit_markdown, audit_table, json};
use std::path::{Path, PathBuf};

/// `audit --help`: what its exit codes mean.
pub const AUDIT_HELP: &str = "Exit codes:
  0  the audit was printed (and, with --fail-on, no finding of that severity or worse)
  1  --fail-on: a finding of that severity or worse exists, or the snapshot is incomplete
     (unless --allow-incomplete); --strict: the snapshot loaded with errors
  2  usage error, unreadable snapshot, a snapshot without VPCs, or a bad configuration
     (the error names the file, line and column)";

/// Output formats of `audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// Human-readable tables.
    Table,
    /// The documented JSON contract (`vpcreach schema audit`).
    Json,
    /// Markdown (for a wiki page or a pull-request comment).
    Markdown,
}

/// Which findings make the exit code 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// A finding of severity error.
    Error,
    /// A finding of severity warning or error.
    Warning,
}

/// Arguments of `audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// The configuration (`[sources]`, `[[relay]]`). Default: ./vpcreach.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A named outside range, NAME=CIDR (repeatable; the same name twice adds blocks). A name
    /// the configuration defines is replaced.
    #[arg(long = "source", value_name = "NAME=CIDR")]
    pub sources: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: AuditFormat,
    #[command(flatten)]
    pub width: super::WidthArg,
    /// Exit 1 when a finding of this severity or worse exists, or when the snapshot is
    /// incomplete (SNAPSHOT_INCOMPLETE; unless `--allow-incomplete`).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

/// The configuration to read: `--config`, else ./vpcreach.toml when it exists.
pub fn read_config(asked: Option<&Path>) -> Result<Option<Config>, i32> {
    let path = match asked {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from("vpcreach.toml");
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    match config::load(&path) {
        Ok(c) => Ok(Some(c)),
        Err(e) => {
            eprintln!(
                "vpcreach: {}",
                crate::render::escape::terminal_safe(&e.to_string())
            );
            Err(exit::USAGE)
        }
    }
}

/// Named ranges: the configuration's, with `--source` adding or replacing.
pub(super) fn ranges(
    cfg: Option<&Config>,
    args: &[String],
) -> Result<Vec<(NamedSource, String)>, i32> {
    let mut out: Vec<(NamedSource, String)> = cfg
        .map(|c| {
            c.sources
                .iter()
                .map(|s| (s.clone(), "config".to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut replaced: Vec<String> = Vec::new();
    for a in args {
        let (name, net) = match config::parse_source_arg(a) {
            Ok(x) => x,
            Err(m) => {
                eprintln!("vpcreach: {}", crate::render::escape::terminal_safe(&m));
                return Err(exit::USAGE);
            }
        };
        match out.iter_mut().find(|(s, _)| s.name == name) {
            Some((s, from)) if from == "--source" || replaced.contains(&name) => {
                if !s.blocks.contains(&net) {
                    s.blocks.push(net);
                }
            }
            Some((s, from)) => {
                s.blocks = vec![net];
                *from = "--source".into();
                replaced.push(name);
            }
            None => out.push((
                NamedSource {
                    name,
                    blocks: vec![net],
                    at: config::Location { line: 0, column: 0 },
                },
                "--source".into(),
            )),
        }
    }
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    Ok(out)
}

/// Exit 0, 1 when `--fail-on` matches, 2 on errors.
pub fn run(args: AuditArgs) -> i32 {
    let cfg = match read_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ranges = match ranges(cfg.as_ref(), &args.sources) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let loaded = match args.snapshot.load_network() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let input = AuditInput {
        snapshot: loaded.name.clone(),
        config: cfg.as_ref().map(|c| c.file.to_string_lossy().into_owned()),
        ranges,
        relays: cfg.map(|c| c.relays).unwrap_or_default(),
    };
    let engine = Engine::new(&loaded.topology);
    let report = audit(&loaded.topology, &engine, &input);
    let text = match args.format {
        AuditFormat::Table => audit_table::report(
            &report,
            args.width.columns(),
            crate::render::colour::enabled(),
        ),
        AuditFormat::Markdown => audit_markdown::report(&report),
        AuditFormat::Json => json::to_json(&report),
    };
    print!("{text}");
    let Some(fail_on) = args.fail_on else {
        return exit::OK;
    };
    let min = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let matching = report
        .findings
        .iter()
        .filter(|f| f.severity >= min && f.code != crate::catalogue::Code::SNAPSHOT_INCOMPLETE)
        .count();
    if matching > 0 {
        eprintln!("vpcreach: {matching} finding(s) of severity {min} or worse (--fail-on)");
        return exit::FINDINGS;
    }
    if args.snapshot.refuse_incomplete(&report.incomplete) {
        return exit::FINDINGS;
    }
    exit::OK
}
