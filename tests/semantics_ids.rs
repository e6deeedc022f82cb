//! Every rule id the code, the tests and the rule fixtures cite must be defined in
//! `docs/semantics.md`.
//!
//! Ids are a capital letter of a rule family — `R` route tables, `N` network ACLs, `S` security
//! groups, `I`/`E` internet gateways, `G` NAT, `P` peering, `T` Transit Gateway, `V` endpoints,
//! `C` ElastiCache, `M` access methods, `O` overlaps — and a number 1–99: `R4`, `N8`, `T10`.
//!
//! Defined: the id opens a bold rule heading (`**R4 — Route selection.**`) or the first cell of a
//! table row (`| M1 | TCP proxy … |`, §7).
//!
//! Cited: a standalone id token in any scanned file, in whatever prose form is used — `(R4)`,
//! `(T4, T5)`, `R3:`, `S6:`, `rule N8`, `§2 R1`, `§5.4 T3–T5, T8`, `S1/S2/S3`, `R2 + R9`. A
//! range `G1–G3` / `T1-T9` (en dash or hyphen, same letter) cites every id in it. A token is an
//! id only when it stands alone, so these are not citations:
//! - part of a longer word or identifier (`RFC1918`, `sg_1`, `m5`, `T1x`);
//! - a code path, constructor or interpolation: preceded by `::`, `.`, `$` or `}`, or followed
//!   by `(`, `[`, or `.` and a letter or digit (`IpAddr::V4`, `V4(addr)`, `Family::V6`);
//! - a timestamp's hour: followed by `:` and a digit, or glued to the date (`…-01T10:00:00`,
//!   `{day:02}T10:…`);
//! - `S3` the AWS service (`S3 gateway endpoint`, `(S3, DynamoDB)`, `to S3 (V1)`): `S3` counts
//!   only when it is followed by `:` or `)`, or listed with another id (`S1/S2/S3`,
//!   `(S1, S2, S3)`). So the service must not be written `(S3)` or `S3:` in scanned files
//!   (`fixtures/demo/README.md`, which does, is not scanned).
//!
//! Scanned: `src/**/*.rs`, `tests/**/*.rs` (this file excepted), `fixtures/rules/README.md` and
//! `fixtures/rules/generate.py`. `cargo test --test semantics_ids -- --ignored --nocapture`
//! prints, for every id, the files that cite it, over these and the other documents (the
//! cross-reference table of `docs/semantics.md` §11).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const FAMILIES: &str = "RNSIEGPTVCMOL";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files with the given extension under `dir`, recursively, sorted.
fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The files whose citations must all be defined.
fn checked_files() -> Vec<PathBuf> {
    let root = root();
    let mut files = Vec::new();
    files_under(&root.join("src"), "rs", &mut files);
    files_under(&root.join("tests"), "rs", &mut files);
    files.retain(|p| !p.ends_with("tests/semantics_ids.rs"));
    files.push(root.join("fixtures/rules/README.md"));
    files.push(root.join("fixtures/rules/generate.py"));
    files
}

/// An id token starting at `chars[i]`: (family letter, number, index after the token).
fn id_at(chars: &[char], i: usize) -> Option<(char, u32, usize)> {
    let c = *chars.get(i)?;
    if !FAMILIES.contains(c) {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && j <= i + 2 && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j == i + 1 || chars[i + 1] == '0' {
        return None;
    }
    let n: u32 = chars[i + 1..j].iter().collect::<String>().parse().ok()?;
    Some((c, n, j))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when the token `chars[start..end]` stands alone (see the module doc).
fn stands_alone(chars: &[char], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|k| chars[k]);
    let before2 = start.checked_sub(2).map(|k| chars[k]);
    let after = chars.get(end).copied();
    let after2 = chars.get(end + 1).copied();
    if before.is_some_and(|b| is_word(b) || b == '.' || b == '}' || b == '$') {
        return false;
    }
    if before == Some(':') && before2 == Some(':') {
        return false;
    }
    match after {
        Some(a) if is_word(a) || a == '(' || a == '[' => false,
        Some(':') if after2.is_some_and(|c| c.is_ascii_digit()) => false,
        Some('.') if after2.is_some_and(|c| c.is_alphanumeric()) => false,
        _ => true,
    }
}

/// One cited id: the id and the 1-based line.
struct Citation {
    id: String,
    line: usize,
}

/// The rule ids cited in `text`, in order, ranges expanded.
fn citations(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        // Tokens of this line: (family, number, start, end), ranges merged into one token.
        let mut tokens: Vec<(char, u32, u32, usize, usize)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let Some((f, n, end)) = id_at(&chars, i) else {
                i += 1;
                continue;
            };
            // A range `X1–X3` / `X1-X3`: the dash is not a word character, so check it first.
            if matches!(chars.get(end), Some('–') | Some('-')) {
                if let Some((f2, n2, end2)) = id_at(&chars, end + 1) {
                    if f2 == f
                        && n2 > n
                        && stands_alone(&chars, i, end)
                        && stands_alone(&chars, end + 1, end2)
                    {
                        tokens.push((f, n, n2, i, end2));
                        i = end2;
                        continue;
                    }
                }
            }
            if stands_alone(&chars, i, end) {
                tokens.push((f, n, n, i, end));
            }
            i = end;
        }
        for (k, &(f, lo, hi, start, end)) in tokens.iter().enumerate() {
            if f == 'S' && lo == 3 && hi == 3 && !s3_is_rule(&chars, &tokens, k, start, end) {
                continue;
            }
            for n in lo..=hi {
                out.push(Citation {
                    id: format!("{f}{n}"),
                    line: ln + 1,
                });
            }
        }
    }
    out
}

