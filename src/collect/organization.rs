//! `collect --organization`: every active account of an AWS Organization.
//!
//! From the management account or a delegated administrator, `organizations:ListAccounts` (or,
//! under `--ou`, `ListAccountsForParent` on the OU and, recursively, on every OU below it found
//! by `ListOrganizationalUnitsForParent`) lists the accounts, every page followed. Only accounts
//! whose state is `ACTIVE` are collected (suspended, closing and closed accounts have no network
//! to read). `--accounts` / `--exclude-accounts` and `--shard K/N` ([`Shard`]) then select a
//! subset. In each selected account `arn:<partition>:iam::<account>:role/<NAME>` is assumed
//! (partition from the caller's own ARN, session name `vpcreach-collect`, `--external-id` when
//! given) and checked with `sts:GetCallerIdentity`; an account whose role cannot be assumed is
//! returned in [`Resolved::unreachable`] and recorded in the manifest, never skipped silently.

use super::accounts::{self, Account, ClientSettings, RegionChoice, Source};
use super::readonly::ReadOnlyGuard;
use anyhow::{anyhow, Context};
use aws_config::SdkConfig;
use aws_sdk_ec2::config::SharedCredentialsProvider;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The session name of every assumed role (CloudTrail shows it as the caller).
pub const SESSION_NAME: &str = "vpcreach-collect";

/// `--shard K/N`: the accounts whose [`stable_hash`] modulo N is K − 1.
///
/// An account's shard depends on its id and N only, so the N shards are disjoint, their union
/// is the whole organisation, and adding or removing an account moves no other account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub k: u32,
    /// Number of shards.
    pub n: u32,
}

impl Shard {
    /// Parse `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard: expected K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether `account` belongs to this shard.
    pub fn contains(&self, account: &str) -> bool {
        stable_hash(account) % u64::from(self.n) == u64::from(self.k - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// 64-bit FNV-1a of the UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3):
/// fixed by its definition, the same on every machine, Rust version and run.
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What to collect of an organisation.
#[derive(Clone, Debug)]
pub struct OrgOptions {
    /// `--role-name`: the role assumed in every account.
    pub role_name: String,
    /// `--external-id`.
    pub external_id: Option<String>,
    /// `--accounts`: only these (empty = all).
    pub only: Vec<String>,
    /// `--exclude-accounts`.
    pub exclude: Vec<String>,
    /// `--ou`: only the accounts under this organisational unit (recursively).
    pub ou: Option<String>,
    /// `--shard`.
    pub shard: Option<Shard>,
}

/// An account whose role could not be assumed (or whose regions could not be listed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreachable {
    /// 12-digit account id.
    pub account: String,
    /// The role ARN tried.
    pub role_arn: String,
    /// Why.
    pub error: String,
}

/// The accounts of an organisation run.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Accounts ready to collect, by id.
    pub accounts: Vec<Account>,
    /// Selected accounts that cannot be collected, by id.
    pub unreachable: Vec<Unreachable>,
    /// Active accounts the organisation listed (before `--accounts`, `--exclude-accounts`,
    /// `--shard`).
    pub listed: usize,
}

/// The partition of an ARN (`arn:<partition>:...`).
pub fn partition_of(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn"))
        .then(|| parts.next())
        .flatten()
        .filter(|p| !p.is_empty())
}

/// Apply `--accounts`, `--exclude-accounts` and `--shard` to the listed accounts (sorted).
pub fn select(listed: &[String], org: &OrgOptions) -> anyhow::Result<Vec<String>> {
    let known: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    let unknown: Vec<&str> = org
        .only
        .iter()
        .map(String::as_str)
        .filter(|a| !known.contains(a))
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "--accounts names {} that the organisation does not list as active{}",
            unknown.join(", "),
            if org.ou.is_some() { " under --ou" } else { "" }
        );
    }
    Ok(known
        .into_iter()
        .filter(|a| org.only.is_empty() || org.only.iter().any(|o| o == a))
        .filter(|a| !org.exclude.iter().any(|x| x == a))
        .filter(|a| org.shard.is_none_or(|s| s.contains(a)))
        .map(str::to_string)
        .collect())
}

