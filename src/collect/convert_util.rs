//! Small helpers shared by the SDK → serde conversions.

use crate::snapshot::aws;
use aws_sdk_ec2::primitives::{DateTime, DateTimeFormat};

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
    v.and_then(|c| c.trim().parse().ok()).map(aws::Cidr4)
}

/// An IPv6 CIDR, if present and valid.
pub fn cidr6(v: Option<&str>) -> Option<aws::Cidr6> {
    v.and_then(|c| c.trim().parse().ok()).map(aws::Cidr6)
}

/// A CIDR of either family, if present and valid.
pub fn cidr(v: Option<&str>) -> Option<aws::Cidr> {
    v.and_then(|c| c.trim().parse().ok()).map(aws::Cidr)
}

/// An IPv4 address, if present and valid.
pub fn ip4(v: Option<&str>) -> Option<aws::Ip4> {
    v.and_then(|c| c.trim().parse().ok()).map(aws::Ip4)
}

/// An IPv6 address, if present and valid.
pub fn ip6(v: Option<&str>) -> Option<aws::Ip6> {
    v.and_then(|c| c.trim().parse().ok()).map(aws::Ip6)
}

/// A port (or ICMP type/code); absent = `-1` (all).
pub fn port(v: Option<i32>) -> aws::AwsPort {
    aws::AwsPort(v.filter(|p| (-1..=65535).contains(p)).unwrap_or(-1))
}

/// A timestamp as RFC 3339 (`2024-05-01T12:00:00Z`).
pub fn date(v: Option<&DateTime>) -> Option<String> {
    v.and_then(|d| d.fmt(DateTimeFormat::DateTime).ok())
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
}
