//! `CACHE_REPLY_BLOCKED` (semantics C9, N8): a source that the cache's security groups admit
//! on a cache port sends its request all the way to the cache, but a network ACL drops the
//! reply (the cache subnet's outbound entries or the client subnet's inbound entries).
//!
//! Which sources: the peers of every inbound rule of the cache's groups that admits TCP on a
//! cache port — a CIDR block (every address in it, as `reach --from CIDR` takes it: the
//! interfaces holding its addresses in every VPC, the unheld addresses of each subnet, the
//! outside part), each block of a prefix list, or a referenced group (its member interfaces).
//! A `0.0.0.0/0` or `::/0` peer (already `CACHE_WORLD_OPEN_PORT`) is asked for the cache VPC's
//! own blocks of that family only, so that one open rule does not turn into a question about
//! every interface of the organisation. Each distinct source is one engine question to the
//! cache on its ports; the engine follows the failing flows through both legs (`walked`), and
//! a walked path whose forward hops all passed and whose return leg is stopped at a network
//! ACL is this finding. One finding per ACL and direction, listing the sources that meet it.

use super::world_open::admitted_ports;
use super::CacheFacts;
use crate::catalogue::Code;
use crate::engine::{ComponentKind, Engine, HopStatus, Leg, Question};
use crate::findings::audit::AuditFinding;
use crate::model::*;
use std::collections::BTreeMap;

/// One source to ask about, and the rules of the cache's groups that admit it.
struct Admitted {
    word: String,
    rules: Vec<String>,
}

/// The sources the cache's groups admit on a cache port, each once.
fn admitted_sources(t: &Topology, cache: &CacheFacts) -> Vec<Admitted> {
    let vpc_blocks: Vec<(String, ipnet::IpNet)> = cache
        .subnets
        .first()
        .and_then(|s| t.subnets[s.i()].vpc.idx)
        .map(|v| {
            let vpc = &t.vpcs[v.i()];
            vpc.cidrs().map(|c| (vpc.id.clone(), c)).collect()
        })
        .unwrap_or_default();
    let mut out: Vec<Admitted> = Vec::new();
    let mut add = |word: String, rule: String| match out.iter_mut().find(|a| a.word == word) {
        Some(a) if !a.rules.contains(&rule) => a.rules.push(rule),
        Some(_) => {}
        None => out.push(Admitted {
            word,
            rules: vec![rule],
        }),
    };
    for &g in &cache.security_groups {
        let sg = &t.security_groups[g.i()];
        for rule in &sg.inbound {
            if admitted_ports(rule, &cache.ports).is_empty() {
                continue;
            }
            let text = crate::engine::security_group::describe(&sg.id, rule, true);
            let blocks: Vec<ipnet::IpNet> = match &rule.peer {
                SgPeer::Cidr { cidr } => vec![*cidr],
                SgPeer::PrefixList { prefix_list } => prefix_list
                    .idx
                    .and_then(|p| t.prefix_lists[p.i()].cidrs.clone())
                    .unwrap_or_default(),
                SgPeer::Group(r) => {
                    if r.group.idx.is_some() {
                        add(r.group.id.clone(), text.clone());
                    }
                    Vec::new()
                }
            };
            for b in blocks {
                if b.prefix_len() == 0 {
                    for (vpc, c) in &vpc_blocks {
                        if c.addr().is_ipv4() == b.addr().is_ipv4() {
                            add(format!("{vpc}/{c}"), text.clone());
                        }
                    }
                } else {
                    add(b.to_string(), text.clone());
                }
            }
        }
    }
    out
}

/// What one ACL in one direction stops on the return leg.
#[derive(Default)]
struct Dropped {
    name: Option<String>,
    sources: Vec<String>,
    ports: Vec<String>,
    rules: Vec<String>,
    client_ports: Vec<String>,
    details: Vec<String>,
    fix: Option<String>,
}

fn push_all(to: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for i in items {
        if !to.contains(&i) {
            to.push(i);
        }
    }
}

