//! `vpcreach collect`: read a live AWS estate into a snapshot folder.
//!
//! For every account ([`accounts`]) and region, every read call the model needs ([`calls::CALLS`])
//! runs concurrently on tokio, with a global bound on requests in flight and the SDK's standard
//! retries (exponential backoff on throttling). Pages are followed to the end ([`paginate`]). SDK
//! outputs are converted into the project's serde shapes (`convert_*`) and written as
//! `DIR/<account>/<region>/<command>.json` in the AWS CLI's JSON shapes, plus `DIR/manifest.json`
//! ([`manifest`]) recording every call's status, item count, duration and error: a failed call
//! writes no data file and is never a silent gap. Files go to a temporary directory renamed into
//! place at the end ([`writer`]). Every client carries the [`readonly`] guard, which refuses any
//! operation that is not `Describe*`, `Get*`, `Search*` or `List*`. With `--organization`
//! ([`organization`]) the accounts are the organisation's, each reached by assuming a role.

pub mod accounts;
pub mod calls;
mod convert_ec2;
mod convert_elasticache;
mod convert_elbv2;
mod convert_lattice;
mod convert_util;
mod ec2;
mod elasticache;
mod elbv2;
mod lattice;
pub mod manifest;
pub mod merge;
pub mod operations;
pub mod organization;
pub mod paginate;
pub mod preflight;
pub mod progress;
pub mod readonly;
pub mod summary;
pub mod writer;

use accounts::{Account, ClientSettings, RegionChoice, Source};
use anyhow::Context;
use calls::{Ctx, Done, CALLS};
use manifest::{CallRecord, CallStatus, Manifest, ManifestFile, OrgRecord};
use organization::{OrgOptions, Unreachable};
use progress::Progress;
use readonly::ReadOnlyGuard;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use writer::Staging;

/// What to collect and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Accounts, in command-line order (ignored with `organization`).
    pub sources: Vec<Source>,
    /// `--organization`: the organisation's accounts instead of `sources`.
    pub organization: Option<OrgOptions>,
    /// Regions.
    pub regions: RegionChoice,
    /// Endpoint and other client settings.
    pub settings: ClientSettings,
    /// Maximum requests in flight across all accounts and regions.
    pub concurrency: usize,
    /// Maximum requests in flight in one account (all its regions).
    pub account_concurrency: usize,
}

/// The data file of a call, relative to the snapshot root.
pub fn file_of(account: &str, region: &str, spec: &calls::CallSpec) -> String {
    format!("{account}/{region}/{}.json", spec.file_command)
}

/// The manifest records of an account that cannot be collected: one failed `AssumeRole` per
/// region asked (`*` when the regions were to come from the account itself), with an empty key
/// (every kind of data of that account is missing).
pub fn unreachable_records(u: &Unreachable, regions: &RegionChoice) -> Vec<CallRecord> {
    let regions = match regions {
        RegionChoice::List(l) => l.clone(),
        _ => vec!["*".to_string()],
    };
    regions
        .into_iter()
        .map(|region| CallRecord {
            account: u.account.clone(),
            region,
            operation: "AssumeRole".into(),
            file: format!("{}/", u.account),
            key: String::new(),
            status: CallStatus::Failed,
            items: 0,
            duration_ms: 0,
            error: Some(u.error.clone()),
        })
        .collect()
}

/// Collect everything into `staging` and write `manifest.json`; returns the manifest. Errors are
/// fatal ones only (no credentials, unknown account, a file that cannot be written); failed calls
/// and accounts whose role cannot be assumed are recorded in the manifest instead.
pub async fn collect(
    opts: &Options,
    staging: &Staging,
    guard: &ReadOnlyGuard,
    progress: &Progress,
) -> anyhow::Result<Manifest> {
    let started = jiff::Timestamp::now();
    let (accounts, unreachable, organization) = match &opts.organization {
        Some(org) => {
            let r =
                organization::resolve(org, &opts.regions, &opts.settings, guard, opts.concurrency)
                    .await?;
            progress.message(&format!(
                "organisation: {} active account(s) listed, {} selected, {} cannot be assumed",
                r.listed,
                r.accounts.len() + r.unreachable.len(),
                r.unreachable.len()
            ));
            for u in &r.unreachable {
                progress.message(&format!("{}: not collected: {}", u.account, u.error));
            }
            let record = OrgRecord {
                role_name: org.role_name.clone(),
                ou: org.ou.clone(),
                shard: org.shard.map(|s| s.to_string()),
                accounts_listed: r.listed,
            };
            (r.accounts, r.unreachable, Some(record))
        }
        None => (
            accounts::resolve(&opts.sources, &opts.regions, &opts.settings, guard).await?,
            Vec::new(),
            None,
        ),
    };
    let limit = Arc::new(Semaphore::new(opts.concurrency.max(1)));
    let dropped = Arc::new(Mutex::new(Vec::new()));
    progress.set_accounts(accounts.len());

    let mut tasks = JoinSet::new();
    let mut regions_left: HashMap<String, usize> = HashMap::new();
    for account in &accounts {
        let account_limit = Arc::new(Semaphore::new(opts.account_concurrency.max(1)));
        regions_left.insert(account.id.clone(), account.regions.len());
        for region in &account.regions {
            let ctx = Ctx {
                limit: limit.clone(),
                account_limit: account_limit.clone(),
                progress: progress.scope(&account.id, region),
                account: Arc::from(account.id.as_str()),
                region: Arc::from(region.as_str()),
                dropped: dropped.clone(),
            };
            let c = clients(account, region, guard);
            let (id, region) = (account.id.clone(), region.clone());
            tasks.spawn(async move {
                let (mut done, cache, elb, lattice) = tokio::join!(
                    ec2::collect_region(&ctx, &c.ec2),
                    elasticache::collect_region(&ctx, &c.elasticache),
                    elbv2::collect_region(&ctx, &c.elbv2),
                    lattice::collect_region(&ctx, &c.lattice)
                );
                done.extend(cache);
                done.extend(elb);
                done.extend(lattice);
                ctx.progress.finish();
                (id, region, done)
            });
        }
    }

    let mut records = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (account, region, done) = joined.context("a collection task failed")?;
        for d in done {
            records.extend(record(staging, &account, &region, d)?);
        }
        if let Some(left) = regions_left.get_mut(&account) {
            *left -= 1;
            if *left == 0 {
                progress.account_done(&account);
            }
        }
    }
    for u in &unreachable {
        records.extend(unreachable_records(u, &opts.regions));
    }
    let order = |r: &CallRecord| CALLS.iter().position(|s| s.operation == r.operation);
    records.sort_by(|a, b| {
        (&a.account, &a.region, order(a))
            .cmp(&(&b.account, &b.region, order(b)))
            .then_with(|| a.error.cmp(&b.error))
    });

    let mut regions: Vec<String> = accounts.iter().flat_map(|a| a.regions.clone()).collect();
    regions.sort();
    regions.dedup();
    let mut ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    ids.extend(unreachable.iter().map(|u| u.account.clone()));
    if organization.is_some() {
        ids.sort();
    }
    let manifest = Manifest {
        tool: "vpcreach".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        started: started.to_string(),
        finished: jiff::Timestamp::now().to_string(),
        accounts: ids,
        regions,
        calls: records,
        organization,
        dropped: {
            let mut d = std::mem::take(&mut *dropped.lock().unwrap_or_else(|e| e.into_inner()));
            d.sort();
            d.dedup();
            d
        },
    };
    let file = ManifestFile { manifest };
    staging.write_json("manifest.json", &file)?;
    Ok(file.manifest)
}

