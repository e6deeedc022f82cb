//! The normalized network: the one model every analysis reads.
//!
//! Built once from a [`crate::snapshot::Snapshot`] by [`build()`]. Past this line there are no JSON
//! shapes: every id is resolved to a typed index ([`Ref`] keeps the AWS id beside it, so a
//! dangling reference stays visible), every subnet knows its effective route table and NACL,
//! NACL entries are sorted with the implicit final deny present, security-group rules are
//! flattened to one peer each, ENIs carry all their addresses, caches their nodes and ports.
//!
//! Objects that are not live (a stopped instance, a deleted NAT gateway, a pending peering) stay
//! in the model with `active: false`, so the inventory can show them; analyses skip them.

mod build;
mod cache;
mod cache_names;
mod completeness;
mod ec2;
mod ids;
mod privatelink;
pub mod public;
mod tgw;
pub mod tgw_routes;

pub use build::build;
pub use cache::*;
pub use cache_names::*;
pub use completeness::*;
pub use ec2::*;
pub use ids::*;
pub use privatelink::*;
pub use tgw::*;

use crate::diag::Diagnostics;
use crate::snapshot::scope::ScopeSource;
use serde::Serialize;

/// One account and region of the snapshot.
#[derive(Clone, Debug, Serialize)]
pub struct Scope {
    pub account: String,
    pub region: String,
    pub account_source: ScopeSource,
    pub region_source: ScopeSource,
}

/// The normalized network of a whole snapshot (all accounts and regions).
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub scopes: Vec<Scope>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub network_acls: Vec<NetworkAcl>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_interfaces: Vec<NetworkInterface>,
    pub instances: Vec<Instance>,
    pub elastic_ips: Vec<ElasticIp>,
    pub internet_gateways: Vec<InternetGateway>,
    pub egress_only_internet_gateways: Vec<InternetGateway>,
    pub nat_gateways: Vec<NatGateway>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub prefix_lists: Vec<PrefixList>,
    pub vpc_peering_connections: Vec<VpcPeeringConnection>,
    pub transit_gateways: Vec<TransitGateway>,
    pub transit_gateway_attachments: Vec<TransitGatewayAttachment>,
    pub transit_gateway_route_tables: Vec<TransitGatewayRouteTable>,
    pub cache_subnet_groups: Vec<CacheSubnetGroup>,
    pub cache_clusters: Vec<CacheCluster>,
    pub replication_groups: Vec<ReplicationGroup>,
    pub serverless_caches: Vec<ServerlessCache>,
    pub load_balancers: Vec<LoadBalancer>,
    pub listeners: Vec<Listener>,
    pub target_groups: Vec<TargetGroup>,
    pub endpoint_services: Vec<EndpointService>,
    pub resource_gateways: Vec<ResourceGateway>,
    pub resource_configurations: Vec<ResourceConfiguration>,
    /// Calls that `vpcreach collect` recorded as failed: the kinds they would have provided are
    /// missing from the snapshot (SNAPSHOT_INCOMPLETE for verdicts that depend on them).
    pub missing_data: Vec<MissingData>,
    /// What of the snapshot did not load (files, kinds, rejected ids): every answer carries it.
    pub completeness: Completeness,
    pub ids: std::sync::Arc<IdIndex>,
    pub diagnostics: Diagnostics,
    /// Address sets derived from the whole topology on first use ([`public`]).
    pub derived: public::DerivedSets,
}

/// A kind of data the snapshot lacks for a scope, from the collect manifest.
#[derive(Clone, Debug, Serialize)]
pub struct MissingData {
    pub account: String,
    pub region: String,
    pub operation: String,
    pub key: String,
    pub error: String,
}

impl MissingData {
    /// What is missing: the key, or the whole account when the key is empty (collect could not
    /// assume the account's role).
    pub fn what(&self) -> String {
        if self.key.is_empty() {
            format!("all data of account {}", self.account)
        } else {
            self.key.clone()
        }
    }
}

impl Topology {
    /// The scope of an object, as `account/region`.
    pub fn scope_name(&self, s: ScopeIdx) -> String {
        match self.scopes.get(s.i()) {
            Some(sc) => format!("{}/{}", sc.account, sc.region),
            None => "?".into(),
        }
    }

    /// Number of scopes that share an account id (for cross-account reference checks).
    pub fn has_account(&self, account: &str) -> bool {
        self.scopes.iter().any(|s| s.account == account)
    }
}
