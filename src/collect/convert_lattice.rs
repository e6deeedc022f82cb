//! VPC Lattice SDK outputs (`GetResourceGateway`, `GetResourceConfiguration`) → the project's
//! serde shapes ([`crate::snapshot::aws::privatelink`]), which serialize in the camelCase the
//! `vpc-lattice` CLI prints. Only the fields the loader reads are kept. A value the shapes cannot
//! hold is left out and noted ([`super::convert_util`]): an IP resource that is not an IPv4
//! address, a port range that is not `"443"` or `"1024-2048"`, and a resource definition of a
//! kind the snapshot has no shape for (`cidrResource`, or one newer than this SDK).

use super::convert_util::{dropped, en, ip4, os, port_range, s};
use crate::snapshot::aws;
use aws_sdk_vpclattice::operation::get_resource_configuration::GetResourceConfigurationOutput;
use aws_sdk_vpclattice::operation::get_resource_gateway::GetResourceGatewayOutput;
use aws_sdk_vpclattice::types as sdk;

/// One `ResourceGateways[]` element (`get-resource-gateway` output).
pub fn resource_gateway(g: &GetResourceGatewayOutput) -> aws::ResourceGateway {
    aws::ResourceGateway {
        id: s(g.id()),
        arn: os(g.arn()),
        name: os(g.name()),
        status: en!(g.status()),
        vpc_id: os(g.vpc_id()),
        subnet_ids: g.subnet_ids().to_vec(),
        security_group_ids: g.security_group_ids().to_vec(),
        ip_address_type: en!(g.ip_address_type()),
    }
}

