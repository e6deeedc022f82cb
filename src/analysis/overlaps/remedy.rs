//! Concrete remedies for an overlap (§8 O4): private NAT gateway, PrivateLink for caches and
//! services, renumbering to a free block of the same size, or re-collecting the snapshot.

use super::caches::CacheService;
use super::context::Context;
use super::pool::{permitted_secondary, Allocator};
use super::privatelink::Served;
use crate::findings::overlaps::*;
use crate::model::*;
use ipnet::{IpNet, Ipv4Net};
use std::collections::HashSet;

impl Context<'_> {
    pub(super) fn renumbering(
        &self,
        alloc: &mut Allocator,
        vpc_id: &str,
        cidr: IpNet,
    ) -> Renumbering {
        let v = self.vpc_by_id(vpc_id);
        let primary =
            matches!((v.and_then(|v| self.primary(v)), cidr), (Some(p), IpNet::V4(c)) if *p == c);
        let within = if primary || matches!(cidr, IpNet::V6(_)) {
            None
        } else {
            v.and_then(|v| permitted_secondary(self.primary(v)))
        };
        let proposed = alloc.take_for(
            vpc_id,
            cidr,
            RemedyKind::Renumber,
            cidr.prefix_len(),
            within.as_ref(),
        );
        let label = self.label_id(vpc_id);
        let note = match (proposed, primary, cidr) {
            (None, _, IpNet::V6(_)) => format!(
                "no free /{} in the pool: request another Amazon-provided IPv6 block for {label} (or pass an IPv6 --pool)",
                cidr.prefix_len()
            ),
            (None, _, _) => format!(
                "no free /{} left in the pool{} for {label}",
                cidr.prefix_len(),
                if within.is_some() { " within the ranges AWS allows as its secondary CIDR" } else { "" }
            ),
            (Some(p), true, _) => format!(
                "{cidr} is the primary CIDR of {label}, which cannot be removed: create a new VPC with {p}, move workloads and cache subnet groups there, then attach it to the TGW"
            ),
            (Some(p), false, _) => format!(
                "associate {p} with {label} as a secondary CIDR, create new subnets in it, move workloads and cache subnet groups, re-create the TGW attachment subnets there, then disassociate {cidr}"
            ),
        };
        Renumbering {
            vpc: vpc_id.to_string(),
            current: cidr,
            proposed,
            primary,
            note,
        }
    }

    /// Remedies for one overlap, concrete to the snapshot.
    pub(super) fn remedies(
        &self,
        o: &Overlap,
        alloc: &mut Allocator,
        served: &mut Served<'_>,
    ) -> Vec<Remedy> {
        let mut out = Vec::new();
        for imp in &o.impact {
            match imp.kind {
                ImpactKind::TgwPropagationSuppressed => {
                    let (Some(sid), Some(cidr)) = (&imp.shadowed, imp.suppressed_cidr) else {
                        continue;
                    };
                    let Some(s) = self.vpc_by_id(sid) else {
                        continue;
                    };
                    let tgw = imp.transit_gateway.clone().unwrap_or_default();
                    let rtb = imp.route_table.clone().unwrap_or_default();
                    out.extend(self.private_nat(alloc, s, cidr, &format!("{tgw} ({rtb})")));
                    // Caches of the shadowed VPC that others cannot reach.
                    for c in self
                        .caches
                        .iter()
                        .filter(|c| c.vpc == s && !c.inside(self.t, &cidr).is_empty())
                    {
                        out.push(self.provide_cache(c, &format!("the other VPCs on {tgw}")));
                    }
                    // Caches the shadowed VPC wants to reach over the TGW (replies would go to
                    // the winner): consume them through PrivateLink instead.
                    let ti = self
                        .tables
                        .iter()
                        .position(|tr| self.t.transit_gateway_route_tables[tr.table.i()].id == rtb);
                    if let Some(ti) = ti {
                        for c in &self.caches {
                            let routed = self.tables[ti].routes.iter().any(|r| {
                                r.vpc == Some(c.vpc)
                                    && r.vpc != Some(s)
                                    && c.addresses.iter().any(|a| r.destination.contains(a))
                            });
                            if !routed {
                                continue;
                            }
                            let done = served.cache_in_place(s, cidr, &c.addresses);
                            out.push(self.consume_cache(c, s));
                            if let Some((ep, rc)) = done {
                                out.last_mut().expect("pushed").description = format!(
                                    "in place: {} {} is reached from {} without the TGW through resource endpoint {ep} (resource configuration {rc}, O6); replies never route to the overlapping block",
                                    c.kind, c.id, self.label(s)
                                );
                            }
                        }
                    }
                    if !self
                        .unreachable(s, &cidr)
                        .iter()
                        .all(|u| u.kind == ResourceKind::Subnet)
                    {
                        out.push(Remedy {
                            kind: RemedyKind::PrivatelinkEndpointService,
                            vpc: sid.clone(),
                            suggested_cidr: None,
                            cache: None,
                            endpoint: None,
                            description: format!(
                                "publish the services other VPCs need in {} ({cidr}) behind a Network Load Balancer endpoint service (PrivateLink); consumers create interface endpoints in their own VPCs, so no route to {cidr} is needed",
                                self.label(s)
                            ),
                        });
                    }
                    out.push(self.renumber_remedy(alloc, s, cidr));
                }
                ImpactKind::PeeringImpossible => {
                    out.push(Remedy {
                        kind: RemedyKind::Recollect,
                        vpc: o.b.clone(),
                        suggested_cidr: None,
                        cache: None,
                        endpoint: None,
                        description: format!(
                            "re-collect both accounts at the same time and check {}: AWS cannot have an active peering between overlapping blocks {} and {}",
                            imp.peering_connection.as_deref().unwrap_or("the peering"),
                            o.a_cidr, o.b_cidr
                        ),
                    });
                    if let Some(b) = self.vpc_by_id(&o.b) {
                        out.push(self.renumber_remedy(alloc, b, o.b_cidr));
                    }
                }
                ImpactKind::Latent => {
                    let Some(b) = self.vpc_by_id(&o.b) else {
                        continue;
                    };
                    // Renumbering first, so it gets the lowest same-size block.
                    let renumber = self.renumber_remedy(alloc, b, o.b_cidr);
                    out.extend(self.private_nat(alloc, b, o.b_cidr, "a shared Transit Gateway"));
                    out.push(renumber);
                }
            }
        }
        let mut seen = HashSet::new();
        out.retain(|r| seen.insert(r.description.clone()));
        out
    }

    pub(super) fn private_nat(
        &self,
        alloc: &mut Allocator,
        v: VpcIdx,
        cidr: IpNet,
        via: &str,
    ) -> Option<Remedy> {
        if matches!(cidr, IpNet::V6(_)) {
            return None; // NAT gateways translate IPv4 only.
        }
        let id = &self.vpc(v).id;
        let within = permitted_secondary(self.primary(v));
        let key: IpNet = IpNet::V4(Ipv4Net::default());
        let free = alloc.take_for(id, key, RemedyKind::PrivateNatGateway, 24, within.as_ref());
        let block = free
            .map(|n| n.to_string())
            .unwrap_or_else(|| "a free /24 (none left in the pool)".into());
        Some(Remedy {
            kind: RemedyKind::PrivateNatGateway,
            vpc: id.clone(),
            suggested_cidr: free,
            cache: None,
            endpoint: None,
            description: format!(
                "associate {block} with {} as a secondary CIDR (routable, unique), create a subnet per AZ in it, put a private NAT gateway there and move the TGW attachment subnets into it; route traffic from the {cidr} subnets towards {via} to the NAT gateway. Works for connections started from {}; inbound connections need a load balancer in {block}",
                self.label(v), self.label(v)
            ),
        })
    }

    pub(super) fn provide_cache(&self, c: &CacheService, to: &str) -> Remedy {
        let ep = c.endpoint_text();
        Remedy {
            kind: RemedyKind::PrivatelinkResourceGateway,
            vpc: self.vpc(c.vpc).id.clone(),
            suggested_cidr: None,
            cache: Some(c.id.clone()),
            endpoint: ep.clone(),
            description: format!(
                "share {} {} ({}) with {to} through PrivateLink: a resource gateway in the cache subnets of {} and a resource configuration for {} (TCP); consumers add a resource endpoint (or a service network). The cache security group must admit the resource gateway",
                c.kind, c.id, ep.as_deref().unwrap_or("endpoint not in the snapshot"), self.label(c.vpc), ep.as_deref().unwrap_or("its DNS name and port")
            ),
        }
    }

    pub(super) fn consume_cache(&self, c: &CacheService, consumer: VpcIdx) -> Remedy {
        let ep = c.endpoint_text();
        Remedy {
            kind: RemedyKind::PrivatelinkResourceGateway,
            vpc: self.vpc(consumer).id.clone(),
            suggested_cidr: None,
            cache: Some(c.id.clone()),
            endpoint: ep.clone(),
            description: format!(
                "reach {} {} ({}) from {} without the TGW: create a resource gateway in {} with a resource configuration for {} (TCP) and a resource endpoint in {}; replies then never route to the overlapping block",
                c.kind, c.id, ep.as_deref().unwrap_or("endpoint not in the snapshot"), self.label(consumer), self.label(c.vpc), ep.as_deref().unwrap_or("its DNS name and port"), self.label(consumer)
            ),
        }
    }

    pub(super) fn renumber_remedy(&self, alloc: &mut Allocator, v: VpcIdx, cidr: IpNet) -> Remedy {
        let r = self.renumbering(alloc, &self.vpc(v).id, cidr);
        Remedy {
            kind: RemedyKind::Renumber,
            vpc: r.vpc,
            suggested_cidr: r.proposed,
            cache: None,
            endpoint: None,
            description: format!("renumber {cidr} of {}: {}", self.label(v), r.note),
        }
    }
}
