//! `vpcreach collect`: arguments and the command's entry point.

use crate::collect::accounts::{sources, ClientSettings, RegionChoice};
use crate::collect::organization::{OrgOptions, Shard};
use crate::collect::progress::{Mode, Progress};
use crate::collect::readonly::ReadOnlyGuard;
use crate::collect::writer::{Staging, WriteError};
use crate::collect::{collect, preflight, summary, Options};
use std::path::PathBuf;
use std::time::Instant;

/// Exit code: snapshot written, every call succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit code: snapshot written, some calls failed (see manifest.json).
pub const EXIT_FAILED_CALLS: i32 = 1;
/// Exit code: bad arguments, or the output directory was refused.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: interrupted (Ctrl-C); nothing written.
pub const EXIT_INTERRUPTED: i32 = 130;

/// How failed calls are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RetryMode {
    Standard,
    Adaptive,
}

/// Exit code: terminated (SIGTERM, e.g. `timeout` or a cancelled CI job); nothing written.
pub const EXIT_TERMINATED: i32 = 143;

/// Read a live AWS estate (read-only calls) into a snapshot folder.
#[derive(clap::Args, Debug)]
pub struct CollectArgs {
    /// Output directory; must not exist or be empty (unless --force). Written atomically.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// AWS profile to collect (repeat for several accounts). Default: the standard credential chain.
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
    /// IAM role to assume with the base credentials (repeat for several accounts).
    #[arg(long = "role-arn", value_name = "ARN", value_parser = preflight::role_arn)]
    pub role_arns: Vec<String>,
    /// Collect every ACTIVE account of the AWS Organization (organizations:ListAccounts, run
    /// with the base credentials of the management or a delegated-administrator account),
    /// assuming --role-name in each. An account whose role cannot be assumed is recorded in
    /// manifest.json as a failed AssumeRole (exit 1), never skipped.
    #[arg(long, conflicts_with_all = ["profiles", "role_arns"], requires = "role_name")]
    pub organization: bool,
    /// With --organization: the role assumed in every account
    /// (arn:<partition>:iam::<account>:role/NAME, partition of the caller).
    #[arg(long, value_name = "NAME", requires = "organization", value_parser = role_name)]
    pub role_name: Option<String>,
    /// With --organization: the external id the roles' trust policy requires (sts:ExternalId).
    #[arg(long, value_name = "ID", requires = "organization")]
    pub external_id: Option<String>,
    /// With --organization: only these accounts (comma-separated 12-digit ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',', requires = "organization",
          value_parser = account_id)]
    pub accounts: Vec<String>,
    /// With --organization: leave these accounts out (comma-separated 12-digit ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',', requires = "organization",
          conflicts_with = "accounts", value_parser = account_id)]
    pub exclude_accounts: Vec<String>,
    /// With --organization: only the accounts under this organisational unit (or root), and
    /// under every OU below it, recursively (ListAccountsForParent, ListOrganizationalUnitsForParent).
    #[arg(long, value_name = "OU", requires = "organization", value_parser = ou_id)]
    pub ou: Option<String>,
    /// With --organization: collect shard K of N (1 <= K <= N): the accounts whose 64-bit
    /// FNV-1a hash of the account id, modulo N, is K-1. The N shards are disjoint and together
    /// the whole organisation; join their folders with `vpcreach merge`.
    #[arg(long, value_name = "K/N", requires = "organization",
          value_parser = |s: &str| Shard::parse(s))]
    pub shard: Option<Shard>,
    /// Comma-separated regions, or `all` for every region enabled in the account.
    /// Default: the configured region.
    #[arg(long, value_name = "REGIONS")]
    pub regions: Option<String>,
    /// Send every API call to this endpoint (e.g. a local test server).
    #[arg(long, value_name = "URL", value_parser = preflight::endpoint_url)]
    pub endpoint_url: Option<String>,
    /// Attempts per API call, first try included (throttling and 5xx errors are retried with
    /// exponential backoff). Default: the SDK's 3, or AWS_MAX_ATTEMPTS.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: Option<u32>,
    /// `standard` (default) or `adaptive` (also slows down when throttled; the default with
    /// --organization).
    #[arg(long, value_enum, value_name = "MODE")]
    pub retry_mode: Option<RetryMode>,
    /// Seconds one attempt of a call may take before it is abandoned (and retried).
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Maximum number of API requests in flight, over all accounts (and, with --organization,
    /// the number of roles assumed at once).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Maximum number of API requests in flight in one account (API rate limits are per
    /// account).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub account_concurrency: u16,
    /// Replace DIR if it exists and is not empty.
    #[arg(long)]
    pub force: bool,
    /// No progress and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `collect`; returns the process exit code ([`EXIT_OK`], [`EXIT_FAILED_CALLS`],
/// [`EXIT_USAGE`], [`EXIT_INTERRUPTED`]). `Err` is a fatal error (no credentials, an account
/// that cannot be identified, a file that cannot be written): nothing is written then.
pub fn run(args: CollectArgs) -> anyhow::Result<i32> {
    let regions = match RegionChoice::parse(args.regions.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: --regions: {e}");
            return Ok(EXIT_USAGE);
        }
    };
    // The per-region futures nest many joined calls; unoptimised builds give their poll frames
    // more than tokio's default 2 MiB worker stack (a stack overflow), so workers get 16 MiB
    // (address space, committed only as used).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(16 << 20)
        .build()?;
    if let Err(e) = runtime.block_on(preflight::profiles(&args.profiles)) {
        eprintln!("error: --profile: {e}");
        return Ok(EXIT_USAGE);
    }
    // Refuse a non-empty DIR before any network call.
    let staging = match Staging::create(&args.out, args.force) {
        Ok(s) => s,
        Err(
            e @ (WriteError::NotEmpty(_) | WriteError::NotADirectory(_) | WriteError::Unnamed(_)),
        ) => {
            eprintln!("error: {e}");
            return Ok(EXIT_USAGE);
        }
        Err(e) => return Err(e.into()),
    };
    let organization = args.organization.then(|| OrgOptions {
        role_name: args.role_name.clone().unwrap_or_default(),
        external_id: args.external_id.clone(),
        only: args.accounts.clone(),
        exclude: args.exclude_accounts.clone(),
        ou: args.ou.clone(),
        shard: args.shard,
    });
    // An organisation-wide run makes many calls per account: adaptive retries (client-side
    // rate limiting when throttled) unless --retry-mode says otherwise.
    let adaptive = match args.retry_mode {
        Some(mode) => mode == RetryMode::Adaptive,
        None => args.organization,
    };
    let opts = Options {
        sources: sources(&args.profiles, &args.role_arns),
        organization,
        regions,
        settings: ClientSettings {
            endpoint_url: args.endpoint_url.clone(),
            max_attempts: args.max_attempts,
            adaptive_retries: adaptive,
            attempt_timeout: std::time::Duration::from_secs(args.timeout),
        },
        concurrency: usize::from(args.concurrency),
        account_concurrency: usize::from(args.account_concurrency),
    };
    let progress = Progress::new(Mode::detect(args.quiet));
    let guard = ReadOnlyGuard::new();
    let start = Instant::now();

    for stale in &staging.stale_removed {
        eprintln!(
            "removed {}: the temporary folder of an earlier run that was killed",
            stale.display()
        );
    }
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = collect(&opts, &staging, &guard, &progress) => Stop::Done(r),
            _ = tokio::signal::ctrl_c() => Stop::Signal("interrupted", EXIT_INTERRUPTED),
            _ = terminated() => Stop::Signal("terminated", EXIT_TERMINATED),
        }
    });
    // Stop every task before the temporary directory is removed or renamed.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));

    let manifest = match outcome {
        Stop::Signal(what, code) => {
            drop(staging);
            eprintln!("{what}: nothing written to {}", args.out.display());
            return Ok(code);
        }
        Stop::Done(Err(e)) => {
            drop(staging);
            return Err(e.context(format!("nothing written to {}", args.out.display())));
        }
        Stop::Done(Ok(m)) => m,
    };
    let out = match staging.commit() {
        Ok(out) => out,
        Err(e @ (WriteError::NotEmpty(_) | WriteError::NotADirectory(_))) => {
            eprintln!("error: {e} (it appeared while collecting)");
            return Ok(EXIT_USAGE);
        }
        Err(e) => return Err(e.into()),
    };
    let failures = manifest.failures();
    if !args.quiet {
        println!("{}", summary::table(&manifest, start.elapsed()));
        println!("snapshot written to {}", out.display());
        if failures > 0 {
            println!(
                "{failures} call(s) failed or were skipped: see {}",
                out.join("manifest.json").display()
            );
        }
    }
    Ok(if failures > 0 {
        EXIT_FAILED_CALLS
    } else {
        EXIT_OK
    })
}

