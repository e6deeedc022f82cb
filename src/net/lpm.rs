//! Longest-prefix match over sets of destinations.
//!
//! An [`LpmTable`] holds routes `(prefix, value)`. [`LpmTable::partition`] splits a whole
//! destination [`AddrSet`] into the parts that each prefix wins by longest-prefix match,
//! without enumerating addresses; [`LpmTable::lookup`] answers for one address.
//!
//! Several routes may share the same prefix (host bits are ignored: `10.0.0.1/8` is
//! `10.0.0.0/8`). They are kept together and all returned, in insertion order, because
//! choosing among equal prefixes (by route priority or origin) is the caller's business.

use std::collections::HashMap;
use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::addr::AddrSet;

/// The routes of one exact prefix.
#[derive(Clone, Debug)]
struct Group {
    net: IpNet,
    members: Vec<usize>,
}

/// A longest-prefix-match table of routes with values of type `V`.
#[derive(Clone, Debug)]
pub struct LpmTable<V> {
    entries: Vec<(IpNet, V)>,
    /// Groups sorted by prefix length, longest first, then by network address.
    groups: Vec<Group>,
    /// Truncated prefix → index in `groups`.
    index: HashMap<IpNet, usize>,
    /// Distinct IPv4 prefix lengths, longest first.
    lens_v4: Vec<u8>,
    /// Distinct IPv6 prefix lengths, longest first.
    lens_v6: Vec<u8>,
}

/// One part of a [`LpmTable::partition_detailed`] result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LpmPart<'a, V> {
    /// The destinations of this part.
    pub addrs: AddrSet,
    /// The winning prefix, or `None` for the destinations no route matches.
    pub prefix: Option<IpNet>,
    /// The values of every route with exactly the winning prefix, in insertion order
    /// (empty for the unmatched part).
    pub values: Vec<&'a V>,
}

impl<V> Default for LpmTable<V> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl<V> FromIterator<(IpNet, V)> for LpmTable<V> {
    fn from_iter<I: IntoIterator<Item = (IpNet, V)>>(iter: I) -> Self {
        Self::new(iter.into_iter().collect())
    }
}

impl<V> LpmTable<V> {
    /// Builds a table; prefixes are truncated to their network address, and routes with
    /// equal prefixes are all kept.
    pub fn new(routes: Vec<(IpNet, V)>) -> Self {
        let entries: Vec<(IpNet, V)> = routes.into_iter().map(|(n, v)| (n.trunc(), v)).collect();
        let mut index: HashMap<IpNet, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        for (i, (net, _)) in entries.iter().enumerate() {
            match index.get(net) {
                Some(&g) => {
                    if let Some(group) = groups.get_mut(g) {
                        group.members.push(i);
                    }
                }
                None => {
                    index.insert(*net, groups.len());
                    groups.push(Group {
                        net: *net,
                        members: vec![i],
                    });
                }
            }
        }
        groups.sort_by(|a, b| {
            b.net
                .prefix_len()
                .cmp(&a.net.prefix_len())
                .then_with(|| a.net.network().cmp(&b.net.network()))
        });
        index.clear();
        for (g, group) in groups.iter().enumerate() {
            index.insert(group.net, g);
        }
        let mut lens_v4: Vec<u8> = Vec::new();
        let mut lens_v6: Vec<u8> = Vec::new();
        for group in &groups {
            let lens = match group.net {
                IpNet::V4(_) => &mut lens_v4,
                IpNet::V6(_) => &mut lens_v6,
            };
            if lens.last() != Some(&group.net.prefix_len()) {
                lens.push(group.net.prefix_len());
            }
        }
        Self {
            entries,
            groups,
            index,
            lens_v4,
            lens_v6,
        }
    }

    /// The number of routes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no route.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The routes in insertion order (prefixes truncated).
    pub fn entries(&self) -> &[(IpNet, V)] {
        &self.entries
    }

    fn values_of(&self, group: &Group) -> Vec<&V> {
        group
            .members
            .iter()
            .filter_map(|&i| self.entries.get(i).map(|(_, v)| v))
            .collect()
    }

