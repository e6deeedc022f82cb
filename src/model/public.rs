//! Address sets derived from a whole topology and used by almost every question: the public
//! addresses the snapshot's interfaces hold, and the `internet` (public unicast space minus
//! those addresses and every VPC block). Computing them walks every interface (100,000 ENIs:
//! milliseconds), so they are computed once, on first use, and kept with the topology. The
//! same holds for the instances sorted by id (a policy of 1,000 expectations names instances
//! thousands of times: a binary search, not a scan of 100,000 instances each time).
//!
//! A clone of the topology starts with an empty cache: a clone may be changed (a planned
//! state), and must not answer with its original's sets.

use super::Topology;
use crate::net::AddrSet;
use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::OnceLock;

/// Sets derived from the topology, computed on first use.
#[derive(Debug, Default)]
pub struct DerivedSets {
    public: OnceLock<AddrSet>,
    internet: OnceLock<AddrSet>,
    /// Instance indexes sorted by instance id (the first of equal ids first).
    instances_by_id: OnceLock<Vec<u32>>,
}

impl Clone for DerivedSets {
    fn clone(&self) -> Self {
        DerivedSets::default()
    }
}

/// Public unicast space: everything minus private, shared, loopback, link-local, multicast and
/// reserved IPv4 space; IPv6 global unicast (2000::/3).
pub fn public_space() -> AddrSet {
    let non_public_v4 = [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
    ];
    let mut v4 = AddrSet::all_v4();
    for n in non_public_v4 {
        if let Ok(net) = n.parse::<IpNet>() {
            v4 = v4.difference(&AddrSet::from_net(&net));
        }
    }
    let v6 = "2000::/3"
        .parse::<IpNet>()
        .map(|n| AddrSet::from_net(&n))
        .unwrap_or_default();
    v4.union(&v6)
}

impl Topology {
    /// The instance with this id (the first in snapshot order when ids repeat).
    pub fn instance_by_id(&self, id: &str) -> Option<&super::Instance> {
        let sorted = self.derived.instances_by_id.get_or_init(|| {
            let mut v: Vec<u32> = (0..self.instances.len() as u32).collect();
            v.sort_by(|&a, &b| {
                let (x, y) = (&self.instances[a as usize], &self.instances[b as usize]);
                x.id.cmp(&y.id).then(a.cmp(&b))
            });
            v
        });
        let at = sorted.partition_point(|&i| self.instances[i as usize].id.as_str() < id);
        sorted
            .get(at)
            .map(|&i| &self.instances[i as usize])
            .filter(|i| i.id == id)
    }

    /// Every public address (IPv4 public IPs, IPv6 addresses) of the snapshot's interfaces,
    /// built in one sort-and-merge pass on first use.
    pub fn public_addrs(&self) -> &AddrSet {
        self.derived.public.get_or_init(|| {
            let nets: Vec<IpNet> = self
                .network_interfaces
                .iter()
                .flat_map(|e| {
                    e.public_ips()
                        .map(|a| IpNet::from(IpAddr::V4(a)))
                        .chain(e.ipv6_addresses.iter().map(|a| IpNet::from(IpAddr::V6(*a))))
                        .collect::<Vec<_>>()
                })
                .collect();
            AddrSet::from_nets(nets.iter())
        })
    }

    /// The `internet`: public unicast space minus every public address of the snapshot's
    /// interfaces and every VPC block.
    pub fn internet(&self) -> &AddrSet {
        self.derived.internet.get_or_init(|| {
            let nets: Vec<IpNet> = self.vpcs.iter().flat_map(|v| v.cidrs()).collect();
            public_space()
                .difference(self.public_addrs())
                .difference(&AddrSet::from_nets(nets.iter()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_does_not_keep_the_cached_sets() {
        let t = Topology::default();
        let before = t.internet().clone();
        assert!(before.contains("8.8.8.8".parse().unwrap()));
        let mut c = t.clone();
        c.vpcs.clear();
        assert!(c.derived.internet.get().is_none());
    }

    /// Every instance of the demo is found by its id, as a scan finds it; prefixes, absent
    /// ids and the empty id are not.
    #[test]
    fn instances_are_found_by_id() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let t = crate::model::build(crate::snapshot::load(&dir).expect("demo loads"));
        assert!(t.instances.len() > 3);
        for i in &t.instances {
            let scanned = t.instances.iter().position(|x| x.id == i.id);
            let found = t
                .instance_by_id(&i.id)
                .map(|f| t.instances.iter().position(|x| std::ptr::eq(x, f)));
            assert_eq!(found, Some(scanned), "{}", i.id);
            assert!(t.instance_by_id(&i.id[..i.id.len() - 1]).is_none());
        }
        assert!(t.instance_by_id("i-").is_none());
        assert!(t.instance_by_id("i-ffffffffffffffffff").is_none());
        assert!(t.instance_by_id("").is_none());
    }
}
