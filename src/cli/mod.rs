//! Command-line interface: one file per subcommand. Each parses its arguments, calls the layers
//! and picks a renderer; nothing else. Exit codes mean one thing each (see [`ExitCode`]).

pub mod audit;
pub mod check;
#[cfg(feature = "collect")]
pub mod collect;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod inventory;
#[cfg(feature = "collect")]
pub mod merge;
pub mod overlaps;
pub mod reach;
pub mod reach_via;
pub mod report;
pub mod schema;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Process exit codes.
pub mod exit {
    /// The question was answered / the snapshot loaded cleanly.
    pub const OK: i32 = 0;
    /// Loaded with errors, or a CI expectation failed.
    pub const FINDINGS: i32 = 1;
    /// Usage error or unreadable input.
    pub const USAGE: i32 = 2;

    /// `inventory --help`: what its exit codes mean.
    pub const INVENTORY_HELP: &str = "Exit codes:
  0  the snapshot loaded without errors
  1  it loaded with errors (each listed as a diagnostic; with --strict, nothing is listed
     but the errors)
  2  usage error, or the snapshot cannot be read";

    /// `reach --help`: what its exit codes mean.
    pub const REACH_HELP: &str = "Exit codes:
  0  the question was answered (whatever the verdict); with --expect, the verdict is the
     expected one and rests on a complete snapshot
  1  --expect: the verdict differs, or the answer rests on an incomplete snapshot (unless
     --allow-incomplete); --strict: the snapshot loaded with errors
  2  usage error, unreadable snapshot, a snapshot without VPCs, or a source or target that
     names nothing";

    /// `overlaps --help`: what its exit codes mean.
    pub const OVERLAPS_HELP: &str = "Exit codes:
  0  the report was printed (and, with --fail-on, no finding of that kind)
  1  --fail-on: a finding of that kind exists, or the snapshot is incomplete (unless
     --allow-incomplete); --strict: the snapshot loaded with errors
  2  usage error, unreadable snapshot, or an unknown VPC or transit gateway id";

    /// `explain --help`: what its exit codes mean.
    pub const EXPLAIN_HELP: &str = "Exit codes:
  0  the code (or the list) was printed
  2  usage error, or an unknown code (the closest codes are suggested)";

    /// `collect --help`: what its exit codes mean.
    pub const COLLECT_HELP: &str = "Exit codes:
  0    snapshot written, every call succeeded
  1    snapshot written, some calls failed (see manifest.json), or collection failed
  2    usage error, or the output directory was refused
  130  interrupted (Ctrl-C); nothing written
  143  terminated (SIGTERM); nothing written";
}

/// vpcreach: AWS network reachability auditor (offline, from a snapshot of AWS CLI JSON).
#[derive(Debug, Parser)]
#[command(name = "vpcreach", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load a snapshot and list what it holds, its caches, and every problem found.
    #[command(after_help = exit::INVENTORY_HELP)]
    Inventory(inventory::InventoryArgs),
    /// Read the network state of AWS accounts (read-only calls) into a snapshot folder.
    #[cfg(feature = "collect")]
    #[command(after_help = exit::COLLECT_HELP)]
    Collect(collect::CollectArgs),
    /// Join snapshot folders (the shards of `collect --organization --shard K/N`) into one.
    #[cfg(feature = "collect")]
    #[command(after_help = merge::MERGE_HELP)]
    Merge(merge::MergeArgs),
    /// Overlapping VPC CIDR blocks, their Transit Gateway and peering impact, and remedies.
    #[command(after_help = exit::OVERLAPS_HELP)]
    Overlaps(overlaps::OverlapsArgs),
    /// Can a source reach a target on a port? Every hop both ways, every blocker named.
    #[command(after_help = exit::REACH_HELP)]
    Reach(reach::ReachArgs),
    /// Who reaches each ElastiCache cache: directly, through relays (declared in vpcreach.toml
    /// or discovered), SSM readiness, findings.
    #[command(after_help = audit::AUDIT_HELP)]
    Audit(audit::AuditArgs),
    /// The pre-migration audit report: index.html (self-contained), report.md (Mermaid
    /// diagrams) and topology.dot, written into --out.
    #[command(after_help = report::REPORT_HELP)]
    Report(report::ReportArgs),
    /// Check the policy file (vpcreach.toml: [[expect]], [rules], [[waive]]) for CI: human,
    /// JSON, SARIF, JUnit XML or GitHub annotations.
    #[command(after_help = check::CHECK_HELP)]
    Check(check::CheckArgs),
    /// What a change does: reachability of every cache × source and every [[expect]] before
    /// and after, and the configuration differences that explain it.
    #[command(after_help = diff::DIFF_HELP)]
    Diff(diff::DiffArgs),
    /// What a code means, why it matters and how to fix it; `--list` lists every code.
    #[command(after_help = exit::EXPLAIN_HELP)]
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema of a JSON output (also under docs/schema/).
    Schema(schema::SchemaArgs),
    /// Print a shell completion script (e.g. `vpcreach completions bash > /etc/bash_completion.d/vpcreach`).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff; e.g. `vpcreach man > vpcreach.1; man ./vpcreach.1`).
    Man,
}

