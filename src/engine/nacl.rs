//! Network ACLs (§3): entries by rule number, first match wins, stateless.
//!
//! Evaluation works on the flow's current headers: the region each entry decides is its match
//! minus everything earlier entries matched; the allowed region is the union of the allow
//! entries' regions. One split of the flow by that region gives what passes and what is denied,
//! and the entries whose regions were used are cited (rule numbers).

use super::flow::Flow;
use crate::model::{IcmpMatch, NaclEntry, NetworkAcl, Protocol, RuleAction};
use crate::net::{icmp_set, AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};

/// The outcome of one NACL in one direction.
pub struct NaclOutcome {
    pub pass: Flow,
    pub denied: Flow,
    /// Rule numbers of the allow entries that admitted traffic.
    pub allowed_by: Vec<u16>,
    /// Rule numbers of the entries that denied traffic (`32767`/`32768` = the final `*` entry).
    pub denied_by: Vec<u16>,
}

/// The packets one entry matches (inbound entries test the source, outbound the destination).
pub fn entry_match(e: &NaclEntry, inbound: bool) -> PacketSet {
    let addrs = AddrSet::from_net(&e.cidr);
    let mut c = Cube::any();
    if inbound {
        c.src = addrs;
    } else {
        c.dst = addrs;
    }
    match e.protocol {
        Protocol::All => {}
        Protocol::Number(n) => {
            c.proto = ProtoSet::single(n);
            if e.protocol.has_ports() {
                if let Some((lo, hi)) = e.ports {
                    c.dst_port = IntervalSet::range(lo, hi);
                }
            }
            if e.protocol.is_icmp() {
                if let Some(m) = e.icmp {
                    c.icmp = icmp_set(m.icmp_type, m.code);
                }
            }
        }
    }
    PacketSet::from_cube(c)
}

/// Describe an entry for citations: `rule 100 allow tcp 22 from 0.0.0.0/0`.
pub fn describe(e: &NaclEntry, inbound: bool) -> String {
    let action = match e.action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
    };
    let number = if e.rule_number >= 32767 {
        "*".to_string()
    } else {
        e.rule_number.to_string()
    };
    let ports = match (e.ports, e.icmp) {
        (Some((lo, hi)), _) if lo == hi => format!(" {lo}"),
        (Some((lo, hi)), _) => format!(" {lo}-{hi}"),
        (None, Some(m)) => icmp_words(m),
        (None, None) => String::new(),
    };
    let dir = if inbound { "from" } else { "to" };
    format!(
        "rule {number} {action} {}{ports} {dir} {}",
        e.protocol, e.cidr
    )
}

/// ` type 8`, ` type 3 code 1`, ` code 0` (any type): an ICMP match in a citation.
pub fn icmp_words(m: IcmpMatch) -> String {
    let t = m
        .icmp_type
        .map(|t| format!(" type {t}"))
        .unwrap_or_default();
    let c = m.code.map(|c| format!(" code {c}")).unwrap_or_default();
    format!("{t}{c}")
}

/// Evaluate `acl` in one direction on `flow`.
pub fn evaluate(acl: &NetworkAcl, inbound: bool, flow: &Flow) -> NaclOutcome {
    let entries = if inbound { &acl.inbound } else { &acl.outbound };
    let current = flow.current();
    let mut allowed = PacketSet::empty();
    let mut allow_regions: Vec<(u16, PacketSet)> = Vec::new();
    let mut deny_regions: Vec<(u16, PacketSet)> = Vec::new();
    let mut remaining = current.clone();
    for e in entries {
        if remaining.is_empty() {
            break;
        }
        let region = remaining.intersect(&entry_match(e, inbound));
        if region.is_empty() {
            continue;
        }
        remaining = remaining.difference(&region);
        match e.action {
            RuleAction::Allow => {
                allowed = allowed.union(&region);
                allow_regions.push((e.rule_number, region));
            }
            RuleAction::Deny => deny_regions.push((e.rule_number, region)),
        }
    }
    let (pass, denied) = flow.split(&allowed);
    let pass_cur = pass.current();
    let denied_cur = denied.current();
    NaclOutcome {
        allowed_by: allow_regions
            .iter()
            .filter(|(_, r)| r.overlaps(&pass_cur))
            .map(|(n, _)| *n)
            .collect(),
        denied_by: if denied.is_empty() {
            Vec::new()
        } else {
            let mut v: Vec<u16> = deny_regions
                .iter()
                .filter(|(_, r)| r.overlaps(&denied_cur))
                .map(|(n, _)| *n)
                .collect();
            if v.is_empty() {
                // Partly admitted constant dimension (NAT ports): cite the allow rules that
                // fell short.
                v = allow_regions.iter().map(|(n, _)| *n).collect();
            }
            v
        },
        pass,
        denied,
    }
}

/// Cite rule numbers: `rules 100, 110`.
pub fn cite(acl: &NetworkAcl, inbound: bool, numbers: &[u16]) -> String {
    let entries = if inbound { &acl.inbound } else { &acl.outbound };
    numbers
        .iter()
        .filter_map(|n| entries.iter().find(|e| e.rule_number == *n))
        .map(|e| describe(e, inbound))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An entry that can never match: earlier entries decide all the traffic it matches.
#[derive(Clone, Debug)]
pub struct Shadowed {
    pub rule: u16,
    pub entry: NaclEntry,
    /// The earlier entries that match its traffic (rule numbers).
    pub by: Vec<u16>,
}

/// The entries of `acl` in one direction that can never match, for any traffic: everything
/// each matches is matched by earlier entries (the final `*` entry is not reported).
pub fn shadowed_entries(acl: &NetworkAcl, inbound: bool) -> Vec<Shadowed> {
    let entries = if inbound { &acl.inbound } else { &acl.outbound };
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.rule_number >= 32767 || e.synthesized {
            continue;
        }
        let m = entry_match(e, inbound);
        let by: Vec<&NaclEntry> = entries[..i]
            .iter()
            .filter(|x| entry_match(x, inbound).overlaps(&m))
            .collect();
        if by.is_empty() {
            continue;
        }
        let mut rest = m;
        for x in &by {
            rest = rest.difference(&entry_match(x, inbound));
            if rest.is_empty() {
                break;
            }
        }
        if rest.is_empty() {
            let mut by: Vec<u16> = by.iter().map(|x| x.rule_number).collect();
            // Two entries with one number (a hand-edited snapshot) are cited once.
            by.dedup();
            out.push(Shadowed {
                rule: e.rule_number,
                entry: e.clone(),
                by,
            });
        }
    }
    out
}
