//! The read operations `collect` makes, and what becomes of one.
//!
//! [`CALLS`] lists each call once: API operation, AWS CLI command (the data file's name), the
//! top-level key it writes, and the IAM action it needs (which is also how README's minimal
//! policy is derived). Every call ends as a [`Done`]: data for the file, or the errors. This file
//! sits below both [`super::calls`] (which runs the calls) and [`super::progress`] (which shows
//! them), so neither needs the other's types.

use super::manifest::CallStatus;
use serde::Serialize;
use std::time::Duration;

/// Which SDK client a call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// `aws ec2`.
    Ec2,
    /// `aws elasticache`.
    ElastiCache,
    /// `aws elbv2` (Elastic Load Balancing v2; IAM prefix `elasticloadbalancing`).
    Elbv2,
    /// `aws vpc-lattice` (resource gateways and resource configurations).
    VpcLattice,
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
    /// Made once per parent (VPC, prefix list, TGW route table, load balancer, target group,
    /// resource gateway, resource configuration) after the parent listing.
    pub per_parent: bool,
    /// The AWS CLI command whose data file this call's data goes to: `command` itself, except
    /// for a listing that only yields the ids of a per-parent `get-…` call (`ListResourceGateways`
    /// → `get-resource-gateway`), which writes no file of its own.
    pub file_command: &'static str,
}

impl CallSpec {
    /// The IAM action, e.g. `ec2:DescribeVpcs`.
    pub fn iam_action(&self) -> String {
        let prefix = match self.service {
            Service::Ec2 => "ec2",
            Service::ElastiCache => "elasticache",
            Service::Elbv2 => "elasticloadbalancing",
            Service::VpcLattice => "vpc-lattice",
        };
        format!("{prefix}:{}", self.operation)
    }
}