/// One `ResourceConfigurations[]` element (`get-resource-configuration` output).
pub fn resource_configuration(c: &GetResourceConfigurationOutput) -> aws::ResourceConfiguration {
    aws::ResourceConfiguration {
        id: s(c.id()),
        arn: os(c.arn()),
        name: os(c.name()),
        status: en!(c.status()),
        config_type: en!(c.r#type()),
        protocol: en!(c.protocol()),
        port_ranges: c
            .port_ranges()
            .iter()
            .filter_map(|r| port_range(r))
            .collect(),
        resource_gateway_id: os(c.resource_gateway_id()),
        resource_configuration_group_id: os(c.resource_configuration_group_id()),
        resource_configuration_definition: c.resource_configuration_definition().map(definition),
    }
}

/// The resource: exactly one of `ipResource`, `dnsResource`, `arnResource`; another kind is
/// noted and leaves the definition empty (the loader then knows no resource address).
fn definition(d: &sdk::ResourceConfigurationDefinition) -> aws::ResourceConfigurationDefinition {
    let mut out = aws::ResourceConfigurationDefinition::default();
    match d {
        sdk::ResourceConfigurationDefinition::IpResource(r) => {
            out.ip_resource = Some(aws::IpResource {
                ip_address: ip4(r.ip_address()),
            });
        }
        sdk::ResourceConfigurationDefinition::DnsResource(r) => {
            out.dns_resource = Some(aws::DnsResource {
                domain_name: s(r.domain_name()),
                ip_address_type: en!(r.ip_address_type()),
            });
        }
        sdk::ResourceConfigurationDefinition::ArnResource(r) => {
            out.arn_resource = Some(aws::ArnResource { arn: s(r.arn()) });
        }
        sdk::ResourceConfigurationDefinition::CidrResource(r) => dropped(
            "resource definition",
            format!("cidrResource {:?}", r.cidr_ranges()),
            "a CIDR resource has no snapshot shape: left out",
        ),
        _ => dropped(
            "resource definition",
            "a resource kind unknown to this SDK",
            "not an ipResource, dnsResource or arnResource: left out",
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::convert_util::capture;
    use super::*;

    #[test]
    fn resource_gateway_keeps_the_loader_fields() {
        let g = GetResourceGatewayOutput::builder()
            .id("rgw-0123456789abcdef0")
            .arn("arn:aws:vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0")
            .name("shared-data")
            .status(sdk::ResourceGatewayStatus::Active)
            .vpc_id("vpc-000000000000000b1")
            .subnet_ids("subnet-000000000000000b1")
            .security_group_ids("sg-000000000000000a2")
            .ip_address_type(sdk::ResourceGatewayIpAddressType::Ipv4)
            .build();
        let (out, drops) = capture(|| resource_gateway(&g));
        assert!(drops.is_empty());
        // The CLI's camelCase keys, as fixtures/loader/privatelink's get-resource-gateway.json.
        assert_eq!(
            serde_json::to_value(&out).unwrap_or_default(),
            serde_json::json!({
                "id": "rgw-0123456789abcdef0",
                "arn": "arn:aws:vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0",
                "name": "shared-data",
                "status": "ACTIVE",
                "vpcId": "vpc-000000000000000b1",
                "subnetIds": ["subnet-000000000000000b1"],
                "securityGroupIds": ["sg-000000000000000a2"],
                "ipAddressType": "IPV4"
            })
        );
    }

    #[test]
    fn resource_configurations_and_what_they_drop() {
        let dns = GetResourceConfigurationOutput::builder()
            .id("rcfg-0000000000000ca01")
            .r#type(sdk::ResourceConfigurationType::Single)
            .protocol(sdk::ProtocolType::Tcp)
            .port_ranges("6379")
            .port_ranges("7000-7005")
            .resource_gateway_id("rgw-0123456789abcdef0")
            .status(sdk::ResourceConfigurationStatus::Active)
            .resource_configuration_definition(sdk::ResourceConfigurationDefinition::DnsResource(
                sdk::DnsResource::builder()
                    .domain_name("shared-001.abc123.0001.use1.cache.amazonaws.com")
                    .ip_address_type(sdk::ResourceConfigurationIpAddressType::Ipv4)
                    .build(),
            ))
            .build();
        let (out, drops) = capture(|| resource_configuration(&dns));
        assert!(drops.is_empty());
        assert_eq!(
            serde_json::to_value(&out).unwrap_or_default(),
            serde_json::json!({
                "id": "rcfg-0000000000000ca01",
                "status": "ACTIVE",
                "type": "SINGLE",
                "protocol": "TCP",
                "portRanges": ["6379", "7000-7005"],
                "resourceGatewayId": "rgw-0123456789abcdef0",
                "resourceConfigurationDefinition": {"dnsResource": {
                    "domainName": "shared-001.abc123.0001.use1.cache.amazonaws.com",
                    "ipAddressType": "IPV4"
                }}
            })
        );

        // An IPv6 IP resource and a port range the shape cannot hold: left out, each noted.
        let ip6 = GetResourceConfigurationOutput::builder()
            .id("rcfg-0000000000000db02")
            .port_ranges("5432")
            .port_ranges("22,80")
            .resource_configuration_definition(sdk::ResourceConfigurationDefinition::IpResource(
                sdk::IpResource::builder().ip_address("fd00::5").build(),
            ))
            .build();
        let (out, drops) = capture(|| resource_configuration(&ip6));
        assert_eq!(out.port_ranges, vec![aws::PortRangeText(5432, 5432)]);
        let def = out.resource_configuration_definition.expect("definition");
        assert_eq!(def.ip_resource, Some(aws::IpResource { ip_address: None }));
        let what: Vec<(&str, &str)> = drops.iter().map(|d| (d.what, d.value.as_str())).collect();
        assert_eq!(
            what,
            vec![("port range", "\"22,80\""), ("IPv4 address", "\"fd00::5\"")]
        );

        // A CIDR resource: no shape, noted; the definition stays empty.
        let cidr = GetResourceConfigurationOutput::builder()
            .id("rcfg-0000000000000cc03")
            .resource_configuration_definition(sdk::ResourceConfigurationDefinition::CidrResource(
                sdk::CidrResource::builder()
                    .cidr_ranges("10.0.0.0/24")
                    .build(),
            ))
            .build();
        let (out, drops) = capture(|| resource_configuration(&cidr));
        assert_eq!(
            out.resource_configuration_definition,
            Some(aws::ResourceConfigurationDefinition::default())
        );
        assert_eq!(drops.len(), 1);
        assert_eq!(drops[0].what, "resource definition");
        assert!(drops[0].value.contains("10.0.0.0/24"), "{:?}", drops[0]);
    }
}
