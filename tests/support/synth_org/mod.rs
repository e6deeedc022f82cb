//! Synthetic organisations: realistic AWS networks of any size, written as an ordinary snapshot.
//!
//! [`write_snapshot`] turns an [`OrgSpec`] (how many accounts, regions, VPCs, ENIs, security
//! groups, transit gateways, peerings, caches) into `<account>/<region>/describe-*.json` files,
//! shaped exactly like the AWS CLI output (every file is a serialized [`crate::snapshot::aws`]
//! value; nothing is hand-formatted). The result loads with [`crate::snapshot::load`] without
//! error diagnostics and is meant for benchmarks and scale tests.
//!
//! What an organisation looks like:
//! * VPCs are `/20` blocks of `10.0.0.0/8`, allocated in order with random gaps; about 2% reuse
//!   the block of an earlier VPC (deliberate overlaps). Each VPC has an internet gateway, a NAT
//!   gateway in its first public subnet, `/24` subnets across 2–3 availability zones (public ones
//!   first), a main route table (local only), a public route table (`0.0.0.0/0` → IGW) and a
//!   private one (`0.0.0.0/0` → NAT, `10.0.0.0/8` → the transit gateway when attached, the peer's
//!   block → the peering connection).
//! * NACLs: the default one (allow all) for most subnets; about 30% of VPCs put their public
//!   subnets behind a custom NACL with ordered rules (listed unsorted), ephemeral ports and a
//!   deny.
//! * Security groups: the VPC default group (self reference), then role groups whose ingress
//!   rules mix CIDRs, a customer-managed prefix list and references to other groups of the same
//!   VPC.
//! * Instances with one ENI each (listed in `describe-instances` and
//!   `describe-network-interfaces`), about 8% stopped, those in public subnets mostly with a
//!   public IP.
//! * One transit gateway per account/region (up to [`OrgSpec::tgws`]), attached to about 90% of
//!   its VPCs, with one route table holding every association and propagation (vpcreach and
//!   Batfish wrappers); one ENI per attachment subnet.
//! * Active peerings between VPCs of the same account/region with disjoint blocks.
//! * ElastiCache replication groups of two single-node clusters, with their cache subnet group,
//!   a security group that admits one application group on 6379, and the requester-managed node
//!   ENIs (`ElastiCache <cluster-id>`).
//!
//! The first VPC also holds a few *probe* resources with known answers (see [`SynthSummary`]):
//! a client, a server whose group admits the client on 22 (reachable), a server that admits only
//! an office range (unreachable), a public web server open on 443 to the internet, and the first
//! cache, whose group admits the client.
//!
//! Everything is deterministic in [`OrgSpec::seed`] (a small xorshift generator, no external
//! crate). Accounts and regions are generated one after the other and dropped once written, so
//! memory stays small whatever the size.

use crate::snapshot::aws;
use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// Regions used in order (at most this many).
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "ap-southeast-2",
    "eu-central-1",
    "ap-northeast-1",
];
/// Office range used in security-group and NACL rules (TEST-NET-3).
const OFFICE: &str = "203.0.113.0/24";
/// AWS-owned requester accounts of managed ENIs.
const TGW_REQUESTER: &str = "444455556666";
const NAT_REQUESTER: &str = "440183654376";
/// Ports that application rules draw from.
const APP_PORTS: &[i32] = &[443, 8080, 80, 5432, 3306, 22, 9090, 8443];
/// Usable host numbers of a `/24` (AWS reserves .0–.3 and .255).
const FIRST_HOST: u32 = 4;
const LAST_HOST: u32 = 254;

/// The size and shape of a synthetic organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgSpec {
    /// Number of AWS accounts.
    pub accounts: usize,
    /// Regions per account (at most 6).
    pub regions: usize,
    /// Total VPCs, spread evenly over accounts × regions.
    pub vpcs: usize,
    /// `/24` subnets per VPC (2..=16).
    pub subnets_per_vpc: usize,
    /// Total ENIs: instance ENIs plus NAT, transit-gateway and cache-node ENIs.
    pub enis: usize,
    /// Total security groups (at least one per VPC, its default group).
    pub security_groups: usize,
    /// Ingress permissions per role security group.
    pub rules_per_sg: usize,
    /// Transit gateways (at most one per account/region).
    pub tgws: usize,
    /// VPC peering connections (within an account/region).
    pub peerings: usize,
    /// ElastiCache replication groups (two single-node clusters each).
    pub caches: usize,
    pub seed: u64,
}

