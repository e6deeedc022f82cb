//! Questions whose words cannot make sense, refused with a message that says why: a word that
//! reads as an address or block but is not a valid one (`203.0.113.10/33`, `10.0.1.300`), and a
//! source that is the target itself (`--from X --to X`).

use super::{QueryError, Question};
use crate::net::AddrSet;
use ipnet::IpNet;
use std::net::IpAddr;

/// An address word: `10.0.1.5`, `10.0.1.0/24`, `vpc-…/10.0.1.5` (the VPC id, the block).
pub(super) fn parse_net(word: &str) -> Option<(Option<&str>, IpNet)> {
    let (vpc, rest) = match word.split_once('/') {
        Some((v, r)) if v.starts_with("vpc-") => (Some(v), r),
        _ => (None, word),
    };
    if let Ok(n) = rest.parse::<IpNet>() {
        return Some((vpc, n.trunc()));
    }
    rest.parse::<IpAddr>().ok().map(|a| (vpc, IpNet::from(a)))
}

/// A word that reads as an address or block but is not a valid one (`203.0.113.10/33`,
/// `10.0.1.300`) is an error that says what is wrong, not a name that names nothing.
pub(super) fn check_address_syntax(word: &str) -> Result<(), QueryError> {
    if parse_net(word).is_some() {
        return Ok(());
    }
    let rest = match word.split_once('/') {
        Some((v, r)) if v.starts_with("vpc-") => r,
        _ => word,
    };
    let (addr, prefix) = match rest.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (rest, None),
    };
    if let Ok(a) = addr.parse::<IpAddr>() {
        let (max, family) = if a.is_ipv4() {
            (32, "IPv4")
        } else {
            (128, "IPv6")
        };
        let p = prefix.unwrap_or_default();
        return Err(QueryError::Invalid(match p.parse::<u32>() {
            Ok(n) => format!("invalid prefix length {n} in {word} ({family} is /0-/{max})"),
            Err(_) => format!("invalid prefix length `{p}` in {word} ({family} is /0-/{max})"),
        }));
    }
    let dotted = addr.contains('.') && addr.chars().all(|c| c.is_ascii_digit() || c == '.');
    let coloned =
        addr.matches(':').count() >= 2 && addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
    if dotted || coloned {
        let family = if dotted {
            "IPv4 (four numbers 0-255)"
        } else {
            "IPv6"
        };
        let whole = if addr == word {
            String::new()
        } else {
            format!(" in {word}")
        };
        return Err(QueryError::Invalid(format!(
            "invalid address {addr}{whole}: not an {family} address"
        )));
    }
    Ok(())
}

/// `--from X --to X` (or an instance and its own address): a host does not reach itself across
/// the network, so the question is refused rather than answered with a blocker. Only when the
/// sources hold exactly the target addresses (a security group holding the source and others
/// is a real question: the others are reached).
pub(super) fn same_on_both_sides(
    sources: &[(bool, &AddrSet)],
    targets: &[&AddrSet],
    q: &Question,
) -> Result<(), QueryError> {
    let mut from = AddrSet::empty();
    for (in_vpc, addrs) in sources {
        if !in_vpc {
            return Ok(());
        }
        from = from.union(addrs);
    }
    let mut to = AddrSet::empty();
    for tg in targets {
        to = to.union(tg);
    }
    let inside = |a: &AddrSet, b: &AddrSet| !a.is_empty() && a.difference(b).is_empty();
    let one = sources.len() == 1;
    if (!from.is_empty() && from == to)
        || (one && inside(&to, &from))
        || (one && targets.len() == 1 && inside(&from, &to))
    {
        return Err(QueryError::Invalid(format!(
            "--from {} and --to {} are the same host ({}): it does not reach itself across the network; name another source or target",
            q.from.trim(),
            q.to.trim(),
            from
        )));
    }
    Ok(())
}