/// A finding per network ACL (and direction) that drops replies the cache's groups invite.
pub(super) fn check(t: &Topology, engine: &Engine<'_>, cache: &CacheFacts) -> Vec<AuditFinding> {
    let mut dropped: BTreeMap<(String, String), Dropped> = BTreeMap::new();
    for src in admitted_sources(t, cache) {
        let q = Question::tcp(src.word.clone(), format!("cache:{}", cache.id), None);
        let Ok(answer) = engine.ask(&q) else {
            continue; // a group without members, a block in no VPC: nothing to send from
        };
        for w in &answer.walked {
            if w.forward
                .iter()
                .any(|h| h.status == Some(HopStatus::Stopped))
            {
                continue;
            }
            // A NACL whose data did not load (SNAPSHOT_INCOMPLETE) is unknown: it drops
            // nothing that can be named (the audit lists it as incomplete instead).
            for h in w.return_.iter().filter(|h| {
                h.status == Some(HopStatus::Stopped)
                    && h.kind == ComponentKind::NetworkAcl
                    && h.code != Some(Code::SNAPSHOT_INCOMPLETE)
            }) {
                let dir = h.direction.map(|d| d.to_string()).unwrap_or_default();
                let d = dropped.entry((h.component.clone(), dir)).or_default();
                d.name = d.name.take().or(h.name.clone());
                push_all(&mut d.sources, w.flows.sources.iter().cloned());
                push_all(&mut d.ports, [w.flows.ports.clone()]);
                push_all(&mut d.rules, src.rules.iter().cloned());
                push_all(&mut d.client_ports, w.client_ports.iter().cloned());
                push_all(&mut d.details, [h.detail.clone()]);
                if d.fix.is_none() {
                    d.fix = answer
                        .blocked
                        .iter()
                        .find(|b| b.leg == Leg::Return && b.component == h.component)
                        .map(|b| b.fix.clone());
                }
            }
        }
    }
    dropped
        .into_iter()
        .map(|((acl, dir), d)| {
            let ports = if d.client_ports.is_empty() {
                String::new()
            } else {
                format!(" (client ports {})", d.client_ports.join(", "))
            };
            AuditFinding::new(
                Code::CACHE_REPLY_BLOCKED,
                acl.clone(),
                format!(
                    "requests from {} reach cache {} on {} (admitted by {}), but {acl} ({dir}) drops the replies{ports}: {}",
                    d.sources.join(", "),
                    cache.id,
                    d.ports.join(", "),
                    d.rules.join("; "),
                    d.details.join("; ")
                ),
            )
            .named(d.name)
            .for_cache(cache.id.clone())
            .with_fix(d.fix.unwrap_or_else(|| {
                format!("in {acl}, allow TCP 1024-65535 {dir} for the replies to these clients, numbered before the entry that denies them")
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The sources asked about. c9-cache-reply-blocked (case 95): sg 2 admits 6379 from group
    //! sg 1 and from 10.95.4.0/24. c6-cache-world-open-port (case 92): sg 1's 0.0.0.0/0 rule
    //! and sg 2's prefix list {0.0.0.0/0} become the VPC's own block 10.92.0.0/16 (one source,
    //! two rules); 10.0.0.0/8 stays as written; sg 2's ::/0 rule has no IPv6 block of the VPC
    //! to become (the VPC has none); pl 2's 203.0.113.0/24 stays as written.
    use super::*;

    #[test]
    fn sources_are_the_admitted_peers() {
        let t = super::super::fixture("c9-cache-reply-blocked");
        let cache = super::super::locate(&t, "reports").expect("reports");
        let words: Vec<String> = admitted_sources(&t, &cache)
            .into_iter()
            .map(|a| a.word)
            .collect();
        assert_eq!(words, vec!["sg-95000000000000001", "10.95.4.0/24"]);

        let t = super::super::fixture("c6-cache-world-open-port");
        let cache = super::super::locate(&t, "orders").expect("orders");
        let got: Vec<(String, usize)> = admitted_sources(&t, &cache)
            .into_iter()
            .map(|a| (a.word, a.rules.len()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("vpc-92000000000000001/10.92.0.0/16".to_string(), 2),
                ("10.0.0.0/8".to_string(), 1),
                ("203.0.113.0/24".to_string(), 1),
            ]
        );
    }
}
