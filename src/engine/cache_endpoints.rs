//! ElastiCache endpoint hostnames as question words: the configuration, primary and reader
//! endpoints of a replication group, the configuration endpoint and node endpoints of a cache
//! cluster, and the endpoint and reader endpoint of a serverless cache, as
//! `describe-replication-groups`, `describe-cache-clusters` and `describe-serverless-caches`
//! print them (and `vpcreach inventory` shows them), with or without `:port`.
//!
//! A cache-wide endpoint (configuration, primary, reader, serverless) stands for every node of
//! the cache: the snapshot does not say which node is primary now (a failover changes it), so
//! every node the name may lead to is a target. A node endpoint stands for that node alone.
//! Without `--port`, the ports are the `:port` written after the name, else the endpoint's own
//! port, else the cache's ports.

use super::QueryError;
use crate::model::*;

/// ENIs, ports and label of a named cache (as `resolve::enis_of` returns them).
type Named = (Vec<EniIdx>, Option<Vec<u16>>, String);

/// An endpoint with the name asked: its cache's ENIs, its own port, the cache's ports, a label.
type Hit = (Vec<EniIdx>, Option<u16>, Vec<u16>, String);

/// `host:port` split when the part after the last `:` is a number and the host a DNS name.
pub(super) fn split_port(word: &str) -> (&str, Option<&str>) {
    match word.rsplit_once(':') {
        Some((host, port))
            if host.contains('.')
                && host.chars().any(|c| c.is_ascii_alphabetic())
                && !port.is_empty()
                && port.chars().all(|c| c.is_ascii_digit()) =>
        {
            (host, Some(port))
        }
        _ => (word, None),
    }
}

fn same_host(endpoint: &Option<Endpoint>, host: &str) -> Option<Option<u16>> {
    let e = endpoint.as_ref()?;
    let a = e.address.as_deref()?;
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(host.trim_end_matches('.'))
        .then_some(e.port)
}

fn cluster_enis(cc: &CacheCluster) -> Vec<EniIdx> {
    cc.nodes
        .iter()
        .filter_map(|n| n.network_interface)
        .collect()
}

/// What an endpoint hostname names: `None` when the word is no endpoint of the snapshot
/// (then it is looked up as a cache name). An endpoint whose nodes have no ENI is an error.
pub(super) fn resolve(t: &Topology, word: &str) -> Result<Option<Named>, QueryError> {
    let (host, _) = split_port(word);
    if !host.contains('.') {
        return Ok(None);
    }
    // Every endpoint with that name: (ENIs, endpoint port, cache ports, label).
    let mut hits: Vec<Hit> = Vec::new();
    for rg in &t.replication_groups {
        let kinds = [
            (&rg.configuration_endpoint, "configuration endpoint"),
            (&rg.primary_endpoint, "primary endpoint"),
            (&rg.reader_endpoint, "reader endpoint"),
        ];
        for (e, kind) in kinds {
            if let Some(port) = same_host(e, host) {
                let enis = rg
                    .members
                    .iter()
                    .filter_map(|m| m.idx)
                    .flat_map(|m| cluster_enis(&t.cache_clusters[m.i()]))
                    .collect();
                hits.push((
                    enis,
                    port,
                    rg.ports.clone(),
                    format!("cache {} ({kind})", rg.id),
                ));
            }
        }
    }
    for cc in &t.cache_clusters {
        if let Some(port) = same_host(&cc.configuration_endpoint, host) {
            let label = format!("cache {} (configuration endpoint)", cc.id);
            hits.push((cluster_enis(cc), port, cc.ports.clone(), label));
        }
        for n in &cc.nodes {
            if let Some(port) = same_host(&n.endpoint, host) {
                let enis = n.network_interface.into_iter().collect();
                let label = format!("cache {} node {}", cc.id, n.id);
                hits.push((enis, port, cc.ports.clone(), label));
            }
        }
    }
    for sc in &t.serverless_caches {
        for (e, kind) in [
            (&sc.endpoint, "endpoint"),
            (&sc.reader_endpoint, "reader endpoint"),
        ] {
            if let Some(port) = same_host(e, host) {
                let label = format!("cache {} ({kind})", sc.name);
                hits.push((sc.network_interfaces.clone(), port, sc.ports.clone(), label));
            }
        }
    }
    let Some(label) = hits.first().map(|h| h.3.clone()) else {
        return Ok(None);
    };
    // One name may carry several endpoints (a serverless cache's endpoint and reader endpoint
    // share a name, ports 6379 and 6380): their ports together, else the caches' ports.
    let mut enis: Vec<EniIdx> = hits.iter().flat_map(|h| h.0.iter().copied()).collect();
    let own: Option<Vec<u16>> = hits.iter().map(|h| h.1).collect();
    let mut ports = match own {
        Some(p) => p,
        None => hits.iter().flat_map(|h| h.2.iter().copied()).collect(),
    };
    ports.sort();
    ports.dedup();
    enis.sort();
    enis.dedup();
    if enis.is_empty() {
        return Err(QueryError::NotFound(format!(
            "{label} has no node network interfaces in the snapshot (describe-network-interfaces missing?)"
        )));
    }
    Ok(Some((enis, Some(ports), label)))
}

/// The `:port` written after an endpoint hostname of the snapshot, when there is one.
pub(super) fn port_suffix(t: &Topology, word: &str) -> Result<Option<String>, QueryError> {
    match split_port(word) {
        (_, Some(port)) if resolve(t, word)?.is_some() => Ok(Some(port.to_string())),
        _ => Ok(None),
    }
}
