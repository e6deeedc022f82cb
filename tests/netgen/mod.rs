//! Random small AWS networks for property tests, as snapshot JSON in the AWS CLI shapes.
//!
//! Two layers:
//! * [`Spec`]: a plain description of a network (VPCs, subnets, ENIs, security groups, NACLs,
//!   route tables, IGWs, NAT gateways, peerings, one transit gateway). Hand-written regression
//!   networks build a `Spec` directly; [`generate`] builds a random one from a seed.
//! * [`Spec::files`]: the snapshot files (one per AWS command, PascalCase keys, as the AWS CLI
//!   prints them), and [`Spec::load`]: written to a temp dir under
//!   `111111111111/us-east-1/`, loaded with `vpcreach::snapshot::load` and built with
//!   `vpcreach::model::build` (asserting no error diagnostics).
//!
//! Everything is deterministic in the seed (own SplitMix64 generator, no external RNG).

#![allow(dead_code)]

use ipnet::Ipv4Net;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use vpcreach::model::Topology;

pub const ACCOUNT: &str = "111111111111";
pub const REGION: &str = "us-east-1";

/// Port-range endpoints the generator draws from (kept small so the set of boundary points the
/// oracle must test stays small).
pub const PORT_POOL: &[u16] = &[
    0, 21, 22, 23, 79, 80, 81, 442, 443, 444, 1023, 1024, 1025, 5000, 6379, 6380, 32767, 32768,
    49151, 49152, 61000, 61001, 65535,
];

// ------------------------------------------------------------------------------------------
// RNG
// ------------------------------------------------------------------------------------------

/// SplitMix64: tiny, deterministic, good enough for test generation.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Spec
// ------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct VpcS {
    pub id: String,
    pub cidr: Ipv4Net,
}

#[derive(Clone, Debug)]
pub struct SubnetS {
    pub id: String,
    pub vpc: usize,
    pub cidr: Ipv4Net,
    pub az: String,
}

/// What an ENI is attached to.
#[derive(Clone, Debug)]
pub enum EniKind {
    /// An instance (`i-…`), running or not, optionally Windows.
    Instance {
        id: String,
        running: bool,
        windows: bool,
    },
    /// A detached interface (status `available`).
    Detached,
}

#[derive(Clone, Debug)]
pub struct EniS {
    pub id: String,
    pub subnet: usize,
    /// Private IPv4 addresses, primary first.
    pub ips: Vec<Ipv4Addr>,
    /// Public IPv4 of the primary address.
    pub public: Option<Ipv4Addr>,
    pub groups: Vec<usize>,
    pub kind: EniKind,
}

