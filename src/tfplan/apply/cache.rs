//! ElastiCache: the security groups of an existing replication group, cache cluster or
//! serverless cache (`security_group_ids`, on the clusters and on their nodes' network
//! interfaces), and cache subnet groups. Creating, deleting and replacing a cache is in
//! [`super::cache_create`].

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::Fault;
use crate::tfplan::Action;

/// Set the groups of cache clusters `clusters` and of their nodes' interfaces.
fn set_cluster_groups(w: &mut World<'_>, clusters: &[String], sgs: &[String]) {
    let descriptions: Vec<String> = clusters
        .iter()
        .map(|c| format!("ElastiCache {c}"))
        .collect();
    for d in w.all() {
        for c in d
            .cache_clusters
            .iter_mut()
            .filter(|c| clusters.contains(&c.item.cache_cluster_id))
        {
            c.item.security_groups = sgs
                .iter()
                .map(|g| CacheSecurityGroupMembership {
                    security_group_id: g.clone(),
                    status: Some("active".into()),
                })
                .collect();
        }
        for e in d.network_interfaces.iter_mut() {
            if e.item
                .description
                .as_ref()
                .is_some_and(|x| descriptions.contains(x))
            {
                e.item.groups = sgs
                    .iter()
                    .map(|g| GroupIdentifier {
                        group_id: g.clone(),
                        group_name: None,
                    })
                    .collect();
            }
        }
    }
}

/// `aws_elasticache_replication_group` / `aws_elasticache_cluster` / `aws_elasticache_serverless_cache`.
pub fn cache(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if !matches!(c.rc.action, Action::Update) {
        return super::cache_create::create(w, c);
    }
    let (Some(b), Some(a)) = (c.before, c.after) else {
        return Ok(Outcome::Applied);
    };
    let id = b.req_str("id")?;
    let sgs = a.strs("security_group_ids")?;
    match c.rc.rtype.as_str() {
        "aws_elasticache_replication_group" => {
            let members: Vec<String> = w
                .all()
                .flat_map(|d| d.cache_clusters.iter())
                .filter(|x| x.item.replication_group_id.as_deref() == Some(id.as_str()))
                .map(|x| x.item.cache_cluster_id.clone())
                .collect();
            if members.is_empty() {
                return Err(Fault::Unknown(format!(
                    "replication group {id} has no member cluster in the snapshot"
                )));
            }
            set_cluster_groups(w, &members, &sgs);
        }
        "aws_elasticache_cluster" => set_cluster_groups(w, std::slice::from_ref(&id), &sgs),
        _ => {
            let name = a.str("name")?.unwrap_or(id);
            for d in w.all() {
                for s in d
                    .serverless_caches
                    .iter_mut()
                    .filter(|s| s.item.serverless_cache_name == name)
                {
                    s.item.security_group_ids = sgs.clone();
                }
                for e in d.network_interfaces.iter_mut() {
                    if e.item
                        .description
                        .as_ref()
                        .is_some_and(|x| x.contains(&name))
                    {
                        e.item.groups = sgs
                            .iter()
                            .map(|g| GroupIdentifier {
                                group_id: g.clone(),
                                group_name: None,
                            })
                            .collect();
                    }
                }
            }
        }
    }
    Ok(Outcome::Applied)
}

/// `aws_elasticache_subnet_group`.
pub fn subnet_group(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let name = b.req_str("name")?;
            for d in w.all() {
                d.cache_subnet_groups
                    .retain(|g| !g.item.cache_subnet_group_name.eq_ignore_ascii_case(&name));
            }
        }
    }
    if let Some(a) = c.added() {
        let name = a.req_str("name")?;
        let subnets = a.strs("subnet_ids")?;
        let first = subnets.first().cloned().unwrap_or_default();
        let vpc_id = w
            .all()
            .flat_map(|d| d.subnets.iter())
            .find(|s| s.item.subnet_id == first)
            .map(|s| s.item.vpc_id.clone());
        let data = w.scope_of(|d| d.subnets.iter().any(|s| s.item.subnet_id == first));
        data.cache_subnet_groups.push(
            c.here.locate(CacheSubnetGroup {
                cache_subnet_group_name: name,
                vpc_id,
                subnets: subnets
                    .into_iter()
                    .map(|s| CacheSubnet {
                        subnet_identifier: s,
                        subnet_availability_zone: None,
                    })
                    .collect(),
                arn: None,
            }),
        );
    }
    Ok(Outcome::Applied)
}
