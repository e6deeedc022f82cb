//! A source of one address family asked against a target with no address of that family (R8,
//! engine-semantics "Flows": IPv4 and IPv6 are separate): no flow exists, and the answer must
//! say so — a `NO_COMMON_ADDRESS_FAMILY` blocker at the target and a warning naming the family
//! the target lacks — never an empty, unexplained `unreachable`.

use serde_json::Value;
use std::process::Command;

fn reach(case: &str, from: &str, to: &str) -> Value {
    let dir = format!("{}/fixtures/rules/{case}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot", &dir, "--from", from, "--to", to])
        .args(["--port", "443", "--format", "json"])
        .output()
        .expect("run vpcreach");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON answer")
}

/// The blockers' (component, code, detail).
fn blocked(v: &Value) -> Vec<(String, String, String)> {
    v["blocked"]
        .as_array()
        .expect("blocked")
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap_or("").to_string();
            (s("component"), s("code"), s("detail"))
        })
        .collect()
}

/// `::/0` and `2001:db8::/32` to i-05…1, whose one interface holds only 10.5.1.10 (public
/// 54.200.5.1, fixtures/rules/r4-route-priority): the snapshot holds no IPv6 sender (the VPC
/// has no IPv6 block), so the whole block is outside hosts, and none of them can address the
/// instance. By hand: verdict unreachable; one blocker, NO_COMMON_ADDRESS_FAMILY at the target
/// saying it has no IPv6 address; the warning names the same.
#[test]
fn ipv6_block_to_ipv4_only_instance() {
    for from in ["::/0", "2001:db8::/32"] {
        let v = reach("r4-route-priority", from, "i-05000000000000001");
        let what = format!("{from}: {v:#}");
        assert_eq!(v["verdict"], "unreachable", "{what}");
        let b = blocked(&v);
        assert_eq!(b.len(), 1, "{what}");
        assert_eq!(b[0].0, "i-05000000000000001", "{what}");
        assert_eq!(b[0].1, "NO_COMMON_ADDRESS_FAMILY", "{what}");
        assert!(b[0].2.contains("has no IPv6 address"), "{what}");
        assert!(b[0].2.contains(from), "{what}");
        let w = v["warnings"].as_array().expect("warnings");
        assert!(
            w.iter().any(|w| w
                .as_str()
                .is_some_and(|w| w.contains("i-05000000000000001 has no IPv6 address"))),
            "{what}"
        );
        assert!(v["paths"].as_array().expect("paths").is_empty(), "{what}");
    }
}

/// The reverse: `10.9.0.0/16` (eni-…1 10.9.1.10, eni-…2 10.9.2.10 and the unheld addresses of
/// both subnets, fixtures/rules/r8-default-routes-per-family) to the IPv6 address
/// 2600:1f18:9:2::10, an IPv6-only target. By hand: every source is IPv4, the target has no IPv4
/// address: unreachable, every blocker NO_COMMON_ADDRESS_FAMILY saying the target has no IPv4
/// address, no path. The target's own interface (10.9.2.10) is no source of the block.
#[test]
fn ipv4_block_to_ipv6_address() {
    let v = reach(
        "r8-default-routes-per-family",
        "10.9.0.0/16",
        "2600:1f18:9:2::10",
    );
    let what = format!("{v:#}");
    assert_eq!(v["verdict"], "unreachable", "{what}");
    let b = blocked(&v);
    assert!(!b.is_empty(), "{what}");
    for (component, code, detail) in &b {
        assert_eq!(component, "2600:1f18:9:2::10", "{what}");
        assert_eq!(code, "NO_COMMON_ADDRESS_FAMILY", "{what}");
        assert!(detail.contains("has no IPv4 address"), "{what}");
    }
    assert!(v["paths"].as_array().expect("paths").is_empty(), "{what}");
}

/// A target with both families is unaffected: `::/0` to i-09…2 (2600:1f18:9:2::10) has IPv6
/// flows, so no NO_COMMON_ADDRESS_FAMILY is stated.
#[test]
fn dual_stack_target_has_no_family_gap() {
    let v = reach(
        "r8-default-routes-per-family",
        "::/0",
        "i-09000000000000002",
    );
    let what = format!("{v:#}");
    assert!(
        blocked(&v)
            .iter()
            .all(|(_, code, _)| code != "NO_COMMON_ADDRESS_FAMILY"),
        "{what}"
    );
}
