//! Internet gateways, egress-only internet gateways and NAT gateways.

use super::builder::{is_live, name_of, Builder};
use crate::model::*;
use crate::snapshot::{aws, RawData};

impl Builder {
    /// The internet and egress-only internet gateways of one scope.
    pub(super) fn construct_internet_gateways(&mut self, scope: ScopeIdx, d: &RawData) {
        for g in &d.internet_gateways {
            let igw = self.gateway(
                scope,
                &g.item.internet_gateway_id,
                &g.item.tags,
                &g.item.attachments,
                g.file,
                &g.pointer,
            );
            self.t.internet_gateways.push(igw);
        }
        for g in &d.egress_only_internet_gateways {
            let igw = self.gateway(
                scope,
                &g.item.egress_only_internet_gateway_id,
                &g.item.tags,
                &g.item.attachments,
                g.file,
                &g.pointer,
            );
            self.t.egress_only_internet_gateways.push(igw);
        }
    }

    /// The NAT gateways of one scope.
    pub(super) fn construct_nat_gateways(&mut self, scope: ScopeIdx, d: &RawData) {
        for n in &d.nat_gateways {
            let it = &n.item;
            let active = is_live(&it.state);
            let vpc = it.vpc_id.as_ref().map(|v| self.find(scope, Kind::Vpc, v));
            let subnet = it
                .subnet_id
                .as_ref()
                .map(|s| self.find(scope, Kind::Subnet, s));
            if active {
                if let Some(s) = &subnet {
                    self.check(
                        s,
                        scope,
                        None,
                        n.file,
                        &format!("{}/SubnetId", n.pointer),
                        "subnet",
                    );
                }
            }
            let addresses = it
                .nat_gateway_addresses
                .iter()
                .map(|a| NatAddress {
                    network_interface: a
                        .network_interface_id
                        .as_ref()
                        .map(|e| self.find(scope, Kind::NetworkInterface, e)),
                    private_ip: a.private_ip.map(|x| x.0),
                    public_ip: a.public_ip.map(|x| x.0),
                })
                .collect();
            self.t.nat_gateways.push(NatGateway {
                id: it.nat_gateway_id.clone(),
                scope,
                name: name_of(&it.tags),
                vpc,
                subnet,
                state: it.state.clone(),
                active,
                connectivity: if it
                    .connectivity_type
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case("private"))
                {
                    Connectivity::Private
                } else {
                    Connectivity::Public
                },
                addresses,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn gateway(
        &mut self,
        scope: ScopeIdx,
        id: &str,
        tags: &[aws::Tag],
        atts: &[aws::GatewayAttachment],
        file: u32,
        ptr: &str,
    ) -> InternetGateway {
        let mut attachments = Vec::new();
        for (i, a) in atts.iter().enumerate() {
            let v: Ref<VpcIdx> = self.find_checked(
                scope,
                Kind::Vpc,
                &a.vpc_id,
                file,
                &format!("{ptr}/Attachments/{i}/VpcId"),
                "VPC",
            );
            attachments.push((v, a.state.clone()));
        }
        let active = attachments
            .iter()
            .any(|(_, s)| InternetGateway::attachment_live(s));
        InternetGateway {
            id: id.to_string(),
            scope,
            name: name_of(tags),
            attachments,
            active,
        }
    }
}
