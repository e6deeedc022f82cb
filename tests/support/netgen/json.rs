//! `Spec` → snapshot JSON in the AWS CLI shapes (one document per command, PascalCase keys),
//! and [`Spec::load`]: the files written to a temp dir, loaded and built by vpcreach.

use super::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vpcreach::model::Topology;

fn tags(name: &str) -> Value {
    json!([{"Key": "Name", "Value": name}])
}

fn v4s(c: &[IpNet]) -> Vec<Value> {
    c.iter()
        .filter(|n| matches!(n, IpNet::V4(_)))
        .map(|n| json!({"CidrIp": n.to_string()}))
        .collect()
}

fn v6s(c: &[IpNet]) -> Vec<Value> {
    c.iter()
        .filter(|n| matches!(n, IpNet::V6(_)))
        .map(|n| json!({"CidrIpv6": n.to_string()}))
        .collect()
}

impl Spec {
    /// Snapshot files: file name → JSON document.
    pub fn files(&self) -> BTreeMap<String, Value> {
        let mut f = BTreeMap::new();
        let vpcs: Vec<Value> = self
            .vpcs
            .iter()
            .map(|v| {
                json!({
                    "CidrBlock": v.cidr.to_string(),
                    "DhcpOptionsId": "dopt-0123456789abcdef0",
                    "State": "available",
                    "VpcId": v.id,
                    "OwnerId": ACCOUNT,
                    "InstanceTenancy": "default",
                    "CidrBlockAssociationSet": [{
                        "AssociationId": format!("{}-cidr-assoc", v.id),
                        "CidrBlock": v.cidr.to_string(),
                        "CidrBlockState": {"State": "associated"}
                    }],
                    "Ipv6CidrBlockAssociationSet": v.cidr6.iter().map(|c| json!({
                        "AssociationId": format!("{}-cidr6-assoc", v.id),
                        "Ipv6CidrBlock": c.to_string(),
                        "Ipv6CidrBlockState": {"State": "associated"},
                        "NetworkBorderGroup": REGION,
                        "Ipv6Pool": "Amazon"
                    })).collect::<Vec<_>>(),
                    "IsDefault": false,
                    "Tags": tags(&v.id)
                })
            })
            .collect();
        f.insert("describe-vpcs.json".into(), json!({ "Vpcs": vpcs }));
        let attrs: Vec<Value> = self
            .vpcs
            .iter()
            .map(|v| {
                json!({"VpcId": v.id, "EnableDnsSupport": {"Value": true}, "EnableDnsHostnames": {"Value": true}})
            })
            .collect();
        f.insert(
            "describe-vpc-attribute.json".into(),
            json!({ "VpcAttributes": attrs }),
        );
        let subnets: Vec<Value> = self
            .subnets
            .iter()
            .map(|s| {
                json!({
                    "AvailabilityZone": s.az,
                    "AvailabilityZoneId": if s.az.ends_with('a') { "use1-az1" } else { "use1-az2" },
                    "AvailableIpAddressCount": 250,
                    "CidrBlock": s.cidr.to_string(),
                    "DefaultForAz": false,
                    "MapPublicIpOnLaunch": false,
                    "State": "available",
                    "SubnetId": s.id,
                    "VpcId": self.vpcs[s.vpc].id,
                    "OwnerId": ACCOUNT,
                    "Ipv6CidrBlockAssociationSet": s.cidr6.iter().map(|c| json!({
                        "AssociationId": format!("{}-cidr6-assoc", s.id),
                        "Ipv6CidrBlock": c.to_string(),
                        "Ipv6CidrBlockState": {"State": "associated"}
                    })).collect::<Vec<_>>(),
                    "SubnetArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{}", s.id),
                    "Tags": tags(&s.id)
                })
            })
            .collect();
        f.insert(
            "describe-subnets.json".into(),
            json!({ "Subnets": subnets }),
        );