    /// Splits `dst` by longest-prefix match: each part is paired with the values of all
    /// routes of its winning prefix. Destinations no route matches form a last part with
    /// an empty list. Parts are disjoint, non-empty, and together equal `dst`.
    pub fn partition(&self, dst: &AddrSet) -> Vec<(AddrSet, Vec<&V>)> {
        self.partition_detailed(dst)
            .into_iter()
            .map(|p| (p.addrs, p.values))
            .collect()
    }

    /// Like [`LpmTable::partition`], also naming the winning prefix of each part.
    pub fn partition_detailed(&self, dst: &AddrSet) -> Vec<LpmPart<'_, V>> {
        let mut out = Vec::new();
        let mut remainder = dst.clone();
        for group in &self.groups {
            if remainder.is_empty() {
                break;
            }
            // Binary search on the remainder: cheap rejection of the many routes that do
            // not touch the destinations still unresolved.
            if !remainder.overlaps_net(&group.net) {
                continue;
            }
            let block = AddrSet::from_net(&group.net);
            let part = remainder.intersect(&block);
            remainder = remainder.difference(&block);
            out.push(LpmPart {
                addrs: part,
                prefix: Some(group.net),
                values: self.values_of(group),
            });
        }
        if !remainder.is_empty() {
            out.push(LpmPart {
                addrs: remainder,
                prefix: None,
                values: Vec::new(),
            });
        }
        out
    }

    /// The longest prefix containing `addr` and the values of all its routes, or `None`
    /// when no route matches. One hash lookup per distinct prefix length.
    pub fn lookup(&self, addr: IpAddr) -> Option<(IpNet, Vec<&V>)> {
        let candidates: Vec<IpNet> = match addr {
            IpAddr::V4(a) => self
                .lens_v4
                .iter()
                .filter_map(|&len| Ipv4Net::new(a, len).ok().map(|n| IpNet::V4(n.trunc())))
                .collect(),
            IpAddr::V6(a) => self
                .lens_v6
                .iter()
                .filter_map(|&len| Ipv6Net::new(a, len).ok().map(|n| IpNet::V6(n.trunc())))
                .collect(),
        };
        candidates.into_iter().find_map(|net| {
            let group = self.groups.get(*self.index.get(&net)?)?;
            Some((group.net, self.values_of(group)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap_or_else(|e| panic!("bad net {s}: {e}"))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("bad ip {s}: {e}"))
    }

    #[test]
    fn route_table_example() {
        let t = LpmTable::new(vec![
            (net("10.0.0.0/16"), "local"),
            (net("0.0.0.0/0"), "igw"),
            (net("10.0.5.0/24"), "pcx"),
            (net("10.0.5.9/24"), "pcx-dup"),
            (net("::/0"), "igw6"),
        ]);
        assert_eq!(t.len(), 5);
        assert_eq!(
            t.lookup(ip("10.0.5.1")),
            Some((net("10.0.5.0/24"), vec![&"pcx", &"pcx-dup"]))
        );
        assert_eq!(
            t.lookup(ip("10.0.6.1")),
            Some((net("10.0.0.0/16"), vec![&"local"]))
        );
        assert_eq!(
            t.lookup(ip("8.8.8.8")),
            Some((net("0.0.0.0/0"), vec![&"igw"]))
        );
        assert_eq!(
            t.lookup(ip("2001:db8::1")),
            Some((net("::/0"), vec![&"igw6"]))
        );

        let parts = t.partition(&AddrSet::all_v4());
        let shown: Vec<(String, Vec<&str>)> = parts
            .iter()
            .map(|(a, v)| (a.to_string(), v.iter().map(|s| **s).collect()))
            .collect();
        assert_eq!(shown.len(), 3);
        assert_eq!(
            shown[0],
            ("10.0.5.0/24".to_string(), vec!["pcx", "pcx-dup"])
        );
        assert_eq!(shown[1].1, vec!["local"]);
        assert_eq!(shown[2].1, vec!["igw"]);

        let v4_only = LpmTable::new(vec![(net("10.0.0.0/8"), 1)]);
        let parts = v4_only.partition_detailed(&AddrSet::all());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].prefix, None);
        assert!(parts[1].values.is_empty());
        assert!(parts[1].addrs.contains(ip("::1")));
        assert!(v4_only.lookup(ip("11.0.0.1")).is_none());
        assert!(LpmTable::<u8>::default()
            .partition(&AddrSet::empty())
            .is_empty());
    }

    #[test]
    fn many_routes_are_fast() {
        let routes: Vec<(IpNet, usize)> = (0u32..5000)
            .filter_map(|i| {
                Ipv4Net::new(Ipv4Addr::from(0x0a00_0000u32 + (i << 8)), 24)
                    .ok()
                    .map(|n| (IpNet::V4(n), i as usize))
            })
            .collect();
        let t = LpmTable::new(routes);
        let parts = t.partition(&AddrSet::from_net(&net("10.0.7.0/24")));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].1, vec![&7]);
        let parts = t.partition(&AddrSet::all_v4());
        assert_eq!(parts.len(), 5001);
    }

    fn small_net() -> impl Strategy<Value = IpNet> {
        prop_oneof![
            1 => Just(net("0.0.0.0/0")),
            1 => Just(net("::/0")),
            8 => (0u8..64, 25u8..=32).prop_filter_map("prefix", |(a, len)| {
                Ipv4Net::new(Ipv4Addr::new(10, 0, 0, a), len).ok().map(IpNet::V4)
            }),
        ]
    }

    fn small_dst() -> impl Strategy<Value = AddrSet> {
        prop_oneof![
            1 => Just(AddrSet::all()),
            4 => prop::collection::vec((0u8..70, 0u8..70), 0..4).prop_map(|rs| {
                rs.into_iter().fold(AddrSet::empty(), |acc, (a, b)| {
                    acc.union(&AddrSet::from_v4_range(
                        Ipv4Addr::new(10, 0, 0, a),
                        Ipv4Addr::new(10, 0, 0, b),
                    ))
                })
            }),
        ]
    }

    proptest! {
        #[test]
        fn partition_matches_brute_force(nets in prop::collection::vec(small_net(), 0..10),
                                         dst in small_dst()) {
            let routes: Vec<(IpNet, usize)> = nets.iter().copied().zip(0..).collect();
            let t = LpmTable::new(routes.clone());
            let parts = t.partition_detailed(&dst);
            // Disjoint, non-empty, covering dst exactly.
            let mut covered = AddrSet::empty();
            for p in &parts {
                prop_assert!(!p.addrs.is_empty());
                prop_assert!(!p.addrs.overlaps(&covered));
                covered = covered.union(&p.addrs);
            }
            prop_assert_eq!(&covered, &dst);
            let mut probes: Vec<IpAddr> =
                (0u8..72).map(|a| IpAddr::V4(Ipv4Addr::new(10, 0, 0, a))).collect();
            probes.push(ip("1.2.3.4"));
            probes.push(ip("2001:db8::1"));
            for a in probes {
                // Brute force: the longest matching length, all routes of that length.
                let best = routes
                    .iter()
                    .filter(|(n, _)| n.contains(&a))
                    .map(|(n, _)| n.prefix_len())
                    .max();
                let expect: Vec<usize> = routes
                    .iter()
                    .filter(|(n, _)| n.contains(&a) && Some(n.prefix_len()) == best)
                    .map(|(_, v)| *v)
                    .collect();
                let got: Vec<usize> = t
                    .lookup(a)
                    .map(|(_, v)| v.into_iter().copied().collect())
                    .unwrap_or_default();
                prop_assert_eq!(&got, &expect, "lookup {}", a);
                if dst.contains(a) {
                    let part = parts.iter().find(|p| p.addrs.contains(a));
                    let vals: Option<Vec<usize>> =
                        part.map(|p| p.values.iter().map(|v| **v).collect());
                    prop_assert_eq!(vals, Some(expect), "partition {}", a);
                }
            }
        }
    }
}
