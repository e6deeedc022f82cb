//! The workloads of one synthetic VPC: security groups (the default group, the probes of the
//! first VPC, cache groups, application roles), ElastiCache replication groups with their node
//! ENIs, and instances with one ENI each.

use super::*;

pub(super) fn any_perm(cidr: &str) -> io::Result<aws::IpPermission> {
    Ok(aws::IpPermission {
        ip_protocol: "-1".into(),
        ip_ranges: vec![aws::IpRange {
            cidr_ip: parse4(cidr)?,
            description: None,
        }],
        ..Default::default()
    })
}

pub(super) fn tcp_cidr(port: i32, cidr: aws::Cidr4, desc: Option<&str>) -> aws::IpPermission {
    aws::IpPermission {
        ip_protocol: "tcp".into(),
        from_port: Some(aws::AwsPort(port)),
        to_port: Some(aws::AwsPort(port)),
        ip_ranges: vec![aws::IpRange {
            cidr_ip: cidr,
            description: desc.map(str::to_string),
        }],
        ..Default::default()
    }
}

pub(super) fn tcp_group(
    port: i32,
    group: &str,
    account: &str,
    desc: Option<&str>,
) -> aws::IpPermission {
    aws::IpPermission {
        ip_protocol: "tcp".into(),
        from_port: Some(aws::AwsPort(port)),
        to_port: Some(aws::AwsPort(port)),
        user_id_group_pairs: vec![aws::UserIdGroupPair {
            group_id: Some(group.to_string()),
            user_id: Some(account.to_string()),
            description: desc.map(str::to_string),
            ..Default::default()
        }],
        ..Default::default()
    }
}

