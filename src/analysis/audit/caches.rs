//! The caches an audit covers (replication groups; cache clusters outside any replication
//! group; serverless caches) and, per cache, which sender classes its security groups could
//! admit at all: the classes worth a walk.

use crate::engine::sets::SenderClass;
use crate::model::*;
use ipnet::IpNet;
use std::collections::BTreeSet;

/// One cache as the audit sees it.
#[derive(Clone, Debug)]
pub struct CacheTarget {
    pub id: String,
    /// `replication-group`, `cache-cluster` or `serverless`.
    pub kind: &'static str,
    pub engine: String,
    pub ports: Vec<u16>,
    pub transit_encryption: bool,
    pub auth: bool,
    pub vpc: Option<VpcIdx>,
    /// The cache's security groups.
    pub groups: Vec<Ref<SecurityGroupIdx>>,
    /// Endpoint host names (a relay's `forward` may name the cache by one).
    pub hosts: Vec<String>,
}

impl CacheTarget {
    /// The engine's name for it.
    pub fn target(&self) -> String {
        format!("cache:{}", self.id)
    }

    /// Whether a relay's `forward` (any target form) names this cache.
    pub fn named_by(&self, forward: &str) -> bool {
        let f = forward.trim();
        let f = f.strip_prefix("cache:").unwrap_or(f);
        let host = f.rsplit_once(':').map(|(h, _)| h).unwrap_or(f);
        f == self.id || self.hosts.iter().any(|h| h == f || h == host)
    }
}

fn hosts<'a>(eps: impl Iterator<Item = &'a Option<Endpoint>>) -> Vec<String> {
    eps.flatten().filter_map(|e| e.address.clone()).collect()
}

/// Every cache of the snapshot, replication groups first, then standalone clusters, then
/// serverless caches (each in snapshot order).
pub fn caches(t: &Topology) -> Vec<CacheTarget> {
    let mut out = Vec::new();
    for rg in &t.replication_groups {
        let members: Vec<&CacheCluster> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .collect();
        let first = members.first();
        let mut h = hosts(
            [
                &rg.primary_endpoint,
                &rg.reader_endpoint,
                &rg.configuration_endpoint,
            ]
            .into_iter(),
        );
        for c in &members {
            h.extend(hosts(c.nodes.iter().map(|n| &n.endpoint)));
        }
        out.push(CacheTarget {
            id: rg.id.clone(),
            kind: "replication-group",
            engine: rg.engine.clone(),
            ports: rg.ports.clone(),
            transit_encryption: rg.transit_encryption,
            auth: rg.auth_token || !rg.user_group_ids.is_empty(),
            vpc: first.and_then(|c| c.vpc),
            groups: first.map(|c| c.security_groups.clone()).unwrap_or_default(),
            hosts: h,
        });
    }
    for c in t
        .cache_clusters
        .iter()
        .filter(|c| c.replication_group.is_none())
    {
        let mut h = hosts(std::iter::once(&c.configuration_endpoint));
        h.extend(hosts(c.nodes.iter().map(|n| &n.endpoint)));
        out.push(CacheTarget {
            id: c.id.clone(),
            kind: "cache-cluster",
            engine: c.engine.clone(),
            ports: c.ports.clone(),
            transit_encryption: c.transit_encryption,
            auth: c.auth_token,
            vpc: c.vpc,
            groups: c.security_groups.clone(),
            hosts: h,
        });
    }
    for s in &t.serverless_caches {
        out.push(CacheTarget {
            id: s.name.clone(),
            kind: "serverless",
            engine: s.engine.clone(),
            ports: s.ports.clone(),
            // Serverless caches always encrypt in transit; access control is optional.
            transit_encryption: true,
            auth: s.user_group_id.is_some(),
            vpc: s.vpc,
            groups: s.security_groups.clone(),
            hosts: hosts([&s.endpoint, &s.reader_endpoint].into_iter()),
        });
    }
    out
}

/// What a cache's security groups admit, coarsely (ports ignored): a necessary condition for
/// any packet from an unchanged source address to arrive. Used to skip walks that cannot
/// succeed; the walk itself decides.
pub struct Admission {
    /// Everything may be admitted (a prefix list, an unresolved or partly loaded group, a
    /// private NAT gateway that could change source addresses on the way).
    any: bool,
    nets: Vec<IpNet>,
    groups: BTreeSet<String>,
}