macro_rules! specs {
    (@file $cmd:literal) => { $cmd };
    (@file $cmd:literal, $file:literal) => { $file };
    ($( $name:ident = ($op:literal, $cmd:literal, $key:literal, $svc:ident, $pp:literal $(, $file:literal)?) ),* $(,)?) => {
        $(
            #[doc = concat!("`", $cmd, "` → `", $key, "`.")]
            pub const $name: CallSpec = CallSpec {
                operation: $op, command: $cmd, key: $key, service: Service::$svc, per_parent: $pp,
                file_command: specs!(@file $cmd $(, $file)?),
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
    VPC_ENDPOINT_SERVICE_CONFIGURATIONS = ("DescribeVpcEndpointServiceConfigurations", "describe-vpc-endpoint-service-configurations", "ServiceConfigurations", Ec2, false),
    PREFIX_LISTS = ("DescribePrefixLists", "describe-prefix-lists", "PrefixLists", Ec2, false),
    MANAGED_PREFIX_LISTS = ("DescribeManagedPrefixLists", "describe-managed-prefix-lists", "PrefixLists", Ec2, false),
    PREFIX_LIST_ENTRIES = ("GetManagedPrefixListEntries", "get-managed-prefix-list-entries", "ManagedPrefixListEntries", Ec2, true),
    PEERING = ("DescribeVpcPeeringConnections", "describe-vpc-peering-connections", "VpcPeeringConnections", Ec2, false),
    TGWS = ("DescribeTransitGateways", "describe-transit-gateways", "TransitGateways", Ec2, false),
    TGW_ATTACHMENTS = ("DescribeTransitGatewayAttachments", "describe-transit-gateway-attachments", "TransitGatewayAttachments", Ec2, false),
    TGW_VPC_ATTACHMENTS = ("DescribeTransitGatewayVpcAttachments", "describe-transit-gateway-vpc-attachments", "TransitGatewayVpcAttachments", Ec2, false),
    TGW_PEERING_ATTACHMENTS = ("DescribeTransitGatewayPeeringAttachments", "describe-transit-gateway-peering-attachments", "TransitGatewayPeeringAttachments", Ec2, false),
    TGW_ROUTE_TABLES = ("DescribeTransitGatewayRouteTables", "describe-transit-gateway-route-tables", "TransitGatewayRouteTables", Ec2, false),
    TGW_ROUTES = ("SearchTransitGatewayRoutes", "search-transit-gateway-routes", "TransitGatewayRoutes", Ec2, true),
    TGW_ASSOCIATIONS = ("GetTransitGatewayRouteTableAssociations", "get-transit-gateway-route-table-associations", "TransitGatewayAssociations", Ec2, true),
    TGW_PROPAGATIONS = ("GetTransitGatewayRouteTablePropagations", "get-transit-gateway-route-table-propagations", "TransitGatewayPropagations", Ec2, true),
    CACHE_CLUSTERS = ("DescribeCacheClusters", "describe-cache-clusters", "CacheClusters", ElastiCache, false),
    REPLICATION_GROUPS = ("DescribeReplicationGroups", "describe-replication-groups", "ReplicationGroups", ElastiCache, false),
    CACHE_SUBNET_GROUPS = ("DescribeCacheSubnetGroups", "describe-cache-subnet-groups", "CacheSubnetGroups", ElastiCache, false),
    SERVERLESS_CACHES = ("DescribeServerlessCaches", "describe-serverless-caches", "ServerlessCaches", ElastiCache, false),
    LOAD_BALANCERS = ("DescribeLoadBalancers", "describe-load-balancers", "LoadBalancers", Elbv2, false),
    LISTENERS = ("DescribeListeners", "describe-listeners", "Listeners", Elbv2, true),
    TARGET_GROUPS = ("DescribeTargetGroups", "describe-target-groups", "TargetGroups", Elbv2, false),
    TARGET_HEALTH = ("DescribeTargetHealth", "describe-target-health", "LoadBalancerTargetHealth", Elbv2, true),
    TARGET_GROUP_ATTRIBUTES = ("DescribeTargetGroupAttributes", "describe-target-group-attributes", "TargetGroupAttributes", Elbv2, true),
    LOAD_BALANCER_ATTRIBUTES = ("DescribeLoadBalancerAttributes", "describe-load-balancer-attributes", "LoadBalancerV2Attributes", Elbv2, true),
    RESOURCE_GATEWAY_LIST = ("ListResourceGateways", "list-resource-gateways", "ResourceGateways", VpcLattice, false, "get-resource-gateway"),
    RESOURCE_GATEWAYS = ("GetResourceGateway", "get-resource-gateway", "ResourceGateways", VpcLattice, true),
    RESOURCE_CONFIGURATION_LIST = ("ListResourceConfigurations", "list-resource-configurations", "ResourceConfigurations", VpcLattice, false, "get-resource-configuration"),
    RESOURCE_CONFIGURATIONS = ("GetResourceConfiguration", "get-resource-configuration", "ResourceConfigurations", VpcLattice, true),
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
    /// (all, or for per-parent calls the parents that succeeded). `None` for a failed call, and
    /// for a successful listing that only yields ids ([`Done::ids_listed`]).
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

    /// A listing that only yields the ids of a per-parent call ([`CallSpec::file_command`]):
    /// no body of its own, `items` ids found.
    pub fn ids_listed(spec: &'static CallSpec, items: usize, duration: Duration) -> Done {
        Done {
            spec,
            body: None,
            items,
            errors: Vec::new(),
            skipped: None,
            duration,
        }
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
            // A call writes its own file, or (an id listing) the file of a per-parent call of
            // the same key and service.
            if spec.file_command != spec.command {
                assert!(!spec.per_parent, "{}", spec.operation);
                let target = CALLS
                    .iter()
                    .find(|s| s.command == spec.file_command)
                    .unwrap_or_else(|| {
                        panic!("{}: no call writes {}", spec.operation, spec.file_command)
                    });
                assert!(target.per_parent && target.file_command == target.command);
                assert_eq!((target.key, target.service), (spec.key, spec.service));
            }
            // Every key is one the loader models.
            assert!(
                crate::snapshot::MODELLED_KEYS.contains(&spec.key),
                "{}",
                spec.key
            );
        }
        assert_eq!(CALLS.len(), 40);
    }

    #[test]
    fn policy_lists_read_actions_only() {
        let policy = iam_policy();
        let actions = policy["Statement"][0]["Action"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(actions.len(), 40 + 2, "{policy}");
        for a in &actions {
            let a = a.as_str().unwrap_or_default();
            let (svc, op) = a.split_once(':').unwrap_or_default();
            assert!(
                [
                    "ec2",
                    "elasticache",
                    "elasticloadbalancing",
                    "vpc-lattice",
                    "sts"
                ]
                .contains(&svc),
                "{a}"
            );
            assert!(super::super::readonly::is_read_only(op), "{a}");
        }
    }

    /// README's "Minimal IAM policy" block lists exactly the policy's actions.
    #[test]
    fn readme_policy_is_the_derived_one() {
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"),
        )
        .expect("README.md");
        let at = readme
            .find("Minimal IAM policy")
            .expect("the policy section");
        let start = at + readme[at..].find("```json\n").expect("a json block") + 8;
        let end = start + readme[start..].find("```").expect("the block's end");
        let shown: serde_json::Value = serde_json::from_str(&readme[start..end]).expect("JSON");
        let set = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
            v["Statement"][0]["Action"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect()
        };
        assert_eq!(set(&shown), set(&iam_policy()));
    }
}
