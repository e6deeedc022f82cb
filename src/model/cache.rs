//! ElastiCache: subnet groups, node-based clusters with their nodes, replication groups and
//! serverless caches (§6 of the semantics reference).

use super::ids::*;
use serde::Serialize;
use std::net::IpAddr;

/// A cache subnet group (one VPC).
#[derive(Clone, Debug, Serialize)]
pub struct CacheSubnetGroup {
    pub name: String,
    pub scope: ScopeIdx,
    pub vpc: Option<Ref<VpcIdx>>,
    /// Subnets with their availability zone.
    pub subnets: Vec<(Ref<SubnetIdx>, Option<String>)>,
}

/// An endpoint: DNS name and port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Endpoint {
    pub address: Option<String>,
    pub port: Option<u16>,
}

/// One node of a node-based cluster, tied to its ENI where the snapshot has it (C3).
#[derive(Clone, Debug, Serialize)]
pub struct CacheNode {
    pub id: String,
    pub status: Option<String>,
    pub endpoint: Option<Endpoint>,
    pub availability_zone: Option<String>,
    /// The requester-managed ENI `ElastiCache <cluster-id>` of this node.
    pub network_interface: Option<EniIdx>,
    /// The node's subnet: the ENI's, else the group subnet of its AZ.
    pub subnet: Option<SubnetIdx>,
    /// The node's private address (from its ENI); `None` when unknown.
    pub address: Option<IpAddr>,
    /// `primary` or `replica` (`NodeGroupMembers[].CurrentRole` of its replication group,
    /// cluster mode disabled); `None` when the snapshot does not say.
    pub role: Option<String>,
}

/// `redis`, `valkey` or `memcached`.
pub fn default_port(engine: &str) -> u16 {
    if engine.eq_ignore_ascii_case("memcached") {
        11211
    } else {
        6379
    }
}

/// A node-based cache cluster.
#[derive(Clone, Debug, Serialize)]
pub struct CacheCluster {
    pub id: String,
    pub scope: ScopeIdx,
    pub engine: String,
    pub engine_version: Option<String>,
    pub status: String,
    pub active: bool,
    pub subnet_group: Option<Ref<CacheSubnetGroupIdx>>,
    pub vpc: Option<VpcIdx>,
    pub security_groups: Vec<Ref<SecurityGroupIdx>>,
    pub replication_group: Option<Ref<ReplicationGroupIdx>>,
    pub transit_encryption: bool,
    /// `TransitEncryptionMode`: `preferred` also accepts plaintext connections, `required`
    /// only TLS; `None` when the snapshot does not say.
    pub transit_encryption_mode: Option<String>,
    pub auth_token: bool,
    pub configuration_endpoint: Option<Endpoint>,
    pub nodes: Vec<CacheNode>,
    /// Ports clients use: the nodes' endpoint ports, else the engine default (C1).
    pub ports: Vec<u16>,
}

/// A replication group (Valkey/Redis OSS).
#[derive(Clone, Debug, Serialize)]
pub struct ReplicationGroup {
    pub id: String,
    pub scope: ScopeIdx,
    pub engine: String,
    pub status: String,
    pub active: bool,
    pub members: Vec<Ref<CacheClusterIdx>>,
    pub primary_endpoint: Option<Endpoint>,
    pub reader_endpoint: Option<Endpoint>,
    pub configuration_endpoint: Option<Endpoint>,
    pub cluster_enabled: bool,
    pub transit_encryption: bool,
    /// `TransitEncryptionMode` (as on [`CacheCluster`]).
    pub transit_encryption_mode: Option<String>,
    pub auth_token: bool,
    pub user_group_ids: Vec<String>,
    pub ports: Vec<u16>,
}

/// A serverless cache: an interface endpoint in its subnets guarded by its groups (V4).
#[derive(Clone, Debug, Serialize)]
pub struct ServerlessCache {
    pub name: String,
    pub scope: ScopeIdx,
    pub engine: String,
    pub status: String,
    pub active: bool,
    pub endpoint: Option<Endpoint>,
    pub reader_endpoint: Option<Endpoint>,
    pub security_groups: Vec<Ref<SecurityGroupIdx>>,
    pub subnets: Vec<Ref<SubnetIdx>>,
    pub vpc: Option<VpcIdx>,
    pub user_group_id: Option<String>,
    /// ENIs of the cache found in the snapshot.
    pub network_interfaces: Vec<EniIdx>,
    /// Writer and reader ports (6379 + 6380, or 11211 + 11212 by default; C1).
    pub ports: Vec<u16>,
}
