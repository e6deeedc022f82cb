//! Table output fits the width (120 columns when piped, `--width N` when asked) and never splits
//! an id or a CIDR across lines: every id and CIDR of the JSON answer is checked against every
//! pair of consecutive lines, cell by cell (a table cell continues in the same column).

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::run;
use serde_json::Value;

/// The demo questions rendered: passing, failing with walked paths, partial, internet.
const QUESTIONS: &[&[&str]] = &[
    &["--from", "i-0de7d1b721a1e0003", "--to", "demo-redis"],
    &["--from", "i-0de7d1b721a1e0001", "--to", "demo-redis"],
    &["--from", "203.0.113.10", "--to", "demo-redis"],
    &["--from", "internet", "--to", "3.92.118.206", "--port", "22"],
    &[
        "--from",
        "i-0de7d1b721a1e0003",
        "--to",
        "10.20.1.10",
        "--port",
        "22",
    ],
    &[
        "--from",
        "i-0de7d1b721a1e0003",
        "--to",
        "52.46.145.233",
        "--port",
        "443",
    ],
    &[
        "--from",
        "i-0de7d1b721a1e0001",
        "--to",
        "10.0.12.30",
        "--port",
        "22",
    ],
    &["--from", "10.0.0.0/16", "--to", "demo-redis"],
];

const ID_PREFIXES: &[&str] = &[
    "igw-", "acl-", "sg-", "subnet-", "vpc-", "rtb-", "eni-", "i-", "nat-", "pcx-", "tgw-",
];

/// Every id and CIDR in the string values of a JSON document.
fn tokens(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            for t in s.split(|c: char| !(c.is_ascii_alphanumeric() || "-./:".contains(c))) {
                let t = t.trim_end_matches(['.', ':']);
                let id = ID_PREFIXES.iter().any(|p| {
                    t.strip_prefix(p).is_some_and(|rest| {
                        rest.len() >= 8 && rest.chars().all(|c| c.is_ascii_hexdigit())
                    })
                });
                if id || t.parse::<ipnet::IpNet>().is_ok() {
                    out.push(t.to_string());
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| tokens(x, out)),
        Value::Object(o) => o.values().for_each(|x| tokens(x, out)),
        _ => {}
    }
}

/// The cells of a line: split at the table's column separators (one cell for plain text).
fn cells(line: &str) -> Vec<&str> {
    line.split(['│', '┆']).map(str::trim).collect()
}

/// Fails when some line is wider than `width` (in characters) or some token is split between
/// the end of a cell and the start of the same cell on the next line.
fn check(label: &str, text: &str, toks: &[String], width: usize) {
    let lines: Vec<&str> = text.lines().collect();
    for l in &lines {
        let n = l.chars().count();
        assert!(
            n <= width,
            "{label}: line of {n} > {width} columns:\n{l}\n\n{text}"
        );
    }
    for pair in lines.windows(2) {
        let (a, b) = (cells(pair[0]), cells(pair[1]));
        for (x, y) in a.iter().zip(b.iter()) {
            for t in toks {
                for k in 1..t.len() {
                    let (head, tail) = t.split_at(k);
                    assert!(
                        !(x.ends_with(head) && y.starts_with(tail) && !x.ends_with(t.as_str())),
                        "{label}: {t} split as {head:?} / {tail:?}:\n{}\n{}\n\n{text}",
                        pair[0],
                        pair[1]
                    );
                }
            }
        }
    }
}

fn demo_tokens(args: &[&str]) -> Vec<String> {
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let r = run(&json);
    let mut toks = Vec::new();
    tokens(&r.json(), &mut toks);
    toks.sort();
    toks.dedup();
    // A CIDR that is a prefix of a longer token is checked through the longer one.
    assert!(!toks.is_empty(), "{args:?}: no id or CIDR in the JSON");
    toks
}

fn reach(args: &[&str], width: Option<&str>) -> String {
    let mut all = vec!["reach"];
    all.extend_from_slice(args);
    if let Some(w) = width {
        all.extend(["--width", w]);
    }
    let r = run(&all);
    assert!(r.code == 0, "{all:?}: exit {}: {}", r.code, r.stderr);
    r.stdout
}

