//! The read calls `collect` makes, and the plumbing every call shares.
//!
//! [`CALLS`] lists each call once: API operation, AWS CLI command (the data file's name), the
//! top-level key it writes, and the IAM action it needs (which is also how README's minimal
//! policy is derived). A call runs through [`Ctx::send`], which holds one permit of the global
//! request limit per request, and ends as a [`Done`]: data for the file, or the errors.

use super::manifest::CallStatus;
use super::progress::ScopeProgress;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Which SDK client a call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// `aws ec2`.
    Ec2,
    /// `aws elasticache`.
    ElastiCache,
}

/// One read call.
#[derive(Debug)]
pub struct CallSpec {
    /// API operation, e.g. `DescribeVpcs`.
    pub operation: &'static str,
    /// AWS CLI command, e.g. `describe-vpcs`: the data file is `<command>.json`.
    pub command: &'static str,
    /// Top-level key of the data file.
    pub key: &'static str,
    /// Which client.
    pub service: Service,
    /// Made once per parent (VPC, prefix list, TGW route table) after the parent listing.
    pub per_parent: bool,
}

impl CallSpec {
    /// The IAM action, e.g. `ec2:DescribeVpcs`.
    pub fn iam_action(&self) -> String {
        let prefix = match self.service {
            Service::Ec2 => "ec2",
            Service::ElastiCache => "elasticache",
        };
        format!("{prefix}:{}", self.operation)
    }
}

macro_rules! specs {
    ($( $name:ident = ($op:literal, $cmd:literal, $key:literal, $svc:ident, $pp:literal) ),* $(,)?) => {
        $(
            #[doc = concat!("`", $cmd, "` → `", $key, "`.")]
            pub const $name: CallSpec = CallSpec {
                operation: $op, command: $cmd, key: $key, service: Service::$svc, per_parent: $pp,
            };
        )*
        /// Every call, in the order files are listed.
        pub const CALLS: &[&CallSpec] = &[$( &$name ),*];
    };
}

specs! {
    VPCS = ("DescribeVpcs", "describe-vpcs", "Vpcs", Ec2, false),
    VPC_ATTRIBUTE = ("DescribeVpcAttribute", "describe-vpc-attribute", "VpcAttributes", Ec2, true),
    SUBNETS = ("DescribeSubnets", "describe-subnets", "Subnets", Ec2, false),
    ROUTE_TABLES = ("DescribeRouteTables", "describe-route-tables", "RouteTables", Ec2, false),
    NETWORK_ACLS = ("DescribeNetworkAcls", "describe-network-acls", "NetworkAcls", Ec2, false),
    SECURITY_GROUPS = ("DescribeSecurityGroups", "describe-security-groups", "SecurityGroups", Ec2, false),
    INSTANCES = ("DescribeInstances", "describe-instances", "Reservations", Ec2, false),
    NETWORK_INTERFACES = ("DescribeNetworkInterfaces", "describe-network-interfaces", "NetworkInterfaces", Ec2, false),
    ADDRESSES = ("DescribeAddresses", "describe-addresses", "Addresses", Ec2, false),
    INTERNET_GATEWAYS = ("DescribeInternetGateways", "describe-internet-gateways", "InternetGateways", Ec2, false),
    EGRESS_ONLY_IGWS = ("DescribeEgressOnlyInternetGateways", "describe-egress-only-internet-gateways", "EgressOnlyInternetGateways", Ec2, false),
    NAT_GATEWAYS = ("DescribeNatGateways", "describe-nat-gateways", "NatGateways", Ec2, false),
    VPC_ENDPOINTS = ("DescribeVpcEndpoints", "describe-vpc-endpoints", "VpcEndpoints", Ec2, false),
    PREFIX_LISTS = ("DescribePrefixLists", "describe-prefix-lists", "PrefixLists", Ec2, false),
    MANAGED_PREFIX_LISTS = ("DescribeManagedPrefixLists", "describe-managed-prefix-lists", "PrefixLists", Ec2, false),
    PREFIX_LIST_ENTRIES = ("GetManagedPrefixListEntries", "get-managed-prefix-list-entries", "ManagedPrefixListEntries", Ec2, true),
    PEERING = ("DescribeVpcPeeringConnections", "describe-vpc-peering-connections", "VpcPeeringConnections", Ec2, false),
    TGWS = ("DescribeTransitGateways", "describe-transit-gateways", "TransitGateways", Ec2, false),
    TGW_ATTACHMENTS = ("DescribeTransitGatewayAttachments", "describe-transit-gateway-attachments", "TransitGatewayAttachments", Ec2, false),
    TGW_VPC_ATTACHMENTS = ("DescribeTransitGatewayVpcAttachments", "describe-transit-gateway-vpc-attachments", "TransitGatewayVpcAttachments", Ec2, false),
    TGW_ROUTE_TABLES = ("DescribeTransitGatewayRouteTables", "describe-transit-gateway-route-tables", "TransitGatewayRouteTables", Ec2, false),
    TGW_ROUTES = ("SearchTransitGatewayRoutes", "search-transit-gateway-routes", "TransitGatewayRoutes", Ec2, true),
    TGW_ASSOCIATIONS = ("GetTransitGatewayRouteTableAssociations", "get-transit-gateway-route-table-associations", "TransitGatewayAssociations", Ec2, true),
    TGW_PROPAGATIONS = ("GetTransitGatewayRouteTablePropagations", "get-transit-gateway-route-table-propagations", "TransitGatewayPropagations", Ec2, true),
    CACHE_CLUSTERS = ("DescribeCacheClusters", "describe-cache-clusters", "CacheClusters", ElastiCache, false),
    REPLICATION_GROUPS = ("DescribeReplicationGroups", "describe-replication-groups", "ReplicationGroups", ElastiCache, false),
    CACHE_SUBNET_GROUPS = ("DescribeCacheSubnetGroups", "describe-cache-subnet-groups", "CacheSubnetGroups", ElastiCache, false),
    SERVERLESS_CACHES = ("DescribeServerlessCaches", "describe-serverless-caches", "ServerlessCaches", ElastiCache, false),
}

