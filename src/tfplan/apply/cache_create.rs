//! Creating, deleting and replacing ElastiCache caches from a plan, in the
//! `describe-replication-groups` / `describe-cache-clusters --show-cache-node-info` /
//! `describe-serverless-caches` / `describe-network-interfaces` shapes.
//!
//! Terraform attributes read: `aws_elasticache_replication_group` (`replication_group_id`,
//! `subnet_group_name`, `security_group_ids`, `num_cache_clusters`, `num_node_groups`,
//! `replicas_per_node_group`, `port`, `engine`, `transit_encryption_enabled`, `auth_token`,
//! `user_group_ids`), `aws_elasticache_cluster` (`cluster_id`, `replication_group_id`,
//! `subnet_group_name`, `security_group_ids`, `num_cache_nodes`, `port`, `engine`,
//! `transit_encryption_enabled`), `aws_elasticache_serverless_cache` (`name`, `engine`,
//! `subnet_ids`, `security_group_ids`). A new cache's nodes are created as AWS does: member
//! clusters `<group>-001`, `-002`, … with one node each, spread over the subnet group's subnets
//! in order, each with a requester-managed interface described `ElastiCache <cluster>` at some
//! free address of its subnet (an assumption: AWS picks the address and the zone).

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};

/// The default port of an engine (ElastiCache: 6379 for Redis OSS / Valkey, 11211 Memcached).
fn default_port(engine: &str) -> i64 {
    if engine.eq_ignore_ascii_case("memcached") {
        11211
    } else {
        6379
    }
}

fn remove_cluster(w: &mut World<'_>, cluster: &str) {
    let desc = format!("ElastiCache {cluster}");
    for d in w.all() {
        d.cache_clusters
            .retain(|x| x.item.cache_cluster_id != cluster);
        d.network_interfaces
            .retain(|e| e.item.description.as_deref() != Some(desc.as_str()));
    }
}

fn remove(w: &mut World<'_>, c: &Change<'_>) -> Result<(), Fault> {
    let Some(b) = c.before else { return Ok(()) };
    let id = b.req_str("id")?;
    match c.rc.rtype.as_str() {
        "aws_elasticache_replication_group" => {
            let members: Vec<String> = w
                .all()
                .flat_map(|d| d.cache_clusters.iter())
                .filter(|x| x.item.replication_group_id.as_deref() == Some(id.as_str()))
                .map(|x| x.item.cache_cluster_id.clone())
                .collect();
            for m in members {
                remove_cluster(w, &m);
            }
            for d in w.all() {
                d.replication_groups
                    .retain(|g| g.item.replication_group_id != id);
            }
        }
        "aws_elasticache_cluster" => remove_cluster(w, &id),
        _ => {
            let desc = format!("ElastiCache Serverless {id}");
            for d in w.all() {
                d.serverless_caches
                    .retain(|s| s.item.serverless_cache_name != id);
                d.network_interfaces
                    .retain(|e| e.item.description.as_deref() != Some(desc.as_str()));
            }
        }
    }
    Ok(())
}

/// The subnets of cache subnet group `name`, with their VPC.
fn group_subnets(w: &mut World<'_>, name: &str) -> Result<Vec<String>, Fault> {
    w.all()
        .flat_map(|d| d.cache_subnet_groups.iter())
        .find(|g| g.item.cache_subnet_group_name.eq_ignore_ascii_case(name))
        .map(|g| {
            g.item
                .subnets
                .iter()
                .map(|s| s.subnet_identifier.clone())
                .collect()
        })
        .ok_or_else(|| {
            Fault::Unknown(format!(
                "cache subnet group {name} is neither in the snapshot nor created by the plan"
            ))
        })
}