impl OrgSpec {
    /// A realistic organisation of the given size: about 100 VPCs per account, two regions,
    /// six subnets per VPC, four rules per group, a transit gateway per account/region, one
    /// peering per 20 VPCs and one cache per 10 VPCs.
    pub fn scale(vpcs: usize, enis: usize, sgs: usize) -> Self {
        let vpcs = vpcs.max(1);
        let regions = if vpcs >= 10 { 2 } else { 1 };
        let accounts = (vpcs / 100).clamp(1, 10);
        OrgSpec {
            accounts,
            regions,
            vpcs,
            subnets_per_vpc: 6,
            enis,
            security_groups: sgs,
            rules_per_sg: 4,
            tgws: accounts * regions,
            peerings: (vpcs / 20).max(1),
            caches: (vpcs / 10).max(1),
            seed: 0x5e_ed0f_0a65,
        }
    }
}

/// One representative reachability question about the generated organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SynthQuery {
    /// What the question exercises: `same-subnet`, `same-vpc`, `tgw`, `peering`, `cache`,
    /// `internet-in`, `internet-out`, `eni`.
    pub kind: String,
    pub from: String,
    pub to: String,
    /// TCP port(s); `None` = the cache's ports.
    pub port: Option<String>,
    /// The verdict the generator built in on purpose (`Some(true)` = reachable), if any.
    pub expect_reachable: Option<bool>,
}

/// What [`write_snapshot`] produced: counts, files, and ids worth asking about.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SynthSummary {
    pub files: Vec<PathBuf>,
    pub bytes: u64,
    pub scopes: usize,
    pub vpcs: usize,
    /// VPCs whose block reuses another VPC's block.
    pub overlapping_vpcs: usize,
    pub subnets: usize,
    pub route_tables: usize,
    pub network_acls: usize,
    pub security_groups: usize,
    /// Ingress plus egress permissions of all groups.
    pub security_group_rules: usize,
    pub instances: usize,
    pub enis: usize,
    pub nat_gateways: usize,
    pub internet_gateways: usize,
    pub transit_gateways: usize,
    pub tgw_attachments: usize,
    pub peerings: usize,
    pub replication_groups: usize,
    pub cache_clusters: usize,
    /// Probe client instance (first VPC).
    pub probe_client: String,
    /// Instance whose group admits the probe client on TCP 22 (same subnet): reachable.
    pub probe_open_server: String,
    /// Instance whose group admits only the office range on TCP 22: unreachable from the client.
    pub probe_closed_server: String,
    /// Running instance with a public IP, TCP 443 open to the internet.
    pub public_instance: String,
    /// Some running instance (the probe client).
    pub instance: String,
    /// The first replication group (its group admits the probe client on 6379), if any.
    pub cache: Option<String>,
    /// About 20 representative questions.
    pub queries: Vec<SynthQuery>,
}

/// Generate the organisation and write it under `dir` (created if needed).
pub fn write_snapshot(spec: &OrgSpec, dir: &Path) -> io::Result<SynthSummary> {
    std::fs::create_dir_all(dir)?;
    generate(spec, Some(dir))
}

/// Generate the organisation without writing anything: the same summary (ids, counts, queries)
/// that [`write_snapshot`] returns, except `files` and `bytes`. For reusing a snapshot written
/// earlier with the same spec.
pub fn summarize(spec: &OrgSpec) -> io::Result<SynthSummary> {
    generate(spec, None)
}

// ---------------------------------------------------------------------------------------------
// Random numbers and ids
// ---------------------------------------------------------------------------------------------

/// xorshift64*: tiny and deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(mix(seed) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (`0` when `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        xs.get(self.below(xs.len()))
    }
}

/// SplitMix64 finalizer: a bijection on `u64`, so distinct counters give distinct ids.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Realistic AWS ids (`i-0` + 16 hex digits), unique across the organisation.
struct Ids {
    key: u64,
    next: u64,
}

impl Ids {
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}-0{:016x}", mix(self.next ^ self.key))
    }
}

fn net4(addr: u32, len: u8) -> io::Result<Ipv4Net> {
    Ipv4Net::new(Ipv4Addr::from(addr), len)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
}

fn cidr4(addr: u32, len: u8) -> io::Result<aws::Cidr4> {
    net4(addr, len).map(aws::Cidr4)
}

