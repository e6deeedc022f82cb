//! Overlapping pairs served by PrivateLink (docs/semantics.md §8 O6).
//!
//! An endpoint of a VPC *works* for one of its blocks when the engine, asked from every address
//! of that block in that VPC (`vpc-…/CIDR`) to the endpoint on TCP, finds some flow that
//! completes forward and return through the whole PrivateLink path (L1–L6): an interface
//! endpoint on a listener port of its endpoint service's Network Load Balancers, a resource
//! endpoint on the first port of each of its resource configuration's port ranges. A listed
//! overlapping pair is *served* by a service when one VPC of the pair provides it (the load
//! balancer's or resource gateway's VPC) and the other's endpoint to it works (`direct`), or
//! when endpoints of both VPCs to it work (`shared`).

use crate::engine::{Engine, Question, Verdict};
use crate::findings::overlaps::{
    Overlap, PrivateLinkKind, PrivateLinkRelation, PrivateLinkService, ServedEndpoint,
};
use crate::model::*;
use ipnet::IpNet;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

/// A PrivateLink service: an endpoint service or a resource configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Service {
    Endpoint(EndpointServiceIdx),
    Resource(ResourceConfigurationIdx),
}

/// What the pairs of one analysis ask, with the answers kept per (VPC, block).
pub(super) struct Served<'t> {
    t: &'t Topology,
    engine: Option<Engine<'t>>,
    working: HashMap<(VpcIdx, IpNet), Vec<(Service, ServedEndpoint)>>,
}

impl<'t> Served<'t> {
    pub(super) fn new(t: &'t Topology) -> Self {
        Served {
            t,
            engine: None,
            working: HashMap::new(),
        }
    }

    /// Fill `o.privatelink` for the listed pair `o` of blocks (`a` of VPC `va`, `b` of `vb`).
    pub(super) fn annotate(&mut self, o: &mut Overlap, va: VpcIdx, vb: VpcIdx) {
        let wa = self.working(va, o.a_cidr);
        let wb = self.working(vb, o.b_cidr);
        let mut out: BTreeMap<Service, PrivateLinkService> = BTreeMap::new();
        for (mine, theirs, other) in [(&wa, &wb, &o.b), (&wb, &wa, &o.a)] {
            for (svc, ep) in mine {
                let direct = self.provider(*svc).as_deref() == Some(other.as_str());
                let shared = theirs.iter().any(|(s, _)| s == svc);
                if !direct && !shared {
                    continue;
                }
                let entry = out.entry(*svc).or_insert_with(|| self.describe(*svc));
                if direct {
                    entry.relation = PrivateLinkRelation::Direct;
                }
                if !entry.endpoints.contains(ep) {
                    entry.endpoints.push(ep.clone());
                }
            }
        }
        o.privatelink = out.into_values().collect();
    }

