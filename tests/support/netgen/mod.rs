//! Random small AWS networks for property tests, as snapshot JSON in the AWS CLI shapes.
//!
//! Three parts:
//! * this file: [`Spec`], a plain description of a network (dual-stack VPCs, subnets, ENIs,
//!   security groups, NACLs, route tables, IGWs, egress-only IGWs, NAT gateways, peerings, one
//!   transit gateway, customer-managed prefix lists, S3/DynamoDB gateway endpoints) and the
//!   seeded PRNG ([`Rng`], `rand_pcg`). Hand-written regression networks build a `Spec`
//!   directly.
//! * [`json`]: `Spec` → snapshot files (one per AWS command, PascalCase keys, as the AWS CLI
//!   prints them) and [`Spec::load`] (written under `111111111111/us-east-1/`, loaded with
//!   `vpcreach::snapshot::load` and built with `vpcreach::model::build`, no error diagnostics).
//! * [`generate`]: a random `Spec` from a seed (deterministic: `NETGEN_SEED=<seed>` reproduces).
//!
//! The oracle (`tests/support/oracle`) reads the `Spec`, never the model.

#![allow(dead_code)]

mod generate;
mod json;
mod routes;

#[allow(unused_imports)] // generate_with: the fuzz targets only
pub use generate::{generate, generate_with, Features};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use rand_core::{Rng as _, SeedableRng};
use std::net::{Ipv4Addr, Ipv6Addr};

pub const ACCOUNT: &str = "111111111111";
pub const REGION: &str = "us-east-1";

/// Port-range endpoints the generator draws from.
pub const PORT_POOL: &[u16] = &[
    0, 21, 22, 23, 79, 80, 81, 442, 443, 444, 1023, 1024, 1025, 5000, 6379, 6380, 32767, 32768,
    49151, 49152, 61000, 61001, 65535,
];

