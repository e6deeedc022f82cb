//! `--port` with `--protocol icmp` / `icmpv6` is an ICMP type or type range (issue 9 §8): a bad
//! value is refused as a bad ICMP type (exit 2), whatever is wrong with it, never read as
//! something else; `--protocol 1` is ICMP too.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::run;

/// `8-3` (reversed), `300` (above 255) and `x` are not ICMP types: exit 2 and a message naming
/// ICMP types (not ports). `--protocol 1 --port 8` is the echo request: the demo's SSM host
/// (private-a, default NACL out 100) pinging the HAProxy 10.0.1.25 passes app-public's inbound
/// rule 120 (all from 10.0.0.0/16) and is stopped by the haproxy group, which admits only tcp
/// 6379 (ENI_SG_RULES_MISMATCH, ingress); the echo replies (type 0) would pass app-public out
/// 120 and the default NACL in 100: the group is the only blocker. An answer, exit 0, `type 8`.
#[test]
fn icmp_types_are_checked_as_types() {
    for bad in ["8-3", "300", "x"] {
        let r = run(&[
            "reach",
            "--from",
            "10.0.11.20",
            "--to",
            "10.0.1.25",
            "--protocol",
            "icmp",
            "--port",
            bad,
        ]);
        assert_eq!(r.code, 2, "{bad}: {}", r.stdout);
        assert!(
            r.stderr.contains(&format!("invalid ICMP type \"{bad}\"")),
            "{bad}: {}",
            r.stderr
        );
    }
    let r = run(&[
        "reach",
        "--from",
        "10.0.11.20",
        "--to",
        "10.0.1.25",
        "--protocol",
        "1",
        "--port",
        "8",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["question"]["ports"], "type 8");
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(v["blocked"].as_array().map(Vec::len), Some(1), "{v:#}");
    assert_eq!(v["blocked"][0]["component"], "sg-08819528322010002");
    assert_eq!(v["blocked"][0]["code"], "ENI_SG_RULES_MISMATCH");
    assert_eq!(v["blocked"][0]["direction"], "ingress");
}