/// The SDK clients of one account and region, each with the read-only guard.
struct Clients {
    ec2: aws_sdk_ec2::Client,
    elasticache: aws_sdk_elasticache::Client,
    elbv2: aws_sdk_elasticloadbalancingv2::Client,
    lattice: aws_sdk_vpclattice::Client,
}

/// The EC2, ElastiCache, ELBv2 and VPC Lattice clients of one account and region.
fn clients(account: &Account, region: &str, guard: &ReadOnlyGuard) -> Clients {
    let ec2_conf = aws_sdk_ec2::config::Builder::from(&account.config)
        .region(aws_sdk_ec2::config::Region::new(region.to_string()))
        .interceptor(guard.clone())
        .build();
    let cache_conf = aws_sdk_elasticache::config::Builder::from(&account.config)
        .region(aws_sdk_elasticache::config::Region::new(region.to_string()))
        .interceptor(guard.clone())
        .build();
    let elb_conf = aws_sdk_elasticloadbalancingv2::config::Builder::from(&account.config)
        .region(aws_sdk_elasticloadbalancingv2::config::Region::new(
            region.to_string(),
        ))
        .interceptor(guard.clone())
        .build();
    let lattice_conf = aws_sdk_vpclattice::config::Builder::from(&account.config)
        .region(aws_sdk_vpclattice::config::Region::new(region.to_string()))
        .interceptor(guard.clone())
        .build();
    Clients {
        ec2: aws_sdk_ec2::Client::from_conf(ec2_conf),
        elasticache: aws_sdk_elasticache::Client::from_conf(cache_conf),
        elbv2: aws_sdk_elasticloadbalancingv2::Client::from_conf(elb_conf),
        lattice: aws_sdk_vpclattice::Client::from_conf(lattice_conf),
    }
}

/// Write a call's data (if any) and turn it into manifest records: one `ok` record for written
/// data (or for an id listing, which writes none), one `failed` record per failure (per failed
/// parent for per-parent calls), or one `skipped` record.
fn record(
    staging: &Staging,
    account: &str,
    region: &str,
    d: Done,
) -> anyhow::Result<Vec<CallRecord>> {
    let file = file_of(account, region, d.spec);
    let base = CallRecord {
        account: account.to_string(),
        region: region.to_string(),
        operation: d.spec.operation.to_string(),
        file: file.clone(),
        key: d.spec.key.to_string(),
        status: CallStatus::Ok,
        items: 0,
        duration_ms: u64::try_from(d.duration.as_millis()).unwrap_or(u64::MAX),
        error: None,
    };
    let mut out = Vec::new();
    if let Some(reason) = d.skipped {
        out.push(CallRecord {
            status: CallStatus::Skipped,
            error: Some(reason),
            ..base
        });
        return Ok(out);
    }
    if let Some(body) = &d.body {
        staging.write_text(&file, body)?;
        out.push(CallRecord {
            items: d.items,
            ..base.clone()
        });
    } else if d.errors.is_empty() {
        // An id listing ([`calls::Done::ids_listed`]): its ids feed a per-parent call.
        out.push(CallRecord {
            items: d.items,
            ..base.clone()
        });
    }
    for e in d.errors {
        out.push(CallRecord {
            status: CallStatus::Failed,
            error: Some(e),
            ..base.clone()
        });
    }
    Ok(out)
}