/// Account-level calls made once per account (not written as data files).
pub const ACCOUNT_CALLS: &[&str] = &["sts:GetCallerIdentity", "ec2:DescribeRegions"];

/// The minimal IAM policy `collect` needs (README shows it): every action of [`CALLS`] plus
/// [`ACCOUNT_CALLS`], sorted.
pub fn iam_policy() -> serde_json::Value {
    let mut actions: Vec<String> = CALLS.iter().map(|s| s.iam_action()).collect();
    actions.extend(ACCOUNT_CALLS.iter().map(|a| a.to_string()));
    actions.sort();
    actions.dedup();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "VpcreachCollectReadOnly",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*"
        }]
    })
}

/// What became of one call in one region.
#[derive(Debug)]
pub struct Done {
    /// Which call.
    pub spec: &'static CallSpec,
    /// `{"<Key>": [...]}` as pretty JSON (fields in AWS order), when there is anything to write
    /// (all, or for per-parent calls the parents that succeeded).
    pub body: Option<String>,
    /// Items in `body` (inner items for wrapper keys).
    pub items: usize,
    /// Failures: one for a plain call; one per failed parent (`"<parent>: <error>"`).
    pub errors: Vec<String>,
    /// Set when the call was not attempted; the reason.
    pub skipped: Option<String>,
    /// Wall time.
    pub duration: Duration,
}

impl Done {
    /// A successful listing: `{key: items}`.
    pub fn listed<T: Serialize>(spec: &'static CallSpec, items: &[T], duration: Duration) -> Done {
        Done::body_of(spec, items, items.len(), Vec::new(), duration)
    }

    /// A body with an explicit item count and possibly some failed parents.
    pub fn body_of<T: Serialize + ?Sized>(
        spec: &'static CallSpec,
        elements: &T,
        items: usize,
        errors: Vec<String>,
        duration: Duration,
    ) -> Done {
        let file = std::collections::BTreeMap::from([(spec.key, elements)]);
        match serde_json::to_string_pretty(&file) {
            Ok(text) => Done {
                spec,
                body: Some(text),
                items,
                errors,
                skipped: None,
                duration,
            },
            Err(e) => Done::failed(
                spec,
                format!("cannot serialize {}: {e}", spec.key),
                duration,
            ),
        }
    }

