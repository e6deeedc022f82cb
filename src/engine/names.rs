//! Names of the components an answer cites: the `Name` tag of VPCs, subnets, route tables,
//! network ACLs, gateways, endpoints, peerings, transit gateways and instances, a security
//! group's GroupName, and for a network interface its own `Name` tag, else its instance's.
//!
//! Built once per [`super::Engine`] as an id → name map and applied to every hop and blocker of
//! an answer in one place ([`Names::apply`]), so no walker has to think about names.

use super::answer::{Answer, Hop};
use crate::model::Topology;
use std::collections::HashMap;

/// Component id → name. An id named differently in two scopes (it cannot happen in AWS, only
/// in hand-made snapshots) gets no name rather than a wrong one.
#[derive(Debug, Default)]
pub struct Names {
    by_id: HashMap<String, Option<String>>,
}

impl Names {
    /// Every named component of the topology.
    pub fn new(t: &Topology) -> Names {
        let mut n = Names::default();
        let pairs = t
            .vpcs
            .iter()
            .map(|x| (&x.id, x.name.as_deref()))
            .chain(t.subnets.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(t.route_tables.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(t.network_acls.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(
                t.security_groups
                    .iter()
                    .map(|x| (&x.id, Some(x.name.as_str()))),
            )
            .chain(t.instances.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(
                t.internet_gateways
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            )
            .chain(
                t.egress_only_internet_gateways
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            )
            .chain(t.nat_gateways.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(t.vpc_endpoints.iter().map(|x| (&x.id, x.name.as_deref())))
            .chain(
                t.vpc_peering_connections
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            )
            .chain(
                t.transit_gateways
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            )
            .chain(
                t.transit_gateway_attachments
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            )
            .chain(
                t.transit_gateway_route_tables
                    .iter()
                    .map(|x| (&x.id, x.name.as_deref())),
            );
        for (id, name) in pairs {
            n.add(id, name);
        }
        for e in &t.network_interfaces {
            let own = e.name.as_deref();
            let instance = e
                .instance
                .as_ref()
                .and_then(|r| r.idx)
                .and_then(|i| t.instances[i.i()].name.as_deref());
            n.add(&e.id, own.or(instance));
        }
        n
    }

    fn add(&mut self, id: &str, name: Option<&str>) {
        let Some(name) = name.map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        match self.by_id.get(id) {
            None => {
                self.by_id.insert(id.to_string(), Some(name.to_string()));
            }
            Some(Some(old)) if old != name => {
                self.by_id.insert(id.to_string(), None);
            }
            Some(_) => {}
        }
    }

    /// The name of the component with this id, if it has one.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).and_then(|n| n.as_deref())
    }

    fn hops(&self, hops: &mut [Hop]) {
        for h in hops {
            h.name = self.get(&h.component).map(str::to_string);
        }
    }

    /// Name every hop (paths and walked paths) and every blocker of the answer.
    pub fn apply(&self, a: &mut Answer) {
        for p in &mut a.paths {
            self.hops(&mut p.forward);
            self.hops(&mut p.return_);
        }
        for w in &mut a.walked {
            self.hops(&mut w.forward);
            self.hops(&mut w.return_);
        }
        for b in &mut a.blocked {
            b.name = self.get(&b.component).map(str::to_string);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's names, read off fixtures/demo by hand: NACL acl-…002 is tagged
    /// `app-public`; sg-…005's GroupName is what describe-security-groups says; ENI eni-…001
    /// belongs to instance i-…0001 `haproxy-redis-relay`.
    #[test]
    fn demo_components_are_named() {
        let t = crate::model::build(crate::snapshot::load_demo());
        let n = Names::new(&t);
        assert_eq!(n.get("acl-02344f08e51020002"), Some("app-public"));
        assert_eq!(n.get("i-0de7d1b721a1e0001"), Some("haproxy-redis-relay"));
        assert_eq!(n.get("sg-08819528322010005"), Some("demo-redis"));
        assert_eq!(n.get("eni-04d4f0f7a97c80001"), Some("haproxy-redis-relay"));
        assert_eq!(n.get("no-such-id"), None);
    }
}