    /// A working resource endpoint of VPC `v` (for its block `net`) whose resource is one of
    /// `addresses` (an `ipResource`, or a `dnsResource` naming a cache endpoint, L5):
    /// `(endpoint, resource configuration)`. The cache remedy O4 is then in place.
    pub(super) fn cache_in_place(
        &mut self,
        v: VpcIdx,
        net: IpNet,
        addresses: &[IpAddr],
    ) -> Option<(String, String)> {
        let t = self.t;
        self.working(v, net).into_iter().find_map(|(svc, ep)| {
            let Service::Resource(r) = svc else {
                return None;
            };
            let rc = &t.resource_configurations[r.i()];
            let at: Vec<IpAddr> = match &rc.resource {
                Resource::Ip(a) => vec![*a],
                Resource::Dns(name) => cache_name(t, name)
                    .map(|n| n.nodes.iter().map(|(_, a)| *a).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            at.iter()
                .any(|a| addresses.contains(a))
                .then(|| (ep.endpoint, rc.id.clone()))
        })
    }

    fn describe(&self, svc: Service) -> PrivateLinkService {
        let t = self.t;
        let (kind, service, name) = match svc {
            Service::Endpoint(s) => {
                let s = &t.endpoint_services[s.i()];
                (
                    PrivateLinkKind::EndpointService,
                    s.id.clone(),
                    Some(s.name.clone()),
                )
            }
            Service::Resource(r) => {
                let r = &t.resource_configurations[r.i()];
                (
                    PrivateLinkKind::ResourceConfiguration,
                    r.id.clone(),
                    r.name.clone(),
                )
            }
        };
        PrivateLinkService {
            relation: PrivateLinkRelation::Shared,
            kind,
            service,
            name,
            provider_vpc: self.provider(svc),
            endpoints: Vec::new(),
        }
    }

    /// The VPC id of the service's Network Load Balancer (the first active one) or resource
    /// gateway.
    fn provider(&self, svc: Service) -> Option<String> {
        let t = self.t;
        match svc {
            Service::Endpoint(s) => t.endpoint_services[s.i()]
                .load_balancers
                .iter()
                .filter_map(|r| r.idx)
                .map(|l| &t.load_balancers[l.i()])
                .find(|l| l.active)
                .map(|l| l.vpc.id.clone()),
            Service::Resource(r) => t.resource_configurations[r.i()]
                .gateway
                .idx
                .map(|g| t.resource_gateways[g.i()].vpc.id.clone()),
        }
    }

    /// The TCP ports an endpoint to `svc` is asked on: the ports of the TCP (`TLS`, `TCP_UDP`)
    /// listeners that forward to a target group, of the service's active Network Load
    /// Balancers; the first port of each port range of an active resource configuration.
    fn ports(&self, svc: Service) -> Vec<u16> {
        let t = self.t;
        let mut out: Vec<u16> = match svc {
            Service::Endpoint(s) => {
                let s = &t.endpoint_services[s.i()];
                if !s.active {
                    return Vec::new();
                }
                s.load_balancers
                    .iter()
                    .filter_map(|r| r.idx)
                    .map(|l| &t.load_balancers[l.i()])
                    .filter(|l| l.active && l.is_network())
                    .flat_map(|l| l.listeners.iter().map(|x| &t.listeners[x.i()]))
                    .filter(|l| {
                        !l.target_groups.is_empty()
                            && ["TCP", "TLS", "TCP_UDP"]
                                .iter()
                                .any(|p| l.protocol.eq_ignore_ascii_case(p))
                    })
                    .filter_map(|l| l.port)
                    .collect()
            }
            Service::Resource(r) => {
                let r = &t.resource_configurations[r.i()];
                if !r.active || !r.protocol.eq_ignore_ascii_case("TCP") {
                    return Vec::new();
                }
                r.port_ranges.iter().map(|&(lo, _)| lo).collect()
            }
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The working endpoints of VPC `v` for its block `net`, one per (endpoint, service): the
    /// first port on which some address of the block reaches it.
    fn working(&mut self, v: VpcIdx, net: IpNet) -> Vec<(Service, ServedEndpoint)> {
        if let Some(w) = self.working.get(&(v, net)) {
            return w.clone();
        }
        let t = self.t;
        let vpc = &t.vpcs[v.i()];
        let mut out = Vec::new();
        for ep in t
            .vpc_endpoints
            .iter()
            .filter(|e| e.active && e.vpc.idx == Some(v))
        {
            let svc = match (ep.endpoint_type.clone(), ep.endpoint_service) {
                (EndpointType::Interface, Some(s)) => Service::Endpoint(s),
                (EndpointType::Resource, _) => match ep.resource_configuration.as_ref() {
                    Some(Ref { idx: Some(r), .. }) => Service::Resource(*r),
                    _ => continue,
                },
                _ => continue,
            };
            for port in self.ports(svc) {
                let engine = self.engine.get_or_insert_with(|| Engine::new(t));
                let q = Question::tcp(
                    format!("{}/{net}", vpc.id),
                    ep.id.clone(),
                    Some(&port.to_string()),
                );
                let Ok(answer) = engine.ask(&q) else {
                    continue;
                };
                let verdict = match answer.verdict {
                    Verdict::Reachable => "reachable",
                    Verdict::Partial => "partial",
                    _ => continue,
                };
                out.push((
                    svc,
                    ServedEndpoint {
                        vpc: vpc.id.clone(),
                        endpoint: ep.id.clone(),
                        port,
                        verdict: verdict.to_string(),
                    },
                ));
                break;
            }
        }
        self.working.insert((v, net), out.clone());
        out
    }
}
