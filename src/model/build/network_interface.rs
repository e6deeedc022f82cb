//! Network interfaces: those `describe-network-interfaces` lists plus those only nested in
//! `describe-instances`, their addresses, groups and owners; and, once all exist, the security
//! group members and instance ENIs they imply.

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, Located, RawData};
use std::collections::HashSet;

/// An ENI nested in `describe-instances`, in the shape of `describe-network-interfaces`.
pub(super) fn eni_from_instance(
    inst: &aws::Instance,
    n: &aws::InstanceNetworkInterface,
) -> aws::NetworkInterface {
    aws::NetworkInterface {
        network_interface_id: n.network_interface_id.clone(),
        subnet_id: n.subnet_id.clone().or(inst.subnet_id.clone()),
        vpc_id: n.vpc_id.clone().or(inst.vpc_id.clone()),
        availability_zone: inst
            .placement
            .as_ref()
            .and_then(|p| p.availability_zone.clone()),
        description: n.description.clone(),
        groups: n.groups.clone(),
        interface_type: n.interface_type.clone(),
        requester_id: None,
        requester_managed: Some(false),
        source_dest_check: n.source_dest_check.or(inst.source_dest_check),
        status: n.status.clone(),
        private_ip_address: n.private_ip_address,
        private_ip_addresses: n.private_ip_addresses.clone(),
        ipv6_addresses: n.ipv6_addresses.clone(),
        association: n.association.clone(),
        attachment: Some(aws::EniAttachment {
            instance_id: Some(inst.instance_id.clone()),
            ..Default::default()
        }),
        owner_id: n.owner_id.clone(),
        deny_all_igw_traffic: None,
        tag_set: Vec::new(),
    }
}

/// The ENIs of `describe-network-interfaces`, plus those only nested in `describe-instances`
/// (taken out of `d`).
pub(super) fn all_network_interfaces(d: &mut RawData) -> Vec<Located<aws::NetworkInterface>> {
    let mut enis = std::mem::take(&mut d.network_interfaces);
    let known: HashSet<String> = enis
        .iter()
        .map(|e| e.item.network_interface_id.clone())
        .collect();
    let mut added = HashSet::new();
    for r in &d.reservations {
        for (ii, inst) in r.item.instances.iter().enumerate() {
            for (ni, n) in inst.network_interfaces.iter().enumerate() {
                if n.network_interface_id.is_empty()
                    || known.contains(&n.network_interface_id)
                    || !added.insert(n.network_interface_id.clone())
                {
                    continue;
                }
                enis.push(Located {
                    item: eni_from_instance(inst, n),
                    file: r.file,
                    pointer: format!("{}/Instances/{ii}/NetworkInterfaces/{ni}", r.pointer),
                });
            }
        }
    }
    enis
}

impl Builder {
    /// The network interfaces of one scope.
    pub(super) fn construct_network_interfaces(
        &mut self,
        scope: ScopeIdx,
        enis: &[Located<aws::NetworkInterface>],
    ) {
        for e in enis {
            let eni = self.network_interface(scope, &e.item, e.file, &e.pointer);
            self.t.network_interfaces.push(eni);
        }
    }

    fn network_interface(
        &mut self,
        scope: ScopeIdx,
        it: &aws::NetworkInterface,
        file: u32,
        ptr: &str,
    ) -> NetworkInterface {
        let subnet: Ref<SubnetIdx> = match &it.subnet_id {
            Some(s) => self.find_checked(
                scope,
                Kind::Subnet,
                s,
                file,
                &format!("{ptr}/SubnetId"),
                "subnet",
            ),
            None => {
                self.diag(
                    Severity::Warning,
                    DiagCode::MissingField,
                    file,
                    ptr,
                    format!(
                        "network interface {} has no SubnetId",
                        it.network_interface_id
                    ),
                );
                self.find(scope, Kind::Subnet, "")
            }
        };
        let vpc_id = it
            .vpc_id
            .clone()
            .or_else(|| subnet.idx.map(|s| self.t_subnet_vpc_id(s)))
            .unwrap_or_default();
        let vpc = self.find(scope, Kind::Vpc, &vpc_id);
        let mut groups = Vec::new();
        for (gi, g) in it.groups.iter().enumerate() {
            let r: Ref<SecurityGroupIdx> = self.find_checked(
                scope,
                Kind::SecurityGroup,
                &g.group_id,
                file,
                &format!("{ptr}/Groups/{gi}/GroupId"),
                "security group",
            );
            groups.push(r);
        }
        let mut private_ips: Vec<PrivateIp> = it
            .private_ip_addresses
            .iter()
            .filter_map(|p| {
                p.private_ip_address.map(|a| PrivateIp {
                    address: a.0,
                    primary: p.primary,
                    public_ip: p
                        .association
                        .as_ref()
                        .and_then(|x| x.public_ip)
                        .map(|x| x.0),
                })
            })
            .collect();
        if private_ips.is_empty() {
            if let Some(a) = it.private_ip_address {
                private_ips.push(PrivateIp {
                    address: a.0,
                    primary: true,
                    public_ip: it
                        .association
                        .as_ref()
                        .and_then(|x| x.public_ip)
                        .map(|x| x.0),
                });
            }
        }
        if let Some(primary) = private_ips.iter_mut().find(|p| p.primary) {
            if primary.public_ip.is_none() {
                primary.public_ip = it
                    .association
                    .as_ref()
                    .and_then(|x| x.public_ip)
                    .map(|x| x.0);
            }
        }
        let description = it.description.clone();
        let interface_type = it
            .interface_type
            .clone()
            .unwrap_or_else(|| "interface".into());
        let instance = it
            .attachment
            .as_ref()
            .and_then(|a| a.instance_id.as_ref())
            .map(|i| {
                let r: Ref<InstanceIdx> = self.find(scope, Kind::Instance, i);
                r
            });
        let owned_by = eni_owner(
            &interface_type,
            description.as_deref(),
            instance.as_ref().map(|r| r.id.as_str()),
        );
        NetworkInterface {
            id: it.network_interface_id.clone(),
            scope,
            subnet,
            vpc,
            availability_zone: it.availability_zone.clone(),
            description,
            interface_type,
            requester_id: it.requester_id.clone(),
            requester_managed: it.requester_managed.unwrap_or(false),
            groups,
            private_ips,
            ipv6_addresses: it
                .ipv6_addresses
                .iter()
                .filter_map(|a| a.ipv6_address.map(|x| x.0))
                .collect(),
            source_dest_check: it.source_dest_check.unwrap_or(true),
            deny_all_igw_traffic: it.deny_all_igw_traffic.unwrap_or(false),
            instance,
            status: it.status.clone(),
            owner: it.owner_id.clone(),
            name: name_of(&it.tag_set),
            owned_by,
        }
    }

