//! VPC endpoints, and the prefix list each gateway endpoint routes to (by service name).

use super::builder::{is_live, name_of, Builder};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use std::collections::HashMap;

impl Builder {
    /// The VPC endpoints of one scope.
    pub(super) fn construct_vpc_endpoints(&mut self, scope: ScopeIdx, d: &RawData) {
        for e in &d.vpc_endpoints {
            let ep = self.endpoint(scope, &e.item, e.file, &e.pointer);
            self.t.vpc_endpoints.push(ep);
        }
    }

    fn endpoint(
        &mut self,
        scope: ScopeIdx,
        it: &aws::VpcEndpoint,
        file: u32,
        ptr: &str,
    ) -> VpcEndpoint {
        let vpc = self.find_checked(
            scope,
            Kind::Vpc,
            &it.vpc_id,
            file,
            &format!("{ptr}/VpcId"),
            "VPC",
        );
        let active = is_live(&it.state);
        let mut route_tables = Vec::new();
        for (i, r) in it.route_table_ids.iter().enumerate() {
            let x: Ref<RouteTableIdx> = self.find(scope, Kind::RouteTable, r);
            if active {
                self.check(
                    &x,
                    scope,
                    None,
                    file,
                    &format!("{ptr}/RouteTableIds/{i}"),
                    "route table",
                );
            }
            route_tables.push(x);
        }
        let mut subnets = Vec::new();
        for (i, s) in it.subnet_ids.iter().enumerate() {
            let x: Ref<SubnetIdx> = self.find(scope, Kind::Subnet, s);
            if active {
                self.check(
                    &x,
                    scope,
                    None,
                    file,
                    &format!("{ptr}/SubnetIds/{i}"),
                    "subnet",
                );
            }
            subnets.push(x);
        }
        let mut groups = Vec::new();
        for (i, g) in it.groups.iter().enumerate() {
            let x: Ref<SecurityGroupIdx> = self.find(scope, Kind::SecurityGroup, &g.group_id);
            if active {
                self.check(
                    &x,
                    scope,
                    None,
                    file,
                    &format!("{ptr}/Groups/{i}/GroupId"),
                    "security group",
                );
            }
            groups.push(x);
        }
        let network_interfaces = it
            .network_interface_ids
            .iter()
            .map(|e| self.find(scope, Kind::NetworkInterface, e))
            .collect();
        let endpoint_type = match it.vpc_endpoint_type.to_ascii_lowercase().as_str() {
            "gateway" => EndpointType::Gateway,
            "interface" => EndpointType::Interface,
            "gatewayloadbalancer" => EndpointType::GatewayLoadBalancer,
            "resource" => EndpointType::Resource,
            other => EndpointType::Other(other.to_string()),
        };
        VpcEndpoint {
            id: it.vpc_endpoint_id.clone(),
            scope,
            name: name_of(&it.tags),
            vpc,
            endpoint_type,
            service_name: it.service_name.clone(),
            state: it.state.clone(),
            active,
            route_tables,
            subnets,
            groups,
            private_dns_enabled: it.private_dns_enabled,
            network_interfaces,
            prefix_list: None,
            endpoint_service: None,
            resource_configuration: it
                .resource_configuration_arn
                .as_ref()
                .map(|a| Ref::unresolved(a.clone())),
        }
    }

    /// Gateway endpoints: the prefix list named by their service.
    pub(super) fn link_endpoints(&mut self) {
        let t = &mut self.t;
        let mut by_name: HashMap<(ScopeIdx, String), PrefixListIdx> = HashMap::new();
        for (i, p) in t.prefix_lists.iter().enumerate() {
            if let Some(n) = &p.name {
                by_name.insert((p.scope, n.clone()), PrefixListIdx(i as u32));
            }
        }
        for ep in t.vpc_endpoints.iter_mut() {
            if ep.endpoint_type == EndpointType::Gateway {
                ep.prefix_list = by_name.get(&(ep.scope, ep.service_name.clone())).copied();
            }
        }
    }
}