fn parse4(s: &str) -> io::Result<aws::Cidr4> {
    s.parse::<Ipv4Net>()
        .map(aws::Cidr4)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn tags(name: &str) -> Vec<aws::Tag> {
    vec![aws::Tag {
        key: "Name".into(),
        value: name.into(),
    }]
}

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "202{}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        1 + rng.below(4),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

// ---------------------------------------------------------------------------------------------
// The plan: everything that crosses VPCs, decided before any scope is generated
// ---------------------------------------------------------------------------------------------

struct ScopePlan {
    account: String,
    region: &'static str,
    vpcs: Vec<usize>,
    tgw: bool,
    peerings: Vec<usize>,
}

struct VpcPlan {
    id: String,
    name: String,
    base: u32,
    overlaps: bool,
    azs: usize,
    attached: bool,
    sgs: usize,
    instances: usize,
    caches: Vec<usize>,
    peerings: Vec<usize>,
}

struct PeeringPlan {
    id: String,
    a: usize,
    b: usize,
}

/// Small facts kept per VPC after its scope is written, for the query list.
#[derive(Clone, Default)]
struct VpcSamples {
    /// Running private instances with their primary ENI.
    private: Vec<(String, String)>,
    /// Running public instances.
    public: Vec<String>,
}

struct Plan {
    scopes: Vec<ScopePlan>,
    vpcs: Vec<VpcPlan>,
    peerings: Vec<PeeringPlan>,
    cache_vpc: Vec<usize>,
}

/// Probe instances and security groups in the first VPC.
const PROBE_INSTANCES: usize = 4;
const PROBE_SGS: usize = 4;

fn subnet_layout(spec: &OrgSpec, azs: usize) -> (usize, usize) {
    let n = spec.subnets_per_vpc.clamp(2, 16);
    let azs = azs.min(n);
    let public = azs.min(n / 2).max(1);
    (n, public)
}

/// The subnets a transit-gateway attachment uses: the first private subnet of each AZ.
fn tgw_subnets(n: usize, public: usize, azs: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for z in 0..azs.max(1) {
        let si = (public..n).find(|i| i % azs.max(1) == z).unwrap_or(public);
        if si < n && !out.contains(&si) {
            out.push(si);
        }
    }
    out
}

fn plan(spec: &OrgSpec, rng: &mut Rng, ids: &mut Ids) -> io::Result<Plan> {
    if spec.vpcs == 0 {
        return Err(invalid("an organisation needs at least one VPC".into()));
    }
    if spec.vpcs > 3000 {
        return Err(invalid(format!(
            "{} VPCs do not fit in 10.0.0.0/8 as /20 blocks with gaps (at most 3000)",
            spec.vpcs
        )));
    }
    if spec.security_groups < spec.vpcs + PROBE_SGS + spec.caches.min(1) {
        return Err(invalid(format!(
            "{} security groups are too few for {} VPCs (one default group each, plus {} probes and a cache group)",
            spec.security_groups, spec.vpcs, PROBE_SGS
        )));
    }
    let regions = spec.regions.clamp(1, REGIONS.len());
    let accounts = spec.accounts.max(1);
    let n_scopes = (accounts * regions).min(spec.vpcs);
    let mut scopes = Vec::with_capacity(n_scopes);
    let account_base = 100_000_000_000 + (mix(spec.seed) % 800_000_000_000);
    for s in 0..n_scopes {
        let account = format!("{:012}", account_base + (s / regions) as u64 * 7_919_123);
        scopes.push(ScopePlan {
            account,
            region: REGIONS[s % regions],
            vpcs: Vec::new(),
            tgw: false,
            peerings: Vec::new(),
        });
    }
    let n_tgws = spec.tgws.min(n_scopes);
    for t in 0..n_tgws {
        scopes[t * n_scopes / n_tgws].tgw = true;
    }

    // VPC blocks: /20 slots in order with random gaps, some reusing an earlier block.
    let mut vpcs: Vec<VpcPlan> = Vec::with_capacity(spec.vpcs);
    let mut slot: u32 = 0;
    let max_gap = if spec.vpcs <= 1300 { 3 } else { 1 };
    for v in 0..spec.vpcs {
        let scope = v * n_scopes / spec.vpcs;
        let overlaps = v > 1 && rng.chance(0.02);
        let base = if overlaps {
            vpcs[1 + rng.below(v - 1)].base
        } else {
            let b = (10u32 << 24) + (slot << 12);
            slot += 1 + rng.below(max_gap) as u32;
            b
        };
        let azs = if v == 0 || rng.chance(0.7) { 3 } else { 2 };
        let attached = scopes[scope].tgw && (v == 0 || rng.chance(0.9));
        scopes[scope].vpcs.push(v);
        vpcs.push(VpcPlan {
            id: ids.id("vpc"),
            name: format!("vpc-{v:04}"),
            base,
            overlaps,
            azs,
            attached,
            sgs: 0,
            instances: 0,
            caches: Vec::new(),
            peerings: Vec::new(),
        });
    }

    // Peerings within a scope, between disjoint blocks, each pair once.
    let mut peerings: Vec<PeeringPlan> = Vec::new();
    let mut pairs = std::collections::HashSet::new();
    let candidates: Vec<usize> = (0..n_scopes)
        .filter(|&s| scopes[s].vpcs.len() >= 2)
        .collect();
    for _ in 0..spec.peerings {
        for _attempt in 0..50 {
            let Some(&s) = rng.pick(&candidates) else {
                break;
            };
            let list = &scopes[s].vpcs;
            let a = list[rng.below(list.len())];
            let b = list[rng.below(list.len())];
            let (a, b) = (a.min(b), a.max(b));
            if a == b || vpcs[a].base == vpcs[b].base || !pairs.insert((a, b)) {
                continue;
            }
            let p = peerings.len();
            peerings.push(PeeringPlan {
                id: ids.id("pcx"),
                a,
                b,
            });
            vpcs[a].peerings.push(p);
            vpcs[b].peerings.push(p);
            scopes[s].peerings.push(p);
            break;
        }
    }

    // Caches: the first in the probe VPC, the others anywhere.
    let mut cache_vpc = Vec::with_capacity(spec.caches);
    for c in 0..spec.caches {
        let v = if c == 0 { 0 } else { rng.below(spec.vpcs) };
        vpcs[v].caches.push(c);
        cache_vpc.push(v);
    }

    // Security groups per VPC.
    let per = spec.security_groups / spec.vpcs;
    let rem = spec.security_groups % spec.vpcs;
    for (v, p) in vpcs.iter_mut().enumerate() {
        p.sgs = per + usize::from(v < rem);
    }
    let need0 = 1 + PROBE_SGS + vpcs[0].caches.len().min(vpcs[0].sgs);
    if vpcs[0].sgs < need0 {
        let short = need0 - vpcs[0].sgs;
        let mut moved = 0;
        for p in vpcs.iter_mut().skip(1) {
            while p.sgs > 1 && moved < short {
                p.sgs -= 1;
                moved += 1;
            }
        }
        vpcs[0].sgs += moved;
        if vpcs[0].sgs < 1 + PROBE_SGS {
            return Err(invalid("too few security groups for the probe VPC".into()));
        }
    }

    // ENIs: infrastructure first, the rest are instances.
    let mut infra = 0usize;
    for p in &vpcs {
        infra += 1; // NAT gateway
        if p.attached {
            let (n, public) = subnet_layout(spec, p.azs);
            infra += tgw_subnets(n, public, p.azs.min(n)).len();
        }
    }
    infra += 2 * spec.caches;
    let budget = spec.enis.saturating_sub(infra);
    if budget < PROBE_INSTANCES + 1 {
        return Err(invalid(format!(
            "{} ENIs are too few: {infra} go to NAT, transit-gateway and cache nodes, and the probe VPC needs {} instances",
            spec.enis,
            PROBE_INSTANCES + 1
        )));
    }
    let per = budget / spec.vpcs;
    let rem = budget % spec.vpcs;
    for (v, p) in vpcs.iter_mut().enumerate() {
        p.instances = per + usize::from(v < rem);
    }
    if vpcs[0].instances < PROBE_INSTANCES + 1 {
        let short = PROBE_INSTANCES + 1 - vpcs[0].instances;
        let mut moved = 0;
        for p in vpcs.iter_mut().skip(1) {
            while p.instances > 0 && moved < short {
                p.instances -= 1;
                moved += 1;
            }
        }
        vpcs[0].instances += moved;
    }
    for p in &vpcs {
        let (n, _) = subnet_layout(spec, p.azs);
        let capacity = n * (LAST_HOST - FIRST_HOST + 1) as usize;
        if p.instances + 2 * p.caches.len() + 1 + p.azs > capacity {
            return Err(invalid(format!(
                "{} instances do not fit in the {n} /24 subnets of a VPC: raise vpcs or subnets_per_vpc",
                p.instances
            )));
        }
    }
    Ok(Plan {
        scopes,
        vpcs,
        peerings,
        cache_vpc,
    })
}

// ---------------------------------------------------------------------------------------------
// One scope (account/region)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct ScopeData {
    vpcs: Vec<aws::Vpc>,
    vpc_attributes: Vec<aws::VpcAttribute>,
    subnets: Vec<aws::Subnet>,
    route_tables: Vec<aws::RouteTable>,
    network_acls: Vec<aws::NetworkAcl>,
    security_groups: Vec<aws::SecurityGroup>,
    reservations: Vec<aws::Reservation>,
    network_interfaces: Vec<aws::NetworkInterface>,
    addresses: Vec<aws::Address>,
    internet_gateways: Vec<aws::InternetGateway>,
    nat_gateways: Vec<aws::NatGateway>,
    prefix_lists: Vec<aws::PrefixList>,
    prefix_list_entries: Vec<aws::ManagedPrefixListEntries>,
    peerings: Vec<aws::VpcPeeringConnection>,
    tgws: Vec<aws::TransitGateway>,
    tgw_attachments: Vec<aws::TransitGatewayAttachment>,
    tgw_vpc_attachments: Vec<aws::TransitGatewayVpcAttachment>,
    tgw_route_tables: Vec<aws::TransitGatewayRouteTable>,
    tgw_associations: Vec<aws::TgwAssociationsWrapper>,
    tgw_propagations: Vec<aws::TgwPropagationsWrapper>,
    cache_clusters: Vec<aws::CacheCluster>,
    replication_groups: Vec<aws::ReplicationGroup>,
    cache_subnet_groups: Vec<aws::CacheSubnetGroup>,
}