        // Security groups.
        let rule_json = |r: &SgRuleS| -> Value {
            let mut o = json!({
                "IpProtocol": r.proto,
                "IpRanges": v4s(&r.cidrs),
                "Ipv6Ranges": v6s(&r.cidrs),
                "PrefixListIds": r.pls.iter().map(|p| json!({"PrefixListId": self.pls[*p].id})).collect::<Vec<_>>(),
                "UserIdGroupPairs": r.groups.iter().map(|g| json!({"GroupId": self.sgs[*g].id, "UserId": ACCOUNT})).collect::<Vec<_>>(),
            });
            match r.proto {
                "tcp" | "udp" => {
                    let (a, b) = r.ports.unwrap_or((0, 65535));
                    o["FromPort"] = json!(a);
                    o["ToPort"] = json!(b);
                }
                "icmp" | "icmpv6" => {
                    o["FromPort"] = json!(-1);
                    o["ToPort"] = json!(-1);
                }
                _ => {}
            }
            o
        };
        let sgs: Vec<Value> = self
            .sgs
            .iter()
            .map(|g| {
                json!({
                    "Description": format!("group {}", g.name),
                    "GroupName": g.name,
                    "IpPermissions": g.ingress.iter().map(rule_json).collect::<Vec<_>>(),
                    "OwnerId": ACCOUNT,
                    "GroupId": g.id,
                    "IpPermissionsEgress": g.egress.iter().map(rule_json).collect::<Vec<_>>(),
                    "VpcId": self.vpcs[g.vpc].id,
                    "Tags": []
                })
            })
            .collect();
        f.insert(
            "describe-security-groups.json".into(),
            json!({ "SecurityGroups": sgs }),
        );

        // NACLs.
        let nacls: Vec<Value> = self
            .nacls
            .iter()
            .map(|n| {
                let entries: Vec<Value> = n
                    .entries
                    .iter()
                    .map(|e| {
                        let mut o = json!({
                            "Egress": e.egress,
                            "Protocol": e.proto,
                            "RuleAction": if e.allow { "allow" } else { "deny" },
                            "RuleNumber": e.number,
                        });
                        match e.cidr {
                            IpNet::V4(c) => o["CidrBlock"] = json!(c.to_string()),
                            IpNet::V6(c) => o["Ipv6CidrBlock"] = json!(c.to_string()),
                        }
                        match e.proto {
                            "6" | "17" => {
                                let (a, b) = e.ports.unwrap_or((0, 65535));
                                o["PortRange"] = json!({"From": a, "To": b});
                            }
                            "1" | "58" => o["IcmpTypeCode"] = json!({"Code": -1, "Type": -1}),
                            _ => {}
                        }
                        o
                    })
                    .collect();
                json!({
                    "Associations": n.subnets.iter().map(|s| json!({
                        "NetworkAclAssociationId": format!("aclassoc-{}", &self.subnets[*s].id[7..]),
                        "NetworkAclId": n.id,
                        "SubnetId": self.subnets[*s].id
                    })).collect::<Vec<_>>(),
                    "Entries": entries,
                    "IsDefault": n.is_default,
                    "NetworkAclId": n.id,
                    "Tags": [],
                    "VpcId": self.vpcs[n.vpc].id,
                    "OwnerId": ACCOUNT
                })
            })
            .collect();
        f.insert(
            "describe-network-acls.json".into(),
            json!({ "NetworkAcls": nacls }),
        );

