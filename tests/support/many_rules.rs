//! Security groups with many rules: the bundled demo snapshot (`fixtures/demo`) with `n`
//! generated ingress rules added to the cache group `demo-redis` and `n` egress rules added to
//! the `ssm-host` group, written to a folder. Test support (not part of the product), shared by
//! `benches/scale.rs` and `tests/sg_many_rules.rs` through `#[path]`.
//!
//! The generated rules look like a large real group: single TCP ports and port ranges, UDP and
//! ICMP, IPv4 and IPv6 CIDRs, prefix lists and references to other groups of the VPC. None of
//! them admits the ssm-host instance (10.0.11.20, group `sg-08819528322010004`) to the cache
//! node 10.0.11.57 on any port: every generated CIDR lies outside `10.0.0.0/16`, every
//! generated group reference names `haproxy`, `bastion` or the VPC default group, and no
//! generated protocol-all rule names an address of the app VPC. So the demo's answers for that
//! pair hold unchanged: tcp 6379 is admitted by the original rule only, anything else is
//! blocked by the cache group. [`Admit6380At`] optionally inserts one rule that admits
//! 10.0.11.20 on tcp 6380, at a known position.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::path::Path;

/// The cache group that receives the ingress rules.
pub const CACHE_GROUP: &str = "sg-08819528322010005";
/// The client group that receives the egress rules.
pub const CLIENT_GROUP: &str = "sg-08819528322010004";
/// The client (ssm-port-forward instance) and the cache node ENI's address.
pub const CLIENT: &str = "i-0de7d1b721a1e0003";
pub const CACHE_NODE: &str = "10.0.11.57";
/// Marker for [`write`]: insert a rule `tcp 6380 from 10.0.11.20/32` as ingress rule number
/// `k` (0-based) of the cache group.
pub struct Admit6380At(pub usize);

/// Groups of the app VPC that generated references may name (never ssm-host).
const REFERENCED: [&str; 3] = [
    "sg-08819528322010001",
    "sg-08819528322010002",
    "sg-08819528322010003",
];
const TCP_PORTS: [u16; 16] = [
    22, 80, 443, 3306, 5432, 8080, 8443, 9090, 9200, 27017, 11211, 5672, 15672, 2379, 6443, 9092,
];

/// A small deterministic generator (SplitMix64).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// An IPv4 peer outside 10.0.0.0/16: 172.16.0.0/12, 192.168.0.0/16 or TEST-NET/documentation
/// space, as a /32, /28 or /24.
fn v4_peer(r: &mut Mix) -> String {
    let len = [32, 28, 24][r.below(3) as usize];
    let host: u32 = match r.below(3) {
        0 => 0xac10_0000 | (r.below(1 << 20) as u32),
        1 => 0xc0a8_0000 | (r.below(1 << 16) as u32),
        _ => 0xc633_6400 | (r.below(1 << 8) as u32),
    };
    let mask = if len == 32 {
        u32::MAX
    } else {
        !((1u32 << (32 - len)) - 1)
    };
    let a = std::net::Ipv4Addr::from(host & mask);
    format!("{a}/{len}")
}

fn perm(protocol: &str, ports: Option<(i64, i64)>) -> Value {
    let mut p = json!({
        "IpProtocol": protocol,
        "IpRanges": [],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
        "UserIdGroupPairs": []
    });
    if let Some((lo, hi)) = ports {
        p["FromPort"] = json!(lo);
        p["ToPort"] = json!(hi);
    }
    p
}

/// Generated rule `i` of a group.
fn rule(r: &mut Mix, i: usize) -> Value {
    let (protocol, ports) = match r.below(20) {
        0..=11 => ("tcp", {
            let p = i64::from(TCP_PORTS[r.below(TCP_PORTS.len() as u64) as usize]);
            (p, p)
        }),
        12..=13 => ("tcp", {
            let lo = 20_000 + 100 * r.below(300) as i64;
            (lo, lo + 99)
        }),
        14..=15 => (
            "udp",
            [(53, 53), (123, 123), (514, 514), (4789, 4789)][i % 4],
        ),
        16 => ("icmp", (8, -1)),
        17 => ("icmpv6", (128, -1)),
        _ => ("-1", (-1, -1)),
    };
    let mut p = perm(protocol, (protocol != "-1").then_some(ports));
    let peer = r.below(10);
    if protocol == "icmpv6" || peer == 0 {
        let a = r.below(1 << 16);
        p["Ipv6Ranges"] = json!([{ "CidrIpv6": format!("2001:db8:{a:x}::/48"), "Description": format!("generated {i}") }]);
    } else if peer == 1 && protocol != "-1" {
        p["PrefixListIds"] = json!([{ "PrefixListId": "pl-63a5400a", "Description": "s3" }]);
    } else if (2..=3).contains(&peer) && protocol != "-1" {
        let g = REFERENCED[r.below(REFERENCED.len() as u64) as usize];
        p["UserIdGroupPairs"] = json!([{ "GroupId": g, "UserId": "111111111111" }]);
    } else {
        p["IpRanges"] = json!([{ "CidrIp": v4_peer(r), "Description": format!("generated {i}") }]);
    }
    p
}

/// Write the demo snapshot with `n` generated rules on each side to `dir`; with
/// `admit`, ingress rule `admit.0` of the cache group admits tcp 6380 from 10.0.11.20/32.
pub fn write(dir: &Path, n: usize, admit: Option<Admit6380At>) -> std::io::Result<()> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    for entry in walkdir::WalkDir::new(&demo)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(&demo).unwrap_or(entry.path());
        let to = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to)?;
        } else if rel.extension().is_some_and(|x| x == "json") {
            std::fs::copy(entry.path(), &to)?;
        }
    }
    let path = dir.join("111111111111/us-east-1/describe-security-groups.json");
    let text = std::fs::read_to_string(&path)?;
    let mut doc: Value = serde_json::from_str(&text).map_err(std::io::Error::other)?;
    let mut r = Mix(0x5e_c0de_0001);
    let groups = doc["SecurityGroups"]
        .as_array_mut()
        .ok_or_else(|| std::io::Error::other("no SecurityGroups"))?;
    for g in groups.iter_mut() {
        let (key, add_admit) = match g["GroupId"].as_str() {
            Some(CACHE_GROUP) => ("IpPermissions", true),
            Some(CLIENT_GROUP) => ("IpPermissionsEgress", false),
            _ => continue,
        };
        let list = g[key]
            .as_array_mut()
            .ok_or_else(|| std::io::Error::other("no permission list"))?;
        for i in 0..n {
            if let (true, Some(Admit6380At(k))) = (add_admit, &admit) {
                if *k == i {
                    let mut p = perm("tcp", Some((6380, 6380)));
                    p["IpRanges"] =
                        json!([{ "CidrIp": "10.0.11.20/32", "Description": "ssm 6380" }]);
                    list.push(p);
                    continue;
                }
            }
            list.push(rule(&mut r, i));
        }
    }
    let out = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    std::fs::write(&path, out)
}
