//! A topology of `n` single-block VPCs for the overlap sweep (`benches/overlaps.rs` and
//! `tests/synth.rs`): `/16` to `/24` blocks at random places in `10.0.0.0/8`, so that a
//! realistic share overlaps. Written as a one-scope snapshot (`describe-vpcs.json` only, from
//! the `vpcreach::snapshot::aws` shapes) and loaded through the public API. Include it with
//! `#[path = ".../tests/support/overlap_topology.rs"] mod overlap_topology;`.
//!
//! Also a snapshot of many default VPCs on 172.31.0.0/16, one per account and region
//! ([`write_default_vpcs`]), for the shared-block benchmark and tests.
// Each includer uses part of it (the benchmark the default VPCs, tests/synth.rs the blocks).
#![allow(dead_code)]

use ipnet::Ipv4Net;
use rand_core::{Rng as _, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::BTreeMap;
use vpcreach::model::Topology;
use vpcreach::snapshot::aws;

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// The blocks of [`synthetic_topology`], VPC `i` owning block `i`: deterministic in `seed`.
pub fn synthetic_blocks(n: usize, seed: u64) -> Vec<Ipv4Net> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let x = rng.next_u64();
            let len = 16 + (x % 9) as u8;
            let addr = 0x0a00_0000u32 | ((x >> 16) as u32 & 0x00ff_ffff);
            Ipv4Net::new(addr.into(), len)
                .expect("a prefix length of 16 to 24")
                .trunc()
        })
        .collect()
}

/// A topology of `n` VPCs (`vpc-<17 hex digits of i>`), one block each, in one account/region.
/// Panics if the snapshot cannot be written or loaded (test support).
pub fn synthetic_topology(n: usize, seed: u64) -> Topology {
    let vpcs: Vec<aws::Vpc> = synthetic_blocks(n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, net)| aws::Vpc {
            vpc_id: format!("vpc-{i:017x}"),
            owner_id: Some(ACCOUNT.into()),
            cidr_block: Some(aws::Cidr4(net)),
            cidr_block_association_set: vec![aws::VpcCidrAssociation {
                association_id: Some(format!("vpc-cidr-assoc-{i:017x}")),
                cidr_block: Some(aws::Cidr4(net)),
                cidr_block_state: Some(aws::StateOnly {
                    state: "associated".into(),
                }),
            }],
            state: Some("available".into()),
            ..Default::default()
        })
        .collect();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let scope = dir.path().join(ACCOUNT).join(REGION);
    std::fs::create_dir_all(&scope).expect("create the scope directory");
    let json = serde_json::to_vec(&BTreeMap::from([("Vpcs", vpcs)])).expect("serialize VPCs");
    std::fs::write(scope.join("describe-vpcs.json"), json).expect("write describe-vpcs.json");
    let snapshot = vpcreach::snapshot::load(dir.path()).expect("load the snapshot");
    vpcreach::model::build(snapshot)
}

/// The regions [`write_default_vpcs`] spreads its accounts over (17, as in a commercial
/// partition with every opt-in region disabled).
pub const DEFAULT_REGIONS: [&str; 17] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
];

/// The account of default VPC `i` in [`write_default_vpcs`]: 17 consecutive VPCs share one
/// account (one default VPC per region).
pub fn default_vpc_account(i: usize) -> String {
    format!("{:012}", 100_000_000_000usize + i / DEFAULT_REGIONS.len())
}

/// The id of default VPC `i` in [`write_default_vpcs`].
pub fn default_vpc_id(i: usize) -> String {
    format!("vpc-d{i:016x}")
}

/// Write a snapshot of `n` default VPCs, all on 172.31.0.0/16 (what AWS gives every default
/// VPC), one per account and region: VPC `i` is in account [`default_vpc_account`] and region
/// `DEFAULT_REGIONS[i % 17]`. One `describe-vpcs.json` per scope; no TGW, no peering.
pub fn write_default_vpcs(dir: &std::path::Path, n: usize) {
    let net: Ipv4Net = "172.31.0.0/16".parse().expect("a CIDR");
    for i in 0..n {
        let account = default_vpc_account(i);
        let vpc = aws::Vpc {
            vpc_id: default_vpc_id(i),
            owner_id: Some(account.clone()),
            cidr_block: Some(aws::Cidr4(net)),
            cidr_block_association_set: vec![aws::VpcCidrAssociation {
                association_id: Some(format!("vpc-cidr-assoc-d{i:016x}")),
                cidr_block: Some(aws::Cidr4(net)),
                cidr_block_state: Some(aws::StateOnly {
                    state: "associated".into(),
                }),
            }],
            is_default: true,
            state: Some("available".into()),
            ..Default::default()
        };
        let scope = dir
            .join(account)
            .join(DEFAULT_REGIONS[i % DEFAULT_REGIONS.len()]);
        std::fs::create_dir_all(&scope).expect("create the scope directory");
        let json = serde_json::to_vec(&BTreeMap::from([("Vpcs", vec![vpc])])).expect("serialize");
        std::fs::write(scope.join("describe-vpcs.json"), json).expect("write describe-vpcs.json");
    }
}

/// [`write_default_vpcs`], loaded through the public API.
pub fn default_vpcs_topology(n: usize) -> Topology {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_default_vpcs(dir.path(), n);
    let snapshot = vpcreach::snapshot::load(dir.path()).expect("load the snapshot");
    vpcreach::model::build(snapshot)
}
