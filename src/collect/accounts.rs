//! Credentials, accounts and regions.
//!
//! Credentials come from the standard aws-config chain (environment, shared config and
//! credentials files, SSO, web identity, container and instance metadata), exactly as the AWS CLI
//! finds them. Each `--profile` is one account; each `--role-arn` is assumed (STS AssumeRole) with
//! the base credentials (the first `--profile`, else the default chain). The account id comes from
//! `sts:GetCallerIdentity`; `--regions all` means the regions the account has enabled
//! (`ec2:DescribeRegions` without `AllRegions`). No credential is ever printed or written.

use super::readonly::ReadOnlyGuard;
use anyhow::{anyhow, Context};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::SharedCredentialsProvider;
use std::time::Duration;

/// Which regions to collect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionChoice {
    /// The region of the profile / environment.
    Configured,
    /// These regions.
    List(Vec<String>),
    /// Every region enabled in the account.
    All,
}

impl RegionChoice {
    /// Parse `--regions`: `all`, or a comma-separated list.
    pub fn parse(arg: Option<&str>) -> Result<RegionChoice, String> {
        let Some(arg) = arg else {
            return Ok(RegionChoice::Configured);
        };
        if arg.trim().eq_ignore_ascii_case("all") {
            return Ok(RegionChoice::All);
        }
        let mut list: Vec<String> = Vec::new();
        for r in arg.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            if !crate::snapshot::scope::is_region(r) {
                return Err(format!(
                    "not a region name: {r:?} (expected e.g. us-east-1)"
                ));
            }
            if !list.iter().any(|x| x == r) {
                list.push(r.to_string());
            }
        }
        if list.is_empty() {
            return Err("--regions is empty".into());
        }
        Ok(RegionChoice::List(list))
    }
}

/// Where an account's credentials come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The default chain.
    Default,
    /// A named profile.
    Profile(String),
    /// A role assumed with the base credentials.
    Role(String),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("default credentials"),
            Source::Profile(p) => write!(f, "profile {p}"),
            Source::Role(r) => write!(f, "role {r}"),
        }
    }
}

/// The accounts named on the command line, in order.
pub fn sources(profiles: &[String], role_arns: &[String]) -> Vec<Source> {
    let mut v: Vec<Source> = profiles.iter().cloned().map(Source::Profile).collect();
    v.extend(role_arns.iter().cloned().map(Source::Role));
    if v.is_empty() {
        v.push(Source::Default);
    }
    v
}

/// Settings that apply to every client.
#[derive(Clone, Debug)]
pub struct ClientSettings {
    /// `--endpoint-url` (tests, VPC endpoints of the AWS APIs).
    pub endpoint_url: Option<String>,
    /// `--max-attempts`: attempts per call (first try + retries); `None` = the SDK's setting
    /// (3, or `AWS_MAX_ATTEMPTS` / the profile's `max_attempts`).
    pub max_attempts: Option<u32>,
    /// `--retry-mode adaptive`: client-side rate limiting on top of standard retries.
    pub adaptive_retries: bool,
    /// `--timeout`: seconds one attempt may take (connect, send, wait, read).
    pub attempt_timeout: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            endpoint_url: None,
            max_attempts: None,
            adaptive_retries: false,
            attempt_timeout: Duration::from_secs(60),
        }
    }
}

/// One account ready to collect.
#[derive(Clone, Debug)]
pub struct Account {
    /// Where its credentials come from.
    pub source: Source,
    /// 12-digit account id.
    pub id: String,
    /// The SDK configuration (credentials provider, settings; region set per client).
    pub config: SdkConfig,
    /// Regions to collect.
    pub regions: Vec<String>,
}

/// Load a configuration; the second value is the region the chain configured, if any. Without
/// one, `fallback_region` is used for STS and DescribeRegions.
pub(crate) async fn load(
    profile: Option<&str>,
    settings: &ClientSettings,
    fallback_region: &str,
) -> (SdkConfig, Option<String>) {
    // Retries: the SDK's standard mode (exponential backoff with jitter, throttling errors
    // retried), 3 attempts unless --max-attempts, AWS_MAX_ATTEMPTS / AWS_RETRY_MODE or the
    // profile say otherwise. Every attempt is bounded, so a server that accepts the connection
    // and never answers costs `attempts × timeout`, not forever.
    let connect = settings.attempt_timeout.min(Duration::from_secs(10));
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .operation_attempt_timeout(settings.attempt_timeout)
            .read_timeout(settings.attempt_timeout)
            .connect_timeout(connect)
            .build(),
    );
    if settings.max_attempts.is_some() || settings.adaptive_retries {
        let base = if settings.adaptive_retries {
            aws_config::retry::RetryConfig::adaptive()
        } else {
            aws_config::retry::RetryConfig::standard()
        };
        loader = loader.retry_config(match settings.max_attempts {
            Some(n) => base.with_max_attempts(n),
            None => base,
        });
    }
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    match config.region().map(|r| r.to_string()) {
        Some(r) => (config, Some(r)),
        None => (
            config
                .to_builder()
                .region(Region::new(fallback_region.to_string()))
                .build(),
            None,
        ),
    }
}