        // Route tables.
        let tgw_id = self.tgw.as_ref().map(|t| t.id.clone()).unwrap_or_default();
        let rts: Vec<Value> = self
            .rts
            .iter()
            .map(|r| {
                let mut assocs = Vec::new();
                if r.main {
                    assocs.push(json!({
                        "Main": true,
                        "RouteTableAssociationId": format!("rtbassoc-main-{}", &r.id[4..]),
                        "RouteTableId": r.id,
                        "AssociationState": {"State": "associated"}
                    }));
                }
                for s in &r.subnets {
                    assocs.push(json!({
                        "Main": false,
                        "RouteTableAssociationId": format!("rtbassoc-{}", &self.subnets[*s].id[7..]),
                        "RouteTableId": r.id,
                        "SubnetId": self.subnets[*s].id,
                        "AssociationState": {"State": "associated"}
                    }));
                }
                let mut routes = Vec::new();
                let vpc = &self.vpcs[r.vpc];
                if r.write_local {
                    routes.push(json!({
                        "DestinationCidrBlock": vpc.cidr.to_string(),
                        "GatewayId": "local",
                        "Origin": "CreateRouteTable",
                        "State": "active"
                    }));
                    if let Some(c) = vpc.cidr6 {
                        routes.push(json!({
                            "DestinationIpv6CidrBlock": c.to_string(),
                            "GatewayId": "local",
                            "Origin": "CreateRouteTable",
                            "State": "active"
                        }));
                    }
                }
                for rt in &r.routes {
                    let mut o = json!({
                        "Origin": "CreateRoute",
                        "State": if rt.blackhole { "blackhole" } else { "active" },
                    });
                    match &rt.dest {
                        DestS::Cidr(IpNet::V4(c)) => o["DestinationCidrBlock"] = json!(c.to_string()),
                        DestS::Cidr(IpNet::V6(c)) => o["DestinationIpv6CidrBlock"] = json!(c.to_string()),
                        DestS::Pl(p) => o["DestinationPrefixListId"] = json!(self.pls[*p].id),
                    }
                    match rt.target {
                        TargetS::Igw(i) => o["GatewayId"] = json!(self.igws[i].id),
                        TargetS::Eigw(i) => o["EgressOnlyInternetGatewayId"] = json!(self.eigws[i].id),
                        TargetS::Vpce(i) => o["GatewayId"] = json!(self.vpces[i].id),
                        TargetS::Eni(i) => o["NetworkInterfaceId"] = json!(self.enis[i].id),
                        TargetS::Nat(i) => o["NatGatewayId"] = json!(self.nats[i].id),
                        TargetS::Pcx(i) => o["VpcPeeringConnectionId"] = json!(self.pcxs[i].id),
                        TargetS::Tgw => o["TransitGatewayId"] = json!(tgw_id),
                    }
                    routes.push(o);
                }
                json!({
                    "Associations": assocs,
                    "PropagatingVgws": [],
                    "RouteTableId": r.id,
                    "Routes": routes,
                    "Tags": [],
                    "VpcId": self.vpcs[r.vpc].id,
                    "OwnerId": ACCOUNT
                })
            })
            .collect();
        f.insert(
            "describe-route-tables.json".into(),
            json!({ "RouteTables": rts }),
        );

