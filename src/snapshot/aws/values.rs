//! Validated scalar values (CIDRs, addresses, ports, NACL rule numbers) and the small shapes every
//! output shares (tags, `{"Value": …}`, `{"State": …}`). A bad value is reported with the file and
//! the JSON pointer where it stands.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

macro_rules! parsed_string_type {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $expect:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.trim()
                    .parse::<$inner>()
                    .map($name)
                    .map_err(|_| serde::de::Error::custom(format!(concat!("expected ", $expect, ", got {:?}"), s)))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

parsed_string_type!(
    /// An IPv4 CIDR block such as `10.0.0.0/16`.
    Cidr4, ipnet::Ipv4Net, "an IPv4 CIDR block like \"10.0.0.0/16\""
);
parsed_string_type!(
    /// An IPv6 CIDR block such as `2600:1f18::/56`.
    Cidr6, ipnet::Ipv6Net, "an IPv6 CIDR block like \"2600:1f18::/56\""
);
parsed_string_type!(
    /// A CIDR block of either family (prefix-list entries).
    Cidr, ipnet::IpNet, "a CIDR block like \"10.0.0.0/16\" or \"2600:1f18::/56\""
);
parsed_string_type!(
    /// An IPv4 address.
    Ip4, Ipv4Addr, "an IPv4 address like \"10.0.1.5\""
);
parsed_string_type!(
    /// An IPv6 address.
    Ip6, Ipv6Addr, "an IPv6 address like \"2600:1f18::5\""
);

/// A port number as AWS prints it: `-1` (all) or 0..=65535. For ICMP rules the same fields carry
/// a type or code, also within this range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AwsPort(pub i32);

impl<'de> Deserialize<'de> for AwsPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if (-1..=65535).contains(&v) {
            Ok(AwsPort(v as i32))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a port number from -1 to 65535, got {v}"
            )))
        }
    }
}

/// A NACL rule number: 1..=32766 for user rules, 32767/32768 for the final deny-all entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RuleNumber(pub u16);

impl<'de> Deserialize<'de> for RuleNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if (1..=32768).contains(&v) {
            Ok(RuleNumber(v as u16))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a NACL rule number from 1 to 32768, got {v}"
            )))
        }
    }
}

/// `{"Key": ..., "Value": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// `{"Value": true}` as printed by `describe-vpc-attribute`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeBool {
    pub value: bool,
}

/// `{"State": "associated"}` and similar nested states.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StateOnly {
    pub state: String,
}