#[test]
fn reach_tables_fit_120_columns_piped_and_keep_ids_whole() {
    for q in QUESTIONS {
        let mut json_args = vec!["reach"];
        json_args.extend_from_slice(q);
        let toks = demo_tokens(&json_args);
        check(&format!("{q:?}"), &reach(q, None), &toks, 120);
    }
}

#[test]
fn reach_tables_fit_80_columns_when_asked() {
    for q in QUESTIONS {
        let mut json_args = vec!["reach"];
        json_args.extend_from_slice(q);
        let toks = demo_tokens(&json_args);
        check(
            &format!("{q:?} --width 80"),
            &reach(q, Some("80")),
            &toks,
            80,
        );
    }
}

#[test]
fn a_wide_width_keeps_rows_on_one_line() {
    // At 300 columns the demo's hop rows need no wrapping: the security-group rule of hop 3 of
    // i-…0003 -> demo-redis stays on one line with its component.
    let q = QUESTIONS[0];
    let out = reach(q, Some("300"));
    assert!(
        out.lines().any(|l| l.contains("sg-08819528322010005")
            && l.contains("ingress tcp 6379 from sg-08819528322010004")),
        "{out}"
    );
}

#[test]
fn overlaps_and_inventory_fit() {
    for cmd in ["overlaps", "inventory"] {
        let toks = demo_tokens(&[cmd]);
        for w in [None, Some("80")] {
            let mut args = vec![cmd];
            if let Some(w) = w {
                args.extend(["--width", w]);
            }
            let r = run(&args);
            assert!(r.code == 0, "{args:?}: {}", r.stderr);
            let width = w.map(|w| w.parse().unwrap()).unwrap_or(120);
            check(&format!("{args:?}"), &r.stdout, &toks, width);
        }
    }
}

#[test]
#[should_panic(expected = "split as")]
fn the_check_sees_a_split_id_in_a_cell() {
    let text = "│ 1 ┆ igw-0fe010647d32 ┆ x │\n│   ┆ a0001            ┆   │";
    check(
        "synthetic",
        text,
        &["igw-0fe010647d32a0001".to_string()],
        120,
    );
}

#[test]
#[should_panic(expected = "columns")]
fn the_check_sees_a_long_line() {
    check("synthetic", &"é".repeat(121), &[], 120);
}

/// `--format text`: no box drawing, and every hop of every path of the JSON answer is one line
/// naming the path, the leg, the hop number, the component and the detail (so grep finds it).
#[test]
fn text_format_prints_one_line_per_hop() {
    for q in [QUESTIONS[1], QUESTIONS[2], QUESTIONS[4]] {
        let mut json = vec!["reach"];
        json.extend_from_slice(q);
        json.extend(["--format", "json"]);
        let v = run(&json).json();
        let mut text = vec!["reach"];
        text.extend_from_slice(q);
        text.extend(["--format", "text"]);
        let r = run(&text);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = r.stdout;
        assert!(
            !out.contains(['│', '┆', '┌', '└', '╞', '─']),
            "{q:?}: box drawing in text:\n{out}"
        );
        let paths = v["paths"].as_array().unwrap();
        for (i, p) in paths.iter().enumerate() {
            for (leg, key) in [("fwd", "forward"), ("ret", "return")] {
                for (j, h) in p[key].as_array().unwrap().iter().enumerate() {
                    let prefix = format!("  path {} {leg} {:>2}. ", i + 1, j + 1);
                    let component = h["component"].as_str().unwrap();
                    let detail = h["detail"].as_str().unwrap();
                    assert!(
                        out.lines().any(|l| l.starts_with(&prefix)
                            && l.contains(component)
                            && l.ends_with(detail)),
                        "{q:?}: no line {prefix}… {component} … {detail}:\n{out}"
                    );
                }
            }
        }
        for b in v["blocked"].as_array().unwrap() {
            let component = b["component"].as_str().unwrap();
            let code = b["code"].as_str().unwrap();
            assert!(
                out.lines()
                    .any(|l| l.contains(component) && l.contains(code)),
                "{q:?}: blocker {component} {code} not on one line:\n{out}"
            );
        }
    }
}