        // ENIs and instances.
        let mut enis = Vec::new();
        let mut instances = Vec::new();
        for e in &self.enis {
            let s = &self.subnets[e.subnet];
            let vpc_id = &self.vpcs[s.vpc].id;
            let groups: Vec<Value> = e
                .groups
                .iter()
                .map(|g| json!({"GroupId": self.sgs[*g].id, "GroupName": self.sgs[*g].name}))
                .collect();
            let assoc = e.public.map(
                |p| json!({"IpOwnerId": "amazon", "PublicDnsName": "", "PublicIp": p.to_string()}),
            );
            let pips: Vec<Value> = e
                .ips
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let mut o = json!({"Primary": i == 0, "PrivateIpAddress": a.to_string()});
                    if i == 0 {
                        if let Some(x) = &assoc {
                            o["Association"] = x.clone();
                        }
                    }
                    o
                })
                .collect();
            let mut o = json!({
                "AvailabilityZone": s.az,
                "Description": "",
                "Groups": groups,
                "InterfaceType": "interface",
                "Ipv6Addresses": e.ips6.iter().map(|a| json!({"Ipv6Address": a.to_string(), "IsPrimaryIpv6": false})).collect::<Vec<_>>(),
                "NetworkInterfaceId": e.id,
                "OwnerId": ACCOUNT,
                "PrivateIpAddress": e.ips[0].to_string(),
                "PrivateIpAddresses": pips,
                "RequesterManaged": false,
                "SourceDestCheck": e.src_dst_check,
                "SubnetId": s.id,
                "TagSet": [],
                "VpcId": vpc_id,
            });
            if let Some(x) = &assoc {
                o["Association"] = x.clone();
            }
            match &e.kind {
                EniKind::Instance {
                    id,
                    running,
                    windows,
                } => {
                    o["Status"] = json!("in-use");
                    o["Attachment"] = json!({
                        "AttachmentId": format!("eni-attach-{}", &e.id[4..]),
                        "DeleteOnTermination": true,
                        "DeviceIndex": 0,
                        "InstanceId": id,
                        "InstanceOwnerId": ACCOUNT,
                        "Status": "attached"
                    });
                    let mut nested = o.clone();
                    nested.as_object_mut().unwrap().remove("AvailabilityZone");
                    nested.as_object_mut().unwrap().remove("InterfaceType");
                    nested.as_object_mut().unwrap().remove("RequesterManaged");
                    nested.as_object_mut().unwrap().remove("TagSet");
                    let mut inst = json!({
                        "InstanceId": id,
                        "InstanceType": "t3.micro",
                        "Placement": {"AvailabilityZone": s.az, "Tenancy": "default"},
                        "PrivateIpAddress": e.ips[0].to_string(),
                        "State": if *running { json!({"Code": 16, "Name": "running"}) } else { json!({"Code": 80, "Name": "stopped"}) },
                        "SubnetId": s.id,
                        "VpcId": vpc_id,
                        "SourceDestCheck": e.src_dst_check,
                        "NetworkInterfaces": [nested],
                        "SecurityGroups": e.groups.iter().map(|g| json!({"GroupId": self.sgs[*g].id, "GroupName": self.sgs[*g].name})).collect::<Vec<_>>(),
                        "Tags": tags(id)
                    });
                    if let Some(p) = e.public {
                        inst["PublicIpAddress"] = json!(p.to_string());
                    }
                    if *windows {
                        inst["Platform"] = json!("windows");
                    }
                    instances.push(json!({
                        "Groups": [],
                        "Instances": [inst],
                        "OwnerId": ACCOUNT,
                        "ReservationId": format!("r-{}", &id[2..])
                    }));
                }
                EniKind::Detached => {
                    o["Status"] = json!("available");
                }
            }
            enis.push(o);
        }
        for n in self.nats.iter().filter(|n| n.available) {
            let s = &self.subnets[n.subnet];
            let mut pip = json!({"Primary": true, "PrivateIpAddress": n.private_ip.to_string()});
            let mut o = json!({
                "AvailabilityZone": s.az,
                "Description": format!("Interface for NAT Gateway {}", n.id),
                "Groups": [],
                "InterfaceType": "nat_gateway",
                "Ipv6Addresses": [],
                "NetworkInterfaceId": n.eni_id,
                "OwnerId": ACCOUNT,
                "PrivateIpAddress": n.private_ip.to_string(),
                "RequesterId": "036872051663",
                "RequesterManaged": true,
                "SourceDestCheck": false,
                "Status": "in-use",
                "SubnetId": s.id,
                "TagSet": [],
                "VpcId": self.vpcs[s.vpc].id,
            });
            if let Some(p) = n.public_ip {
                let a = json!({"IpOwnerId": "amazon", "PublicIp": p.to_string(), "AllocationId": format!("eipalloc-{}", &n.id[4..])});
                pip["Association"] = a.clone();
                o["Association"] = a;
            }
            o["PrivateIpAddresses"] = json!([pip]);
            enis.push(o);
        }
        f.insert(
            "describe-network-interfaces.json".into(),
            json!({ "NetworkInterfaces": enis }),
        );
        f.insert(
            "describe-instances.json".into(),
            json!({ "Reservations": instances }),
        );

        let igws: Vec<Value> = self
            .igws
            .iter()
            .map(|g| {
                json!({
                    "Attachments": [{"State": "available", "VpcId": self.vpcs[g.vpc].id}],
                    "InternetGatewayId": g.id,
                    "OwnerId": ACCOUNT,
                    "Tags": []
                })
            })
            .collect();
        f.insert(
            "describe-internet-gateways.json".into(),
            json!({ "InternetGateways": igws }),
        );

        let nats: Vec<Value> = self
            .nats
            .iter()
            .map(|n| {
                let s = &self.subnets[n.subnet];
                let mut addr = json!({
                    "NetworkInterfaceId": n.eni_id,
                    "PrivateIp": n.private_ip.to_string(),
                    "IsPrimary": true,
                    "Status": "succeeded"
                });
                if let Some(p) = n.public_ip {
                    addr["PublicIp"] = json!(p.to_string());
                    addr["AllocationId"] = json!(format!("eipalloc-{}", &n.id[4..]));
                }
                json!({
                    "CreateTime": "2024-01-10T09:00:00+00:00",
                    "NatGatewayAddresses": [addr],
                    "NatGatewayId": n.id,
                    "State": if n.available { "available" } else { "pending" },
                    "SubnetId": s.id,
                    "VpcId": self.vpcs[s.vpc].id,
                    "ConnectivityType": if n.public_ip.is_some() { "public" } else { "private" },
                    "Tags": []
                })
            })
            .collect();
        f.insert(
            "describe-nat-gateways.json".into(),
            json!({ "NatGateways": nats }),
        );

        let side = |v: usize| {
            json!({
                "CidrBlock": self.vpcs[v].cidr.to_string(),
                "CidrBlockSet": [{"CidrBlock": self.vpcs[v].cidr.to_string()}],
                "Ipv6CidrBlockSet": self.vpcs[v].cidr6.iter().map(|c| json!({"Ipv6CidrBlock": c.to_string()})).collect::<Vec<_>>(),
                "OwnerId": ACCOUNT,
                "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": false},
                "VpcId": self.vpcs[v].id,
                "Region": REGION
            })
        };
        let pcxs: Vec<Value> = self
            .pcxs
            .iter()
            .map(|p| {
                json!({
                    "AccepterVpcInfo": side(p.accepter),
                    "RequesterVpcInfo": side(p.requester),
                    "Status": if p.active { json!({"Code": "active", "Message": "Active"}) } else { json!({"Code": "pending-acceptance", "Message": "Pending Acceptance by 111111111111"}) },
                    "Tags": [],
                    "VpcPeeringConnectionId": p.id
                })
            })
            .collect();
        f.insert(
            "describe-vpc-peering-connections.json".into(),
            json!({ "VpcPeeringConnections": pcxs }),
        );

        if let Some(t) = &self.tgw {
            let en = |b: bool| if b { "enable" } else { "disable" };
            f.insert(
                "describe-transit-gateways.json".into(),
                json!({"TransitGateways": [{
                    "TransitGatewayId": t.id,
                    "TransitGatewayArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:transit-gateway/{}", t.id),
                    "State": "available",
                    "OwnerId": ACCOUNT,
                    "CreationTime": "2024-01-01T00:00:00+00:00",
                    "Options": {
                        "AmazonSideAsn": 64512,
                        "DefaultRouteTableAssociation": "disable",
                        "DefaultRouteTablePropagation": "disable",
                        "DnsSupport": "enable",
                        "SecurityGroupReferencingSupport": en(t.sg_ref),
                        "VpnEcmpSupport": "enable"
                    },
                    "Tags": []
                }]}),
            );
            let state = |a: &AttS| if a.available { "available" } else { "pending" };
            let atts: Vec<Value> = t
                .attachments
                .iter()
                .map(|a| {
                    let mut o = json!({
                        "TransitGatewayAttachmentId": a.id,
                        "TransitGatewayId": t.id,
                        "TransitGatewayOwnerId": ACCOUNT,
                        "ResourceOwnerId": ACCOUNT,
                        "ResourceType": "vpc",
                        "ResourceId": self.vpcs[a.vpc].id,
                        "State": state(a),
                        "CreationTime": a.creation_time,
                        "Tags": []
                    });
                    if let Some(rt) = a.assoc {
                        o["Association"] = json!({"TransitGatewayRouteTableId": t.tables[rt].id, "State": "associated"});
                    }
                    o
                })
                .collect();
            f.insert(
                "describe-transit-gateway-attachments.json".into(),
                json!({ "TransitGatewayAttachments": atts }),
            );
            let vatts: Vec<Value> = t
                .attachments
                .iter()
                .map(|a| {
                    json!({
                        "TransitGatewayAttachmentId": a.id,
                        "TransitGatewayId": t.id,
                        "VpcId": self.vpcs[a.vpc].id,
                        "VpcOwnerId": ACCOUNT,
                        "State": state(a),
                        "SubnetIds": a.subnets.iter().map(|s| self.subnets[*s].id.clone()).collect::<Vec<_>>(),
                        "CreationTime": a.creation_time,
                        "Options": {
                            "DnsSupport": "enable",
                            "SecurityGroupReferencingSupport": en(a.sg_ref),
                            "Ipv6Support": en(a.ipv6),
                            "ApplianceModeSupport": "disable"
                        },
                        "Tags": []
                    })
                })
                .collect();
            f.insert(
                "describe-transit-gateway-vpc-attachments.json".into(),
                json!({ "TransitGatewayVpcAttachments": vatts }),
            );
            let tables: Vec<Value> = t
                .tables
                .iter()
                .map(|r| {
                    json!({
                        "TransitGatewayRouteTableId": r.id,
                        "TransitGatewayId": t.id,
                        "State": "available",
                        "DefaultAssociationRouteTable": false,
                        "DefaultPropagationRouteTable": false,
                        "CreationTime": "2024-01-01T00:00:10+00:00",
                        "Tags": []
                    })
                })
                .collect();
            f.insert(
                "describe-transit-gateway-route-tables.json".into(),
                json!({ "TransitGatewayRouteTables": tables }),
            );
            let binding = |ai: usize, st: &str| {
                let a = &t.attachments[ai];
                json!({
                    "TransitGatewayAttachmentId": a.id,
                    "ResourceId": self.vpcs[a.vpc].id,
                    "ResourceType": "vpc",
                    "State": st
                })
            };
            let assocs: Vec<Value> = t
                .tables
                .iter()
                .enumerate()
                .map(|(ri, r)| {
                    json!({
                        "TransitGatewayRouteTableId": r.id,
                        "Associations": t.attachments.iter().enumerate()
                            .filter(|(_, a)| a.assoc == Some(ri))
                            .map(|(ai, _)| binding(ai, "associated")).collect::<Vec<_>>()
                    })
                })
                .collect();
            f.insert(
                "get-transit-gateway-route-table-associations.json".into(),
                json!({ "TransitGatewayAssociations": assocs }),
            );
            let props: Vec<Value> = t
                .tables
                .iter()
                .map(|r| {
                    json!({
                        "TransitGatewayRouteTableId": r.id,
                        "TransitGatewayRouteTablePropagations": r.propagations.iter().map(|a| binding(*a, "enabled")).collect::<Vec<_>>()
                    })
                })
                .collect();
            f.insert(
                "get-transit-gateway-route-table-propagations.json".into(),
                json!({ "TransitGatewayPropagations": props }),
            );
            let statics: Vec<Value> = t
                .tables
                .iter()
                .filter(|r| !r.statics.is_empty())
                .map(|r| {
                    json!({
                        "TransitGatewayRouteTableId": r.id,
                        "Routes": r.statics.iter().map(|(d, a)| match a {
                            Some(ai) => json!({
                                (dest_key(d)): d.to_string(),
                                "TransitGatewayAttachments": [{
                                    "ResourceId": self.vpcs[t.attachments[*ai].vpc].id,
                                    "TransitGatewayAttachmentId": t.attachments[*ai].id,
                                    "ResourceType": "vpc"
                                }],
                                "Type": "static",
                                "State": "active"
                            }),
                            None => json!({
                                (dest_key(d)): d.to_string(),
                                "Type": "static",
                                "State": "blackhole"
                            }),
                        }).collect::<Vec<_>>()
                    })
                })
                .collect();
            if !statics.is_empty() {
                f.insert(
                    "search-transit-gateway-static-routes.json".into(),
                    json!({ "TransitGatewayStaticRoutes": statics }),
                );
            }
        }
        let eigws: Vec<Value> = self
            .eigws
            .iter()
            .map(|g| {
                json!({
                    "Attachments": [{"State": "attached", "VpcId": self.vpcs[g.vpc].id}],
                    "EgressOnlyInternetGatewayId": g.id,
                    "Tags": []
                })
            })
            .collect();
        f.insert(
            "describe-egress-only-internet-gateways.json".into(),
            json!({ "EgressOnlyInternetGateways": eigws }),
        );
        let managed: Vec<Value> = self
            .pls
            .iter()
            .map(|p| {
                json!({
                    "PrefixListId": p.id,
                    "AddressFamily": "IPv4",
                    "State": "create-complete",
                    "PrefixListArn": format!("arn:aws:ec2:{REGION}:{}:prefix-list/{}", if p.aws { "aws" } else { ACCOUNT }, p.id),
                    "PrefixListName": p.name,
                    "MaxEntries": if p.aws { Value::Null } else { json!(10) },
                    "Tags": [],
                    "OwnerId": if p.aws { "AWS" } else { ACCOUNT }
                })
            })
            .collect();
        f.insert(
            "describe-managed-prefix-lists.json".into(),
            json!({ "PrefixLists": managed }),
        );
        let aws: Vec<Value> = self
            .pls
            .iter()
            .filter(|p| p.aws)
            .map(|p| {
                json!({
                    "Cidrs": p.cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                    "PrefixListId": p.id,
                    "PrefixListName": p.name
                })
            })
            .collect();
        f.insert(
            "describe-prefix-lists.json".into(),
            json!({ "PrefixLists": aws }),
        );
        let entries: Vec<Value> = self
            .pls
            .iter()
            .filter(|p| !p.aws)
            .map(|p| {
                json!({
                    "PrefixListId": p.id,
                    "Entries": p.cidrs.iter().map(|c| json!({"Cidr": c.to_string(), "Description": p.name})).collect::<Vec<_>>()
                })
            })
            .collect();
        f.insert(
            "get-managed-prefix-list-entries.json".into(),
            json!({ "ManagedPrefixListEntries": entries }),
        );
        let vpces: Vec<Value> = self
            .vpces
            .iter()
            .map(|e| {
                json!({
                    "VpcEndpointId": e.id,
                    "VpcEndpointType": "Gateway",
                    "VpcId": self.vpcs[e.vpc].id,
                    "ServiceName": self.pls[e.pl].name,
                    "State": if e.available { "available" } else { "pending" },
                    "RouteTableIds": e.rts.iter().map(|r| self.rts[*r].id.clone()).collect::<Vec<_>>(),
                    "SubnetIds": [],
                    "Groups": [],
                    "PrivateDnsEnabled": false,
                    "RequesterManaged": false,
                    "NetworkInterfaceIds": [],
                    "DnsEntries": [],
                    "CreationTimestamp": "2024-02-10T09:15:22+00:00",
                    "Tags": [],
                    "OwnerId": ACCOUNT
                })
            })
            .collect();
        f.insert(
            "describe-vpc-endpoints.json".into(),
            json!({ "VpcEndpoints": vpces }),
        );
        f
    }

    /// All files as one pretty JSON document (for failure reports).
    pub fn dump(&self) -> String {
        serde_json::to_string_pretty(&self.files()).unwrap()
    }

    /// Write the snapshot to a temp dir, load and build it; panics on error diagnostics.
    pub fn load(&self) -> (tempfile::TempDir, Topology) {
        let dir = tempfile::tempdir().expect("tempdir");
        let scope = dir.path().join(ACCOUNT).join(REGION);
        std::fs::create_dir_all(&scope).unwrap();
        for (name, doc) in self.files() {
            std::fs::write(
                scope.join(name),
                serde_json::to_string_pretty(&doc).unwrap(),
            )
            .unwrap();
        }
        let snap = vpcreach::snapshot::load(dir.path()).expect("snapshot loads");
        let topo = vpcreach::model::build(snap);
        let errors: Vec<String> = topo
            .diagnostics
            .iter()
            .filter(|d| d.severity == vpcreach::diag::Severity::Error)
            .map(|d| format!("{d:?}"))
            .collect();
        assert!(
            errors.is_empty(),
            "generated snapshot has error diagnostics: {errors:#?}\n{}",
            self.dump()
        );
        (dir, topo)
    }
}

fn dest_key(d: &IpNet) -> &'static str {
    match d {
        IpNet::V4(_) => "DestinationCidrBlock",
        IpNet::V6(_) => "DestinationIpv6CidrBlock",
    }
}
