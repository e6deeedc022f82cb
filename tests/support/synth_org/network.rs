//! The network of one synthetic VPC: the VPC and its attributes, subnets, internet and NAT
//! gateways, the transit-gateway attachment, route tables and NACLs. Security groups, caches and
//! instances follow in `workloads.rs`.

use super::*;

/// What the workloads of a VPC need from its network.
pub(super) struct VpcNet {
    pub(super) vpc_id: String,
    pub(super) vpc_cidr: aws::Cidr4,
    pub(super) subnets: Vec<SubnetSlot>,
    /// Indices into `subnets`: public subnets first, then private ones.
    pub(super) public_idx: Vec<usize>,
    pub(super) private_idx: Vec<usize>,
    /// Availability zones in use.
    pub(super) azs: usize,
}

impl Gen<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn vpc(
        &mut self,
        v: usize,
        account: &str,
        region: &str,
        pl_id: &str,
        tgw: Option<&(String, String)>,
        d: &mut ScopeData,
    ) -> io::Result<()> {
        let plan = self.plan;
        let vp = &plan.vpcs[v];
        let vpc_id = vp.id.clone();
        let vpc_cidr = cidr4(vp.base, 20)?;
        self.summary.vpcs += 1;
        self.summary.overlapping_vpcs += usize::from(vp.overlaps);
        d.vpcs.push(aws::Vpc {
            vpc_id: vpc_id.clone(),
            owner_id: Some(account.into()),
            cidr_block: Some(vpc_cidr),
            cidr_block_association_set: vec![aws::VpcCidrAssociation {
                association_id: Some(self.ids.id("vpc-cidr-assoc")),
                cidr_block: Some(vpc_cidr),
                cidr_block_state: Some(aws::StateOnly {
                    state: "associated".into(),
                }),
            }],
            ipv6_cidr_block_association_set: Vec::new(),
            is_default: false,
            state: Some("available".into()),
            tags: tags(&vp.name),
        });
        d.vpc_attributes.push(aws::VpcAttribute {
            vpc_id: vpc_id.clone(),
            enable_dns_support: Some(aws::AttributeBool { value: true }),
            enable_dns_hostnames: Some(aws::AttributeBool { value: true }),
        });

        // Subnets.
        let (n_subnets, n_public) = subnet_layout(self.spec, vp.azs);
        let azs = vp.azs.min(n_subnets);
        let mut subnets: Vec<SubnetSlot> = Vec::with_capacity(n_subnets);
        for i in 0..n_subnets {
            let public = i < n_public;
            let az = format!("{region}{}", (b'a' + (i % azs) as u8) as char);
            let id = self.ids.id("subnet");
            let base = vp.base + ((i as u32) << 8);
            d.subnets.push(aws::Subnet {
                subnet_id: id.clone(),
                vpc_id: vpc_id.clone(),
                cidr_block: Some(cidr4(base, 24)?),
                availability_zone: Some(az.clone()),
                owner_id: Some(account.into()),
                subnet_arn: Some(format!("arn:aws:ec2:{region}:{account}:subnet/{id}")),
                state: Some("available".into()),
                map_public_ip_on_launch: public,
                tags: tags(&format!(
                    "{}-{}-{}",
                    vp.name,
                    if public { "public" } else { "private" },
                    i
                )),
                ..Default::default()
            });
            subnets.push(SubnetSlot {
                id,
                az,
                base,
                next_host: FIRST_HOST,
                public,
            });
        }
        self.summary.subnets += n_subnets;
        let public_idx: Vec<usize> = (0..n_public).collect();
        let private_idx: Vec<usize> = (n_public..n_subnets).collect();

        // Internet and NAT gateways.
        let igw_id = self.ids.id("igw");
        d.internet_gateways.push(aws::InternetGateway {
            internet_gateway_id: igw_id.clone(),
            owner_id: Some(account.into()),
            attachments: vec![aws::GatewayAttachment {
                state: "available".into(),
                vpc_id: vpc_id.clone(),
            }],
            tags: tags(&format!("{}-igw", vp.name)),
        });
        self.summary.internet_gateways += 1;
        let nat_id = self.ids.id("nat");
        let nat_eni = self.ids.id("eni");
        let eip = self.ids.id("eipalloc");
        let nat_public = self.next_public_ip();
        let nat_private = subnets[0]
            .take()
            .ok_or_else(|| invalid("public subnet full".into()))?;
        d.nat_gateways.push(aws::NatGateway {
            nat_gateway_id: nat_id.clone(),
            vpc_id: Some(vpc_id.clone()),
            subnet_id: Some(subnets[0].id.clone()),
            state: "available".into(),
            connectivity_type: Some("public".into()),
            nat_gateway_addresses: vec![aws::NatGatewayAddress {
                allocation_id: Some(eip.clone()),
                network_interface_id: Some(nat_eni.clone()),
                private_ip: Some(aws::Ip4(nat_private)),
                public_ip: Some(nat_public),
            }],
            create_time: Some(timestamp(&mut self.rng)),
            tags: tags(&format!("{}-nat", vp.name)),
        });
        d.addresses.push(aws::Address {
            public_ip: Some(nat_public),
            allocation_id: Some(eip.clone()),
            association_id: Some(self.ids.id("eipassoc")),
            domain: Some("vpc".into()),
            network_interface_id: Some(nat_eni.clone()),
            private_ip_address: Some(aws::Ip4(nat_private)),
            tags: tags(&format!("{}-nat-eip", vp.name)),
            ..Default::default()
        });
        let assoc = aws::IpAssociation {
            public_ip: Some(nat_public),
            ip_owner_id: Some(account.into()),
            allocation_id: Some(eip),
        };
        d.network_interfaces.push(managed_eni(
            &nat_eni,
            &subnets[0],
            &vpc_id,
            account,
            nat_private,
            &format!("Interface for NAT Gateway {nat_id}"),
            "nat_gateway",
            NAT_REQUESTER,
            Vec::new(),
            Some(assoc),
        ));
        self.summary.nat_gateways += 1;
        self.summary.enis += 1;

        // Transit gateway attachment: one ENI in the first private subnet of each AZ.
        let mut attachment: Option<String> = None;
        if let (true, Some((tgw_id, rtb_id))) = (vp.attached, tgw) {
            let att = self.ids.id("tgw-attach");
            let created = timestamp(&mut self.rng);
            let mut att_subnets = Vec::new();
            for si in tgw_subnets(n_subnets, n_public, azs) {
                att_subnets.push(subnets[si].id.clone());
                let ip = subnets[si]
                    .take()
                    .ok_or_else(|| invalid("private subnet full".into()))?;
                let eni = self.ids.id("eni");
                d.network_interfaces.push(managed_eni(
                    &eni,
                    &subnets[si],
                    &vpc_id,
                    account,
                    ip,
                    &format!("Network Interface for Transit Gateway Attachment {att}"),
                    "transit_gateway",
                    TGW_REQUESTER,
                    Vec::new(),
                    None,
                ));
                self.summary.enis += 1;
            }
            d.tgw_attachments.push(aws::TransitGatewayAttachment {
                transit_gateway_attachment_id: att.clone(),
                transit_gateway_id: tgw_id.clone(),
                transit_gateway_owner_id: Some(account.into()),
                resource_owner_id: Some(account.into()),
                resource_type: Some("vpc".into()),
                resource_id: Some(vpc_id.clone()),
                state: "available".into(),
                association: Some(aws::TgwAttachmentAssociation {
                    transit_gateway_route_table_id: rtb_id.clone(),
                    state: "associated".into(),
                }),
                creation_time: Some(created.clone()),
                tags: tags(&format!("{}-tgw", vp.name)),
            });
            d.tgw_vpc_attachments
                .push(aws::TransitGatewayVpcAttachment {
                    transit_gateway_attachment_id: att.clone(),
                    transit_gateway_id: tgw_id.clone(),
                    vpc_id: vpc_id.clone(),
                    vpc_owner_id: Some(account.into()),
                    state: "available".into(),
                    subnet_ids: att_subnets,
                    creation_time: Some(created),
                    options: Some(aws::TgwVpcAttachmentOptions {
                        dns_support: Some("enable".into()),
                        ipv6_support: Some("disable".into()),
                        appliance_mode_support: Some("disable".into()),
                        security_group_referencing_support: Some("enable".into()),
                    }),
                    tags: tags(&format!("{}-tgw", vp.name)),
                });
            let binding = |state: &str| aws::TgwRouteTableBinding {
                transit_gateway_attachment_id: att.clone(),
                resource_id: Some(vpc_id.clone()),
                resource_type: Some("vpc".into()),
                state: state.into(),
            };
            if let Some(w) = d.tgw_associations.last_mut() {
                w.associations.push(binding("associated"));
            }
            if let Some(w) = d.tgw_propagations.last_mut() {
                w.transit_gateway_route_table_propagations
                    .push(binding("enabled"));
            }
            self.summary.tgw_attachments += 1;
            attachment = Some(att);
        }

        // Route tables: main (local only), public, private.
        let local = |c: aws::Cidr4| aws::Route {
            destination_cidr_block: Some(c),
            gateway_id: Some("local".into()),
            origin: Some("CreateRouteTable".into()),
            state: Some("active".into()),
            ..Default::default()
        };
        let created = |r: aws::Route| aws::Route {
            origin: Some("CreateRoute".into()),
            state: Some("active".into()),
            ..r
        };
        let assoc = |ids: &mut Ids, rtb: &str, subnet: Option<&str>| aws::RouteTableAssociation {
            main: subnet.is_none(),
            route_table_association_id: Some(ids.id("rtbassoc")),
            route_table_id: Some(rtb.into()),
            subnet_id: subnet.map(str::to_string),
            association_state: Some(aws::StateOnly {
                state: "associated".into(),
            }),
            ..Default::default()
        };
        let main_id = self.ids.id("rtb");
        let main_assoc = assoc(self.ids, &main_id, None);
        d.route_tables.push(aws::RouteTable {
            route_table_id: main_id,
            vpc_id: vpc_id.clone(),
            owner_id: Some(account.into()),
            associations: vec![main_assoc],
            routes: vec![local(vpc_cidr)],
            ..Default::default()
        });
        let pub_id = self.ids.id("rtb");
        let pub_assocs = public_idx
            .iter()
            .map(|&i| assoc(self.ids, &pub_id, Some(&subnets[i].id)))
            .collect();
        d.route_tables.push(aws::RouteTable {
            route_table_id: pub_id,
            vpc_id: vpc_id.clone(),
            owner_id: Some(account.into()),
            associations: pub_assocs,
            routes: vec![
                local(vpc_cidr),
                created(aws::Route {
                    destination_cidr_block: Some(parse4("0.0.0.0/0")?),
                    gateway_id: Some(igw_id.clone()),
                    ..Default::default()
                }),
            ],
            tags: tags(&format!("{}-public", vp.name)),
            ..Default::default()
        });
        let mut private_routes = vec![
            local(vpc_cidr),
            created(aws::Route {
                destination_cidr_block: Some(parse4("0.0.0.0/0")?),
                nat_gateway_id: Some(nat_id.clone()),
                ..Default::default()
            }),
        ];
        if let (Some(_), Some((tgw_id, _))) = (&attachment, tgw) {
            private_routes.push(created(aws::Route {
                destination_cidr_block: Some(parse4("10.0.0.0/8")?),
                transit_gateway_id: Some(tgw_id.clone()),
                ..Default::default()
            }));
        }
        for &p in &vp.peerings {
            let pp = &plan.peerings[p];
            let other = if pp.a == v { pp.b } else { pp.a };
            if let Some(pcx) = self.peering_ids.get(&p) {
                private_routes.push(created(aws::Route {
                    destination_cidr_block: Some(cidr4(plan.vpcs[other].base, 20)?),
                    vpc_peering_connection_id: Some(pcx.clone()),
                    ..Default::default()
                }));
            }
        }
        let priv_id = self.ids.id("rtb");
        let priv_assocs = private_idx
            .iter()
            .map(|&i| assoc(self.ids, &priv_id, Some(&subnets[i].id)))
            .collect();
        d.route_tables.push(aws::RouteTable {
            route_table_id: priv_id,
            vpc_id: vpc_id.clone(),
            owner_id: Some(account.into()),
            associations: priv_assocs,
            routes: private_routes,
            tags: tags(&format!("{}-private", vp.name)),
            ..Default::default()
        });
        self.summary.route_tables += 3;

        // NACLs: default allow-all; a custom one for public subnets in about 30% of VPCs.
        let custom = v != 0 && self.rng.chance(0.3);
        let default_subnets: Vec<usize> = if custom {
            private_idx.clone()
        } else {
            (0..n_subnets).collect()
        };
        let acl_assoc = |ids: &mut Ids, acl: &str, i: usize| aws::NetworkAclAssociation {
            network_acl_association_id: Some(ids.id("aclassoc")),
            network_acl_id: Some(acl.into()),
            subnet_id: subnets[i].id.clone(),
        };
        let default_acl = self.ids.id("acl");
        let associations = default_subnets
            .iter()
            .map(|&i| acl_assoc(self.ids, &default_acl, i))
            .collect();
        d.network_acls.push(aws::NetworkAcl {
            network_acl_id: default_acl,
            vpc_id: vpc_id.clone(),
            is_default: true,
            owner_id: Some(account.into()),
            associations,
            entries: vec![
                acl_entry(100, true, "allow", "0.0.0.0/0", "-1", None)?,
                acl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None)?,
                acl_entry(100, false, "allow", "0.0.0.0/0", "-1", None)?,
                acl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None)?,
            ],
            tags: Vec::new(),
        });
        self.summary.network_acls += 1;
        if custom {
            let acl = self.ids.id("acl");
            let associations = public_idx
                .iter()
                .map(|&i| acl_assoc(self.ids, &acl, i))
                .collect();
            // Listed unsorted on purpose: the loader orders by rule number.
            let entries = vec![
                acl_entry(120, false, "allow", "0.0.0.0/0", "6", Some((1024, 65535)))?,
                acl_entry(100, false, "allow", "0.0.0.0/0", "6", Some((443, 443)))?,
                acl_entry(90, false, "deny", "0.0.0.0/0", "6", Some((3389, 3389)))?,
                acl_entry(110, false, "allow", OFFICE, "6", Some((22, 22)))?,
                acl_entry(130, false, "allow", "10.0.0.0/8", "-1", None)?,
                acl_entry(32767, false, "deny", "0.0.0.0/0", "-1", None)?,
                acl_entry(100, true, "allow", "10.0.0.0/8", "-1", None)?,
                acl_entry(110, true, "allow", "0.0.0.0/0", "6", Some((443, 443)))?,
                acl_entry(115, true, "allow", "0.0.0.0/0", "6", Some((80, 80)))?,
                acl_entry(120, true, "allow", "0.0.0.0/0", "6", Some((1024, 65535)))?,
                acl_entry(32767, true, "deny", "0.0.0.0/0", "-1", None)?,
            ];
            d.network_acls.push(aws::NetworkAcl {
                network_acl_id: acl,
                vpc_id: vpc_id.clone(),
                is_default: false,
                owner_id: Some(account.into()),
                associations,
                entries,
                tags: tags(&format!("{}-public", vp.name)),
            });
            self.summary.network_acls += 1;
        }

        let net = VpcNet {
            vpc_id,
            vpc_cidr,
            subnets,
            public_idx,
            private_idx,
            azs,
        };
        self.workloads(v, account, region, pl_id, net, d)
    }
}

pub(super) fn acl_entry(
    num: u16,
    egress: bool,
    action: &str,
    cidr: &str,
    proto: &str,
    ports: Option<(i32, i32)>,
) -> io::Result<aws::NetworkAclEntry> {
    Ok(aws::NetworkAclEntry {
        rule_number: aws::RuleNumber(num),
        protocol: proto.into(),
        rule_action: action.into(),
        egress,
        cidr_block: Some(parse4(cidr)?),
        ipv6_cidr_block: None,
        port_range: ports.map(|(from, to)| aws::PortRange {
            from: aws::AwsPort(from),
            to: aws::AwsPort(to),
        }),
        icmp_type_code: None,
    })
}
