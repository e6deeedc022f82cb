//! A topology of `n` single-block VPCs for the overlap sweep (`benches/overlaps.rs` and
//! `tests/synth.rs`): `/16` to `/24` blocks at random places in `10.0.0.0/8`, so that a
//! realistic share overlaps. Written as a one-scope snapshot (`describe-vpcs.json` only, from
//! the `vpcreach::snapshot::aws` shapes) and loaded through the public API. Include it with
//! `#[path = ".../tests/support/overlap_topology.rs"] mod overlap_topology;`.

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