/// Subnets of one VPC while it is being filled.
struct SubnetSlot {
    id: String,
    az: String,
    base: u32,
    next_host: u32,
    public: bool,
}

impl SubnetSlot {
    fn take(&mut self) -> Option<Ipv4Addr> {
        if self.next_host > LAST_HOST {
            return None;
        }
        let a = Ipv4Addr::from(self.base + self.next_host);
        self.next_host += 1;
        Some(a)
    }
}

struct Gen<'a> {
    spec: &'a OrgSpec,
    plan: &'a Plan,
    rng: Rng,
    ids: &'a mut Ids,
    public_ip: &'a mut u32,
    summary: &'a mut SynthSummary,
    samples: &'a mut [VpcSamples],
    /// Peering id → (requester VPC id, accepter VPC id).
    peering_ids: BTreeMap<usize, String>,
}

fn any_perm(cidr: &str) -> io::Result<aws::IpPermission> {
    Ok(aws::IpPermission {
        ip_protocol: "-1".into(),
        ip_ranges: vec![aws::IpRange {
            cidr_ip: parse4(cidr)?,
            description: None,
        }],
        ..Default::default()
    })
}

fn tcp_cidr(port: i32, cidr: aws::Cidr4, desc: Option<&str>) -> aws::IpPermission {
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

fn tcp_group(port: i32, group: &str, account: &str, desc: Option<&str>) -> aws::IpPermission {
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

fn acl_entry(
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

impl Gen<'_> {
    fn next_public_ip(&mut self) -> aws::Ip4 {
        // 52.0.0.0/10 and onwards: public space, never 10/8.
        let a = (52u32 << 24) + 256 + *self.public_ip;
        *self.public_ip += 1;
        aws::Ip4(Ipv4Addr::from(a))
    }

    fn scope(&mut self, s: usize) -> io::Result<ScopeData> {
        let plan = self.plan;
        let sp = &plan.scopes[s];
        let account = sp.account.clone();
        let region = sp.region;
        let mut d = ScopeData::default();

        // Customer-managed prefix list of office and VPN ranges.
        let pl_id = self.ids.id("pl");
        d.prefix_lists.push(aws::PrefixList {
            prefix_list_id: pl_id.clone(),
            prefix_list_name: Some("corp-office-ranges".into()),
            address_family: Some("IPv4".into()),
            owner_id: Some(account.clone()),
            state: Some("create-complete".into()),
            tags: tags("corp-office-ranges"),
            ..Default::default()
        });
        let mut entries = Vec::new();
        for (c, desc) in [
            (OFFICE, "office"),
            ("198.51.100.0/24", "vpn"),
            ("192.0.2.0/26", "partner"),
        ] {
            let cidr = c
                .parse::<IpNet>()
                .map_err(|e| invalid(e.to_string()))
                .map(aws::Cidr)?;
            entries.push(aws::PrefixListEntry {
                cidr,
                description: Some(desc.into()),
            });
        }
        d.prefix_list_entries.push(aws::ManagedPrefixListEntries {
            prefix_list_id: pl_id.clone(),
            entries,
        });

        // Transit gateway of the scope.
        let tgw = if sp.tgw {
            let tgw_id = self.ids.id("tgw");
            let rtb_id = self.ids.id("tgw-rtb");
            d.tgws.push(aws::TransitGateway {
                transit_gateway_id: tgw_id.clone(),
                transit_gateway_arn: Some(format!(
                    "arn:aws:ec2:{region}:{account}:transit-gateway/{tgw_id}"
                )),
                state: "available".into(),
                owner_id: Some(account.clone()),
                creation_time: Some(timestamp(&mut self.rng)),
                options: Some(aws::TransitGatewayOptions {
                    amazon_side_asn: Some(64512),
                    default_route_table_association: Some("enable".into()),
                    association_default_route_table_id: Some(rtb_id.clone()),
                    default_route_table_propagation: Some("enable".into()),
                    propagation_default_route_table_id: Some(rtb_id.clone()),
                    security_group_referencing_support: Some("disable".into()),
                    dns_support: Some("enable".into()),
                }),
                tags: tags(&format!("tgw-{region}")),
            });
            d.tgw_route_tables.push(aws::TransitGatewayRouteTable {
                transit_gateway_route_table_id: rtb_id.clone(),
                transit_gateway_id: tgw_id.clone(),
                state: "available".into(),
                default_association_route_table: true,
                default_propagation_route_table: true,
                creation_time: Some(timestamp(&mut self.rng)),
                tags: tags("tgw-default"),
            });
            d.tgw_associations.push(aws::TgwAssociationsWrapper {
                transit_gateway_route_table_id: rtb_id.clone(),
                associations: Vec::new(),
            });
            d.tgw_propagations.push(aws::TgwPropagationsWrapper {
                transit_gateway_route_table_id: rtb_id.clone(),
                transit_gateway_route_table_propagations: Vec::new(),
            });
            self.summary.transit_gateways += 1;
            Some((tgw_id, rtb_id))
        } else {
            None
        };

        // Peering connections of the scope (ids are known from the plan).
        for &p in &sp.peerings {
            let pp = &plan.peerings[p];
            let info = |v: usize| -> io::Result<aws::PeeringVpcInfo> {
                let vp = &plan.vpcs[v];
                Ok(aws::PeeringVpcInfo {
                    vpc_id: Some(vp.id.clone()),
                    owner_id: Some(account.clone()),
                    region: Some(region.into()),
                    cidr_block: Some(cidr4(vp.base, 20)?),
                    cidr_block_set: vec![aws::CidrBlockItem {
                        cidr_block: cidr4(vp.base, 20)?,
                    }],
                    ipv6_cidr_block_set: Vec::new(),
                })
            };
            d.peerings.push(aws::VpcPeeringConnection {
                vpc_peering_connection_id: pp.id.clone(),
                status: Some(aws::PeeringStatus {
                    code: "active".into(),
                    message: Some("Active".into()),
                }),
                requester_vpc_info: Some(info(pp.a)?),
                accepter_vpc_info: Some(info(pp.b)?),
                tags: tags(&format!(
                    "{}-to-{}",
                    plan.vpcs[pp.a].name, plan.vpcs[pp.b].name
                )),
            });
            self.peering_ids.insert(p, pp.id.clone());
            self.summary.peerings += 1;
        }

        for &v in &sp.vpcs {
            self.vpc(v, &account, region, &pl_id, tgw.as_ref(), &mut d)?;
        }
        Ok(d)
    }

    #[allow(clippy::too_many_arguments)]
    fn vpc(
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
            let token: String = format!("{:06x}", mix(c as u64 ^ self.spec.seed) & 0xff_ffff);
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
                }],
                configuration_endpoint: None,
                cluster_enabled: Some(false),
                transit_encryption_enabled: Some(true),
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

#[allow(clippy::too_many_arguments)]
fn managed_eni(
    id: &str,
    subnet: &SubnetSlot,
    vpc_id: &str,
    account: &str,
    ip: Ipv4Addr,
    description: &str,
    interface_type: &str,
    requester: &str,
    groups: Vec<aws::GroupIdentifier>,
    association: Option<aws::IpAssociation>,
) -> aws::NetworkInterface {
    aws::NetworkInterface {
        network_interface_id: id.into(),
        subnet_id: Some(subnet.id.clone()),
        vpc_id: Some(vpc_id.into()),
        availability_zone: Some(subnet.az.clone()),
        description: Some(description.into()),
        groups,
        interface_type: Some(interface_type.into()),
        requester_id: Some(requester.into()),
        requester_managed: Some(true),
        source_dest_check: Some(false),
        status: Some("in-use".into()),
        private_ip_address: Some(aws::Ip4(ip)),
        private_ip_addresses: vec![aws::PrivateIpAddress {
            private_ip_address: Some(aws::Ip4(ip)),
            primary: true,
            association: association.clone(),
        }],
        association,
        attachment: Some(aws::EniAttachment {
            instance_owner_id: Some(if requester == "amazon-elasticache" {
                requester.into()
            } else {
                "amazon-aws".into()
            }),
            status: Some("attached".into()),
            device_index: Some(1),
            ..Default::default()
        }),
        owner_id: Some(account.into()),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// A writer that counts bytes.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write `{"<key>": [...]}` as the AWS CLI prints it (4-space indent).
fn write_file<T: Serialize>(
    dir: &Path,
    name: &str,
    key: &str,
    items: &[T],
    summary: &mut SynthSummary,
) -> io::Result<()> {
    let path = dir.join(name);
    let file = std::fs::File::create(&path)?;
    let mut out = Counting {
        inner: io::BufWriter::with_capacity(1 << 16, file),
        bytes: 0,
    };
    let mut map = BTreeMap::new();
    map.insert(key, items);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    map.serialize(&mut ser).map_err(io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()?;
    summary.bytes += out.bytes;
    summary.files.push(path);
    Ok(())
}

fn write_scope(dir: &Path, d: &ScopeData, summary: &mut SynthSummary) -> io::Result<()> {
    let s = summary;
    write_file(dir, "describe-vpcs.json", "Vpcs", &d.vpcs, s)?;
    write_file(
        dir,
        "describe-vpc-attribute.json",
        "VpcAttributes",
        &d.vpc_attributes,
        s,
    )?;
    write_file(dir, "describe-subnets.json", "Subnets", &d.subnets, s)?;
    write_file(
        dir,
        "describe-route-tables.json",
        "RouteTables",
        &d.route_tables,
        s,
    )?;
    write_file(
        dir,
        "describe-network-acls.json",
        "NetworkAcls",
        &d.network_acls,
        s,
    )?;
    write_file(
        dir,
        "describe-security-groups.json",
        "SecurityGroups",
        &d.security_groups,
        s,
    )?;
    write_file(
        dir,
        "describe-instances.json",
        "Reservations",
        &d.reservations,
        s,
    )?;
    write_file(
        dir,
        "describe-network-interfaces.json",
        "NetworkInterfaces",
        &d.network_interfaces,
        s,
    )?;
    write_file(dir, "describe-addresses.json", "Addresses", &d.addresses, s)?;
    write_file(
        dir,
        "describe-internet-gateways.json",
        "InternetGateways",
        &d.internet_gateways,
        s,
    )?;
    write_file(
        dir,
        "describe-nat-gateways.json",
        "NatGateways",
        &d.nat_gateways,
        s,
    )?;
    write_file(
        dir,
        "describe-managed-prefix-lists.json",
        "PrefixLists",
        &d.prefix_lists,
        s,
    )?;
    write_file(
        dir,
        "get-managed-prefix-list-entries.json",
        "ManagedPrefixListEntries",
        &d.prefix_list_entries,
        s,
    )?;
    write_file(
        dir,
        "describe-vpc-peering-connections.json",
        "VpcPeeringConnections",
        &d.peerings,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateways.json",
        "TransitGateways",
        &d.tgws,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-attachments.json",
        "TransitGatewayAttachments",
        &d.tgw_attachments,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-vpc-attachments.json",
        "TransitGatewayVpcAttachments",
        &d.tgw_vpc_attachments,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-route-tables.json",
        "TransitGatewayRouteTables",
        &d.tgw_route_tables,
        s,
    )?;
    write_file(
        dir,
        "get-transit-gateway-route-table-associations.json",
        "TransitGatewayAssociations",
        &d.tgw_associations,
        s,
    )?;
    write_file(
        dir,
        "get-transit-gateway-route-table-propagations.json",
        "TransitGatewayPropagations",
        &d.tgw_propagations,
        s,
    )?;
    write_file(
        dir,
        "describe-cache-clusters.json",
        "CacheClusters",
        &d.cache_clusters,
        s,
    )?;
    write_file(
        dir,
        "describe-replication-groups.json",
        "ReplicationGroups",
        &d.replication_groups,
        s,
    )?;
    write_file(
        dir,
        "describe-cache-subnet-groups.json",
        "CacheSubnetGroups",
        &d.cache_subnet_groups,
        s,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Driver and queries
// ---------------------------------------------------------------------------------------------

fn generate(spec: &OrgSpec, dir: Option<&Path>) -> io::Result<SynthSummary> {
    let mut rng = Rng::new(spec.seed);
    let mut ids = Ids {
        key: mix(spec.seed ^ 0x1d5),
        next: 0,
    };
    let plan = plan(spec, &mut rng, &mut ids)?;
    let mut summary = SynthSummary {
        scopes: plan.scopes.len(),
        ..Default::default()
    };
    let mut samples = vec![VpcSamples::default(); plan.vpcs.len()];
    let mut public_ip = 0u32;
    for s in 0..plan.scopes.len() {
        let data = {
            let mut g = Gen {
                spec,
                plan: &plan,
                rng: Rng::new(spec.seed ^ mix(s as u64 + 1)),
                ids: &mut ids,
                public_ip: &mut public_ip,
                summary: &mut summary,
                samples: &mut samples,
                peering_ids: BTreeMap::new(),
            };
            g.scope(s)?
        };
        if let Some(root) = dir {
            let sp = &plan.scopes[s];
            let sub = root.join(&sp.account).join(sp.region);
            std::fs::create_dir_all(&sub)?;
            write_scope(&sub, &data, &mut summary)?;
        }
    }
    summary.instance = summary.probe_client.clone();
    summary.cache = (!plan.cache_vpc.is_empty()).then(|| "cache-0000".to_string());
    summary.queries = queries(&plan, &samples, &summary, &mut rng);
    Ok(summary)
}

fn q(kind: &str, from: &str, to: &str, port: Option<&str>, expect: Option<bool>) -> SynthQuery {
    SynthQuery {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
        port: port.map(str::to_string),
        expect_reachable: expect,
    }
}

fn queries(
    plan: &Plan,
    samples: &[VpcSamples],
    s: &SynthSummary,
    rng: &mut Rng,
) -> Vec<SynthQuery> {
    let mut out = vec![
        q(
            "same-subnet",
            &s.probe_client,
            &s.probe_open_server,
            Some("22"),
            Some(true),
        ),
        q(
            "same-subnet",
            &s.probe_client,
            &s.probe_closed_server,
            Some("22"),
            Some(false),
        ),
        q(
            "internet-in",
            "internet",
            &s.public_instance,
            Some("443"),
            Some(true),
        ),
    ];
    if let Some(c) = &s.cache {
        out.push(q(
            "cache",
            &s.probe_client,
            &format!("cache:{c}"),
            None,
            Some(true),
        ));
        out.push(q(
            "cache",
            "internet",
            &format!("cache:{c}"),
            None,
            Some(false),
        ));
    }
    let n = plan.vpcs.len();
    let with =
        |k: usize| -> Vec<usize> { (0..n).filter(|&v| samples[v].private.len() >= k).collect() };
    // Same VPC, different instances.
    let two = with(2);
    for _ in 0..3 {
        if let Some(&v) = rng.pick(&two) {
            let p = &samples[v].private;
            out.push(q(
                "same-vpc",
                &p[0].0,
                &p[1].0,
                Some(*rng.pick(&["443", "22", "8080"]).unwrap_or(&"443")),
                None,
            ));
        }
    }
    // Across a transit gateway: attached VPCs of one scope, disjoint blocks.
    let mut tgw_pairs = Vec::new();
    for sp in plan.scopes.iter().filter(|sp| sp.tgw) {
        let att: Vec<usize> = sp
            .vpcs
            .iter()
            .copied()
            .filter(|&v| {
                plan.vpcs[v].attached && !plan.vpcs[v].overlaps && !samples[v].private.is_empty()
            })
            .collect();
        if att.len() >= 2 {
            tgw_pairs.push((att[0], att[att.len() - 1]));
            tgw_pairs.push((att[1], att[att.len() / 2]));
        }
    }
    tgw_pairs.retain(|(a, b)| a != b);
    tgw_pairs.sort_unstable();
    tgw_pairs.dedup();
    let start = rng.below(tgw_pairs.len());
    for k in 0..3.min(tgw_pairs.len()) {
        let (a, b) = tgw_pairs[(start + k) % tgw_pairs.len()];
        out.push(q(
            "tgw",
            &samples[a].private[0].0,
            &samples[b].private[0].0,
            Some("443"),
            None,
        ));
    }
    // Across a peering.
    for p in plan.peerings.iter().take(2) {
        if let (Some(a), Some(b)) = (samples[p.a].private.first(), samples[p.b].private.first()) {
            out.push(q("peering", &a.0, &b.0, Some("443"), None));
        }
    }
    // Other caches, from their client instance (the first ordinary one of the VPC).
    for (c, &v) in plan.cache_vpc.iter().enumerate().skip(1).take(2) {
        if let Some(client) = samples[v].private.first() {
            out.push(q("cache", &client.0, &format!("cache-{c:04}"), None, None));
        }
    }
    // Internet to other public instances, instances to the internet.
    let pubs: Vec<usize> = (1..n).filter(|&v| !samples[v].public.is_empty()).collect();
    if let Some(&v) = rng.pick(&pubs) {
        out.push(q(
            "internet-in",
            "internet",
            &samples[v].public[0],
            Some("22"),
            None,
        ));
    }
    let one = with(1);
    for _ in 0..2 {
        if let Some(&v) = rng.pick(&one) {
            out.push(q(
                "internet-out",
                &samples[v].private[0].0,
                "internet",
                Some("443"),
                None,
            ));
        }
    }
    // ENI to ENI by id.
    for _ in 0..2 {
        if let Some(&v) = rng.pick(&two) {
            let p = &samples[v].private;
            out.push(q("eni", &p[1].1, &p[0].1, Some("443"), None));
        }
    }
    out
}