/// List, select and assume: the accounts of the organisation to collect.
pub async fn resolve(
    org: &OrgOptions,
    choice: &RegionChoice,
    settings: &ClientSettings,
    guard: &ReadOnlyGuard,
    concurrency: usize,
) -> anyhow::Result<Resolved> {
    let fallback = match choice {
        RegionChoice::List(l) => l.first().cloned().unwrap_or_else(|| "us-east-1".into()),
        _ => "us-east-1".into(),
    };
    let (base, base_region) = accounts::load(None, settings, &fallback).await;
    let sts_conf = aws_sdk_sts::config::Builder::from(&base)
        .interceptor(guard.clone())
        .build();
    let me = aws_sdk_sts::Client::from_conf(sts_conf)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| anyhow!(super::calls::describe_error(&e)))
        .context(
            "cannot identify the caller (the management or delegated-administrator account)",
        )?;
    let partition = me.arn().and_then(partition_of).unwrap_or("aws").to_string();

    let listed = list_active(&base, guard, org.ou.as_deref())
        .await
        .context("cannot list the accounts of the organisation")?;
    let selected = select(&listed, org)?;

    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for id in selected {
        let role_arn = format!("arn:{partition}:iam::{id}:role/{}", org.role_name);
        let (base, limit, guard) = (base.clone(), limit.clone(), guard.clone());
        let (choice, base_region, external_id) =
            (choice.clone(), base_region.clone(), org.external_id.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let r = assume(&base, &role_arn, external_id, &id, &guard).await;
            let r = match r {
                Ok(config) => match regions(&config, &choice, base_region, &guard).await {
                    Ok(regions) => Ok(Account {
                        source: Source::Role(role_arn.clone()),
                        id: id.clone(),
                        config,
                        regions,
                    }),
                    Err(e) => Err(format!("cannot list its regions: {e:#}")),
                },
                Err(e) => Err(e),
            };
            r.map_err(|error| Unreachable {
                account: id,
                role_arn,
                error,
            })
        });
    }
    let mut out = Resolved {
        listed: listed.len(),
        ..Resolved::default()
    };
    while let Some(joined) = tasks.join_next().await {
        match joined.context("an account task failed")? {
            Ok(a) => out.accounts.push(a),
            Err(u) => out.unreachable.push(u),
        }
    }
    out.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    out.unreachable.sort_by(|a, b| a.account.cmp(&b.account));
    Ok(out)
}

/// Assume `role_arn` and check that the credentials belong to `account`.
async fn assume(
    base: &SdkConfig,
    role_arn: &str,
    external_id: Option<String>,
    account: &str,
    guard: &ReadOnlyGuard,
) -> Result<SdkConfig, String> {
    let mut builder =
        aws_config::sts::AssumeRoleProvider::builder(role_arn).session_name(SESSION_NAME);
    if let Some(x) = external_id {
        builder = builder.external_id(x);
    }
    let provider = builder.configure(base).build().await;
    let config = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build();
    let sts_conf = aws_sdk_sts::config::Builder::from(&config)
        .interceptor(guard.clone())
        .build();
    let identity = aws_sdk_sts::Client::from_conf(sts_conf)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| {
            format!(
                "cannot assume {role_arn}: {}",
                super::calls::describe_error(&e)
            )
        })?;
    match identity.account() {
        Some(a) if a == account => Ok(config),
        other => Err(format!(
            "{role_arn} gave credentials of account {}, not {account}",
            other.unwrap_or("?")
        )),
    }
}

/// The regions to collect in one account.
async fn regions(
    config: &SdkConfig,
    choice: &RegionChoice,
    base_region: Option<String>,
    guard: &ReadOnlyGuard,
) -> anyhow::Result<Vec<String>> {
    Ok(match choice {
        RegionChoice::List(l) => l.clone(),
        RegionChoice::Configured => match base_region {
            Some(r) => vec![r],
            None => anyhow::bail!("no region configured: pass --regions"),
        },
        RegionChoice::All => accounts::enabled_regions(config, guard).await?,
    })
}

