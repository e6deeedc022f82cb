//! VPC route tables (§2): longest prefix match with prefix lists expanded; on equal prefixes a
//! static route beats a prefix-list route beats a propagated one (R4).

use crate::model::{Route, RouteDestination, RouteOrigin, RouteTable, Topology};
use crate::net::{AddrSet, LpmTable};
use ipnet::IpNet;

/// Priority on equal prefixes (lower wins).
fn priority(r: &Route) -> u8 {
    match (&r.destination, r.origin) {
        (RouteDestination::PrefixList(_), _) => 1,
        (_, RouteOrigin::EnableVgwRoutePropagation) => 2,
        _ => 0,
    }
}

/// One part of a destination set and the route that carries it (`None`: no route).
pub struct RoutePart<'a> {
    pub addrs: AddrSet,
    pub route: Option<&'a Route>,
    /// The matched prefix (for prefix-list routes, the list entry).
    pub prefix: Option<IpNet>,
    /// Other routes for the same prefix that lost on priority (HIGHER_PRIORITY_ROUTE).
    pub shadowed: Vec<&'a Route>,
}

/// Split `dst` by the route that carries each part.
pub fn lookup<'a>(t: &Topology, table: &'a RouteTable, dst: &AddrSet) -> Vec<RoutePart<'a>> {
    let mut entries: Vec<(IpNet, &'a Route)> = Vec::new();
    for r in &table.routes {
        match &r.destination {
            RouteDestination::Cidr(c) => entries.push((*c, r)),
            RouteDestination::PrefixList(p) => {
                if let Some(cidrs) = p.idx.and_then(|i| t.prefix_lists[i.i()].cidrs.as_ref()) {
                    entries.extend(cidrs.iter().map(|c| (*c, r)));
                }
            }
        }
    }
    let lpm = LpmTable::new(entries);
    lpm.partition_detailed(dst)
        .into_iter()
        .map(|part| {
            let mut cands: Vec<&'a Route> = part.values.iter().map(|r| **r).collect();
            cands.sort_by_key(|r| priority(r));
            let route = cands.first().copied();
            RoutePart {
                addrs: part.addrs,
                route,
                prefix: part.prefix,
                shadowed: cands.into_iter().skip(1).collect(),
            }
        })
        .collect()
}

/// `10.0.0.0/16 → igw-…` for citations.
pub fn describe(r: &Route) -> String {
    let dest = match &r.destination {
        RouteDestination::Cidr(c) => c.to_string(),
        RouteDestination::PrefixList(p) => p.id.clone(),
    };
    let state = if r.active {
        String::new()
    } else {
        format!(" ({})", r.state)
    };
    let target = match r.target.id() {
        // A route without a target field (a load warning said so): never an empty name.
        "" => "(no target)",
        id => id,
    };
    format!("{dest} -> {target}{state}")
}
