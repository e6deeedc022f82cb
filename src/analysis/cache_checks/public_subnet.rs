//! `CACHE_PUBLIC_SUBNET` (semantics C8): a subnet of the cache whose route table sends
//! `0.0.0.0/0` or `::/0` to an internet gateway (an active route; a blackhole route sends
//! nothing). An egress-only internet gateway does not make a subnet public.

use super::CacheFacts;
use crate::catalogue::Code;
use crate::findings::audit::AuditFinding;
use crate::model::*;

/// The default routes of `rt` that target an internet gateway: `0.0.0.0/0 → igw-…`.
fn internet_routes(rt: &RouteTable) -> Vec<String> {
    rt.routes
        .iter()
        .filter(|r| r.active)
        .filter_map(|r| match (&r.destination, &r.target) {
            (RouteDestination::Cidr(c), RouteTarget::InternetGateway(g)) if c.prefix_len() == 0 => {
                Some(format!("{c} → {}", g.id))
            }
            _ => None,
        })
        .collect()
}

/// A finding per cache subnet routed to an internet gateway.
pub(super) fn check(t: &Topology, cache: &CacheFacts) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for &s in &cache.subnets {
        let sub = &t.subnets[s.i()];
        let Some(rt) = sub.route_table.map(|r| &t.route_tables[r.i()]) else {
            continue;
        };
        let routes = internet_routes(rt);
        if routes.is_empty() {
            continue;
        }
        out.push(
            AuditFinding::new(
                Code::CACHE_PUBLIC_SUBNET,
                sub.id.clone(),
                format!(
                    "cache {} is in {}, a public subnet: its route table {} has {} (the cache gets no public address, so the route does not expose it by itself)",
                    cache.id,
                    sub.id,
                    rt.id,
                    routes.join(" and ")
                ),
            )
            .named(sub.name.clone())
            .for_cache(cache.id.clone())
            .with_fix(format!(
                "move {} to private subnets (a cache subnet group whose subnets have no internet-gateway route), or remove the internet route from {} if nothing in {} needs it",
                cache.id, rt.id, sub.id
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    //! c8-cache-public-subnet (case 94): rtb 2 `0.0.0.0/0 → igw 1`, rtb 3 `::/0 → igw 1`, rtb 4
    //! `0.0.0.0/0 → nat 1`, rtb 5 `0.0.0.0/0 → igw 9` as a blackhole; the main table rtb 10 has
    //! local routes only.
    use super::*;

    #[test]
    fn internet_routes_of_each_table() {
        let t = super::super::fixture("c8-cache-public-subnet");
        let routes =
            |id: &str| internet_routes(t.route_tables.iter().find(|r| r.id == id).expect("table"));
        assert_eq!(
            routes("rtb-94000000000000002"),
            vec!["0.0.0.0/0 → igw-94000000000000001"]
        );
        assert_eq!(
            routes("rtb-94000000000000003"),
            vec!["::/0 → igw-94000000000000001"]
        );
        assert!(routes("rtb-94000000000000004").is_empty());
        assert!(routes("rtb-94000000000000005").is_empty());
        assert!(routes("rtb-9400000000000000a").is_empty());
    }
}
