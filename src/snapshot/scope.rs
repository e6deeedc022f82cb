//! Which account and region a snapshot folder belongs to.
//!
//! Taken from the path first: collect's `<account>/<region>/`, Batfish's
//! `aws_configs/[accounts/<account>/]<region>/` (a bare `aws_configs/` means `us-west-2`, as in
//! Batfish). Otherwise guessed from the files' contents (`OwnerId`, ARNs, availability-zone
//! names), and every guess is reported as a note.

use std::collections::BTreeMap;

/// Where a scope component came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeSource {
    /// A folder name.
    Path,
    /// The Batfish convention (bare `aws_configs/` = `us-west-2`).
    Convention,
    /// The most frequent `OwnerId` / ARN / availability zone in the folder's files.
    Contents,
    /// Nothing to go on.
    Unknown,
}

/// Account and region read from a folder path relative to the snapshot root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathScope {
    pub account: Option<String>,
    pub region: Option<String>,
    /// The path contains an `aws_configs` component (Batfish layout).
    pub batfish: bool,
}

/// Read account and region from the folder components (relative to the snapshot root).
pub fn scope_from_path<'a>(components: impl IntoIterator<Item = &'a str>) -> PathScope {
    let mut scope = PathScope::default();
    let mut prev: Option<&str> = None;
    for c in components {
        if c == "aws_configs" {
            scope.batfish = true;
        } else if prev == Some("accounts") || is_account_id(c) {
            scope.account = Some(c.to_string());
        } else if is_region(c) {
            scope.region = Some(c.to_string());
        }
        prev = Some(c);
    }
    scope
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An AWS region name such as `us-east-1`, `us-gov-west-1`, `ap-southeast-2`.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() < 3 {
        return false;
    }
    let (last, rest) = match parts.split_last() {
        Some(x) => x,
        None => return false,
    };
    !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && rest[0].len() == 2
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// The region of an availability-zone name: `us-east-1a` → `us-east-1`,
/// `us-west-2-lax-1a` → `us-west-2`.
pub fn region_of_az(az: &str) -> Option<String> {
    let parts: Vec<&str> = az.split('-').collect();
    for (i, p) in parts.iter().enumerate() {
        if p.as_bytes().first().is_some_and(|b| b.is_ascii_digit()) {
            let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
            let region = format!("{}-{}", parts[..i].join("-"), digits);
            return is_region(&region).then_some(region);
        }
    }
    None
}

/// Region and account of an ARN `arn:aws:service:region:account:...`.
pub fn scope_of_arn(arn: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 5 || parts[0] != "arn" {
        return (None, None);
    }
    let region = is_region(parts[3]).then(|| parts[3].to_string());
    let account = (!parts[4].is_empty()).then(|| parts[4].to_string());
    (region, account)
}

/// Votes for the account and region of a folder, gathered from the files' contents.
#[derive(Clone, Debug, Default)]
pub struct ScopeHints {
    pub accounts: BTreeMap<String, usize>,
    pub regions: BTreeMap<String, usize>,
}

impl ScopeHints {
    pub fn account(&mut self, id: Option<&String>) {
        if let Some(id) = id.filter(|s| !s.is_empty()) {
            *self.accounts.entry(id.clone()).or_default() += 1;
        }
    }
    pub fn az(&mut self, az: Option<&String>) {
        if let Some(r) = az.and_then(|a| region_of_az(a)) {
            *self.regions.entry(r).or_default() += 1;
        }
    }
    pub fn arn(&mut self, arn: Option<&String>) {
        if let Some(arn) = arn {
            let (r, a) = scope_of_arn(arn);
            if let Some(r) = r {
                *self.regions.entry(r).or_default() += 1;
            }
            if let Some(a) = a {
                *self.accounts.entry(a).or_default() += 1;
            }
        }
    }
    pub fn merge(&mut self, other: &ScopeHints) {
        for (k, v) in &other.accounts {
            *self.accounts.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.regions {
            *self.regions.entry(k.clone()).or_default() += v;
        }
    }
    /// The most frequent value (ties: the smallest, for determinism) and how many others there were.
    pub fn best(map: &BTreeMap<String, usize>) -> Option<(String, usize)> {
        let best = map
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
        Some((best.0.clone(), map.len() - 1))
    }
}

/// Gather hints from parsed data.
pub fn hints_of(data: &super::RawData) -> ScopeHints {
    let mut h = ScopeHints::default();
    for v in &data.vpcs {
        h.account(v.item.owner_id.as_ref());
    }
    for s in &data.subnets {
        h.account(s.item.owner_id.as_ref());
        h.az(s.item.availability_zone.as_ref());
        h.arn(s.item.subnet_arn.as_ref());
    }
    for g in &data.security_groups {
        h.account(g.item.owner_id.as_ref());
    }
    for r in &data.reservations {
        h.account(r.item.owner_id.as_ref());
        for i in &r.item.instances {
            h.az(i
                .placement
                .as_ref()
                .and_then(|p| p.availability_zone.as_ref()));
        }
    }
    for e in &data.network_interfaces {
        h.account(e.item.owner_id.as_ref());
        h.az(e.item.availability_zone.as_ref());
    }
    for t in &data.transit_gateways {
        h.account(t.item.owner_id.as_ref());
        h.arn(t.item.transit_gateway_arn.as_ref());
    }
    for c in &data.cache_clusters {
        h.arn(c.item.arn.as_ref());
        h.az(c.item.preferred_availability_zone.as_ref());
    }
    for c in &data.serverless_caches {
        h.arn(c.item.arn.as_ref());
    }
    for n in &data.network_acls {
        h.account(n.item.owner_id.as_ref());
    }
    for r in &data.route_tables {
        h.account(r.item.owner_id.as_ref());
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_azs() {
        assert!(is_region("us-east-1"));
        assert!(is_region("us-gov-west-1"));
        assert!(is_region("ap-southeast-2"));
        assert!(!is_region("us-east-1a"));
        assert!(!is_region("aws_configs"));
        assert!(!is_region("111111111111"));
        assert_eq!(region_of_az("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(
            region_of_az("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_of_az("bogus"), None);
    }

    #[test]
    fn path_layouts() {
        let s = scope_from_path(["aws_configs", "accounts", "111", "us-west-1"]);
        assert_eq!(s.account.as_deref(), Some("111"));
        assert_eq!(s.region.as_deref(), Some("us-west-1"));
        assert!(s.batfish);
        let s = scope_from_path(["123456789012", "eu-west-1"]);
        assert_eq!(s.account.as_deref(), Some("123456789012"));
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        let s = scope_from_path(["aws_configs"]);
        assert!(s.batfish && s.region.is_none() && s.account.is_none());
    }

    #[test]
    fn arns() {
        let (r, a) = scope_of_arn("arn:aws:ec2:us-east-2:554773406868:transit-gateway/tgw-1");
        assert_eq!(r.as_deref(), Some("us-east-2"));
        assert_eq!(a.as_deref(), Some("554773406868"));
        assert_eq!(scope_of_arn("nonsense"), (None, None));
    }
}
