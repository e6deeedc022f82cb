//! ElastiCache SDK types → the project's serde shapes ([`crate::snapshot::aws`]).

use super::convert_util::{os, port, s};
use crate::snapshot::aws;
use aws_sdk_elasticache::types as sdk;

fn endpoint(e: &sdk::Endpoint) -> aws::CacheEndpoint {
    aws::CacheEndpoint {
        address: os(e.address()),
        port: e.port().map(|p| port(Some(p))),
    }
}

/// `CacheClusters[]` (from `describe-cache-clusters --show-cache-node-info`).
pub fn cache_cluster(c: &sdk::CacheCluster) -> aws::CacheCluster {
    aws::CacheCluster {
        cache_cluster_id: s(c.cache_cluster_id()),
        arn: os(c.arn()),
        engine: os(c.engine()),
        engine_version: os(c.engine_version()),
        cache_cluster_status: os(c.cache_cluster_status()),
        num_cache_nodes: c.num_cache_nodes().map(i64::from),
        preferred_availability_zone: os(c.preferred_availability_zone()),
        configuration_endpoint: c.configuration_endpoint().map(endpoint),
        cache_nodes: c
            .cache_nodes()
            .iter()
            .map(|n| aws::CacheNode {
                cache_node_id: s(n.cache_node_id()),
                cache_node_status: os(n.cache_node_status()),
                endpoint: n.endpoint().map(endpoint),
                customer_availability_zone: os(n.customer_availability_zone()),
            })
            .collect(),
        cache_subnet_group_name: os(c.cache_subnet_group_name()),
        security_groups: c
            .security_groups()
            .iter()
            .map(|g| aws::CacheSecurityGroupMembership {
                security_group_id: s(g.security_group_id()),
                status: os(g.status()),
            })
            .collect(),
        replication_group_id: os(c.replication_group_id()),
        transit_encryption_enabled: c.transit_encryption_enabled(),
        transit_encryption_mode: c.transit_encryption_mode().map(|m| m.as_str().to_string()),
        auth_token_enabled: c.auth_token_enabled(),
    }
}

/// `ReplicationGroups[]`.
pub fn replication_group(r: &sdk::ReplicationGroup) -> aws::ReplicationGroup {
    aws::ReplicationGroup {
        replication_group_id: s(r.replication_group_id()),
        arn: os(r.arn()),
        status: os(r.status()),
        engine: os(r.engine()),
        member_clusters: r.member_clusters().to_vec(),
        node_groups: r
            .node_groups()
            .iter()
            .map(|g| aws::NodeGroup {
                node_group_id: os(g.node_group_id()),
                primary_endpoint: g.primary_endpoint().map(endpoint),
                reader_endpoint: g.reader_endpoint().map(endpoint),
                node_group_members: g
                    .node_group_members()
                    .iter()
                    .map(|m| aws::NodeGroupMember {
                        cache_cluster_id: os(m.cache_cluster_id()),
                        cache_node_id: os(m.cache_node_id()),
                        current_role: os(m.current_role()),
                        read_endpoint: m.read_endpoint().map(endpoint),
                    })
                    .collect(),
            })
            .collect(),
        configuration_endpoint: r.configuration_endpoint().map(endpoint),
        cluster_enabled: r.cluster_enabled(),
        transit_encryption_enabled: r.transit_encryption_enabled(),
        transit_encryption_mode: r.transit_encryption_mode().map(|m| m.as_str().to_string()),
        auth_token_enabled: r.auth_token_enabled(),
        user_group_ids: r.user_group_ids().to_vec(),
    }
}

/// `CacheSubnetGroups[]`.
pub fn cache_subnet_group(g: &sdk::CacheSubnetGroup) -> aws::CacheSubnetGroup {
    aws::CacheSubnetGroup {
        cache_subnet_group_name: s(g.cache_subnet_group_name()),
        vpc_id: os(g.vpc_id()),
        subnets: g
            .subnets()
            .iter()
            .map(|n| aws::CacheSubnet {
                subnet_identifier: s(n.subnet_identifier()),
                subnet_availability_zone: n
                    .subnet_availability_zone()
                    .map(|az| aws::CacheAz { name: s(az.name()) }),
            })
            .collect(),
        arn: os(g.arn()),
    }
}

/// `ServerlessCaches[]`.
pub fn serverless_cache(c: &sdk::ServerlessCache) -> aws::ServerlessCache {
    aws::ServerlessCache {
        serverless_cache_name: s(c.serverless_cache_name()),
        arn: os(c.arn()),
        status: os(c.status()),
        engine: os(c.engine()),
        full_engine_version: os(c.full_engine_version()),
        endpoint: c.endpoint().map(endpoint),
        reader_endpoint: c.reader_endpoint().map(endpoint),
        security_group_ids: c.security_group_ids().to_vec(),
        subnet_ids: c.subnet_ids().to_vec(),
        user_group_id: os(c.user_group_id()),
    }
}
