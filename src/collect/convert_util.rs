//! Small helpers shared by the SDK → serde conversions.
//!
//! A value the snapshot's shapes cannot hold (a CIDR or address that does not parse, a port
//! outside -1..65535, a time that cannot be formatted) is dropped, and every drop is noted
//! ([`Dropped`]) while a [`capture`] is running: the caller (`Ctx::noting`) records it in the
//! manifest with the call and resource, and the loader reports it, so no drop is silent.

use crate::snapshot::aws;
use aws_sdk_ec2::primitives::{DateTime, DateTimeFormat};
use std::cell::RefCell;

/// A value the conversion could not represent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// What kind of value, e.g. `IPv4 CIDR`.
    pub what: &'static str,
    /// The value as the SDK returned it.
    pub value: String,
    /// Why it was dropped, and what the snapshot holds instead.
    pub reason: String,
}

thread_local! {
    /// The drops of the conversion running on this thread (`None` outside [`capture`]).
    static DROPPED: RefCell<Option<Vec<Dropped>>> = const { RefCell::new(None) };
}

/// Note a dropped value (kept only inside a [`capture`]).
pub fn dropped(what: &'static str, value: impl std::fmt::Display, reason: impl std::fmt::Display) {
    DROPPED.with(|d| {
        if let Some(v) = d.borrow_mut().as_mut() {
            v.push(Dropped {
                what,
                value: value.to_string(),
                reason: reason.to_string(),
            });
        }
    });
}

/// Run one conversion (synchronous, so it stays on this thread) and return what it dropped.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<Dropped>) {
    let outer = DROPPED.with(|d| d.borrow_mut().replace(Vec::new()));
    let out = f();
    let mine = DROPPED.with(|d| std::mem::replace(&mut *d.borrow_mut(), outer));
    (out, mine.unwrap_or_default())
}

/// Parse `v` (trimmed) as `T`; an unparsable value is noted as dropped.
fn parsed<T: std::str::FromStr>(what: &'static str, v: Option<&str>) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    let raw = v?;
    match raw.trim().parse::<T>() {
        Ok(x) => Some(x),
        Err(e) => {
            dropped(
                what,
                format!("{raw:?}"),
                format!("not a valid {what} ({e}): left out"),
            );
            None
        }
    }
}

/// An SDK enum (anything with `as_str()`) inside an `Option<&E>` → `Option<String>`.
macro_rules! en {
    ($e:expr) => {
        $e.map(|v| v.as_str().to_string())
    };
}
pub(crate) use en;

/// A required string; absent = empty.
pub fn s(v: Option<&str>) -> String {
    v.unwrap_or_default().to_string()
}

/// An optional string.
pub fn os(v: Option<&str>) -> Option<String> {
    v.map(str::to_string)
}

/// An IPv4 CIDR, if present and valid.
pub fn cidr4(v: Option<&str>) -> Option<aws::Cidr4> {
    parsed("IPv4 CIDR", v).map(aws::Cidr4)
}

/// An IPv6 CIDR, if present and valid.
pub fn cidr6(v: Option<&str>) -> Option<aws::Cidr6> {
    parsed("IPv6 CIDR", v).map(aws::Cidr6)
}

/// A CIDR of either family, if present and valid.
pub fn cidr(v: Option<&str>) -> Option<aws::Cidr> {
    parsed("CIDR", v).map(aws::Cidr)
}

/// An IPv4 address, if present and valid.
pub fn ip4(v: Option<&str>) -> Option<aws::Ip4> {
    parsed("IPv4 address", v).map(aws::Ip4)
}

/// An IPv6 address, if present and valid.
pub fn ip6(v: Option<&str>) -> Option<aws::Ip6> {
    parsed("IPv6 address", v).map(aws::Ip6)
}

/// A port (or ICMP type/code); absent = `-1` (all). A value outside -1..65535 is noted as
/// dropped and read as `-1`.
pub fn port(v: Option<i32>) -> aws::AwsPort {
    if let Some(p) = v.filter(|p| !(-1..=65535).contains(p)) {
        dropped("port", p, "outside -1..65535: read as -1 (all)");
    }
    aws::AwsPort(v.filter(|p| (-1..=65535).contains(p)).unwrap_or(-1))
}

/// A port range as the `vpc-lattice` CLI prints it (`"443"`, `"1024-2048"`), if valid; another
/// text is noted as dropped.
pub fn port_range(v: &str) -> Option<aws::PortRangeText> {
    let range = aws::parse_port_range(v);
    if range.is_none() {
        dropped(
            "port range",
            format!("{v:?}"),
            "not a port or port range like \"443\" or \"1024-2048\" (1 to 65535): left out",
        );
    }
    range
}

/// A timestamp as RFC 3339 (`2024-05-01T12:00:00Z`).
pub fn date(v: Option<&DateTime>) -> Option<String> {
    let d = v?;
    match d.fmt(DateTimeFormat::DateTime) {
        Ok(t) => Some(t),
        Err(e) => {
            dropped(
                "timestamp",
                format!("{} s since the epoch", d.secs()),
                format!("cannot be written as RFC 3339 ({e}): left out"),
            );
            None
        }
    }
}

/// EC2 tags.
pub fn tags(v: &[aws_sdk_ec2::types::Tag]) -> Vec<aws::Tag> {
    v.iter()
        .map(|t| aws::Tag {
            key: s(t.key()),
            value: s(t.value()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(
            cidr4(Some("10.0.0.0/16")).map(|c| c.to_string()).as_deref(),
            Some("10.0.0.0/16")
        );
        assert_eq!(cidr4(Some("bogus")), None);
        assert_eq!(
            cidr(Some("2600:1f18::/56"))
                .map(|c| c.to_string())
                .as_deref(),
            Some("2600:1f18::/56")
        );
        assert_eq!(port(None), aws::AwsPort(-1));
        assert_eq!(port(Some(443)), aws::AwsPort(443));
        assert_eq!(port(Some(70000)), aws::AwsPort(-1));
        let d = DateTime::from_secs(1_714_564_800);
        assert_eq!(date(Some(&d)).as_deref(), Some("2024-05-01T12:00:00Z"));
    }

    #[test]
    fn every_drop_is_noted() {
        let (out, drops) = capture(|| {
            (
                cidr4(Some("10.0.0.0/33")),
                cidr4(Some("10.0.0.0/16")),
                cidr4(None),
                ip6(Some("fe80::zz")),
                port(Some(70000)),
                port(Some(443)),
                // Year 10000 and later has no RFC 3339 form.
                date(Some(&DateTime::from_secs(400_000_000_000))),
            )
        });
        assert_eq!(out.0, None);
        assert!(out.1.is_some() && out.2.is_none() && out.3.is_none());
        assert_eq!(out.4, aws::AwsPort(-1));
        assert_eq!(out.5, aws::AwsPort(443));
        assert_eq!(out.6, None);
        let what: Vec<(&str, &str)> = drops.iter().map(|d| (d.what, d.value.as_str())).collect();
        assert_eq!(
            what,
            vec![
                ("IPv4 CIDR", "\"10.0.0.0/33\""),
                ("IPv6 address", "\"fe80::zz\""),
                ("port", "70000"),
                ("timestamp", "400000000000 s since the epoch"),
            ]
        );
        assert!(drops[2].reason.contains("read as -1"), "{:?}", drops[2]);
        // Outside a capture nothing is kept; a capture after it starts empty.
        let _ = cidr4(Some("bogus"));
        let ((), none) = capture(|| ());
        assert!(none.is_empty());
    }
}
