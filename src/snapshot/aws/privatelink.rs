//! PrivateLink, provider side: `ec2 describe-vpc-endpoint-service-configurations` (endpoint
//! services and their load balancers) and VPC Lattice resource gateways and resource
//! configurations. The `vpc-lattice` CLI prints camelCase keys: `get-resource-gateway` and
//! `get-resource-configuration` outputs are saved wrapped, one element per call, as
//! `{"ResourceGateways": [...]}` and `{"ResourceConfigurations": [...]}` (the `list-…` outputs
//! lack the subnets, groups and port ranges).

use super::values::Ip4;
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

/// `describe-vpc-endpoint-service-configurations` → `ServiceConfigurations[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServiceConfiguration {
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `Pending`, `Available`, `Deleting`, `Deleted`, `Failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_state: Option<String>,
    pub availability_zones: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance_required: Option<bool>,
    pub network_load_balancer_arns: Vec<String>,
    pub gateway_load_balancer_arns: Vec<String>,
}

/// `vpc-lattice get-resource-gateway` output, in a `ResourceGateways[]` wrapper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceGateway {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `ACTIVE`, `CREATE_IN_PROGRESS`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    pub subnet_ids: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// `IPV4`, `IPV6` or `DUALSTACK`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
}

/// `vpc-lattice get-resource-configuration` output, in a `ResourceConfigurations[]` wrapper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceConfiguration {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `SINGLE`, `GROUP`, `CHILD` or `ARN`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub config_type: Option<String>,
    /// `TCP` (the only protocol resource configurations carry today).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    pub port_ranges: Vec<PortRangeText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_configuration_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_configuration_definition: Option<ResourceConfigurationDefinition>,
}

/// The resource: one of `ipResource`, `dnsResource`, `arnResource` (a union).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceConfigurationDefinition {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_resource: Option<IpResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_resource: Option<DnsResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn_resource: Option<ArnResource>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IpResource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<Ip4>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DnsResource {
    pub domain_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ArnResource {
    pub arn: String,
}

/// A port range as the `vpc-lattice` CLI prints it: `"443"` or `"1024-2048"` (1..=65535),
/// checked while loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortRangeText(pub u16, pub u16);

impl Serialize for PortRangeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 == self.1 {
            s.serialize_str(&self.0.to_string())
        } else {
            s.serialize_str(&format!("{}-{}", self.0, self.1))
        }
    }
}

impl<'de> Deserialize<'de> for PortRangeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_port_range(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a port or port range like \"443\" or \"1024-2048\" (1 to 65535), got {text:?}"
            ))
        })
    }
}

/// `"443"` or `"1024-2048"`, ports 1..=65535, low ≤ high.
pub fn parse_port_range(text: &str) -> Option<PortRangeText> {
    let port = |p: &str| p.trim().parse::<u16>().ok().filter(|v| *v > 0);
    let (lo, hi) = match text.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => {
            let p = port(text)?;
            (p, p)
        }
    };
    (lo <= hi).then_some(PortRangeText(lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges() {
        assert_eq!(parse_port_range("443"), Some(PortRangeText(443, 443)));
        assert_eq!(
            parse_port_range("1024-2048"),
            Some(PortRangeText(1024, 2048))
        );
        assert_eq!(parse_port_range("0"), None);
        assert_eq!(parse_port_range("2048-1024"), None);
        assert_eq!(parse_port_range("70000"), None);
        assert_eq!(parse_port_range("a-b"), None);
    }
}
