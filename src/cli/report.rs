//! `vpcreach report`: the pre-migration audit report, written into a folder (`--out`):
//! `index.html` (self-contained), `report.md` (GitHub-flavoured, Mermaid diagrams) and
//! `topology.dot`. The folder is refused when it holds files the report did not write (unless
//! `--force`); each file is written to a temporary name and renamed into place.

use super::audit::{ranges, read_config};
use super::{exit, SnapshotArg};
use crate::analysis::audit::AuditInput;
use crate::analysis::diff::{diff, DiffInput};
use crate::analysis::report::before::section;
use crate::analysis::report::{report, ReportInput};
use crate::engine::Engine;
use crate::render::escape::terminal_safe;
use crate::render::report::{graphs, html, markdown};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// `report --help`: what its exit codes mean.
pub const REPORT_HELP: &str = "Exit codes:
  0  the report was written
  1  --strict: the snapshot loaded with errors (nothing written)
  2  usage error, unreadable snapshot (or --before snapshot) or configuration, a snapshot
     without VPCs, or an --out folder holding files the report did not write (pass --force
     to write there anyway)";

/// The marker file naming what the report wrote in its folder.
pub const MARKER: &str = ".vpcreach-report";

/// The files a report may write.
const REPORT_FILES: [&str; 3] = ["index.html", "report.md", "topology.dot"];

/// Which documents to write (`topology.dot` always is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// index.html: one self-contained page (inline CSS and SVG, no script).
    Html,
    /// report.md: GitHub-flavoured Markdown with Mermaid diagrams.
    Md,
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// The configuration (`[sources]`, `[[relay]]`). Default: ./vpcreach.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A named outside range, NAME=CIDR (repeatable), as in `audit`.
    #[arg(long = "source", value_name = "NAME=CIDR")]
    pub sources: Vec<String>,
    /// The snapshot before the change: adds section 6, what the change does (the comparison
    /// of `vpcreach diff`, newly exposed first).
    #[arg(long, value_name = "DIR")]
    pub before: Option<PathBuf>,
    /// The folder to write (e.g. reports/NAME); created when missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Documents to write, comma-separated (topology.dot is always written).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,md")]
    pub format: Vec<ReportFormat>,
    /// Put the time of writing in the report (without it, the same snapshot gives the same
    /// bytes).
    #[arg(long)]
    pub timestamp: bool,
    /// Write into --out even when it holds files the report did not write (they are kept).
    #[arg(long)]
    pub force: bool,
}

/// Exit 0 when written, 1 on --strict load errors, 2 on errors.
pub fn run(args: ReportArgs) -> i32 {
    if let Err(m) = check_out(&args.out, args.force) {
        eprintln!("vpcreach report: {}", terminal_safe(&m));
        return exit::USAGE;
    }
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
    // --before: the snapshot before the change, loaded like the reported one.
    let before = match &args.before {
        Some(p) => {
            let side = SnapshotArg {
                snapshot: Some(p.clone()),
                strict: args.snapshot.strict,
                allow_incomplete: args.snapshot.allow_incomplete,
            };
            match side.load_network() {
                Ok(l) => Some(l),
                Err(code) => return code,
            }
        }
        None => None,
    };
    let diff_config = cfg.clone();
    let input = ReportInput {
        audit: AuditInput {
            snapshot: loaded.name.clone(),
            config: cfg.as_ref().map(|c| c.file.to_string_lossy().into_owned()),
            ranges,
            relays: cfg.map(|c| c.relays).unwrap_or_default(),
        },
        generated_at: args
            .timestamp
            .then(|| jiff::Timestamp::now().round(jiff::Unit::Second).ok())
            .flatten()
            .map(|t| t.to_string()),
    };
    let engine = Engine::new(&loaded.topology);
    let mut data = match report(&loaded.topology, &engine, &input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("vpcreach report: {}", terminal_safe(&e));
            return exit::USAGE;
        }
    };
    if let Some(b) = &before {
        let eb = Engine::new(&b.topology);
        let d = diff(
            (&b.topology, &eb),
            (&loaded.topology, &engine),
            &DiffInput {
                before: b.name.clone(),
                after: loaded.name.clone(),
                config: diff_config,
            },
        );
        data.diff = Some(section(&b.name, &d));
    }
    let mut files: Vec<(&str, String)> = Vec::new();
    if args.format.contains(&ReportFormat::Html) {
        files.push(("index.html", html::page(&data)));
    }
    if args.format.contains(&ReportFormat::Md) {
        files.push(("report.md", markdown::document(&data)));
    }
    files.push(("topology.dot", graphs::dot(&data.graph)));
    match write_all(&args.out, &files) {
        Ok(()) => {
            for (name, body) in &files {
                eprintln!(
                    "wrote {} ({} bytes)",
                    terminal_safe(&args.out.join(name).to_string_lossy()),
                    body.len()
                );
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("vpcreach report: {}", terminal_safe(&e));
            exit::USAGE
        }
    }
}

/// Refuse an `--out` that is a file, or a folder holding files the report did not write.
fn check_out(out: &Path, force: bool) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(format!(
            "--out {} exists and is not a folder",
            out.display()
        ));
    }
    let ours = ours(out);
    let mut foreign: Vec<String> = fs::read_dir(out)
        .map_err(|e| format!("cannot read {}: {e}", out.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != MARKER && !ours.contains(n))
        .collect();
    foreign.sort();
    if foreign.is_empty() || force {
        return Ok(());
    }
    Err(format!(
        "--out {} holds files this report did not write ({}); refusing to write there. Choose another folder, or pass --force to write the report's files beside them.",
        out.display(),
        foreign.join(", ")
    ))
}

/// The files a previous report wrote in `out` (from its marker).
fn ours(out: &Path) -> Vec<String> {
    fs::read_to_string(out.join(MARKER))
        .map(|s| {
            s.lines()
                .skip(1)
                .filter(|l| REPORT_FILES.contains(l))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Write every file (temporary name, then rename), remove report files of an earlier run
/// that this one does not write, and update the marker.
fn write_all(out: &Path, files: &[(&str, String)]) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let previous = ours(out);
    let mut marker = String::from("vpcreach report: files written here (do not edit)\n");
    for (name, body) in files {
        put(out, name, body.as_bytes())?;
        marker.push_str(name);
        marker.push('\n');
    }
    for old in previous {
        if !files.iter().any(|(n, _)| *n == old) {
            let _ = fs::remove_file(out.join(&old));
        }
    }
    put(out, MARKER, marker.as_bytes())
}

fn put(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let target = dir.join(name);
    let write = || -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, &target)
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("cannot write {}: {e}", target.display())
    })
}