/// Names: fixtures/demo tags NACL acl-02344f08e51020002 `Name=app-public` and internet gateway
/// igw-0fe010647d32a0001 `Name=app-igw`; instance i-0de7d1b721a1e0001 is `haproxy-redis-relay`
/// and its interface eni-04d4f0f7a97c80001 has no tag of its own, so it takes the instance's
/// name. i-…0001 -> demo-redis leaves through app-public (its subnet's NACL); 203.0.113.10 ->
/// demo-redis stops at app-igw (the cache has no public address). So the JSON hops and
/// blockers carry these names beside the id, and the text lines read `name (id)`.
#[test]
fn components_are_named_in_json_and_tables() {
    let v = run(&[
        "reach",
        "--from",
        "i-0de7d1b721a1e0001",
        "--to",
        "demo-redis",
        "--format",
        "json",
    ])
    .json();
    let hops: Vec<&Value> = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["forward"].as_array().unwrap().iter())
        .collect();
    let named = |id: &str| {
        hops.iter()
            .find(|h| h["component"] == id)
            .map(|h| h["name"].clone())
    };
    assert_eq!(named("acl-02344f08e51020002"), Some("app-public".into()));
    assert_eq!(
        named("eni-04d4f0f7a97c80001"),
        Some("haproxy-redis-relay".into())
    );
    let text = run(&[
        "reach",
        "--from",
        "i-0de7d1b721a1e0001",
        "--to",
        "demo-redis",
        "--format",
        "text",
    ])
    .stdout;
    assert!(
        text.contains("app-public (acl-02344f08e51020002) (network-acl outbound)"),
        "{text}"
    );
    let v = run(&[
        "reach",
        "--from",
        "203.0.113.10",
        "--to",
        "demo-redis",
        "--format",
        "json",
    ])
    .json();
    let b = &v["blocked"][0];
    assert_eq!(b["component"], "igw-0fe010647d32a0001");
    assert_eq!(b["name"], "app-igw");
    // A component without a name has no `name` key (additive field).
    assert!(v["walked"][0]["forward"][0].get("name").is_none(), "{v}");
}

/// Piped output is never coloured, whatever the verdict (tests run with stdout piped).
#[test]
fn piped_output_has_no_colour() {
    for q in QUESTIONS {
        let out = reach(q, None);
        assert!(
            !out.contains('\x1b'),
            "{q:?}: escape sequence in piped output"
        );
    }
}

/// One answer counts one set one way: `internet` to an IPv4 address sends from the public IPv4
/// space only, so the first hop (the outside hosts), the return route and the return leg's
/// internet hop describe the same set and every `(N blocks)` count agrees (before, the first
/// hop counted the IPv6 blocks of `internet` too).
#[test]
fn block_counts_agree_within_one_answer() {
    // Text format: one line per hop, so no count is wrapped away from its word.
    let mut args = vec!["reach"];
    args.extend_from_slice(QUESTIONS[3]);
    args.extend(["--format", "text"]);
    let out = run(&args).stdout;
    let counts: Vec<&str> = out
        .split(" blocks)")
        .filter_map(|s| s.rsplit('(').next())
        .filter(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        .collect();
    // The first hop (outside hosts), the return route and the internet hop of the return leg.
    assert!(counts.len() >= 3, "{out}");
    assert!(counts.iter().all(|c| *c == counts[0]), "{counts:?}\n{out}");
}

/// `internet` to the bastion's public address on port 22: its security group and NACL allow
/// port 22 from 0.0.0.0/0 (fixtures/demo/README.md), so every public IPv4 outside host passes
/// and the passing sources are exactly the snapshot's public IPv4 `internet`. The table names
/// the set; the JSON still lists every block.
#[test]
fn the_internet_set_reads_as_internet() {
    let out = reach(QUESTIONS[3], None);
    assert!(
        out.contains("passing: tcp from internet (public IPv4) to 3.92.118.206/32 port 22"),
        "{out}"
    );
    let mut args = vec!["reach"];
    args.extend_from_slice(QUESTIONS[3]);
    args.extend(["--format", "json"]);
    let v = run(&args).json();
    let sources = v["passing"]["sources"].as_array().unwrap();
    assert!(sources.len() > 100, "{sources:?}");
    assert_eq!(sources[0], "1.0.0.0/8");
}
