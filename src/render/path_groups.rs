//! Paths that differ only in their target: two cache nodes in one subnet, reached the same
//! way, are one block in the tables with the other targets listed, not two identical 20-line
//! paths. The JSON keeps every path.
//!
//! Two paths are "the same but for the target" when their sources, protocols, ports and every
//! hop of both legs (component, name, kind, direction, rule, detail, status, code) are equal
//! once the target's own words are masked: its destination blocks (and the bare addresses of
//! single-address blocks) and the interface that delivers to it. Masking is per whole token,
//! so `10.0.1.5` never masks part of `10.0.1.57`.

use super::escape::{truncate, MAX_NAME};
use crate::engine::{ComponentKind, Hop, Path};
use std::collections::{BTreeSet, HashMap};

/// One printed path and the paths shown by it (indexes into the answer's `paths`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathGroup {
    pub first: usize,
    pub others: Vec<usize>,
}

/// The target words of a path: destination blocks, their bare single addresses, and the
/// delivering interface's id and name.
fn target_tokens(p: &Path) -> BTreeSet<String> {
    let mut t = BTreeSet::new();
    for d in &p.flows.destinations {
        t.insert(d.clone());
        if let Some(a) = d.strip_suffix("/32").or_else(|| d.strip_suffix("/128")) {
            t.insert(a.to_string());
        }
    }
    if let Some(h) = target_hop(p) {
        t.insert(h.component.clone());
        if let Some(n) = &h.name {
            t.insert(n.clone());
        }
    }
    t
}

/// The hop that delivers to the target: the forward leg's last hop, when an interface.
pub fn target_hop(p: &Path) -> Option<&Hop> {
    p.forward
        .last()
        .filter(|h| h.kind == ComponentKind::NetworkInterface)
}

/// `text` with every whole token in `masks` replaced by a placeholder.
fn masked(text: &str, masks: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if masks.contains(token.as_str()) {
            out.push('\u{0}');
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']') {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// A hop's name as it takes part in the key: a name that is a target word is masked whole;
/// otherwise only what the tables can show of it (twice [`MAX_NAME`] characters) is compared,
/// so that a huge Name tag is not scanned token by token for every hop.
fn name_key(name: &str, masks: &BTreeSet<String>) -> String {
    if masks.contains(name) {
        return "\u{0}".to_string();
    }
    masked(&truncate(name, 2 * MAX_NAME), masks)
}

fn hop_key(h: &Hop, masks: &BTreeSet<String>) -> String {
    format!(
        "{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{:?}",
        masked(&h.component, masks),
        name_key(h.name.as_deref().unwrap_or(""), masks),
        h.kind,
        h.direction,
        masked(h.rule.as_deref().unwrap_or(""), masks),
        masked(&h.detail, masks),
        h.status,
        h.code,
    )
}

/// What a path looks like with its target masked.
fn key(p: &Path) -> Vec<String> {
    let masks = target_tokens(p);
    let mut k = vec![
        p.flows.sources.join(","),
        p.flows.protocols.clone(),
        p.flows.ports.clone(),
    ];
    k.push("fwd".into());
    k.extend(p.forward.iter().map(|h| hop_key(h, &masks)));
    k.push("ret".into());
    k.extend(p.return_.iter().map(|h| hop_key(h, &masks)));
    k
}

/// The paths grouped by their shape without the target, in the order of their first member.
pub fn group(paths: &[Path]) -> Vec<PathGroup> {
    let mut groups: Vec<PathGroup> = Vec::new();
    let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        match by_key.get(&key(p)) {
            Some(&g) => groups[g].others.push(i),
            None => {
                by_key.insert(key(p), groups.len());
                groups.push(PathGroup {
                    first: i,
                    others: Vec::new(),
                });
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_is_per_token() {
        let m: BTreeSet<String> = ["10.0.1.5".to_string()].into();
        assert_eq!(masked("to 10.0.1.5, 10.0.1.57", &m), "to \u{0}, 10.0.1.57");
        assert_eq!(masked("(10.0.1.5)", &m), "(\u{0})");
    }
}