impl Admission {
    pub fn of(t: &Topology, c: &CacheTarget) -> Admission {
        Admission::of_groups(t, &c.groups)
    }

    /// The same for any interface guarded by `groups` (a PrivateLink endpoint's).
    pub fn of_groups(t: &Topology, groups: &[Ref<SecurityGroupIdx>]) -> Admission {
        let mut a = Admission {
            any: t
                .nat_gateways
                .iter()
                .any(|n| n.connectivity == Connectivity::Private),
            nets: Vec::new(),
            groups: BTreeSet::new(),
        };
        for g in groups {
            let Some(gi) = g.idx else {
                a.any = true;
                continue;
            };
            let sg = &t.security_groups[gi.i()];
            if !sg.skipped_permissions.is_empty() {
                a.any = true;
            }
            for r in &sg.inbound {
                match &r.peer {
                    SgPeer::Cidr { cidr } => a.nets.push(*cidr),
                    SgPeer::PrefixList { .. } => a.any = true,
                    SgPeer::Group(gr) => {
                        a.groups.insert(gr.group.id.clone());
                    }
                }
            }
        }
        a
    }

    /// Whether the class may be admitted: it carries a referenced group, or its subnet
    /// overlaps an admitted block.
    pub fn may_admit(&self, t: &Topology, class: &SenderClass) -> bool {
        self.may_admit_at(t, class.subnet, class.groups.iter().map(String::as_str))
    }

    /// The same test for an interface in `subnet` carrying `groups`.
    pub fn may_admit_at<'g>(
        &self,
        t: &Topology,
        subnet: SubnetIdx,
        mut groups: impl Iterator<Item = &'g str>,
    ) -> bool {
        if self.any || groups.any(|g| self.groups.contains(g)) {
            return true;
        }
        t.subnets[subnet.i()].cidrs().any(|s| {
            self.nets
                .iter()
                .any(|n| n.contains(&s.network()) || s.contains(&n.network()))
        })
    }

    /// Whether any interface of the instance may be admitted.
    pub fn may_admit_instance(&self, t: &Topology, i: &Instance) -> bool {
        i.network_interfaces.iter().any(|e| {
            let eni = &t.network_interfaces[e.i()];
            eni.subnet
                .idx
                .is_some_and(|s| self.may_admit_at(t, s, eni.groups.iter().map(|g| g.id.as_str())))
        })
    }
}

/// SNAPSHOT_INCOMPLETE: when the cache has no node interface in the model while the files that
/// would give them (cache clusters, replication groups, serverless caches, network interfaces)
/// did not fully load, why its nodes are unknown; `None` otherwise (a cache with truly no
/// nodes is reached by nothing, as stated).
pub fn nodes_unknown(t: &Topology, c: &CacheTarget) -> Option<String> {
    let enis = match c.kind {
        "replication-group" => t
            .replication_groups
            .iter()
            .filter(|r| r.id == c.id)
            .flat_map(|r| r.members.iter().filter_map(|m| m.idx))
            .map(|m| {
                t.cache_clusters[m.i()]
                    .nodes
                    .iter()
                    .filter(|n| n.network_interface.is_some())
                    .count()
            })
            .sum::<usize>(),
        "cache-cluster" => t
            .cache_clusters
            .iter()
            .filter(|x| x.id == c.id)
            .map(|x| {
                x.nodes
                    .iter()
                    .filter(|n| n.network_interface.is_some())
                    .count()
            })
            .sum(),
        _ => t
            .serverless_caches
            .iter()
            .filter(|x| x.name == c.id)
            .map(|x| x.network_interfaces.len())
            .sum(),
    };
    if enis > 0 {
        return None;
    }
    let mut lost: Vec<String> = Vec::new();
    for k in [
        "CacheClusters",
        "ReplicationGroups",
        "ServerlessCaches",
        "NetworkInterfaces",
    ] {
        for f in t.completeness.affecting(k) {
            let d = f.describe();
            if !lost.contains(&d) {
                lost.push(d);
            }
        }
    }
    (!lost.is_empty()).then(|| {
        format!(
            "no node network interface of {} loaded, so who reaches it is unknown: {}",
            c.id,
            lost.join("; ")
        )
    })
}
