//! VPC route tables (§2): longest prefix match with prefix lists expanded; on equal prefixes a
//! static route beats a prefix-list route beats a propagated one (R4). Two prefix-list routes
//! holding the same prefix with different targets tie: AWS picks one, the data does not say
//! which, so both are candidates (in an order of their own, never the JSON's).

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
    /// Prefix-list routes of the same prefix and priority as `route` with another target or
    /// state (R4 tie: AWS uses one of `route` and these; PREFIX_LIST_ROUTE_TIE).
    pub tied: Vec<&'a Route>,
}

/// What a tied route does (its target and state): tied routes that agree on it are one choice.
fn effect(r: &Route) -> (String, bool, String) {
    (r.target.id().to_string(), r.active, r.state.to_string())
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
            // Priority, then the route's own text: never the order of the JSON (R4).
            cands.sort_by_cached_key(|r| (priority(r), describe(r)));
            let route = cands.first().copied();
            let mut tied: Vec<&'a Route> = Vec::new();
            let mut shadowed: Vec<&'a Route> = Vec::new();
            for r in cands.iter().skip(1) {
                let same_rank = route.is_some_and(|w| priority(w) == 1 && priority(r) == 1);
                if !same_rank {
                    shadowed.push(r);
                } else if route.is_some_and(|w| effect(w) != effect(r))
                    && !tied.iter().any(|t| effect(t) == effect(r))
                {
                    tied.push(r);
                }
            }
            RoutePart {
                addrs: part.addrs,
                route,
                prefix: part.prefix,
                shadowed,
                tied,
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