/// Run the CLI; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Inventory(a) => inventory::run(a),
        #[cfg(feature = "collect")]
        Command::Collect(a) => match collect::run(a) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("vpcreach collect: {e:#}");
                exit::FINDINGS
            }
        },
        #[cfg(feature = "collect")]
        Command::Merge(a) => merge::run(a),
        Command::Overlaps(a) => overlaps::run(a),
        Command::Reach(a) => reach::run(a),
        Command::Audit(a) => audit::run(a),
        Command::Check(a) => check::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Report(a) => report::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man => completions::man(),
    }
}

/// The snapshot argument shared by the analysis commands: a path, or the bundled demo.
#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArg {
    /// Snapshot directory (or one JSON file). Omit it to use the bundled demo snapshot.
    #[arg(long, short = 's', value_name = "DIR")]
    pub snapshot: Option<PathBuf>,
    /// Treat any loading error as fatal (exit 1 before analysing).
    #[arg(long)]
    pub strict: bool,
    /// Let a CI assertion (`reach --expect`, `overlaps --fail-on`) pass on an answer that rests
    /// on an incomplete snapshot (files that did not load, SNAPSHOT_INCOMPLETE). Without it such
    /// an answer fails the assertion (exit 1), whatever its verdict.
    #[arg(long)]
    pub allow_incomplete: bool,
}

/// How wide table output may be (shared by the commands that print tables).
#[derive(Debug, Clone, clap::Args)]
pub struct WidthArg {
    /// Table width in columns. Default: the terminal's width, or 120 when the output is not a
    /// terminal. Ids, CIDRs and rule texts are wrapped between words, never split.
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
}

impl WidthArg {
    /// The width to render at.
    pub fn columns(&self) -> usize {
        crate::render::width::resolve(self.width)
    }
}

/// A loaded snapshot and its normalized model.
pub struct Loaded {
    pub name: String,
    pub files: Vec<crate::snapshot::FileReport>,
    pub topology: crate::model::Topology,
}

impl SnapshotArg {
    /// Load and build, or print the reason and return the exit code.
    pub fn load(&self) -> Result<Loaded, i32> {
        let (snap, name) = self.read()?;
        self.build(snap, name)
    }

