//! Configuration differences between two topologies, by component id.
//!
//! Each component that decides reachability is described as facts: single-valued attributes
//! (`state`, `security groups`, `public ip`, …) and a set of rules (security-group rules,
//! NACL entries, routes, associations, TGW bindings). Two snapshots are compared through key
//! maps (linear in their size): a component only on one side is `created` / `deleted` (a
//! created one also lists its rules), an attribute that differs is `state available →
//! deleted`, a rule only on one side is `added …` / `removed …`.

use crate::findings::diff::ConfigChange;
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// One component's facts.
#[derive(Default)]
struct Facts {
    kind: &'static str,
    attrs: BTreeMap<&'static str, String>,
    rules: BTreeSet<String>,
}

impl Facts {
    fn new(kind: &'static str) -> Self {
        Facts {
            kind,
            ..Facts::default()
        }
    }
    fn attr(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.attrs.insert(k, v.into());
        self
    }
    fn rule(&mut self, r: String) {
        self.rules.insert(r);
    }
}

type Map = BTreeMap<(&'static str, String), Facts>;

fn ports(p: Option<PortRange>) -> String {
    match p {
        None => String::new(),
        Some((a, b)) if a == b => format!(" {a}"),
        Some((a, b)) => format!(" {a}-{b}"),
    }
}

fn icmp(m: Option<IcmpMatch>) -> String {
    match m {
        None => String::new(),
        Some(m) => format!(
            " type {} code {}",
            m.icmp_type.map(|t| t.to_string()).unwrap_or("any".into()),
            m.code.map(|t| t.to_string()).unwrap_or("any".into())
        ),
    }
}

fn peer(p: &SgPeer) -> String {
    match p {
        SgPeer::Cidr { cidr } => cidr.to_string(),
        SgPeer::PrefixList { prefix_list } => prefix_list.id.clone(),
        SgPeer::Group(g) => g.group.id.clone(),
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref()
        .map(|x| x.to_string())
        .unwrap_or_else(|| "none".into())
}

fn ids<'a>(v: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = v.collect();
    v.sort_unstable();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// The text of a security-group rule (`ingress tcp 6379 from 0.0.0.0/0`).
pub fn sg_rule(dir: &str, r: &SgRule) -> String {
    let word = if dir == "ingress" { "from" } else { "to" };
    format!(
        "{dir} {}{}{} {word} {}",
        r.protocol,
        ports(r.ports),
        icmp(r.icmp),
        peer(&r.peer)
    )
}

/// The text of a NACL entry (`inbound rule 90 deny tcp 6379 from 10.0.1.0/24`).
pub fn nacl_entry(dir: &str, e: &NaclEntry) -> String {
    let word = if dir == "inbound" { "from" } else { "to" };
    let action = match e.action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
    };
    format!(
        "{dir} rule {} {action} {}{}{} {word} {}",
        e.rule_number,
        e.protocol,
        ports(e.ports),
        icmp(e.icmp),
        e.cidr
    )
}

fn route(r: &Route) -> String {
    format!("route {}", crate::engine::route_table::describe(r))
}

fn tgw_route(kind: &str, r: &TgwRoute) -> String {
    let dest = r
        .destination
        .map(|d| d.to_string())
        .or_else(|| r.prefix_list.clone())
        .unwrap_or_else(|| "?".into());
    let to = ids(r.attachments.iter().map(|a| a.id.as_str()));
    let state = if r.active {
        String::new()
    } else {
        format!(" ({})", r.state)
    };
    format!("{kind} route {dest} -> {to}{state}")
}

fn vpc_facts(t: &Topology, m: &mut Map) {
    for v in &t.vpcs {
        let cidrs: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
        let f = Facts::new("vpc").attr("cidrs", cidrs.join(", ")).attr(
            "dns",
            format!("{}/{}", yes(v.dns_support), yes(v.dns_hostnames)),
        );
        m.insert(("vpc", v.id.clone()), f);
    }
    for s in &t.subnets {
        let cidrs: Vec<String> = s.cidrs().map(|c| c.to_string()).collect();
        let f = Facts::new("subnet")
            .attr("cidrs", cidrs.join(", "))
            .attr("vpc", s.vpc.id.clone());
        m.insert(("subnet", s.id.clone()), f);
    }
    for r in &t.route_tables {
        let mut f = Facts::new("route-table").attr("main", yes(r.main));
        for x in &r.routes {
            f.rule(route(x));
        }
        for s in &r.subnets {
            f.rule(format!("associated with {}", t.subnets[s.i()].id));
        }
        for g in &r.gateways {
            f.rule(format!("edge association with {g}"));
        }
        m.insert(("route-table", r.id.clone()), f);
    }
    for a in &t.network_acls {
        let mut f = Facts::new("network-acl");
        for e in &a.inbound {
            f.rule(nacl_entry("inbound", e));
        }
        for e in &a.outbound {
            f.rule(nacl_entry("outbound", e));
        }
        for s in &a.subnets {
            f.rule(format!("associated with {}", t.subnets[s.i()].id));
        }
        m.insert(("network-acl", a.id.clone()), f);
    }
    for g in &t.security_groups {
        let mut f = Facts::new("security-group");
        for r in &g.inbound {
            f.rule(sg_rule("ingress", r));
        }
        for r in &g.outbound {
            f.rule(sg_rule("egress", r));
        }
        m.insert(("security-group", g.id.clone()), f);
    }
    for p in &t.prefix_lists {
        let cidrs = p
            .cidrs
            .as_ref()
            .map(|c| {
                c.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| "unknown".into());
        m.insert(
            ("prefix-list", p.id.clone()),
            Facts::new("prefix-list").attr("entries", cidrs),
        );
    }
}

fn host_facts(t: &Topology, m: &mut Map) {
    for e in &t.network_interfaces {
        let privs: Vec<String> = e.private_addresses().map(|a| a.to_string()).collect();
        let pubs: Vec<String> = e.public_ips().map(|a| a.to_string()).collect();
        let f = Facts::new("network-interface")
            .attr("subnet", e.subnet.id.clone())
            .attr(
                "security groups",
                ids(e.groups.iter().map(|g| g.id.as_str())),
            )
            .attr("private addresses", privs.join(", "))
            .attr(
                "public ip",
                if pubs.is_empty() {
                    "none".into()
                } else {
                    pubs.join(", ")
                },
            )
            .attr("status", opt(&e.status))
            .attr("source/destination check", yes(e.source_dest_check));
        m.insert(("network-interface", e.id.clone()), f);
    }
    for i in &t.instances {
        let f = Facts::new("instance")
            .attr("state", i.state.clone())
            .attr("instance profile", opt(&i.instance_profile))
            .attr("public ip", opt(&i.public_ip))
            .attr("subnet", opt(&i.subnet.as_ref().map(|s| s.id.clone())));
        m.insert(("instance", i.id.clone()), f);
    }
    for (kind, list) in [
        ("internet-gateway", &t.internet_gateways),
        (
            "egress-only-internet-gateway",
            &t.egress_only_internet_gateways,
        ),
    ] {
        for g in list {
            let mut f = Facts::new(kind);
            for (v, s) in &g.attachments {
                f.rule(format!("attached to {} ({s})", v.id));
            }
            m.insert((kind, g.id.clone()), f);
        }
    }
    for n in &t.nat_gateways {
        let addrs: Vec<String> = n
            .addresses
            .iter()
            .map(|a| format!("{} / {}", opt(&a.private_ip), opt(&a.public_ip)))
            .collect();
        let f = Facts::new("nat-gateway")
            .attr("state", n.state.clone())
            .attr("subnet", opt(&n.subnet.as_ref().map(|s| s.id.clone())))
            .attr("addresses", addrs.join(", "));
        m.insert(("nat-gateway", n.id.clone()), f);
    }
    for e in &t.vpc_endpoints {
        let mut f = Facts::new("vpc-endpoint")
            .attr("state", e.state.clone())
            .attr("service", e.service_name.clone())
            .attr("private dns", yes(e.private_dns_enabled))
            .attr(
                "security groups",
                ids(e.groups.iter().map(|g| g.id.as_str())),
            );
        for r in &e.route_tables {
            f.rule(format!("route table {}", r.id));
        }
        for s in &e.subnets {
            f.rule(format!("subnet {}", s.id));
        }
        m.insert(("vpc-endpoint", e.id.clone()), f);
    }
    for p in &t.vpc_peering_connections {
        let side = |s: &PeeringSide| {
            let c: Vec<String> = s.cidrs_v4.iter().map(|c| c.to_string()).collect();
            format!("{} ({})", s.vpc.id, c.join(", "))
        };
        let f = Facts::new("vpc-peering-connection")
            .attr("status", p.status.clone())
            .attr("requester", side(&p.requester))
            .attr("accepter", side(&p.accepter));
        m.insert(("vpc-peering-connection", p.id.clone()), f);
    }
}

fn tgw_facts(t: &Topology, m: &mut Map) {
    for g in &t.transit_gateways {
        let f = Facts::new("transit-gateway")
            .attr("state", g.state.clone())
            .attr(
                "default association table",
                opt(&g.default_association_route_table),
            )
            .attr(
                "default propagation table",
                opt(&g.default_propagation_route_table),
            );
        m.insert(("transit-gateway", g.id.clone()), f);
    }
    for a in &t.transit_gateway_attachments {
        let f = Facts::new("transit-gateway-attachment")
            .attr("state", a.state.clone())
            .attr("resource", opt(&a.resource_id))
            .attr("subnets", ids(a.subnets.iter().map(|s| s.id.as_str())))
            .attr(
                "association",
                opt(&a.association.as_ref().map(|r| r.id.clone())),
            )
            .attr("appliance mode", yes(a.appliance_mode));
        m.insert(("transit-gateway-attachment", a.id.clone()), f);
    }
    for r in &t.transit_gateway_route_tables {
        let mut f = Facts::new("transit-gateway-route-table").attr("state", r.state.clone());
        for s in &r.static_routes {
            f.rule(tgw_route("static", s));
        }
        for o in r.observed_routes.iter().flatten() {
            let kind = match &o.route_type {
                TgwRouteType::Static => "static",
                TgwRouteType::Propagated => "propagated",
                TgwRouteType::Other(_) => "other",
            };
            f.rule(tgw_route(kind, o));
        }
        for b in &r.associations {
            f.rule(format!("association {} ({})", b.attachment.id, b.state));
        }
        for b in &r.propagations {
            f.rule(format!("propagation {} ({})", b.attachment.id, b.state));
        }
        m.insert(("transit-gateway-route-table", r.id.clone()), f);
    }
}

fn cache_facts(t: &Topology, m: &mut Map) {
    let port_list = |p: &[u16]| {
        p.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for g in &t.replication_groups {
        let f = Facts::new("replication-group")
            .attr("status", g.status.clone())
            .attr("ports", port_list(&g.ports))
            .attr("transit encryption", yes(g.transit_encryption))
            .attr("auth", yes(g.auth_token || !g.user_group_ids.is_empty()))
            .attr("members", ids(g.members.iter().map(|c| c.id.as_str())));
        m.insert(("replication-group", g.id.clone()), f);
    }
    for c in &t.cache_clusters {
        let nodes: Vec<String> = c
            .nodes
            .iter()
            .map(|n| format!("{} {}", n.id, opt(&n.address)))
            .collect();
        let f = Facts::new("cache-cluster")
            .attr("status", c.status.clone())
            .attr("ports", port_list(&c.ports))
            .attr("transit encryption", yes(c.transit_encryption))
            .attr("auth", yes(c.auth_token))
            .attr(
                "security groups",
                ids(c.security_groups.iter().map(|g| g.id.as_str())),
            )
            .attr(
                "subnet group",
                opt(&c.subnet_group.as_ref().map(|g| g.id.clone())),
            )
            .attr("nodes", nodes.join(", "));
        m.insert(("cache-cluster", c.id.clone()), f);
    }
    for s in &t.serverless_caches {
        let f = Facts::new("serverless")
            .attr("status", s.status.clone())
            .attr("ports", port_list(&s.ports))
            .attr("auth", yes(s.user_group_id.is_some()))
            .attr(
                "security groups",
                ids(s.security_groups.iter().map(|g| g.id.as_str())),
            )
            .attr("subnets", ids(s.subnets.iter().map(|g| g.id.as_str())));
        m.insert(("serverless", s.name.clone()), f);
    }
    for g in &t.cache_subnet_groups {
        let mut f = Facts::new("cache-subnet-group");
        for (s, _) in &g.subnets {
            f.rule(format!("subnet {}", s.id));
        }
        m.insert(("cache-subnet-group", g.name.clone()), f);
    }
}

fn facts(t: &Topology) -> Map {
    let mut m = Map::new();
    vpc_facts(t, &mut m);
    host_facts(t, &mut m);
    tgw_facts(t, &mut m);
    cache_facts(t, &mut m);
    m
}

/// Every configuration difference from `before` to `after`, in (kind, id) order.
pub fn config_diff(before: &Topology, after: &Topology) -> Vec<ConfigChange> {
    let a = facts(before);
    let b = facts(after);
    let mut out = Vec::new();
    let change = |k: &str, id: &str, c: String| ConfigChange {
        component: id.to_string(),
        kind: k.to_string(),
        change: c,
    };
    for ((k, id), fa) in &a {
        match b.get(&(*k, id.clone())) {
            None => out.push(change(fa.kind, id, "deleted".into())),
            Some(fb) => {
                for (attr, va) in &fa.attrs {
                    let vb = fb.attrs.get(attr).map(String::as_str).unwrap_or("none");
                    if va != vb {
                        out.push(change(fa.kind, id, format!("{attr} {va} → {vb}")));
                    }
                }
                for r in fa.rules.difference(&fb.rules) {
                    out.push(change(fa.kind, id, format!("removed {r}")));
                }
                for r in fb.rules.difference(&fa.rules) {
                    out.push(change(fa.kind, id, format!("added {r}")));
                }
            }
        }
    }
    for ((k, id), fb) in &b {
        if a.contains_key(&(*k, id.clone())) {
            continue;
        }
        let attrs: Vec<String> = fb.attrs.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let what = if attrs.is_empty() {
            "created".to_string()
        } else {
            format!("created ({})", attrs.join("; "))
        };
        out.push(change(fb.kind, id, what));
        for r in &fb.rules {
            out.push(change(fb.kind, id, format!("added {r}")));
        }
    }
    out.sort_by(|x, y| (&x.kind, &x.component).cmp(&(&y.kind, &y.component)));
    out
}
