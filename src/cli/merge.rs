//! `vpcreach merge`: arguments and the command's entry point.

use crate::collect::merge::{merge, MergeError};
use crate::collect::writer::WriteError;
use std::path::PathBuf;

/// `merge --help`: what its exit codes mean.
pub const MERGE_HELP: &str = "Exit codes:
  0  merged snapshot written
  1  an input cannot be read, or a shard is missing; nothing written
  2  usage error, OUT refused, or two inputs hold different files at one path; nothing written";

/// Join snapshot folders (e.g. the shards of `collect --organization --shard K/N`) into one.
#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Output folder; must not exist or be empty (unless --force). Written atomically.
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Snapshot folders to merge.
    #[arg(value_name = "DIR", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Replace OUT if it exists and is not empty.
    #[arg(long)]
    pub force: bool,
    /// Merge shards even when some of 1..N are missing.
    #[arg(long)]
    pub allow_missing_shards: bool,
    /// No summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `merge`; returns the exit code.
pub fn run(args: MergeArgs) -> i32 {
    match merge(
        &args.out,
        &args.inputs,
        args.force,
        args.allow_missing_shards,
    ) {
        Ok(s) => {
            if !args.quiet {
                println!(
                    "merged {} folder(s) into {}: {} file(s) ({} identical in several inputs), {} account(s), {} region(s){}",
                    args.inputs.len(),
                    args.out.display(),
                    s.files,
                    s.identical_duplicates,
                    s.accounts,
                    s.regions,
                    if s.manifest { "" } else { ", no manifest" }
                );
                if s.failures > 0 {
                    println!(
                        "{} call(s) failed or were skipped: see {}",
                        s.failures,
                        args.out.join("manifest.json").display()
                    );
                }
            }
            super::exit::OK
        }
        Err(e) => {
            eprintln!("vpcreach merge: {e:#}");
            let usage = matches!(
                e.downcast_ref::<MergeError>(),
                Some(
                    MergeError::Conflict(..)
                        | MergeError::Target(
                            WriteError::NotEmpty(_)
                                | WriteError::NotADirectory(_)
                                | WriteError::Unnamed(_)
                        )
                )
            );
            if usage {
                super::exit::USAGE
            } else {
                super::exit::FINDINGS
            }
        }
    }
}
