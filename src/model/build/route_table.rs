//! VPC route tables: associations, routes with their targets resolved, and the local route per
//! VPC CIDR every table has (R3).

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use ipnet::IpNet;

impl Builder {
    /// The route tables of one scope.
    pub(super) fn construct_route_tables(&mut self, scope: ScopeIdx, d: &RawData) {
        for r in &d.route_tables {
            let it = &r.item;
            let vpc = self.find_checked(
                scope,
                Kind::Vpc,
                &it.vpc_id,
                r.file,
                &format!("{}/VpcId", r.pointer),
                "VPC",
            );
            let mut table = RouteTable {
                id: it.route_table_id.clone(),
                scope,
                vpc,
                name: name_of(&it.tags),
                main: false,
                subnets: Vec::new(),
                gateways: Vec::new(),
                routes: Vec::new(),
                propagating_vgws: it
                    .propagating_vgws
                    .iter()
                    .map(|g| g.gateway_id.clone())
                    .collect(),
                lost_routes: Vec::new(),
                doubts: Vec::new(),
            };
            for (ai, a) in it.associations.iter().enumerate() {
                let live = a
                    .association_state
                    .as_ref()
                    .is_none_or(|s| s.state.eq_ignore_ascii_case("associated"));
                if !live {
                    continue;
                }
                if a.main {
                    table.main = true;
                }
                if let Some(sid) = &a.subnet_id {
                    let ptr = format!("{}/Associations/{ai}/SubnetId", r.pointer);
                    let sref: Ref<SubnetIdx> =
                        self.find_checked(scope, Kind::Subnet, sid, r.file, &ptr, "subnet");
                    if let Some(si) = sref.idx {
                        table.subnets.push(si);
                    }
                }
                if let Some(g) = &a.gateway_id {
                    table.gateways.push(g.clone());
                }
            }
            for (ri, route) in it.routes.iter().enumerate() {
                let ptr = format!("{}/Routes/{ri}", r.pointer);
                if let Some(rt) = self.route(scope, route, r.file, &ptr) {
                    table.routes.push(rt);
                }
            }
            table.lost_routes = self.lost_under(r.file, &format!("{}/Routes/", r.pointer));
            table.doubts = self.doubts_under(r.file, &format!("{}/Routes/", r.pointer));
            self.t.route_tables.push(table);
        }
    }

