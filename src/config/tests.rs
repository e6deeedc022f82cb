//! `vpcreach.toml` parsing: the documented example, and one error per rule with its line and
//! column (counted by hand in each text).

use super::*;

fn parse_str(text: &str) -> Result<Config, ConfigError> {
    parse(text, Path::new("vpcreach.toml"))
}

fn err(text: &str) -> String {
    match parse_str(text) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_documented_example_parses() {
    let c = parse_str(
        r#"
[sources]                       # named outside ranges
office = ["203.0.113.0/24"]
vpn = ["198.51.100.0/24", "2001:db8:10::/48"]

[[relay]]                       # a host that forwards traffic
host = "name:haproxy"
kind = "tcp-proxy"
listen = 6379
forward = "demo-redis"
port = 6379

[[relay]]
host = "i-0de7d1b721a1e0002"
kind = "ssh-bastion"

[[relay]]
host = "i-0de7d1b721a1e0003"
kind = "ssm-port-forward"
"#,
    )
    .expect("parses");
    assert_eq!(c.sources.len(), 2);
    assert_eq!(c.sources[0].name, "office");
    assert_eq!(
        c.sources[0].blocks,
        vec!["203.0.113.0/24".parse::<IpNet>().unwrap()]
    );
    assert_eq!(c.sources[1].blocks.len(), 2);
    assert_eq!(c.sources[0].at.line, 3);
    assert_eq!(c.relays.len(), 3);
    let proxy = &c.relays[0];
    assert_eq!(
        (
            proxy.kind,
            proxy.listen,
            proxy.forward.as_deref(),
            proxy.port
        ),
        (
            RelayKind::TcpProxy,
            Some(6379),
            Some("demo-redis"),
            Some(6379)
        )
    );
    // A bastion accepts SSH on 22 unless told otherwise, and forwards anywhere.
    assert_eq!(
        (c.relays[1].listen, c.relays[1].forward.as_deref()),
        (Some(22), None)
    );
    assert_eq!(
        (c.relays[2].kind, c.relays[2].listen),
        (RelayKind::SsmPortForward, None)
    );
}

#[test]
fn an_empty_file_is_an_empty_configuration() {
    let c = parse_str("").expect("parses");
    assert!(c.sources.is_empty() && c.relays.is_empty());
}

#[test]
fn syntax_errors_point_at_line_and_column() {
    // Line 2, column 10 is where the value should start.
    let e = err("[sources]\noffice = [\"203.0.113.0/24\"\n");
    assert!(e.starts_with("vpcreach.toml:"), "{e}");
    assert!(e.contains(":2:") || e.contains(":3:"), "{e}");
}

#[test]
fn unknown_keys_are_errors() {
    // `lisen` on line 5, column 1.
    let e = err(
        "[[relay]]\nhost = \"i-1\"\nkind = \"tcp-proxy\"\nforward = \"demo-redis\"\nlisen = 6379\n",
    );
    assert!(e.starts_with("vpcreach.toml:5:1:"), "{e}");
    assert!(e.contains("lisen"), "{e}");
    let e = err("[source]\noffice = [\"203.0.113.0/24\"]\n");
    assert!(e.starts_with("vpcreach.toml:1:"), "{e}");
}

#[test]
fn bad_blocks_are_named() {
    // The second block of vpn: line 2, its opening quote at column 27.
    let e = err("[sources]\nvpn = [\"198.51.100.0/24\", \"203.0.113.10/24\"]\n");
    assert_eq!(
        e,
        "vpcreach.toml:2:27: source \"vpn\": \"203.0.113.10/24\" has host bits set; did you mean 203.0.113.0/24?"
    );
    let e = err("[sources]\noffice = [\"203.0.113.0/33\"]\n");
    assert!(e.starts_with("vpcreach.toml:2:11:"), "{e}");
    assert!(e.contains("not an address or CIDR block"), "{e}");
    let e = err("[sources]\noffice = []\n");
    assert!(
        e.starts_with("vpcreach.toml:2:10:") && e.contains("no address block"),
        "{e}"
    );
    let e = err("[sources]\ninternet = [\"0.0.0.0/0\"]\n");
    assert!(e.contains("reserved"), "{e}");
    // A single address is a /32.
    let c = parse_str("[sources]\nadmin = [\"203.0.113.7\"]\n").expect("parses");
    assert_eq!(c.sources[0].blocks[0].to_string(), "203.0.113.7/32");
}

#[test]
fn each_relay_kind_checks_its_own_keys() {
    // kind on line 3, column 8.
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"haproxy\"\n");
    assert!(
        e.starts_with("vpcreach.toml:3:8: unknown relay kind \"haproxy\""),
        "{e}"
    );
    assert!(
        e.contains("tcp-proxy, ssh-bastion, ssm-port-forward, nat-instance"),
        "{e}"
    );
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"tcp-proxy\"\nforward = \"demo-redis\"\n");
    assert!(e.contains("needs `listen`"), "{e}");
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"tcp-proxy\"\nlisten = 6379\n");
    assert!(e.contains("needs `forward`"), "{e}");
    // listen on line 4, column 10.
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"ssm-port-forward\"\nlisten = 22\n");
    assert!(
        e.starts_with("vpcreach.toml:4:10:") && e.contains("accepts no inbound port"),
        "{e}"
    );
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"nat-instance\"\nforward = \"x\"\n");
    assert!(e.contains("remove `forward`"), "{e}");
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"ssh-bastion\"\nport = 6379\n");
    assert!(e.contains("`port` needs `forward`"), "{e}");
    let e =
        err("[[relay]]\nhost = \"i-1\"\nkind = \"tcp-proxy\"\nlisten = 70000\nforward = \"x\"\n");
    assert!(
        e.starts_with("vpcreach.toml:4:10:") && e.contains("1-65535"),
        "{e}"
    );
    let e = err("[[relay]]\nhost = \" \"\nkind = \"ssh-bastion\"\n");
    assert!(e.contains("host is empty"), "{e}");
    let e = err("[[relay]]\nhost = \"i-1\"\nkind = \"ssh-bastion\"\n[[relay]]\nhost = \"i-1\"\nkind = \"ssh-bastion\"\n");
    assert!(e.contains("declared twice (first at line 1)"), "{e}");
    // An SSH bastion on another port.
    let c = parse_str("[[relay]]\nhost = \"i-1\"\nkind = \"ssh-bastion\"\nlisten = 2222\n")
        .expect("ok");
    assert_eq!(c.relays[0].listen, Some(2222));
}

#[test]
fn an_unreadable_file_is_named() {
    let e = load(Path::new("/nonexistent/vpcreach.toml")).expect_err("no file");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/vpcreach.toml: cannot read"),
        "{e}"
    );
}