/// A requester-managed interface for a cache node in `subnet`, described `description`.
fn node_interface(
    w: &mut World<'_>,
    c: &Change<'_>,
    subnet: &str,
    description: String,
    sgs: &[String],
) -> Result<Option<(Ip4, Option<String>)>, Fault> {
    let sub = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|x| x.item.subnet_id == subnet)
        .map(|x| x.item.clone())
        .ok_or_else(|| {
            Fault::Unknown(format!(
                "subnet {subnet} is neither in the snapshot nor created by the plan"
            ))
        })?;
    let Some(ip) = super::network::free_address(w, subnet) else {
        return Ok(None);
    };
    let n = w.all().map(|d| d.network_interfaces.len()).sum::<usize>();
    let iface = NetworkInterface {
        network_interface_id: format!("eni-tf:{}#{n}", c.rc.address),
        subnet_id: Some(subnet.to_string()),
        vpc_id: Some(sub.vpc_id.clone()),
        availability_zone: sub.availability_zone.clone(),
        description: Some(description),
        groups: sgs
            .iter()
            .map(|g| GroupIdentifier {
                group_id: g.clone(),
                group_name: None,
            })
            .collect(),
        interface_type: Some("interface".into()),
        requester_id: Some("amazon-elasticache".into()),
        requester_managed: Some(true),
        status: Some("in-use".into()),
        private_ip_address: Some(ip),
        private_ip_addresses: vec![PrivateIpAddress {
            private_ip_address: Some(ip),
            primary: true,
            association: None,
        }],
        ..Default::default()
    };
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnet));
    data.network_interfaces.push(c.here.locate(iface));
    Ok(Some((ip, sub.availability_zone)))
}

/// What a new cache cluster (a replication group's member, or a standalone cluster) is made of.
struct Spec<'x> {
    engine: String,
    port: i64,
    subnet_group: String,
    sgs: &'x [String],
    transit: Option<bool>,
    auth: bool,
    group: Option<String>,
}

/// Create cluster `id` with `nodes` nodes in the subnets (in order, from `start`).
fn create_cluster(
    w: &mut World<'_>,
    c: &Change<'_>,
    id: &str,
    nodes: i64,
    subnets: &[String],
    start: usize,
    s: &Spec<'_>,
) -> Result<(), Fault> {
    let mut out = Vec::new();
    for k in 0..nodes.max(1) as usize {
        let subnet = &subnets[(start + k) % subnets.len()];
        let Some((ip, az)) = node_interface(w, c, subnet, format!("ElastiCache {id}"), s.sgs)?
        else {
            return Err(Fault::Unknown(format!(
                "no free address in subnet {subnet} for a node of {id}"
            )));
        };
        w.assume(format!("cache node {id}/{:04}: AWS places it and picks its address at apply; taken as {ip} in subnet {subnet}", k + 1));
        out.push(CacheNode {
            cache_node_id: format!("{:04}", k + 1),
            cache_node_status: Some("available".into()),
            endpoint: Some(CacheEndpoint {
                address: None,
                port: Some(AwsPort(s.port as i32)),
            }),
            customer_availability_zone: az,
        });
    }
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnets[0]));
    data.cache_clusters.push(
        c.here.locate(CacheCluster {
            cache_cluster_id: id.to_string(),
            engine: Some(s.engine.clone()),
            cache_cluster_status: Some("available".into()),
            num_cache_nodes: Some(nodes.max(1)),
            cache_nodes: out,
            cache_subnet_group_name: Some(s.subnet_group.clone()),
            security_groups: s
                .sgs
                .iter()
                .map(|g| CacheSecurityGroupMembership {
                    security_group_id: g.clone(),
                    status: Some("active".into()),
                })
                .collect(),
            replication_group_id: s.group.clone(),
            transit_encryption_enabled: s.transit,
            auth_token_enabled: Some(s.auth),
            ..Default::default()
        }),
    );
    Ok(())
}

fn port(a: &Attrs<'_>, engine: &str) -> Result<i64, Fault> {
    Ok(match a.int("port") {
        Ok(Some(p)) => p,
        Ok(None) | Err(Fault::Unknown(_)) => default_port(engine),
        Err(e) => return Err(e),
    })
}

