//! ElastiCache: `describe-cache-clusters`, `describe-replication-groups`,
//! `describe-cache-subnet-groups`, `describe-serverless-caches`.

use super::values::AwsPort;
use serde::{Deserialize, Serialize};

/// `{"Address": ..., "Port": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<AwsPort>,
}

/// `elasticache describe-cache-clusters --show-cache-node-info` → `CacheClusters[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheCluster {
    pub cache_cluster_id: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_cluster_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_cache_nodes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<CacheEndpoint>,
    pub cache_nodes: Vec<CacheNode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_subnet_group_name: Option<String>,
    pub security_groups: Vec<CacheSecurityGroupMembership>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_enabled: Option<bool>,
    /// `preferred` (TLS and plaintext both accepted) or `required` (TLS only); absent on
    /// engines or versions without the setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token_enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheNode {
    pub cache_node_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_node_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_availability_zone: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSecurityGroupMembership {
    pub security_group_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `elasticache describe-replication-groups` → `ReplicationGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ReplicationGroup {
    pub replication_group_id: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub member_clusters: Vec<String>,
    pub node_groups: Vec<NodeGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_enabled: Option<bool>,
    /// `preferred` or `required` (as on a cache cluster).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token_enabled: Option<bool>,
    pub user_group_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NodeGroup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub node_group_members: Vec<NodeGroupMember>,
}

/// `NodeGroups[].NodeGroupMembers[]`: one node of a shard and its current role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NodeGroupMember {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_cluster_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_node_id: Option<String>,
    /// `primary` or `replica` (cluster mode disabled only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_endpoint: Option<CacheEndpoint>,
}

/// `elasticache describe-cache-subnet-groups` → `CacheSubnetGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSubnetGroup {
    pub cache_subnet_group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    pub subnets: Vec<CacheSubnet>,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSubnet {
    pub subnet_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_availability_zone: Option<CacheAz>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheAz {
    pub name: String,
}

/// `elasticache describe-serverless-caches` → `ServerlessCaches[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerlessCache {
    pub serverless_cache_name: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_engine_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<CacheEndpoint>,
    pub security_group_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_group_id: Option<String>,
}