/// Resolve every account: credentials, id, regions.
pub async fn resolve(
    sources: &[Source],
    choice: &RegionChoice,
    settings: &ClientSettings,
    guard: &ReadOnlyGuard,
) -> anyhow::Result<Vec<Account>> {
    let fallback = match choice {
        RegionChoice::List(l) => l.first().cloned().unwrap_or_else(|| "us-east-1".into()),
        _ => "us-east-1".into(),
    };
    let base_profile = sources.iter().find_map(|s| match s {
        Source::Profile(p) => Some(p.as_str()),
        _ => None,
    });
    let (base, base_region) = load(base_profile, settings, &fallback).await;
    let mut accounts: Vec<Account> = Vec::new();
    for source in sources {
        let (config, configured_region) = match source {
            Source::Default => (base.clone(), base_region.clone()),
            Source::Profile(p) => load(Some(p), settings, &fallback).await,
            Source::Role(arn) => {
                let provider = aws_config::sts::AssumeRoleProvider::builder(arn.clone())
                    .session_name("vpcreach-collect")
                    .configure(&base)
                    .build()
                    .await;
                let config = base
                    .to_builder()
                    .credentials_provider(SharedCredentialsProvider::new(provider))
                    .build();
                (config, base_region.clone())
            }
        };
        let sts_conf = aws_sdk_sts::config::Builder::from(&config)
            .interceptor(guard.clone())
            .build();
        let identity = aws_sdk_sts::Client::from_conf(sts_conf)
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| anyhow!(super::calls::describe_error(&e)))
            .with_context(|| format!("cannot identify the account of {source}"))?;
        let id = identity
            .account()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("GetCallerIdentity returned no account for {source}"))?;
        if let Some(prev) = accounts.iter().find(|a| a.id == id) {
            anyhow::bail!(
                "{source} and {} are the same account {id}: name each account once",
                prev.source
            );
        }
        let regions = match choice {
            RegionChoice::List(l) => l.clone(),
            RegionChoice::Configured => match configured_region {
                Some(r) => vec![r],
                None => anyhow::bail!("no region configured for {source}: pass --regions"),
            },
            RegionChoice::All => enabled_regions(&config, guard)
                .await
                .with_context(|| format!("cannot list the enabled regions of {source}"))?,
        };
        accounts.push(Account {
            source: source.clone(),
            id,
            config,
            regions,
        });
    }
    Ok(accounts)
}

/// The regions enabled in the account, sorted.
pub(crate) async fn enabled_regions(
    config: &SdkConfig,
    guard: &ReadOnlyGuard,
) -> anyhow::Result<Vec<String>> {
    let conf = aws_sdk_ec2::config::Builder::from(config)
        .interceptor(guard.clone())
        .build();
    let out = aws_sdk_ec2::Client::from_conf(conf)
        .describe_regions()
        .send()
        .await
        .map_err(|e| anyhow!(super::calls::describe_error(&e)))?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    regions.dedup();
    if regions.is_empty() {
        anyhow::bail!("DescribeRegions returned no region");
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_choice() {
        assert_eq!(RegionChoice::parse(None), Ok(RegionChoice::Configured));
        assert_eq!(RegionChoice::parse(Some("ALL")), Ok(RegionChoice::All));
        assert_eq!(
            RegionChoice::parse(Some("us-east-1, eu-west-1,us-east-1")),
            Ok(RegionChoice::List(vec![
                "us-east-1".into(),
                "eu-west-1".into()
            ]))
        );
        assert!(RegionChoice::parse(Some("us-east-1a")).is_err());
        assert!(RegionChoice::parse(Some(",")).is_err());
    }

    #[test]
    fn account_sources() {
        assert_eq!(sources(&[], &[]), vec![Source::Default]);
        assert_eq!(
            sources(&["a".into()], &["arn:aws:iam::111111111111:role/r".into()]),
            vec![
                Source::Profile("a".into()),
                Source::Role("arn:aws:iam::111111111111:role/r".into())
            ]
        );
    }
}