    fn route(&mut self, scope: ScopeIdx, r: &aws::Route, file: u32, ptr: &str) -> Option<Route> {
        let destination = if let Some(c) = r.destination_cidr_block {
            let at = format!("{ptr}/DestinationCidrBlock");
            RouteDestination::Cidr(self.network(IpNet::V4(c.0), file, &at))
        } else if let Some(c) = r.destination_ipv6_cidr_block {
            let at = format!("{ptr}/DestinationIpv6CidrBlock");
            RouteDestination::Cidr(self.network(IpNet::V6(c.0), file, &at))
        } else if let Some(pl) = &r.destination_prefix_list_id {
            let pref: Ref<PrefixListIdx> = self.find(scope, Kind::PrefixList, pl);
            RouteDestination::PrefixList(pref)
        } else {
            self.diag(
                Severity::Error,
                DiagCode::MissingField,
                file,
                ptr,
                "route without DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId; skipped".into(),
            );
            return None;
        };
        // AWS gives a route one target (an instance route also names the instance's ENI).
        let mut named: Vec<(&str, &String)> = [
            ("GatewayId", &r.gateway_id),
            ("NatGatewayId", &r.nat_gateway_id),
            ("TransitGatewayId", &r.transit_gateway_id),
            ("VpcPeeringConnectionId", &r.vpc_peering_connection_id),
            (
                "EgressOnlyInternetGatewayId",
                &r.egress_only_internet_gateway_id,
            ),
            ("NetworkInterfaceId", &r.network_interface_id),
            ("InstanceId", &r.instance_id),
            ("LocalGatewayId", &r.local_gateway_id),
            ("CarrierGatewayId", &r.carrier_gateway_id),
            ("CoreNetworkArn", &r.core_network_arn),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
        if r.instance_id.is_some() {
            named.retain(|(k, _)| *k != "NetworkInterfaceId");
        }
        if named.len() > 1 {
            let list: Vec<String> = named.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let ids: Vec<&str> = named.iter().map(|(_, v)| v.as_str()).collect();
            self.diag(
                Severity::Warning,
                DiagCode::ImpossibleValue,
                file,
                ptr,
                format!(
                    "route with {} targets ({}): AWS gives a route one, so where it sends traffic is unknown (flows that use it carry SNAPSHOT_INCOMPLETE)",
                    named.len(),
                    list.join(", ")
                ),
            );
            return Some(self.finish_route(
                destination,
                RouteTarget::Conflicting(ids.join(",")),
                r,
                file,
                ptr,
            ));
        }
        let target = if let Some(g) = &r.gateway_id {
            if g == "local" {
                RouteTarget::Local
            } else if g.starts_with("igw-") {
                let x = self.find_checked(
                    scope,
                    Kind::InternetGateway,
                    g,
                    file,
                    &format!("{ptr}/GatewayId"),
                    "internet gateway",
                );
                RouteTarget::InternetGateway(x)
            } else if g.starts_with("vpce-") {
                let x = self.find_checked(
                    scope,
                    Kind::VpcEndpoint,
                    g,
                    file,
                    &format!("{ptr}/GatewayId"),
                    "VPC endpoint",
                );
                RouteTarget::VpcEndpoint(x)
            } else if g.starts_with("vgw-") {
                RouteTarget::VirtualPrivateGateway(g.clone())
            } else if g.starts_with("eigw-") {
                let x = self.find_checked(
                    scope,
                    Kind::EgressOnlyInternetGateway,
                    g,
                    file,
                    &format!("{ptr}/GatewayId"),
                    "egress-only internet gateway",
                );
                RouteTarget::EgressOnlyInternetGateway(x)
            } else {
                RouteTarget::Unknown(g.clone())
            }
        } else if let Some(x) = &r.nat_gateway_id {
            let x = self.find_checked(
                scope,
                Kind::NatGateway,
                x,
                file,
                &format!("{ptr}/NatGatewayId"),
                "NAT gateway",
            );
            RouteTarget::NatGateway(x)
        } else if let Some(x) = &r.transit_gateway_id {
            let x = self.find(scope, Kind::TransitGateway, x);
            // A TGW shared from another account is often not in the snapshot: a note, then.
            if x.idx.is_none() {
                self.diag(
                    Severity::Note,
                    DiagCode::DanglingReference,
                    file,
                    &format!("{ptr}/TransitGatewayId"),
                    format!("transit gateway {} is not in the snapshot (shared from another account, or its output is missing)", x.id),
                );
            }
            RouteTarget::TransitGateway(x)
        } else if let Some(x) = &r.vpc_peering_connection_id {
            let x = self.find_checked(
                scope,
                Kind::VpcPeeringConnection,
                x,
                file,
                &format!("{ptr}/VpcPeeringConnectionId"),
                "VPC peering connection",
            );
            RouteTarget::VpcPeeringConnection(x)
        } else if let Some(x) = &r.egress_only_internet_gateway_id {
            let x = self.find_checked(
                scope,
                Kind::EgressOnlyInternetGateway,
                x,
                file,
                &format!("{ptr}/EgressOnlyInternetGatewayId"),
                "egress-only internet gateway",
            );
            RouteTarget::EgressOnlyInternetGateway(x)
        } else if let Some(x) = &r.network_interface_id {
            let x = self.find_checked(
                scope,
                Kind::NetworkInterface,
                x,
                file,
                &format!("{ptr}/NetworkInterfaceId"),
                "network interface",
            );
            RouteTarget::NetworkInterface(x)
        } else if let Some(x) = &r.instance_id {
            let x = self.find(scope, Kind::Instance, x);
            self.check(
                &x,
                scope,
                r.instance_owner_id.as_deref(),
                file,
                &format!("{ptr}/InstanceId"),
                "instance",
            );
            RouteTarget::Instance(x)
        } else if let Some(x) = &r.local_gateway_id {
            RouteTarget::LocalGateway(x.clone())
        } else if let Some(x) = &r.carrier_gateway_id {
            RouteTarget::CarrierGateway(x.clone())
        } else if let Some(x) = &r.core_network_arn {
            RouteTarget::CoreNetwork(x.clone())
        } else {
            self.diag(
                Severity::Warning,
                DiagCode::MissingField,
                file,
                ptr,
                "route without a target field: where it sends traffic is unknown (flows that use it carry SNAPSHOT_INCOMPLETE)".into(),
            );
            RouteTarget::Unknown(String::new())
        };
        Some(self.finish_route(destination, target, r, file, ptr))
    }

    /// The route once its destination and target are read: prefix-list check, origin, state.
    fn finish_route(
        &mut self,
        destination: RouteDestination,
        target: RouteTarget,
        r: &aws::Route,
        file: u32,
        ptr: &str,
    ) -> Route {
        if let RouteDestination::PrefixList(p) = &destination {
            if p.idx.is_none() {
                self.diag(
                    Severity::Warning,
                    DiagCode::DanglingReference,
                    file,
                    &format!("{ptr}/DestinationPrefixListId"),
                    format!("prefix list {} is not in the snapshot: the route matches nothing (UNRESOLVED_PREFIX_LIST)", p.id),
                );
            }
        }
        let state = r.state.clone().unwrap_or_else(|| "active".into());
        Route {
            destination,
            target,
            origin: match r.origin.as_deref() {
                Some("CreateRouteTable") => RouteOrigin::CreateRouteTable,
                Some("CreateRoute") => RouteOrigin::CreateRoute,
                Some("EnableVgwRoutePropagation") => RouteOrigin::EnableVgwRoutePropagation,
                _ => RouteOrigin::Unknown,
            },
            active: state.eq_ignore_ascii_case("active"),
            state,
            synthesized: false,
        }
    }

    /// R3: every table has a local route per VPC CIDR.
    pub(super) fn link_local_routes(&mut self) {
        let t = &mut self.t;
        for rt in t.route_tables.iter_mut() {
            let Some(v) = rt.vpc.idx else { continue };
            for cidr in t.vpcs[v.i()].cidrs().collect::<Vec<IpNet>>() {
                let present = rt.routes.iter().any(|r| {
                    r.target == RouteTarget::Local && r.destination == RouteDestination::Cidr(cidr)
                });
                if !present {
                    rt.routes.push(Route {
                        destination: RouteDestination::Cidr(cidr),
                        target: RouteTarget::Local,
                        origin: RouteOrigin::CreateRouteTable,
                        active: true,
                        state: "active".into(),
                        synthesized: true,
                    });
                }
            }
        }
    }
}