#[derive(Clone, Debug)]
pub struct SgRuleS {
    /// `tcp`, `udp`, `icmp` or `-1`.
    pub proto: &'static str,
    /// For tcp/udp: FromPort/ToPort. ICMP rules are always type/code -1.
    pub ports: Option<(u16, u16)>,
    pub cidrs: Vec<Ipv4Net>,
    /// Referenced groups (index into `Spec::sgs`).
    pub groups: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct SgS {
    pub id: String,
    pub name: String,
    pub vpc: usize,
    pub ingress: Vec<SgRuleS>,
    pub egress: Vec<SgRuleS>,
}

#[derive(Clone, Debug)]
pub struct NaclEntryS {
    pub number: u16,
    pub egress: bool,
    pub allow: bool,
    /// `6`, `17`, `1` or `-1`.
    pub proto: &'static str,
    pub ports: Option<(u16, u16)>,
    pub cidr: Ipv4Net,
}

#[derive(Clone, Debug)]
pub struct NaclS {
    pub id: String,
    pub vpc: usize,
    pub is_default: bool,
    /// Subnets listed in `Associations`.
    pub subnets: Vec<usize>,
    /// Entries in JSON order (the model must sort them).
    pub entries: Vec<NaclEntryS>,
}

#[derive(Clone, Debug)]
pub enum TargetS {
    Igw(usize),
    Nat(usize),
    Pcx(usize),
    Tgw,
}

#[derive(Clone, Debug)]
pub struct RouteS {
    pub dest: Ipv4Net,
    pub target: TargetS,
    pub blackhole: bool,
}

#[derive(Clone, Debug)]
pub struct RtS {
    pub id: String,
    pub vpc: usize,
    pub main: bool,
    pub subnets: Vec<usize>,
    /// Routes besides the local one.
    pub routes: Vec<RouteS>,
}

#[derive(Clone, Debug)]
pub struct IgwS {
    pub id: String,
    pub vpc: usize,
}

#[derive(Clone, Debug)]
pub struct NatS {
    pub id: String,
    pub eni_id: String,
    pub subnet: usize,
    pub private_ip: Ipv4Addr,
    /// EIP for public NAT gateways; `None` = private NAT gateway.
    pub public_ip: Option<Ipv4Addr>,
    pub available: bool,
}

#[derive(Clone, Debug)]
pub struct PcxS {
    pub id: String,
    pub requester: usize,
    pub accepter: usize,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct AttS {
    pub id: String,
    pub vpc: usize,
    pub subnets: Vec<usize>,
    pub creation_time: String,
    pub available: bool,
    pub sg_ref: bool,
    /// Associated TGW route table (index into `TgwS::tables`).
    pub assoc: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct TgwRtS {
    pub id: String,
    /// Attachments (index into `TgwS::attachments`) propagating into this table.
    pub propagations: Vec<usize>,
    /// Static routes: destination and target attachment (`None` = blackhole).
    pub statics: Vec<(Ipv4Net, Option<usize>)>,
}

#[derive(Clone, Debug)]
pub struct TgwS {
    pub id: String,
    pub sg_ref: bool,
    pub attachments: Vec<AttS>,
    pub tables: Vec<TgwRtS>,
}

/// A whole network.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub vpcs: Vec<VpcS>,
    pub subnets: Vec<SubnetS>,
    pub enis: Vec<EniS>,
    pub sgs: Vec<SgS>,
    pub nacls: Vec<NaclS>,
    pub rts: Vec<RtS>,
    pub igws: Vec<IgwS>,
    pub nats: Vec<NatS>,
    pub pcxs: Vec<PcxS>,
    pub tgw: Option<TgwS>,
}

fn net(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}

fn host(a: Ipv4Addr) -> Ipv4Net {
    Ipv4Net::new(a, 32).unwrap()
}

/// Allow-all rule (`-1` to/from 0.0.0.0/0).
pub fn allow_all_rule() -> SgRuleS {
    SgRuleS {
        proto: "-1",
        ports: None,
        cidrs: vec![net("0.0.0.0/0")],
        groups: vec![],
    }
}

/// Default NACL entries: allow all at 100, final deny at 32767, both directions.
pub fn default_nacl_entries() -> Vec<NaclEntryS> {
    let mut v = Vec::new();
    for egress in [false, true] {
        v.push(NaclEntryS {
            number: 100,
            egress,
            allow: true,
            proto: "-1",
            ports: None,
            cidr: net("0.0.0.0/0"),
        });
        v.push(NaclEntryS {
            number: 32767,
            egress,
            allow: false,
            proto: "-1",
            ports: None,
            cidr: net("0.0.0.0/0"),
        });
    }
    v
}

// ------------------------------------------------------------------------------------------
// Spec → JSON
// ------------------------------------------------------------------------------------------

fn tags(name: &str) -> Value {
    json!([{"Key": "Name", "Value": name}])
}

impl Spec {
    /// The effective route table of each subnet (explicit association, else the main table).
    pub fn effective_rt(&self, subnet: usize) -> Option<usize> {
        let vpc = self.subnets[subnet].vpc;
        self.rts
            .iter()
            .position(|r| r.subnets.contains(&subnet))
            .or_else(|| self.rts.iter().position(|r| r.vpc == vpc && r.main))
    }

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
                    "Ipv6CidrBlockAssociationSet": [],
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
                "IpRanges": r.cidrs.iter().map(|c| json!({"CidrIp": c.to_string()})).collect::<Vec<_>>(),
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": r.groups.iter().map(|g| json!({"GroupId": self.sgs[*g].id, "UserId": ACCOUNT})).collect::<Vec<_>>(),
            });
            match r.proto {
                "tcp" | "udp" => {
                    let (a, b) = r.ports.unwrap_or((0, 65535));
                    o["FromPort"] = json!(a);
                    o["ToPort"] = json!(b);
                }
                "icmp" => {
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
                            "CidrBlock": e.cidr.to_string(),
                            "Egress": e.egress,
                            "Protocol": e.proto,
                            "RuleAction": if e.allow { "allow" } else { "deny" },
                            "RuleNumber": e.number,
                        });
                        match e.proto {
                            "6" | "17" => {
                                let (a, b) = e.ports.unwrap_or((0, 65535));
                                o["PortRange"] = json!({"From": a, "To": b});
                            }
                            "1" => o["IcmpTypeCode"] = json!({"Code": -1, "Type": -1}),
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
                let mut routes = vec![json!({
                    "DestinationCidrBlock": self.vpcs[r.vpc].cidr.to_string(),
                    "GatewayId": "local",
                    "Origin": "CreateRouteTable",
                    "State": "active"
                })];
                for rt in &r.routes {
                    let mut o = json!({
                        "DestinationCidrBlock": rt.dest.to_string(),
                        "Origin": "CreateRoute",
                        "State": if rt.blackhole { "blackhole" } else { "active" },
                    });
                    match rt.target {
                        TargetS::Igw(i) => o["GatewayId"] = json!(self.igws[i].id),
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
                "Ipv6Addresses": [],
                "NetworkInterfaceId": e.id,
                "OwnerId": ACCOUNT,
                "PrivateIpAddress": e.ips[0].to_string(),
                "PrivateIpAddresses": pips,
                "RequesterManaged": false,
                "SourceDestCheck": true,
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
                        "SourceDestCheck": true,
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
                            "Ipv6Support": "disable",
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
                                "DestinationCidrBlock": d.to_string(),
                                "TransitGatewayAttachments": [{
                                    "ResourceId": self.vpcs[t.attachments[*ai].vpc].id,
                                    "TransitGatewayAttachmentId": t.attachments[*ai].id,
                                    "ResourceType": "vpc"
                                }],
                                "Type": "static",
                                "State": "active"
                            }),
                            None => json!({
                                "DestinationCidrBlock": d.to_string(),
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

    /// Every address any ENI or NAT gateway holds.
    pub fn used_addresses(&self) -> Vec<Ipv4Addr> {
        let mut v: Vec<Ipv4Addr> = self.enis.iter().flat_map(|e| e.ips.clone()).collect();
        v.extend(self.nats.iter().map(|n| n.private_ip));
        v
    }
}

// ------------------------------------------------------------------------------------------
// Random generation
// ------------------------------------------------------------------------------------------

/// Which features a generated network may use.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    pub peering: bool,
    pub igw: bool,
    pub tgw: bool,
    pub nat: bool,
}

impl Features {
    pub const ALL: Features = Features {
        peering: true,
        igw: true,
        tgw: true,
        nat: true,
    };
    /// Read `NETGEN_FEATURES` (comma list of peering,igw,tgw,nat; `none` = single-VPC basics).
    pub fn from_env() -> Features {
        match std::env::var("NETGEN_FEATURES") {
            Ok(s) => Features {
                peering: s.contains("peering"),
                igw: s.contains("igw"),
                tgw: s.contains("tgw"),
                nat: s.contains("nat"),
            },
            Err(_) => Features::ALL,
        }
    }
}

fn id(prefix: &str, seed: u64, n: usize) -> String {
    format!("{prefix}-{:09x}{:08x}", seed & 0xf_ffff_ffff, n)
}

fn port_range(rng: &mut Rng) -> (u16, u16) {
    match rng.below(6) {
        0 | 1 => {
            let p = *rng.pick(&[22u16, 80, 443, 6379, 1024, 32768, 65535]);
            (p, p)
        }
        2 => *rng.pick(&[
            (1024u16, 65535u16),
            (32768, 61000),
            (49152, 65535),
            (0, 65535),
        ]),
        _ => {
            let a = *rng.pick(PORT_POOL);
            let b = *rng.pick(PORT_POOL);
            (a.min(b), a.max(b))
        }
    }
}

/// A CIDR for a rule, biased to the network's own blocks and addresses.
fn rule_cidr(rng: &mut Rng, s: &Spec) -> Ipv4Net {
    match rng.below(10) {
        0..=2 => net("0.0.0.0/0"),
        3 => s.vpcs[rng.below(s.vpcs.len())].cidr,
        4 | 5 => s.subnets[rng.below(s.subnets.len())].cidr,
        6 if !s.enis.is_empty() => {
            let e = rng.below(s.enis.len());
            host(*rng.pick(&s.enis[e].ips))
        }
        7 => *rng.pick(&[
            net("198.51.100.0/24"),
            net("203.0.113.0/29"),
            net("203.0.113.8/29"),
            net("10.0.0.0/8"),
            net("0.0.0.0/1"),
            net("128.0.0.0/1"),
        ]),
        8 => {
            // A public IP of some ENI, or a NAT EIP.
            let pubs: Vec<Ipv4Addr> = s
                .enis
                .iter()
                .filter_map(|e| e.public)
                .chain(s.nats.iter().filter_map(|n| n.public_ip))
                .collect();
            if pubs.is_empty() {
                net("0.0.0.0/0")
            } else {
                host(*rng.pick(&pubs))
            }
        }
        _ => s.vpcs[rng.below(s.vpcs.len())].cidr,
    }
}

fn sg_rule(rng: &mut Rng, s: &Spec, n_sgs: usize) -> SgRuleS {
    let proto = *rng.pick(&["tcp", "tcp", "tcp", "udp", "icmp", "-1", "-1"]);
    let ports = match proto {
        "tcp" | "udp" => Some(port_range(rng)),
        _ => None,
    };
    let mut cidrs = vec![];
    let mut groups = vec![];
    let n = rng.range(1, 2);
    for _ in 0..n {
        if rng.chance(0.25) && n_sgs > 0 {
            let g = rng.below(n_sgs);
            if !groups.contains(&g) {
                groups.push(g);
            }
        } else {
            let c = rule_cidr(rng, s);
            if !cidrs.contains(&c) {
                cidrs.push(c);
            }
        }
    }
    SgRuleS {
        proto,
        ports,
        cidrs,
        groups,
    }
}

fn numbers_taken(v: &[NaclEntryS], egress: bool, n: u16) -> bool {
    v.iter().any(|e| e.egress == egress && e.number == n)
}

fn nacl_entries(rng: &mut Rng, s: &Spec) -> Vec<NaclEntryS> {
    let mut v = Vec::new();
    for egress in [false, true] {
        let n = rng.range(1, 5);
        let mut numbers: Vec<u16> = Vec::new();
        while numbers.len() < n {
            let x = if rng.chance(0.5) {
                (rng.range(1, 30) * 10) as u16
            } else {
                rng.range(1, 32766) as u16
            };
            if !numbers.contains(&x) {
                numbers.push(x);
            }
        }
        for number in numbers {
            let proto = *rng.pick(&["6", "6", "17", "1", "-1", "-1"]);
            let ports = match proto {
                "6" | "17" => Some(port_range(rng)),
                _ => None,
            };
            v.push(NaclEntryS {
                number,
                egress,
                allow: rng.chance(0.72),
                proto,
                ports,
                cidr: rule_cidr(rng, s),
            });
        }
        if rng.chance(0.55) {
            // A broad allow behind the specific rules (common in practice).
            let mut number = rng.range(400, 32000) as u16;
            while numbers_taken(&v, egress, number) {
                number += 1;
            }
            v.push(NaclEntryS {
                number,
                egress,
                allow: true,
                proto: "-1",
                ports: None,
                cidr: *rng.pick(&[net("0.0.0.0/0"), net("0.0.0.0/0"), net("10.0.0.0/8")]),
            });
        }
        if rng.chance(0.8) {
            v.push(NaclEntryS {
                number: 32767,
                egress,
                allow: false,
                proto: "-1",
                ports: None,
                cidr: net("0.0.0.0/0"),
            });
        }
    }
    rng.shuffle(&mut v);
    v
}

/// A random network from a seed.
pub fn generate(seed: u64, feat: Features) -> Spec {
    let mut rng = Rng::new(seed);
    let r = &mut rng;
    let mut s = Spec::default();
    let azs = ["us-east-1a", "us-east-1b"];
    let n_vpcs = r.range(1, 3);
    for v in 0..n_vpcs {
        s.vpcs.push(VpcS {
            id: id("vpc", seed, v),
            cidr: format!("10.{}.0.0/16", v + 1).parse().unwrap(),
        });
        let n_sub = r.range(1, 3);
        for j in 0..n_sub {
            let k = s.subnets.len();
            s.subnets.push(SubnetS {
                id: id("subnet", seed, k),
                vpc: v,
                cidr: format!("10.{}.{}.0/24", v + 1, j + 1).parse().unwrap(),
                az: r.pick(&azs).to_string(),
            });
        }
    }
    // Gateways first (rule CIDRs may name their addresses).
    for v in 0..n_vpcs {
        if feat.igw && r.chance(0.6) {
            let k = s.igws.len();
            s.igws.push(IgwS {
                id: id("igw", seed, k),
                vpc: v,
            });
        }
    }
    for v in 0..n_vpcs {
        if feat.nat && r.chance(0.4) {
            let subs: Vec<usize> = (0..s.subnets.len())
                .filter(|i| s.subnets[*i].vpc == v)
                .collect();
            let sub = *r.pick(&subs);
            let k = s.nats.len();
            let has_igw = s.igws.iter().any(|g| g.vpc == v);
            let cidr = s.subnets[sub].cidr;
            let o = cidr.network().octets();
            s.nats.push(NatS {
                id: id("nat", seed, k),
                eni_id: id("eni", seed, 900 + k),
                subnet: sub,
                private_ip: Ipv4Addr::new(o[0], o[1], o[2], 200),
                public_ip: if has_igw && r.chance(0.8) {
                    Some(Ipv4Addr::new(3, 80, (v + 1) as u8, (k + 1) as u8))
                } else {
                    None
                },
                available: r.chance(0.9),
            });
        }
    }
    // ENIs (groups assigned after the groups exist).
    let mut inst = 0;
    for si in 0..s.subnets.len() {
        let v = s.subnets[si].vpc;
        let has_igw = s.igws.iter().any(|g| g.vpc == v);
        let n = r.range(1, 3);
        for k in 0..n {
            let o = s.subnets[si].cidr.network().octets();
            let mut ips = vec![Ipv4Addr::new(o[0], o[1], o[2], (10 + k) as u8)];
            if r.chance(0.08) {
                ips.push(Ipv4Addr::new(o[0], o[1], o[2], (50 + k) as u8));
            }
            let public = if r.chance(if has_igw { 0.5 } else { 0.1 }) {
                Some(Ipv4Addr::new(
                    54,
                    (v + 1) as u8,
                    (si + 1) as u8,
                    (k + 1) as u8,
                ))
            } else {
                None
            };
            let kind = if r.chance(0.9) {
                inst += 1;
                EniKind::Instance {
                    id: id("i", seed, inst),
                    running: r.chance(0.95),
                    windows: r.chance(0.1),
                }
            } else {
                EniKind::Detached
            };
            let eid = id("eni", seed, s.enis.len());
            s.enis.push(EniS {
                id: eid,
                subnet: si,
                ips,
                public,
                groups: vec![],
                kind,
            });
        }
    }
    // Security groups: 1-3 per VPC.
    let mut sg_vpc = Vec::new();
    for v in 0..n_vpcs {
        for _ in 0..r.range(1, 3) {
            sg_vpc.push(v);
        }
    }
    let n_sgs = sg_vpc.len();
    for (gi, v) in sg_vpc.iter().enumerate() {
        let mut ingress: Vec<SgRuleS> = (0..r.range(0, 3)).map(|_| sg_rule(r, &s, n_sgs)).collect();
        if r.chance(0.4) {
            // Broad ingress from the private network or anywhere.
            ingress.push(SgRuleS {
                proto: r.pick::<&str>(&["-1", "tcp", "-1"]),
                ports: Some((0, 65535)),
                cidrs: vec![*r.pick(&[net("10.0.0.0/8"), net("0.0.0.0/0")])],
                groups: vec![],
            });
        }
        let egress = if r.chance(0.6) {
            vec![allow_all_rule()]
        } else {
            (0..r.range(0, 3)).map(|_| sg_rule(r, &s, n_sgs)).collect()
        };
        s.sgs.push(SgS {
            id: id("sg", seed, gi),
            name: format!("g{gi}"),
            vpc: *v,
            ingress,
            egress,
        });
    }
    for e in 0..s.enis.len() {
        let v = s.subnets[s.enis[e].subnet].vpc;
        let mine: Vec<usize> = (0..n_sgs).filter(|g| sg_vpc[*g] == v).collect();
        let mut groups = vec![*r.pick(&mine)];
        if r.chance(0.3) {
            let g = *r.pick(&mine);
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        s.enis[e].groups = groups;
    }
    // NACLs: default per VPC (allow-all or random), plus 0-2 custom ones.
    for v in 0..n_vpcs {
        let subs: Vec<usize> = (0..s.subnets.len())
            .filter(|i| s.subnets[*i].vpc == v)
            .collect();
        let default_idx = s.nacls.len();
        let entries = if r.chance(0.6) {
            default_nacl_entries()
        } else {
            nacl_entries(r, &s)
        };
        s.nacls.push(NaclS {
            id: id("acl", seed, default_idx),
            vpc: v,
            is_default: true,
            subnets: vec![],
            entries,
        });
        let n_custom = r.range(0, 2);
        for _ in 0..n_custom {
            let k = s.nacls.len();
            let entries = nacl_entries(r, &s);
            s.nacls.push(NaclS {
                id: id("acl", seed, k),
                vpc: v,
                is_default: false,
                subnets: vec![],
                entries,
            });
        }
        let list_default = r.chance(0.7);
        for sub in subs {
            let pick = default_idx + r.below(n_custom + 1);
            if pick != default_idx || list_default {
                s.nacls[pick].subnets.push(sub);
            }
        }
    }
    // Peerings.
    if feat.peering && n_vpcs >= 2 {
        let n = if r.chance(0.6) { 1 } else { r.below(2) * 2 };
        for _ in 0..n {
            let a = r.below(n_vpcs);
            let mut b = r.below(n_vpcs);
            if a == b {
                b = (a + 1) % n_vpcs;
            }
            if s.pcxs
                .iter()
                .any(|p| (p.requester, p.accepter) == (a, b) || (p.requester, p.accepter) == (b, a))
            {
                continue;
            }
            let k = s.pcxs.len();
            s.pcxs.push(PcxS {
                id: id("pcx", seed, k),
                requester: a,
                accepter: b,
                active: r.chance(0.85),
            });
        }
    }
    // Transit gateway.
    if feat.tgw && n_vpcs >= 2 && r.chance(0.5) {
        let n_tables = r.range(1, 2);
        let mut t = TgwS {
            id: id("tgw", seed, 0),
            sg_ref: r.chance(0.5),
            attachments: vec![],
            tables: (0..n_tables)
                .map(|i| TgwRtS {
                    id: id("tgw-rtb", seed, i),
                    propagations: vec![],
                    statics: vec![],
                })
                .collect(),
        };
        let mut order: Vec<usize> = (0..n_vpcs).collect();
        r.shuffle(&mut order);
        for (k, v) in order.into_iter().enumerate() {
            if k >= 2 && r.chance(0.3) {
                continue;
            }
            let subs: Vec<usize> = (0..s.subnets.len())
                .filter(|i| s.subnets[*i].vpc == v)
                .collect();
            let mut chosen: Vec<usize> = Vec::new();
            for az in azs {
                let in_az: Vec<usize> = subs
                    .iter()
                    .copied()
                    .filter(|i| s.subnets[*i].az == az)
                    .collect();
                if !in_az.is_empty() && (chosen.is_empty() || r.chance(0.6)) {
                    chosen.push(*r.pick(&in_az));
                }
            }
            let ai = t.attachments.len();
            t.attachments.push(AttS {
                id: id("tgw-attach", seed, ai),
                vpc: v,
                subnets: chosen,
                creation_time: format!(
                    "2024-02-{:02}T10:{:02}:00+00:00",
                    1 + r.below(27),
                    r.below(60)
                ),
                available: r.chance(0.9),
                sg_ref: r.chance(0.6),
                assoc: if r.chance(0.95) {
                    Some(r.below(n_tables))
                } else {
                    None
                },
            });
            for tb in 0..n_tables {
                if r.chance(0.7) {
                    t.tables[tb].propagations.push(ai);
                }
            }
        }
        for tb in 0..n_tables {
            if r.chance(0.35) {
                let ai = r.below(t.attachments.len());
                let dest = if r.chance(0.5) {
                    s.vpcs[t.attachments[ai].vpc].cidr
                } else {
                    s.subnets[r.below(s.subnets.len())].cidr
                };
                let target = if r.chance(0.75) { Some(ai) } else { None };
                if !t.tables[tb].statics.iter().any(|(d, _)| *d == dest) {
                    t.tables[tb].statics.push((dest, target));
                }
            }
        }
        s.tgw = Some(t);
    }
    // Route tables: main + 0-2 custom per VPC.
    for v in 0..n_vpcs {
        let subs: Vec<usize> = (0..s.subnets.len())
            .filter(|i| s.subnets[*i].vpc == v)
            .collect();
        let main = s.rts.len();
        s.rts.push(RtS {
            id: id("rtb", seed, main),
            vpc: v,
            main: true,
            subnets: vec![],
            routes: vec![],
        });
        let n_custom = r.range(0, 2);
        for _ in 0..n_custom {
            let k = s.rts.len();
            s.rts.push(RtS {
                id: id("rtb", seed, k),
                vpc: v,
                main: false,
                subnets: vec![],
                routes: vec![],
            });
        }
        for sub in subs {
            let pick = main + r.below(n_custom + 1);
            if pick != main {
                s.rts[pick].subnets.push(sub);
            }
        }
    }
    // NAT subnets' effective tables never route to a NAT gateway (no NAT chains).
    let nat_tables: Vec<usize> = s
        .nats
        .iter()
        .filter_map(|n| s.effective_rt(n.subnet))
        .collect();
    for ti in 0..s.rts.len() {
        let v = s.rts[ti].vpc;
        let mut routes: Vec<RouteS> = Vec::new();
        let add = |routes: &mut Vec<RouteS>, dest: Ipv4Net, target: TargetS, bh: bool| {
            if dest != s.vpcs[v].cidr && !routes.iter().any(|x| x.dest == dest) {
                routes.push(RouteS {
                    dest,
                    target,
                    blackhole: bh,
                });
            }
        };
        let igw = s.igws.iter().position(|g| g.vpc == v);
        let nats: Vec<usize> = (0..s.nats.len())
            .filter(|n| s.subnets[s.nats[*n].subnet].vpc == v)
            .collect();
        let nat_ok = !nats.is_empty() && !nat_tables.contains(&ti);
        // Default route.
        let roll = r.below(10);
        if roll < 6 {
            if let Some(g) = igw {
                add(&mut routes, net("0.0.0.0/0"), TargetS::Igw(g), false);
            }
        } else if roll < 8 && nat_ok {
            add(
                &mut routes,
                net("0.0.0.0/0"),
                TargetS::Nat(*r.pick(&nats)),
                false,
            );
        }
        // A more specific internet route.
        if r.chance(0.15) {
            let dest = *r.pick(&[
                net("198.51.100.0/24"),
                net("203.0.113.0/28"),
                net("54.0.0.0/8"),
            ]);
            if let (Some(g), true) = (igw, r.chance(0.5)) {
                add(&mut routes, dest, TargetS::Igw(g), false);
            } else if nat_ok {
                add(&mut routes, dest, TargetS::Nat(*r.pick(&nats)), false);
            }
        }
        // Peering routes.
        for (pi, p) in s.pcxs.iter().enumerate() {
            let other = if p.requester == v {
                p.accepter
            } else if p.accepter == v {
                p.requester
            } else {
                continue;
            };
            if r.chance(0.9) {
                add(&mut routes, s.vpcs[other].cidr, TargetS::Pcx(pi), false);
            }
            if r.chance(0.25) {
                let subs: Vec<usize> = (0..s.subnets.len())
                    .filter(|i| s.subnets[*i].vpc == other)
                    .collect();
                let dest = s.subnets[*r.pick(&subs)].cidr;
                let bh = r.chance(0.3);
                add(&mut routes, dest, TargetS::Pcx(pi), bh);
            }
        }
        // TGW routes.
        if let Some(t) = &s.tgw {
            if t.attachments.iter().any(|a| a.vpc == v) || r.chance(0.1) {
                if r.chance(0.3) {
                    add(&mut routes, net("10.0.0.0/8"), TargetS::Tgw, false);
                }
                for o in 0..n_vpcs {
                    if o != v && r.chance(0.8) {
                        add(&mut routes, s.vpcs[o].cidr, TargetS::Tgw, false);
                    }
                }
            }
        }
        // Whole-subnet route inside the VPC through a NAT gateway (R6).
        if nat_ok && r.chance(0.1) {
            let nat = *r.pick(&nats);
            let subs: Vec<usize> = (0..s.subnets.len())
                .filter(|i| s.subnets[*i].vpc == v && *i != s.nats[nat].subnet)
                .collect();
            if !subs.is_empty() {
                let dest = s.subnets[*r.pick(&subs)].cidr;
                add(&mut routes, dest, TargetS::Nat(nat), false);
            }
        }
        // A blackhole.
        if r.chance(0.12) {
            let dest = if n_vpcs > 1 && r.chance(0.6) {
                let o = (v + 1 + r.below(n_vpcs - 1)) % n_vpcs;
                s.vpcs[o].cidr
            } else {
                net("0.0.0.0/0")
            };
            let target = if let Some(g) = igw {
                TargetS::Igw(g)
            } else if !nats.is_empty() {
                TargetS::Nat(nats[0])
            } else if let Some(pi) = s
                .pcxs
                .iter()
                .position(|p| p.requester == v || p.accepter == v)
            {
                TargetS::Pcx(pi)
            } else {
                TargetS::Tgw
            };
            if !matches!(target, TargetS::Tgw) || s.tgw.is_some() {
                if let Some(x) = routes.iter_mut().find(|x| x.dest == dest) {
                    x.blackhole = true;
                } else {
                    add(&mut routes, dest, target, true);
                }
            }
        }
        r.shuffle(&mut routes);
        s.rts[ti].routes = routes;
    }
    s
}