    /// A failed call: no body.
    pub fn failed(spec: &'static CallSpec, error: String, duration: Duration) -> Done {
        Done {
            spec,
            body: None,
            items: 0,
            errors: vec![error],
            skipped: None,
            duration,
        }
    }

    /// A call not attempted.
    pub fn skipped(spec: &'static CallSpec, reason: String) -> Done {
        Done {
            spec,
            body: None,
            items: 0,
            errors: Vec::new(),
            skipped: Some(reason),
            duration: Duration::ZERO,
        }
    }

    /// The status the progress display shows.
    pub fn status(&self) -> CallStatus {
        if self.skipped.is_some() {
            CallStatus::Skipped
        } else if self.errors.is_empty() {
            CallStatus::Ok
        } else {
            CallStatus::Failed
        }
    }
}

/// `Code: message` of an SDK error; without a code (an HTTP error page, a network failure, a
/// timeout, a refusal by the read-only guard) the HTTP status and the chain of causes. Never the
/// request, so never a credential.
pub fn describe_error<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match (err.code(), err.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        _ => match err {
            SdkError::ServiceError(se) => {
                format!("HTTP {}: {}", se.raw().status().as_u16(), causes(se.err()))
            }
            other => causes(other),
        },
    }
}

/// `Display` of an error and its sources, joined by `: ` (repeated texts once).
pub fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// What every call in a scope shares: the global request limit and the scope's progress.
#[derive(Clone)]
pub struct Ctx {
    /// Bounds the requests in flight across all accounts and regions.
    pub limit: Arc<Semaphore>,
    /// Progress of this scope.
    pub progress: ScopeProgress,
}

impl Ctx {
    /// Send one request while holding a permit.
    pub async fn send<T, E, F>(&self, request: F) -> Result<T, String>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let _permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| String::from("cancelled"))?;
        request.await.map_err(|e| describe_error(&e))
    }

    /// Time `fut`, turn its result into a [`Done`] and report it to the progress display.
    pub async fn run<F>(&self, fut: F) -> Done
    where
        F: Future<Output = Done>,
    {
        let start = Instant::now();
        let mut done = fut.await;
        if done.duration.is_zero() {
            done.duration = start.elapsed();
        }
        self.progress.call_done(&done);
        done
    }
}

/// Turn a listing result into a [`Done`].
pub fn listing<T: Serialize>(
    spec: &'static CallSpec,
    result: &Result<Vec<T>, String>,
    started: Instant,
) -> Done {
    match result {
        Ok(items) => Done::listed(spec, items, started.elapsed()),
        Err(e) => Done::failed(spec, e.clone(), started.elapsed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn specs_are_consistent() {
        let mut files = HashSet::new();
        for spec in CALLS {
            assert!(
                super::super::readonly::is_read_only(spec.operation),
                "{}",
                spec.operation
            );
            assert!(
                files.insert(spec.command),
                "duplicate file {}",
                spec.command
            );
            // The command is the operation in kebab case.
            let kebab: String = spec
                .operation
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let lower = c.to_ascii_lowercase();
                    if c.is_ascii_uppercase() && i > 0 {
                        vec!['-', lower]
                    } else {
                        vec![lower]
                    }
                })
                .collect();
            assert_eq!(kebab, spec.command);
            // Every key is one the loader models.
            assert!(
                crate::snapshot::MODELLED_KEYS.contains(&spec.key),
                "{}",
                spec.key
            );
        }
        assert_eq!(CALLS.len(), 28);
    }

    #[test]
    fn policy_lists_read_actions_only() {
        let policy = iam_policy();
        let actions = policy["Statement"][0]["Action"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(actions.len(), 28 + 2, "{policy}");
        for a in &actions {
            let a = a.as_str().unwrap_or_default();
            let (svc, op) = a.split_once(':').unwrap_or_default();
            assert!(["ec2", "elasticache", "sts"].contains(&svc), "{a}");
            assert!(super::super::readonly::is_read_only(op), "{a}");
        }
    }
}