/// Create, delete or replace a cache.
pub fn create(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        remove(w, c)?;
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let engine = a.str("engine")?.unwrap_or_else(|| "redis".into());
    let port = port(a, &engine)?;
    let sgs = a.opt_strs("security_group_ids")?;
    let transit = a.bool("transit_encryption_enabled")?;
    match c.rc.rtype.as_str() {
        "aws_elasticache_replication_group" => {
            let id = a.req_str("replication_group_id")?;
            let subnet_group = a.req_str("subnet_group_name")?;
            let subnets = group_subnets(w, &subnet_group)?;
            if subnets.is_empty() {
                return Err(Fault::Unknown(format!(
                    "cache subnet group {subnet_group} has no subnet"
                )));
            }
            let opt_int = |k: &str| match a.int(k) {
                Err(Fault::Unknown(_)) => Ok(None),
                x => x,
            };
            let shards = opt_int("num_node_groups")?;
            let count = match (opt_int("num_cache_clusters")?, shards) {
                (Some(n), _) => n,
                (None, Some(g)) => g * (1 + opt_int("replicas_per_node_group")?.unwrap_or(0)),
                (None, None) => 1,
            };
            let auth = a.str("auth_token")?.is_some() || !a.opt_strs("user_group_ids")?.is_empty();
            let spec = Spec {
                engine: engine.clone(),
                port,
                subnet_group: subnet_group.clone(),
                sgs: &sgs,
                transit,
                auth,
                group: Some(id.clone()),
            };
            let members: Vec<String> = (1..=count.max(1)).map(|k| format!("{id}-{k:03}")).collect();
            for (k, m) in members.iter().enumerate() {
                create_cluster(w, c, m, 1, &subnets, k, &spec)?;
            }
            let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnets[0]));
            data.replication_groups
                .push(c.here.locate(ReplicationGroup {
                    replication_group_id: id,
                    status: Some("available".into()),
                    engine: Some(engine),
                    member_clusters: members,
                    cluster_enabled: Some(shards.is_some_and(|g| g > 1)),
                    transit_encryption_enabled: transit,
                    auth_token_enabled: Some(auth),
                    user_group_ids: a.opt_strs("user_group_ids")?,
                    ..Default::default()
                }));
        }
        "aws_elasticache_cluster" => {
            let id = a.req_str("cluster_id")?;
            if let Some(g) = a.str("replication_group_id")? {
                return Ok(Outcome::NotEvaluated(format!(
                    "a cluster joining replication group {g}: apply the group's member count instead (not modelled)"
                )));
            }
            let subnet_group = a.req_str("subnet_group_name")?;
            let subnets = group_subnets(w, &subnet_group)?;
            if subnets.is_empty() {
                return Err(Fault::Unknown(format!(
                    "cache subnet group {subnet_group} has no subnet"
                )));
            }
            let nodes = match a.int("num_cache_nodes") {
                Err(Fault::Unknown(_)) => 1,
                x => x?.unwrap_or(1),
            };
            let spec = Spec {
                engine,
                port,
                subnet_group,
                sgs: &sgs,
                transit,
                auth: false,
                group: None,
            };
            create_cluster(w, c, &id, nodes, &subnets, 0, &spec)?;
        }
        _ => {
            let name = a.req_str("name")?;
            let subnets = a.strs("subnet_ids")?;
            for s in &subnets {
                let Some((ip, _)) =
                    node_interface(w, c, s, format!("ElastiCache Serverless {name}"), &sgs)?
                else {
                    return Err(Fault::Unknown(format!("no free address in subnet {s}")));
                };
                w.assume(format!("serverless cache {name}: its interface in subnet {s} gets its address at apply; taken as {ip}"));
            }
            let first = subnets.first().cloned().unwrap_or_default();
            let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == first));
            data.serverless_caches.push(c.here.locate(ServerlessCache {
                serverless_cache_name: name,
                status: Some("available".into()),
                engine: Some(engine),
                endpoint: Some(CacheEndpoint {
                    address: None,
                    port: Some(AwsPort(port as i32)),
                }),
                security_group_ids: sgs.clone(),
                subnet_ids: subnets,
                user_group_id: a.str("user_group_id")?,
                ..Default::default()
            }));
        }
    }
    Ok(Outcome::Applied)
}