    /// The VPC id of an already constructed subnet (for ENIs without `VpcId`).
    fn t_subnet_vpc_id(&self, s: SubnetIdx) -> String {
        match self.t.subnets.get(s.i()) {
            Some(x) => x.vpc.id.clone(),
            None => self.subnet_vpc_ids.get(s.i()).cloned().unwrap_or_default(),
        }
    }

    /// Security-group members and instance ENIs; owners named by NAT gateways and endpoints.
    pub(super) fn link_enis(&mut self) {
        let t = &mut self.t;
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            for g in &e.groups {
                if let Some(gi) = g.idx {
                    t.security_groups[gi.i()].members.push(EniIdx(ei as u32));
                }
            }
            if let Some(Some(ii)) = e.instance.as_ref().map(|r| r.idx) {
                let inst = &mut t.instances[ii.i()];
                if !inst.network_interfaces.contains(&EniIdx(ei as u32)) {
                    inst.network_interfaces.push(EniIdx(ei as u32));
                }
            }
        }
        // Owners named by the owning objects override guesses from descriptions.
        for n in &t.nat_gateways {
            for a in &n.addresses {
                if let Some(Some(e)) = a.network_interface.as_ref().map(|r| r.idx) {
                    t.network_interfaces[e.i()].owned_by = EniOwner::NatGateway(n.id.clone());
                }
            }
        }
        for ep in &t.vpc_endpoints {
            for r in &ep.network_interfaces {
                if let Some(e) = r.idx {
                    t.network_interfaces[e.i()].owned_by = EniOwner::VpcEndpoint(ep.id.clone());
                }
            }
        }
    }
}

/// What owns an ENI, from its type, description and attachment.
fn eni_owner(interface_type: &str, description: Option<&str>, instance: Option<&str>) -> EniOwner {
    let desc = description.unwrap_or("");
    let last_word = desc.split_whitespace().last().unwrap_or("").to_string();
    if let Some(i) = instance {
        return EniOwner::Instance(i.to_string());
    }
    if interface_type == "nat_gateway" || desc.starts_with("Interface for NAT Gateway") {
        return EniOwner::NatGateway(last_word);
    }
    if interface_type == "vpc_endpoint" || desc.starts_with("VPC Endpoint Interface") {
        return EniOwner::VpcEndpoint(last_word);
    }
    if interface_type == "transit_gateway"
        || desc.starts_with("Network Interface for Transit Gateway Attachment")
    {
        return EniOwner::TransitGatewayAttachment(last_word);
    }
    // Elastic Load Balancing names a load balancer's interfaces `ELB net/NAME/ID` (NLB),
    // `ELB app/NAME/ID` (ALB): the ARN's suffix after `loadbalancer/`.
    if let Some(rest) = desc.strip_prefix("ELB ") {
        return EniOwner::LoadBalancer(rest.trim().to_string());
    }
    if let Some(rest) = desc.strip_prefix("ElastiCache Serverless ") {
        return EniOwner::ServerlessCache(rest.trim().to_string());
    }
    if let Some(rest) = desc.strip_prefix("ElastiCache ") {
        return EniOwner::CacheNode(rest.trim().to_string());
    }
    EniOwner::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eni_owners() {
        assert_eq!(
            eni_owner("interface", Some("ElastiCache demo-001"), None),
            EniOwner::CacheNode("demo-001".into())
        );
        assert_eq!(
            eni_owner("nat_gateway", Some("Interface for NAT Gateway nat-1"), None),
            EniOwner::NatGateway("nat-1".into())
        );
        assert_eq!(
            eni_owner(
                "network_load_balancer",
                Some("ELB net/provider-nlb/50dc6c495c0c9188"),
                None
            ),
            EniOwner::LoadBalancer("net/provider-nlb/50dc6c495c0c9188".into())
        );
        assert_eq!(
            eni_owner("interface", None, Some("i-1")),
            EniOwner::Instance("i-1".into())
        );
    }
}