/// `S3` is the rule only when followed by `:` or `)`, or listed next to another id.
fn s3_is_rule(
    chars: &[char],
    tokens: &[(char, u32, u32, usize, usize)],
    k: usize,
    start: usize,
    end: usize,
) -> bool {
    if matches!(chars.get(end), Some(':') | Some(')')) {
        return true;
    }
    let sep = |a: usize, b: usize| {
        let s: String = chars[a..b].iter().collect();
        matches!(s.trim(), "," | "/" | "+" | "and")
    };
    let prev = k.checked_sub(1).map(|p| tokens[p]);
    let next = tokens.get(k + 1).copied();
    prev.is_some_and(|p| sep(p.4, start)) || next.is_some_and(|n| sep(end, n.3))
}

/// Ids defined in `docs/semantics.md`: `**R4 — …` rule headings and `| M1 |` table rows.
fn defined_ids(doc: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in doc.lines() {
        let t = line.trim_start().trim_start_matches("- ");
        let candidate = if let Some(rest) = t.strip_prefix("**") {
            rest.split_once(" — ").map(|(id, _)| id)
        } else if let Some(rest) = t.strip_prefix('|') {
            rest.split_once('|').map(|(cell, _)| cell.trim())
        } else {
            None
        };
        if let Some(id) = candidate {
            let chars: Vec<char> = id.chars().collect();
            if id_at(&chars, 0).is_some_and(|(_, _, end)| end == chars.len()) {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

#[test]
fn every_cited_rule_id_is_defined_in_semantics_md() {
    let defined = defined_ids(&read(&root().join("docs/semantics.md")));
    // Sanity: the definitions were found at all (a changed heading style must not pass vacuously).
    for id in [
        "R1", "R9", "N8", "S6", "T4", "T10", "V4", "C5", "M1", "M9", "O4",
    ] {
        assert!(
            defined.contains(id),
            "docs/semantics.md: no definition of {id} found"
        );
    }
    let mut undefined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut cited = 0;
    for file in checked_files() {
        for c in citations(&read(&file)) {
            cited += 1;
            if !defined.contains(&c.id) {
                undefined
                    .entry(c.id)
                    .or_default()
                    .push(format!("{}:{}", relative(&file), c.line));
            }
        }
    }
    assert!(
        cited > 100,
        "only {cited} citations found: the scan is broken"
    );
    let report: Vec<String> = undefined
        .iter()
        .map(|(id, at)| format!("  {id}: {}", at.join(", ")))
        .collect();
    assert!(
        undefined.is_empty(),
        "rule ids cited but not defined in docs/semantics.md:\n{}",
        report.join("\n")
    );
}

#[test]
fn citation_pattern() {
    let ids = |s: &str| {
        citations(s)
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        ids("/// Longest prefix (R4). R3: local. See rule N8 and §2 R1."),
        "R4 R3 N8 R1"
    );
    assert_eq!(
        ids("(§5.4 T3–T5, T8) (T1-T9) S1/S2/S3 R2 + R9 (I2, I3, E1)"),
        "T3 T4 T5 T8 T1 T2 T3 T4 T5 T6 T7 T8 T9 S1 S2 S3 R2 R9 I2 I3 E1"
    );
    assert_eq!(
        ids("IpAddr::V4(a) Family::V6 V4(x) x.V6 RFC1918 sg_1 T2x"),
        ""
    );
    assert_eq!(
        ids(r#"f"2024-01-{10 + n:02d}T10:00:00+00:00" 2024-02-01T10:00"#),
        ""
    );
    assert_eq!(
        ids("S3 gateway (S3, DynamoDB) S3/DynamoDB to S3 (V1)"),
        "V1"
    );
    assert_eq!(ids("S3: rules as listed (S3) (S1, S3)"), "S3 S3 S1 S3");
    assert_eq!(ids("V4 + C1: serverless"), "V4 C1");
}

#[test]
fn definitions_are_found() {
    let doc =
        "- **R4 — Route selection.** x\n| M1 | TCP proxy | x |\n| Id | Method |\n**Not a rule**";
    let d = defined_ids(doc);
    assert_eq!(d.into_iter().collect::<Vec<_>>(), ["M1", "R4"]);
}

/// Prints id → citing files, for the cross-reference table of `docs/semantics.md` §11.
#[test]
#[ignore]
fn print_cross_reference() {
    let root = root();
    let mut files = checked_files();
    for extra in ["README.md", "docs/engine-semantics.md"] {
        files.push(root.join(extra));
    }
    let mut demo = Vec::new();
    files_under(&root.join("fixtures/demo"), "md", &mut demo);
    files_under(&root.join("fixtures/demo"), "py", &mut demo);
    files.extend(demo);
    let mut by_id: BTreeMap<(usize, u32), BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        for c in citations(&read(file)) {
            let f = c.id.chars().next().unwrap();
            let n: u32 = c.id[1..].parse().unwrap();
            by_id
                .entry((FAMILIES.find(f).unwrap(), n))
                .or_default()
                .insert(relative(file));
        }
    }
    for ((f, n), at) in by_id {
        let f = FAMILIES.as_bytes()[f] as char;
        let at: Vec<String> = at.iter().map(|p| format!("`{p}`")).collect();
        println!("| {f}{n} | {} |", at.join(", "));
    }
}
