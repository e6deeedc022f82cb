//! Port ranges and ICMP type/code as security-group permissions and NACL entries give them
//! (`-1` meaning all).

use crate::model::{IcmpMatch, PortRange};

/// Parse an SG/NACL port pair. `None` = all ports.
pub(super) fn port_range(from: Option<i32>, to: Option<i32>) -> Result<Option<PortRange>, String> {
    match (from, to) {
        (None, None) | (Some(-1), Some(-1)) | (Some(-1), None) | (None, Some(-1)) => Ok(None),
        // `-1` means "all" only for both ends; one open end is read by [`one_sided`].
        (Some(f), Some(t)) if f == -1 || t == -1 => one_sided(f, t)
            .map(|(r, _)| Some(r))
            .ok_or_else(|| format!("port range {f} to {t} is invalid")),
        (Some(f), Some(t)) if f <= t => Ok(Some((f as u16, t as u16))),
        (Some(f), Some(t)) => Err(format!("port range {f}-{t} is empty (From > To)")),
        (Some(f), None) => Ok(Some((f as u16, f as u16))),
        (None, Some(t)) => Ok(Some((t as u16, t as u16))),
    }
}

/// A tcp/udp range with `-1` on one end only (`FromPort 6379, ToPort -1`): no range AWS prints.
/// Read as Batfish does, the `-1` end open (6379-65535, 0-50), never as all ports; the text
/// says so for the diagnostic.
pub(super) fn one_sided(from: i32, to: i32) -> Option<(PortRange, String)> {
    let (lo, hi) = match (from, to) {
        (-1, -1) => return None,
        (-1, t) => (0, t),
        (f, -1) => (f, 65535),
        _ => return None,
    };
    let (lo, hi) = (u16::try_from(lo).ok()?, u16::try_from(hi).ok()?);
    Some((
        (lo, hi),
        format!(
            "port range {from} to {to}: -1 (all) on one end only is not a range AWS prints; read as {lo}-{hi} (the -1 end open), not as all ports"
        ),
    ))
}

/// Parse an ICMP type and code. `None` = any type and code.
pub(super) fn icmp_match(t: Option<i32>, c: Option<i32>) -> Result<Option<IcmpMatch>, String> {
    let conv = |v: Option<i32>, what: &str| -> Result<Option<u8>, String> {
        match v {
            None | Some(-1) => Ok(None),
            Some(x) if (0..=255).contains(&x) => Ok(Some(x as u8)),
            Some(x) => Err(format!("ICMP {what} {x} is out of range (-1 or 0-255)")),
        }
    };
    let m = IcmpMatch {
        icmp_type: conv(t, "type")?,
        code: conv(c, "code")?,
    };
    Ok((m.icmp_type.is_some() || m.code.is_some()).then_some(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        assert_eq!(port_range(Some(-1), Some(-1)), Ok(None));
        assert_eq!(port_range(Some(22), Some(22)), Ok(Some((22, 22))));
        assert!(port_range(Some(23), Some(22)).is_err());
        assert_eq!(port_range(Some(6379), Some(-1)), Ok(Some((6379, 65535))));
        assert_eq!(port_range(Some(-1), Some(50)), Ok(Some((0, 50))));
        assert_eq!(icmp_match(Some(-1), Some(-1)), Ok(None));
        assert!(icmp_match(Some(300), Some(0)).is_err());
    }
}
