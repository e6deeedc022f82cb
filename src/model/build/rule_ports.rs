//! Port ranges and ICMP type/code as security-group permissions and NACL entries give them
//! (`-1` meaning all).

use crate::model::{IcmpMatch, PortRange};

/// Parse an SG/NACL port pair. `None` = all ports.
pub(super) fn port_range(from: Option<i32>, to: Option<i32>) -> Result<Option<PortRange>, String> {
    match (from, to) {
        (None, None) | (Some(-1), _) | (_, Some(-1)) => Ok(None),
        (Some(f), Some(t)) if f <= t => Ok(Some((f as u16, t as u16))),
        (Some(f), Some(t)) => Err(format!("port range {f}-{t} is empty (From > To)")),
        (Some(f), None) => Ok(Some((f as u16, f as u16))),
        (None, Some(t)) => Ok(Some((t as u16, t as u16))),
    }
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
        assert_eq!(icmp_match(Some(-1), Some(-1)), Ok(None));
        assert!(icmp_match(Some(300), Some(0)).is_err());
    }
}
