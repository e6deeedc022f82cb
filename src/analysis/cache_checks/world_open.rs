//! `CACHE_WORLD_OPEN_PORT` (semantics C6): an inbound rule of one of the cache's security groups
//! that admits TCP on a cache port from `0.0.0.0/0` or `::/0`, written as a CIDR or as a prefix
//! list that contains one of them. One finding per rule and open block.

use super::{port_list, CacheFacts};
use crate::catalogue::Code;
use crate::findings::audit::AuditFinding;
use crate::model::*;
use ipnet::IpNet;

/// True for `0.0.0.0/0` and `::/0`.
fn is_everyone(n: &IpNet) -> bool {
    n.prefix_len() == 0
}

/// The cache ports a rule admits over TCP (empty when it admits none of them).
pub(super) fn admitted_ports(rule: &SgRule, ports: &[u16]) -> Vec<u16> {
    let tcp = matches!(
        rule.protocol,
        Protocol::All | Protocol::Number(Protocol::TCP)
    );
    if !tcp {
        return Vec::new();
    }
    ports
        .iter()
        .copied()
        .filter(|p| match (rule.protocol, rule.ports) {
            (Protocol::All, _) | (_, None) => true,
            (_, Some((lo, hi))) => lo <= *p && *p <= hi,
        })
        .collect()
}

/// The rule's open blocks: `0.0.0.0/0` / `::/0` themselves, or `pl-… (contains 0.0.0.0/0)`.
fn open_blocks(t: &Topology, rule: &SgRule) -> Vec<String> {
    match &rule.peer {
        SgPeer::Cidr { cidr } if is_everyone(cidr) => vec![cidr.to_string()],
        SgPeer::PrefixList { prefix_list } => {
            let cidrs = prefix_list
                .idx
                .and_then(|p| t.prefix_lists[p.i()].cidrs.as_ref());
            cidrs
                .into_iter()
                .flatten()
                .filter(|c| is_everyone(c))
                .map(|c| format!("prefix list {} (contains {c})", prefix_list.id))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A finding per rule of the cache's groups that opens a cache port to everyone.
pub(super) fn check(t: &Topology, cache: &CacheFacts) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for &g in &cache.security_groups {
        let sg = &t.security_groups[g.i()];
        for rule in &sg.inbound {
            let ports = admitted_ports(rule, &cache.ports);
            if ports.is_empty() {
                continue;
            }
            for open in open_blocks(t, rule) {
                let rule_text = crate::engine::security_group::describe(&sg.id, rule, true);
                out.push(
                    AuditFinding::new(
                        Code::CACHE_WORLD_OPEN_PORT,
                        sg.id.clone(),
                        format!(
                            "{} ({}), a security group of cache {}, admits its port {} from {open} (rule {rule_text}): every network that routes to the cache may use it",
                            sg.id,
                            sg.name,
                            cache.id,
                            port_list(&ports)
                        ),
                    )
                    .named(Some(sg.name.clone()))
                    .for_cache(cache.id.clone())
                    .with_fix(format!(
                        "in {}, replace the rule for {open} with rules admitting tcp {} from the clients' security group or CIDR blocks only",
                        sg.id,
                        port_list(&ports)
                    )),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! c6-cache-world-open-port (case 92): sg 1 opens tcp 6379 to 0.0.0.0/0 (and tcp 22, udp
    //! 6379 and 10.0.0.0/8 rules that are not findings); sg 2 opens all traffic to ::/0 and tcp
    //! 6379 to prefix list pl 1 = {0.0.0.0/0} (pl 2 = {203.0.113.0/24} is not everyone).
    use super::*;

    fn rule(protocol: Protocol, ports: Option<PortRange>) -> SgRule {
        SgRule {
            protocol,
            ports,
            icmp: None,
            peer: SgPeer::Cidr {
                cidr: "0.0.0.0/0".parse().expect("cidr"),
            },
            description: None,
            pointer: String::new(),
        }
    }

    #[test]
    fn admitted_ports_are_tcp_ports_of_the_cache() {
        let cache = [6379, 6380];
        let tcp = Protocol::Number(Protocol::TCP);
        assert_eq!(
            admitted_ports(&rule(tcp, Some((6379, 6379))), &cache),
            vec![6379]
        );
        assert_eq!(
            admitted_ports(&rule(tcp, Some((6000, 7000))), &cache),
            vec![6379, 6380]
        );
        assert_eq!(admitted_ports(&rule(tcp, None), &cache), vec![6379, 6380]);
        assert_eq!(
            admitted_ports(&rule(Protocol::All, None), &cache),
            vec![6379, 6380]
        );
        assert_eq!(
            admitted_ports(&rule(tcp, Some((22, 22))), &cache),
            Vec::<u16>::new()
        );
        let udp = Protocol::Number(Protocol::UDP);
        assert_eq!(
            admitted_ports(&rule(udp, Some((6379, 6379))), &cache),
            Vec::<u16>::new()
        );
    }

    #[test]
    fn open_rules_of_the_fixture() {
        let t = super::super::fixture("c6-cache-world-open-port");
        let cache = super::super::locate(&t, "orders").expect("orders");
        let got: Vec<(String, bool)> = check(&t, &cache)
            .iter()
            .map(|f| (f.component.clone(), f.detail.contains("prefix list")))
            .collect();
        assert_eq!(
            got,
            vec![
                ("sg-92000000000000001".to_string(), false),
                ("sg-92000000000000002".to_string(), false),
                ("sg-92000000000000002".to_string(), true),
            ]
        );
    }
}