/// `--accounts` / `--exclude-accounts`: a 12-digit account id.
fn account_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not an account id (12 digits)"))
    }
}

/// `--ou`: an organisational unit (`ou-…`) or root (`r-…`) id.
fn ou_id(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ok = (s.starts_with("ou-") || s.starts_with("r-"))
        && s.len() > 3
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not an organisational unit or root id (ou-xxxx-yyyyyyyy or r-xxxx)"
        ))
    }
}

/// `--role-name`: an IAM role name, optionally with a path (`path/name`).
fn role_name(s: &str) -> Result<String, String> {
    let s = s.trim().trim_start_matches('/');
    let ok = !s.is_empty()
        && s.len() <= 512
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-/".contains(&b));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not an IAM role name (letters, digits and +=,.@_- ; a path with /)"
        ))
    }
}

/// How the collection ended.
enum Stop<T> {
    Done(T),
    /// A signal: what to say and the exit code.
    Signal(&'static str, i32),
}

/// Resolves when the process receives SIGTERM (what `timeout`, `kill` and CI cancellation send);
/// handled like Ctrl-C: every task stops and the temporary folder is removed.
#[cfg(unix)]
async fn terminated() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

/// No SIGTERM outside Unix.
#[cfg(not(unix))]
async fn terminated() {
    std::future::pending::<()>().await
}