    /// Read the snapshot (not built yet) and its display name.
    fn read(&self) -> Result<(crate::snapshot::Snapshot, String), i32> {
        let snap = match &self.snapshot {
            Some(p) => match crate::snapshot::load(p) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("vpcreach: {e}");
                    return Err(exit::USAGE);
                }
            },
            None => crate::snapshot::load_demo(),
        };
        let name = match &self.snapshot {
            Some(p) => display(p),
            None => "bundled demo snapshot (fixtures/demo)".to_string(),
        };
        Ok((snap, name))
    }

    /// The snapshot (`before`) and the same snapshot with a Terraform / OpenTofu plan applied
    /// to it (`--plan`), both built: a plan that cannot be read or applied is an error (exit 2)
    /// naming the plan file and the JSON pointer.
    pub fn load_planned(
        &self,
        plan: &Path,
    ) -> Result<(Loaded, Loaded, crate::tfplan::Applied), i32> {
        let parsed = match crate::tfplan::read(plan) {
            Ok(p) => p,
            Err(e) => {
                eprintln!(
                    "vpcreach: {}",
                    crate::render::escape::one_line(&e.to_string())
                );
                return Err(exit::USAGE);
            }
        };
        let (mut snap, name) = self.read()?;
        let mut planned = snap.clone();
        let applied = match crate::tfplan::apply(&mut planned, &parsed) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "vpcreach: {}",
                    crate::render::escape::one_line(&e.to_string())
                );
                return Err(exit::USAGE);
            }
        };
        crate::tfplan::recompute_tgw_tables(&mut snap, &applied);
        let after_name = format!("{name} + plan {}", display(plan));
        let before = self.build(snap, name)?;
        self.require_vpc(&before)?;
        let after = self.build(planned, after_name)?;
        self.require_vpc(&after)?;
        Ok((before, after, applied))
    }

    fn build(&self, snap: crate::snapshot::Snapshot, name: String) -> Result<Loaded, i32> {
        let files = snap.files.clone();
        let topology = crate::model::build(snap);
        if self.strict && topology.diagnostics.error_count() > 0 {
            for d in topology
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diag::Severity::Error)
            {
                eprintln!("{}", crate::render::escape::one_line(&d.to_string()));
            }
            eprintln!(
                "vpcreach: {} error(s) loading {name}; stopping because of --strict",
                topology.diagnostics.error_count()
            );
            return Err(exit::FINDINGS);
        }
        Ok(Loaded {
            name,
            files,
            topology,
        })
    }

    /// [`Self::load`] for a command that answers questions: a snapshot without any VPC (no
    /// readable file, or nothing in them vpcreach models) is an error (exit 2), not an answer.
    pub fn load_network(&self) -> Result<Loaded, i32> {
        let loaded = self.load()?;
        self.require_vpc(&loaded)?;
        Ok(loaded)
    }

    fn require_vpc(&self, loaded: &Loaded) -> Result<(), i32> {
        if loaded.topology.vpcs.is_empty() {
            eprintln!(
                "vpcreach: {} holds no VPC (describe-vpcs output), so there is nothing to answer from",
                loaded.name
            );
            for f in &loaded.topology.completeness.files {
                eprintln!("  {}", crate::render::escape::one_line(&f.describe()));
            }
            if loaded.topology.completeness.files.is_empty() {
                eprintln!(
                    "  files read: {} (run `vpcreach inventory` to see what they hold)",
                    loaded.files.len()
                );
            }
            return Err(exit::USAGE);
        }
        Ok(())
    }

    /// Whether a CI assertion on an answer with these incomplete-data `reasons` must fail:
    /// prints why and returns true unless `--allow-incomplete` was given or there are none.
    /// With a failed assertion: say too that the answer rests on data that did not load (the
    /// verdict may change once it does), so the failure is not read as a confident one.
    pub fn note_incomplete(&self, reasons: &[String]) {
        if reasons.is_empty() {
            return;
        }
        eprintln!(
            "vpcreach: and the answer rests on data vpcreach does not have (SNAPSHOT_INCOMPLETE, LB_NOT_MODELLED or PREFIX_LIST_ROUTE_TIE), so the verdict itself may be wrong:"
        );
        for r in reasons {
            eprintln!("  - {}", crate::render::escape::one_line(r));
        }
    }

    pub fn refuse_incomplete(&self, reasons: &[String]) -> bool {
        if reasons.is_empty() || self.allow_incomplete {
            return false;
        }
        eprintln!(
            "vpcreach: the answer rests on data vpcreach does not have (SNAPSHOT_INCOMPLETE, LB_NOT_MODELLED or PREFIX_LIST_ROUTE_TIE); failing the assertion (pass --allow-incomplete to accept it):"
        );
        for r in reasons {
            eprintln!("  - {}", crate::render::escape::one_line(r));
        }
        true
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}