/// The ids of the organisation's ACTIVE accounts (under `ou`, recursively), sorted.
async fn list_active(
    base: &SdkConfig,
    guard: &ReadOnlyGuard,
    ou: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let conf = aws_sdk_organizations::config::Builder::from(base)
        .interceptor(guard.clone())
        .build();
    let client = aws_sdk_organizations::Client::from_conf(conf);
    let err = |e: String| anyhow!(e);
    let mut accounts = Vec::new();
    match ou {
        None => {
            let mut token: Option<String> = None;
            loop {
                let page = client
                    .list_accounts()
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| {
                        err(format!(
                            "ListAccounts: {}",
                            super::calls::describe_error(&e)
                        ))
                    })?;
                accounts.extend(page.accounts().iter().filter_map(active_id));
                token = next(token, page.next_token(), "ListAccounts")?;
                if token.is_none() {
                    break;
                }
            }
        }
        Some(root) => {
            let mut parents = vec![root.to_string()];
            let mut seen = BTreeSet::new();
            while let Some(parent) = parents.pop() {
                if !seen.insert(parent.clone()) {
                    continue;
                }
                let mut token: Option<String> = None;
                loop {
                    let page = client
                        .list_accounts_for_parent()
                        .parent_id(&parent)
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(|e| {
                            err(format!(
                                "ListAccountsForParent {parent}: {}",
                                super::calls::describe_error(&e)
                            ))
                        })?;
                    accounts.extend(page.accounts().iter().filter_map(active_id));
                    token = next(token, page.next_token(), "ListAccountsForParent")?;
                    if token.is_none() {
                        break;
                    }
                }
                let mut token: Option<String> = None;
                loop {
                    let page = client
                        .list_organizational_units_for_parent()
                        .parent_id(&parent)
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(|e| {
                            err(format!(
                                "ListOrganizationalUnitsForParent {parent}: {}",
                                super::calls::describe_error(&e)
                            ))
                        })?;
                    parents.extend(
                        page.organizational_units()
                            .iter()
                            .filter_map(|u| u.id().map(str::to_string)),
                    );
                    token = next(token, page.next_token(), "ListOrganizationalUnitsForParent")?;
                    if token.is_none() {
                        break;
                    }
                }
            }
        }
    }
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}

/// The next page token; a token equal to the previous one is a loop and an error.
fn next(prev: Option<String>, token: Option<&str>, op: &str) -> anyhow::Result<Option<String>> {
    let token = token.filter(|t| !t.is_empty()).map(str::to_string);
    if token.is_some() && token == prev {
        anyhow::bail!("{op} returned the same page token twice");
    }
    Ok(token)
}

/// The id of an ACTIVE account. The account's `State` decides when present (it replaces the
/// deprecated `Status`), else `Status`.
fn active_id(a: &aws_sdk_organizations::types::Account) -> Option<String> {
    let active = match (a.state(), a.status()) {
        (Some(state), _) => state.as_str() == "ACTIVE",
        (None, Some(status)) => status.as_str() == "ACTIVE",
        (None, None) => false,
    };
    a.id().filter(|_| active).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(only: &[&str], exclude: &[&str], shard: Option<Shard>) -> OrgOptions {
        OrgOptions {
            role_name: "r".into(),
            external_id: None,
            only: only.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            ou: None,
            shard,
        }
    }

    #[test]
    fn fnv1a_reference_values() {
        // The published FNV-1a 64 test vectors (Fowler/Noll/Vo): "" → offset basis,
        // "a" → 0xaf63dc4c8601ec8c, "foobar" → 0x85944171f73967e8.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shards_are_disjoint_and_cover_everything() {
        let ids: Vec<String> = (0..500u64)
            .map(|i| format!("{:012}", 100_000_000_000 + i * 7919))
            .collect();
        for n in 1..=7u32 {
            let mut owners = vec![0u32; ids.len()];
            for k in 1..=n {
                let s = Shard { k, n };
                let picked = select(&ids, &org(&[], &[], Some(s))).expect("select");
                for p in &picked {
                    let i = ids.iter().position(|x| x == p).expect("listed");
                    owners[i] += 1;
                }
                if n > 1 {
                    // Roughly even: no shard empty among 500 accounts.
                    assert!(!picked.is_empty(), "shard {s} is empty");
                }
            }
            assert!(owners.iter().all(|&o| o == 1), "n={n}: {owners:?}");
        }
    }

    #[test]
    fn shard_parse() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { k: 2, n: 8 }));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard { k: 1, n: 1 }));
        for bad in ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selection() {
        let ids: Vec<String> = ["111111111111", "222222222222", "333333333333"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            select(&ids, &org(&["333333333333", "111111111111"], &[], None)).expect("ok"),
            vec!["111111111111", "333333333333"]
        );
        assert_eq!(
            select(&ids, &org(&[], &["222222222222"], None)).expect("ok"),
            vec!["111111111111", "333333333333"]
        );
        let e = select(&ids, &org(&["444444444444"], &[], None)).expect_err("unknown");
        assert!(e.to_string().contains("444444444444"), "{e}");
    }

    #[test]
    fn partitions() {
        assert_eq!(
            partition_of("arn:aws-cn:iam::111111111111:user/x"),
            Some("aws-cn")
        );
        assert_eq!(partition_of("arn:aws:sts::1:assumed-role/a/b"), Some("aws"));
        assert_eq!(partition_of("nope"), None);
    }
}