/// The seeded PRNG (PCG, `rand_pcg`) with the few draws the generator needs; or, for the
/// fuzzer (`fuzz/`), draws read from the fuzzer's bytes, one byte a draw, so that the fuzzer's
/// mutations steer the network's shape (then PCG once the bytes run out).
#[derive(Clone, Debug)]
pub struct Rng {
    pcg: rand_pcg::Pcg64,
    bytes: Vec<u8>,
    at: usize,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng {
            pcg: rand_pcg::Pcg64::seed_from_u64(seed),
            bytes: Vec::new(),
            at: 0,
        }
    }
    /// Draws from `bytes` first (each byte spread over the 64 bits, so that `below(n)` for small
    /// `n` and `chance(p)` both depend on it), then from PCG seeded with `seed`.
    pub fn from_bytes(bytes: &[u8], seed: u64) -> Self {
        Rng {
            bytes: bytes.to_vec(),
            ..Rng::new(seed)
        }
    }
    pub fn next_u64(&mut self) -> u64 {
        match self.bytes.get(self.at) {
            Some(b) => {
                self.at += 1;
                u64::from(*b) * 0x0101_0101_0101_0101
            }
            None => self.pcg.next_u64(),
        }
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

#[derive(Clone, Debug)]
pub struct VpcS {
    pub id: String,
    pub cidr: Ipv4Net,
    pub cidr6: Option<Ipv6Net>,
}

#[derive(Clone, Debug)]
pub struct SubnetS {
    pub id: String,
    pub vpc: usize,
    pub cidr: Ipv4Net,
    pub cidr6: Option<Ipv6Net>,
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
    pub ips6: Vec<Ipv6Addr>,
    /// Public IPv4 of the primary address.
    pub public: Option<Ipv4Addr>,
    pub groups: Vec<usize>,
    pub kind: EniKind,
    /// `SourceDestCheck` (false: the ENI may forward traffic as a route target).
    pub src_dst_check: bool,
}

#[derive(Clone, Debug)]
pub struct SgRuleS {
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `-1`.
    pub proto: &'static str,
    /// For tcp/udp: FromPort/ToPort. ICMP rules are always type/code -1.
    pub ports: Option<(u16, u16)>,
    /// IPv4 (`IpRanges`) and IPv6 (`Ipv6Ranges`) peers.
    pub cidrs: Vec<IpNet>,
    /// Customer-managed or AWS prefix lists (index into `Spec::pls`).
    pub pls: Vec<usize>,
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
    /// `6`, `17`, `1`, `58` or `-1`.
    pub proto: &'static str,
    pub ports: Option<(u16, u16)>,
    /// `CidrBlock` (IPv4) or `Ipv6CidrBlock` (IPv6).
    pub cidr: IpNet,
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
    Eigw(usize),
    Nat(usize),
    Pcx(usize),
    Tgw,
    /// A gateway endpoint (index into `Spec::vpces`).
    Vpce(usize),
    /// An appliance ENI (`NetworkInterfaceId`, index into `Spec::enis`).
    Eni(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DestS {
    Cidr(IpNet),
    /// A prefix list (index into `Spec::pls`).
    Pl(usize),
}

#[derive(Clone, Debug)]
pub struct RouteS {
    pub dest: DestS,
    pub target: TargetS,
    pub blackhole: bool,
}

#[derive(Clone, Debug)]
pub struct RtS {
    pub id: String,
    pub vpc: usize,
    pub main: bool,
    pub subnets: Vec<usize>,
    /// Routes besides the local ones.
    pub routes: Vec<RouteS>,
    /// Write the `local` routes into the JSON (AWS always lists them; when false the model must
    /// synthesize them, R3).
    pub write_local: bool,
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
    /// `Ipv6Support: enable`: the VPC's IPv6 block propagates too.
    pub ipv6: bool,
    /// Associated TGW route table (index into `TgwS::tables`).
    pub assoc: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct TgwRtS {
    pub id: String,
    /// Attachments (index into `TgwS::attachments`) propagating into this table.
    pub propagations: Vec<usize>,
    /// Static routes: destination and target attachment (`None` = blackhole).
    pub statics: Vec<(IpNet, Option<usize>)>,
}

#[derive(Clone, Debug)]
pub struct TgwS {
    pub id: String,
    pub sg_ref: bool,
    pub attachments: Vec<AttS>,
    pub tables: Vec<TgwRtS>,
}

/// A prefix list: customer-managed (entries from `get-managed-prefix-list-entries`) or an AWS
/// service list (`describe-prefix-lists` with `Cidrs`, named `com.amazonaws.<region>.<svc>`).
#[derive(Clone, Debug)]
pub struct PlS {
    pub id: String,
    pub name: String,
    pub cidrs: Vec<Ipv4Net>,
    pub aws: bool,
}

/// A gateway endpoint (S3 or DynamoDB) reached through `pl → vpce` routes.
#[derive(Clone, Debug)]
pub struct VpceS {
    pub id: String,
    pub vpc: usize,
    /// The service's prefix list (index into `Spec::pls`).
    pub pl: usize,
    /// `RouteTableIds` (index into `Spec::rts`).
    pub rts: Vec<usize>,
    pub available: bool,
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
    pub eigws: Vec<IgwS>,
    pub nats: Vec<NatS>,
    pub pcxs: Vec<PcxS>,
    pub tgw: Option<TgwS>,
    pub pls: Vec<PlS>,
    pub vpces: Vec<VpceS>,
}

pub fn net(s: &str) -> IpNet {
    s.parse().unwrap()
}

pub fn host(a: std::net::IpAddr) -> IpNet {
    IpNet::from(a)
}

/// Allow-all rule (`-1` to/from 0.0.0.0/0, and ::/0 when `v6`).
pub fn allow_all_rule(v6: bool) -> SgRuleS {
    let mut cidrs = vec![net("0.0.0.0/0")];
    if v6 {
        cidrs.push(net("::/0"));
    }
    SgRuleS {
        proto: "-1",
        ports: None,
        cidrs,
        pls: vec![],
        groups: vec![],
    }
}

/// Default NACL entries: allow all at 100 (101 for ::/0 when `v6`), final deny at 32767
/// (32768 for IPv6), both directions.
pub fn default_nacl_entries(v6: bool) -> Vec<NaclEntryS> {
    let mut v = Vec::new();
    for egress in [false, true] {
        let e = |number, allow, cidr| NaclEntryS {
            number,
            egress,
            allow,
            proto: "-1",
            ports: None,
            cidr: net(cidr),
        };
        v.push(e(100, true, "0.0.0.0/0"));
        v.push(e(32767, false, "0.0.0.0/0"));
        if v6 {
            v.push(e(101, true, "::/0"));
            v.push(e(32768, false, "::/0"));
        }
    }
    v
}

impl Spec {
    /// Every private address (v4 and v6) any ENI or available NAT gateway holds.
    pub fn used_addresses(&self) -> Vec<std::net::IpAddr> {
        let mut v: Vec<std::net::IpAddr> = Vec::new();
        for e in &self.enis {
            v.extend(e.ips.iter().map(|a| std::net::IpAddr::V4(*a)));
            v.extend(e.ips6.iter().map(|a| std::net::IpAddr::V6(*a)));
        }
        v.extend(self.nats.iter().map(|n| std::net::IpAddr::V4(n.private_ip)));
        v
    }

    /// The index of the ENI with this id.
    pub fn eni(&self, id: &str) -> usize {
        self.enis
            .iter()
            .position(|e| e.id == id)
            .unwrap_or_else(|| panic!("no ENI {id}"))
    }

    /// The VPC's main route table (first one marked main).
    pub fn main_rt(&self, vpc: usize) -> Option<usize> {
        self.rts.iter().position(|r| r.vpc == vpc && r.main)
    }
}