impl Gen<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn workloads(
        &mut self,
        v: usize,
        account: &str,
        region: &str,
        pl_id: &str,
        net: VpcNet,
        d: &mut ScopeData,
    ) -> io::Result<()> {
        let plan = self.plan;
        let vp = &plan.vpcs[v];
        let VpcNet {
            vpc_id,
            vpc_cidr,
            mut subnets,
            public_idx,
            private_idx,
            azs,
        } = net;
        let n_subnets = subnets.len();

        // Security groups: default, probes (first VPC), cache groups, application roles.
        let sg_ids: Vec<String> = (0..vp.sgs).map(|_| self.ids.id("sg")).collect();
        let probe = v == 0;
        let first_cache_sg = 1 + if probe { PROBE_SGS } else { 0 };
        let n_cache_sgs = vp.caches.len().min(vp.sgs.saturating_sub(first_cache_sg));
        let first_role = first_cache_sg + n_cache_sgs;
        let roles: Vec<usize> = (first_role..vp.sgs).collect();
        // The group cache groups admit: the probe client, else the first role, else default.
        let cache_source = if probe {
            1
        } else {
            roles.first().copied().unwrap_or(0)
        };
        let egress_all = vec![any_perm("0.0.0.0/0")?];
        let mut groups: Vec<aws::SecurityGroup> = Vec::with_capacity(vp.sgs);
        for (g, gid) in sg_ids.iter().enumerate() {
            let (name, ingress, egress): (String, Vec<aws::IpPermission>, _) = if g == 0 {
                (
                    "default".into(),
                    vec![aws::IpPermission {
                        ip_protocol: "-1".into(),
                        user_id_group_pairs: vec![aws::UserIdGroupPair {
                            group_id: Some(gid.clone()),
                            user_id: Some(account.into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }],
                    egress_all.clone(),
                )
            } else if probe && g == 1 {
                ("probe-client".into(), Vec::new(), egress_all.clone())
            } else if probe && g == 2 {
                (
                    "probe-open".into(),
                    vec![tcp_group(22, &sg_ids[1], account, Some("probe client"))],
                    egress_all.clone(),
                )
            } else if probe && g == 3 {
                (
                    "probe-closed".into(),
                    vec![tcp_cidr(22, parse4(OFFICE)?, Some("office only"))],
                    egress_all.clone(),
                )
            } else if probe && g == 4 {
                (
                    "probe-web".into(),
                    vec![tcp_cidr(443, parse4("0.0.0.0/0")?, Some("public web"))],
                    egress_all.clone(),
                )
            } else if g < first_role {
                let c = vp.caches[g - first_cache_sg];
                (
                    format!("cache-{c:04}-redis"),
                    vec![tcp_group(6379, &sg_ids[cache_source], account, Some("app"))],
                    egress_all.clone(),
                )
            } else {
                let mut ingress = Vec::with_capacity(self.spec.rules_per_sg);
                for _ in 0..self.spec.rules_per_sg {
                    let port = *self.rng.pick(APP_PORTS).unwrap_or(&443);
                    let perm = match self.rng.below(10) {
                        0..=2 => tcp_cidr(port, vpc_cidr, Some("vpc")),
                        3 => tcp_cidr(443, parse4("10.0.0.0/8")?, Some("internal")),
                        4 => tcp_cidr(22, parse4(OFFICE)?, Some("office ssh")),
                        5 => aws::IpPermission {
                            ip_protocol: "tcp".into(),
                            from_port: Some(aws::AwsPort(443)),
                            to_port: Some(aws::AwsPort(443)),
                            prefix_list_ids: vec![aws::PrefixListIdRef {
                                prefix_list_id: pl_id.into(),
                                description: Some("corp ranges".into()),
                            }],
                            ..Default::default()
                        },
                        6..=8 => {
                            let other = &sg_ids[self.rng.below(vp.sgs)];
                            tcp_group(port, other, account, None)
                        }
                        _ => tcp_cidr(443, parse4("0.0.0.0/0")?, Some("public")),
                    };
                    ingress.push(perm);
                }
                let egress = if self.rng.chance(0.1) {
                    vec![
                        tcp_cidr(443, parse4("0.0.0.0/0")?, None),
                        any_perm("10.0.0.0/8")?,
                    ]
                } else {
                    egress_all.clone()
                };
                (format!("{}-role-{g:02}", vp.name), ingress, egress)
            };
            self.summary.security_group_rules += ingress.len() + egress.len();
            groups.push(aws::SecurityGroup {
                group_id: gid.clone(),
                group_name: name.clone(),
                description: Some(if g == 0 {
                    "default VPC security group".into()
                } else {
                    format!("{name} managed by terraform")
                }),
                vpc_id: Some(vpc_id.clone()),
                owner_id: Some(account.into()),
                ip_permissions: ingress,
                ip_permissions_egress: egress,
                tags: if g == 0 { Vec::new() } else { tags(&name) },
            });
        }
        self.summary.security_groups += groups.len();
        let group_ident = |g: usize| aws::GroupIdentifier {
            group_id: sg_ids[g].clone(),
            group_name: Some(groups[g].group_name.clone()),
        };

        // Caches: two single-node clusters per replication group in two AZs.
        for (k, &c) in vp.caches.iter().enumerate() {
            let rg = format!("cache-{c:04}");
            let sg = if k < n_cache_sgs {
                first_cache_sg + k
            } else {
                0
            };
            let group_name = format!("{rg}-subnets");
            let cache_subnets: Vec<usize> = private_idx.iter().copied().take(azs).collect();
            d.cache_subnet_groups.push(aws::CacheSubnetGroup {
                cache_subnet_group_name: group_name.clone(),
                vpc_id: Some(vpc_id.clone()),
                subnets: cache_subnets
                    .iter()
                    .map(|&i| aws::CacheSubnet {
                        subnet_identifier: subnets[i].id.clone(),
                        subnet_availability_zone: Some(aws::CacheAz {
                            name: subnets[i].az.clone(),
                        }),
                    })
                    .collect(),
                arn: Some(format!(
                    "arn:aws:elasticache:{region}:{account}:subnetgroup:{group_name}"
                )),
            });
            let token: String = format!("{:06x}", self.rng.next() & 0xff_ffff);
            let mut members = Vec::new();
            for m in 0..2usize {
                let cluster = format!("{rg}-{:03}", m + 1);
                let si = cache_subnets[m % cache_subnets.len()];
                let ip = subnets[si]
                    .take()
                    .ok_or_else(|| invalid("cache subnet full".into()))?;
                let eni = self.ids.id("eni");
                d.network_interfaces.push(managed_eni(
                    &eni,
                    &subnets[si],
                    &vpc_id,
                    account,
                    ip,
                    &format!("ElastiCache {cluster}"),
                    "interface",
                    "amazon-elasticache",
                    vec![group_ident(sg)],
                    None,
                ));
                self.summary.enis += 1;
                d.cache_clusters.push(aws::CacheCluster {
                    cache_cluster_id: cluster.clone(),
                    arn: Some(format!(
                        "arn:aws:elasticache:{region}:{account}:cluster:{cluster}"
                    )),
                    engine: Some("redis".into()),
                    engine_version: Some("7.1.0".into()),
                    cache_cluster_status: Some("available".into()),
                    num_cache_nodes: Some(1),
                    preferred_availability_zone: Some(subnets[si].az.clone()),
                    configuration_endpoint: None,
                    cache_nodes: vec![aws::CacheNode {
                        cache_node_id: "0001".into(),
                        cache_node_status: Some("available".into()),
                        endpoint: Some(aws::CacheEndpoint {
                            address: Some(format!(
                                "{cluster}.{rg}.{token}.{region}.cache.amazonaws.com"
                            )),
                            port: Some(aws::AwsPort(6379)),
                        }),
                        customer_availability_zone: Some(subnets[si].az.clone()),
                    }],
                    cache_subnet_group_name: Some(group_name.clone()),
                    security_groups: vec![aws::CacheSecurityGroupMembership {
                        security_group_id: sg_ids[sg].clone(),
                        status: Some("active".into()),
                    }],
                    replication_group_id: Some(rg.clone()),
                    transit_encryption_enabled: Some(true),
                    transit_encryption_mode: Some("required".into()),
                    auth_token_enabled: Some(true),
                });
                self.summary.cache_clusters += 1;
                members.push(cluster);
            }
            d.replication_groups.push(aws::ReplicationGroup {
                replication_group_id: rg.clone(),
                arn: Some(format!(
                    "arn:aws:elasticache:{region}:{account}:replicationgroup:{rg}"
                )),
                status: Some("available".into()),
                engine: Some("redis".into()),
                member_clusters: members,
                node_groups: vec![aws::NodeGroup {
                    node_group_id: Some("0001".into()),
                    primary_endpoint: Some(aws::CacheEndpoint {
                        address: Some(format!("master.{rg}.{token}.{region}.cache.amazonaws.com")),
                        port: Some(aws::AwsPort(6379)),
                    }),
                    reader_endpoint: Some(aws::CacheEndpoint {
                        address: Some(format!("replica.{rg}.{token}.{region}.cache.amazonaws.com")),
                        port: Some(aws::AwsPort(6379)),
                    }),
                    node_group_members: Vec::new(),
                }],
                configuration_endpoint: None,
                cluster_enabled: Some(false),
                transit_encryption_enabled: Some(true),
                transit_encryption_mode: Some("required".into()),
                auth_token_enabled: Some(true),
                user_group_ids: Vec::new(),
            });
            self.summary.replication_groups += 1;
        }

        // Instances, one ENI each, in reservations of one to three.
        let mut reservation: Option<aws::Reservation> = None;
        for k in 0..vp.instances {
            // Probes: client, open server, closed server in the first private subnet; web in
            // the first public subnet. The first ordinary instance is the cache client.
            let (subnet_i, groups_of, running, name) = if probe && k < PROBE_INSTANCES {
                let si = if k == 3 {
                    public_idx[0]
                } else {
                    private_idx[0]
                };
                let name = ["probe-client", "probe-open", "probe-closed", "probe-web"][k];
                (si, vec![k + 1], true, name.to_string())
            } else {
                let public = self.rng.chance(0.2);
                let pool = if public { &public_idx } else { &private_idx };
                let mut si = pool[self.rng.below(pool.len())];
                if subnets[si].next_host > LAST_HOST {
                    match (0..n_subnets).find(|&i| subnets[i].next_host <= LAST_HOST) {
                        Some(i) => si = i,
                        None => return Err(invalid("VPC full".into())),
                    }
                }
                let mut gs = Vec::new();
                if k == usize::from(probe) * PROBE_INSTANCES && !vp.caches.is_empty() {
                    gs.push(cache_source);
                }
                if roles.is_empty() || self.rng.chance(0.05) {
                    if !gs.contains(&0) {
                        gs.push(0);
                    }
                } else {
                    for _ in 0..1 + self.rng.below(2) {
                        if let Some(&r) = self.rng.pick(&roles) {
                            if !gs.contains(&r) {
                                gs.push(r);
                            }
                        }
                    }
                }
                let running = !self.rng.chance(0.08);
                (si, gs, running, format!("{}-app-{k:04}", vp.name))
            };
            let slot = &mut subnets[subnet_i];
            let ip = slot
                .take()
                .ok_or_else(|| invalid(format!("subnet {} full", slot.id)))?;
            let public_ip = if slot.public && running && (name == "probe-web" || k % 10 != 9) {
                Some(self.next_public_ip())
            } else {
                None
            };
            let slot = &subnets[subnet_i];
            let instance_id = self.ids.id("i");
            let eni_id = self.ids.id("eni");
            let gids: Vec<aws::GroupIdentifier> =
                groups_of.iter().map(|&g| group_ident(g)).collect();
            let association = public_ip.map(|p| aws::IpAssociation {
                public_ip: Some(p),
                ip_owner_id: Some("amazon".into()),
                allocation_id: None,
            });
            let private_ips = vec![aws::PrivateIpAddress {
                private_ip_address: Some(aws::Ip4(ip)),
                primary: true,
                association: association.clone(),
            }];
            d.network_interfaces.push(aws::NetworkInterface {
                network_interface_id: eni_id.clone(),
                subnet_id: Some(slot.id.clone()),
                vpc_id: Some(vpc_id.clone()),
                availability_zone: Some(slot.az.clone()),
                description: Some("Primary network interface".into()),
                groups: gids.clone(),
                interface_type: Some("interface".into()),
                requester_managed: Some(false),
                source_dest_check: Some(true),
                status: Some("in-use".into()),
                private_ip_address: Some(aws::Ip4(ip)),
                private_ip_addresses: private_ips.clone(),
                association: association.clone(),
                attachment: Some(aws::EniAttachment {
                    instance_id: Some(instance_id.clone()),
                    instance_owner_id: Some(account.into()),
                    status: Some("attached".into()),
                    device_index: Some(0),
                }),
                owner_id: Some(account.into()),
                ..Default::default()
            });
            let state = if running {
                (16, "running")
            } else {
                (80, "stopped")
            };
            let instance = aws::Instance {
                instance_id: instance_id.clone(),
                state: Some(aws::InstanceState {
                    code: Some(state.0),
                    name: state.1.into(),
                }),
                subnet_id: Some(slot.id.clone()),
                vpc_id: Some(vpc_id.clone()),
                private_ip_address: Some(aws::Ip4(ip)),
                public_ip_address: public_ip,
                source_dest_check: Some(true),
                iam_instance_profile: None,
                network_interfaces: vec![aws::InstanceNetworkInterface {
                    network_interface_id: eni_id.clone(),
                    subnet_id: Some(slot.id.clone()),
                    vpc_id: Some(vpc_id.clone()),
                    description: Some("Primary network interface".into()),
                    groups: gids.clone(),
                    interface_type: Some("interface".into()),
                    source_dest_check: Some(true),
                    status: Some("in-use".into()),
                    private_ip_address: Some(aws::Ip4(ip)),
                    private_ip_addresses: private_ips,
                    ipv6_addresses: Vec::new(),
                    association,
                    owner_id: Some(account.into()),
                }],
                security_groups: gids,
                placement: Some(aws::Placement {
                    availability_zone: Some(slot.az.clone()),
                }),
                platform: None,
                platform_details: Some("Linux/UNIX".into()),
                instance_type: Some(
                    ["t3.micro", "t3.small", "m6i.large", "c6i.xlarge"][k % 4].into(),
                ),
                tags: tags(&name),
            };
            self.summary.instances += 1;
            self.summary.enis += 1;
            if probe && k < PROBE_INSTANCES {
                let field = match k {
                    0 => &mut self.summary.probe_client,
                    1 => &mut self.summary.probe_open_server,
                    2 => &mut self.summary.probe_closed_server,
                    _ => &mut self.summary.public_instance,
                };
                *field = instance_id.clone();
            } else if running {
                let s = &mut self.samples[v];
                if public_ip.is_some() && s.public.len() < 3 {
                    s.public.push(instance_id.clone());
                } else if !slot.public && s.private.len() < 3 {
                    s.private.push((instance_id.clone(), eni_id.clone()));
                }
            }
            let r = reservation.get_or_insert_with(|| aws::Reservation {
                reservation_id: Some(self.ids.id("r")),
                owner_id: Some(account.into()),
                instances: Vec::new(),
            });
            r.instances.push(instance);
            if r.instances.len() > k % 3 {
                if let Some(r) = reservation.take() {
                    d.reservations.push(r);
                }
            }
        }
        if let Some(r) = reservation.take() {
            d.reservations.push(r);
        }
        d.security_groups.extend(groups);
        Ok(())
    }
}
