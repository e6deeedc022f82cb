//! Synthetic organisations: realistic AWS networks of any size, written as an ordinary snapshot.
//! Test support (not part of the product), shared by `tests/synth.rs`, `benches/scale.rs` and
//! `examples/synth_org.rs`, each of which includes it with
//! `#[path = ".../tests/support/synth_org/mod.rs"] mod synth_org;`; it uses only vpcreach's
//! public API.
//!
//! [`write_snapshot`] turns an [`OrgSpec`] (how many accounts, regions, VPCs, ENIs, security
//! groups, transit gateways, peerings, caches) into `<account>/<region>/describe-*.json` files,
//! shaped exactly like the AWS CLI output (every file is a serialized `vpcreach::snapshot::aws`
//! value; nothing is hand-formatted). The result loads with `vpcreach::snapshot::load` without
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
//! Everything is deterministic in [`OrgSpec::seed`] (`rand_pcg::Pcg64Mcg` generators, see
//! `rng.rs`). Accounts and regions are generated one after the other and dropped once written,
//! so memory stays small whatever the size.
//!
//! Files: `plan.rs` (what crosses VPCs), `scope.rs` (one account/region), `network.rs` and
//! `workloads.rs` (one VPC), `write.rs` (the JSON files), `queries.rs` (the questions),
//! `rng.rs` (random numbers, ids, small helpers).

// Each including crate uses a different part of this module.
#![allow(dead_code)]

mod network;
mod plan;
mod queries;
mod rng;
mod scope;
mod workloads;
mod write;

use network::VpcNet;
use plan::{plan, subnet_layout, tgw_subnets, Plan, VpcSamples, PROBE_INSTANCES, PROBE_SGS};
use queries::queries;
use rng::{cidr4, invalid, parse4, tags, timestamp, Ids, Rng};
use scope::{managed_eni, Gen, ScopeData, SubnetSlot};
use write::write_scope;

use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use vpcreach::snapshot::aws;

/// Bumped whenever the same [`OrgSpec`] would produce a different organisation, so that a
/// snapshot written by an older generator is not reused with a newer summary (`benches/scale.rs`
/// keeps the spec and this version next to the snapshot). 2: `rand_pcg` instead of xorshift.
pub const GENERATOR_VERSION: u32 = 2;

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
// Driver
// ---------------------------------------------------------------------------------------------

fn generate(spec: &OrgSpec, dir: Option<&Path>) -> io::Result<SynthSummary> {
    // One generator seeds the others: the plan and query list, the ids, then one per scope, so
    // that what a scope draws does not shift the draws of the next.
    let mut seeds = Rng::new(spec.seed);
    let mut rng = seeds.child();
    let mut ids = Ids::new(seeds.next());
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
                rng: seeds.child(),
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
