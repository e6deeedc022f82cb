//! JSON lists are complete (issue 9 §6): the `question.sources` of a CIDR source name every
//! block of its outside part, never a cut list (`… (95 blocks)`); tables may cut it.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::run;
use std::net::Ipv4Addr;

/// `--from 0.0.0.0/0 --to demo-redis`: the outside part of 0.0.0.0/0 is every IPv4 address but
/// the demo's VPC blocks 10.0.0.0/16 and 10.20.0.0/16 (project-a and project-b share it) and
/// the three public addresses interfaces of the snapshot hold (HAProxy's EIP 54.87.201.14, the
/// bastion's 3.92.118.206, the NAT gateway's 54.210.33.87; the unassociated EIP 52.4.190.77 is
/// held by none): 2^32 - 2 * 2^16 - 3 addresses. The label lists blocks that add up to exactly
/// that, and no JSON string of the question or its flow summaries is cut.
#[test]
fn a_cidr_source_lists_every_outside_block_in_json() {
    let r = run(&[
        "reach",
        "--from",
        "0.0.0.0/0",
        "--to",
        "demo-redis",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let label = v["question"]["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|s| s.as_str())
        .find(|s| s.starts_with("outside host(s) "))
        .expect("an outside part")
        .to_string();
    let inner = label
        .strip_prefix("outside host(s) ")
        .and_then(|s| s.strip_suffix(" (outside every VPC)"))
        .expect("label shape");
    let mut total: u64 = 0;
    for block in inner.split(", ") {
        let (addr, len) = block.split_once('/').expect(block);
        let _: Ipv4Addr = addr.parse().expect(block);
        let len: u32 = len.parse().expect(block);
        total += 1u64 << (32 - len);
    }
    assert_eq!(total, (1u64 << 32) - 2 * (1u64 << 16) - 3, "{label}");
    for part in ["question", "passing", "failing"] {
        let text = v[part].to_string();
        assert!(
            !text.contains("...") && !text.contains('…'),
            "{part}: {text}"
        );
    }
}
