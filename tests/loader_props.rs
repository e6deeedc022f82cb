//! The loader never panics, whatever the input: fixture snapshots are mutated (bytes flipped,
//! deleted, inserted, files truncated; JSON values replaced by other types, out-of-range
//! numbers, garbage strings, deep nesting; keys and elements removed), loaded, built into the
//! model and rendered (inventory JSON and table). Every error names its file and a JSON pointer,
//! and when the file is valid JSON that pointer leads to the value at fault (or, for a missing
//! member, to the element lacking it).

use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use vpcreach::diag::Severity;

/// The position `pick` selects in a collection of `len` (> 0) items.
fn at(pick: u64, len: usize) -> usize {
    (pick % len as u64) as usize
}

/// A fixture snapshot: its files as (path relative to the snapshot root, bytes).
type Case = Vec<(String, Vec<u8>)>;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read_case(dir: &Path) -> Case {
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk fixtures");
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json") {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below the case folder")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, std::fs::read(e.path()).expect("read fixture")));
        }
    }
    files
}

/// Every loader case, every Batfish snapshot, and the Batfish single-shape files as one folder.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut out = Vec::new();
        for parent in ["loader", "batfish"] {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root().join(parent))
                .expect("fixtures folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            for d in dirs {
                let case = read_case(&d);
                if !case.is_empty() {
                    out.push(case);
                }
            }
        }
        assert!(out.len() >= 20, "fixtures found: {}", out.len());
        out
    })
}

#[derive(Clone, Debug)]
enum ByteOp {
    Flip(u64, u8),
    Delete(u64, usize),
    Insert(u64, Vec<u8>),
    Truncate(u64),
}

fn byte_op() -> impl Strategy<Value = ByteOp> {
    prop_oneof![
        (any::<u64>(), 1u8..=255).prop_map(|(i, x)| ByteOp::Flip(i, x)),
        (any::<u64>(), 1usize..64).prop_map(|(i, n)| ByteOp::Delete(i, n)),
        (
            any::<u64>(),
            prop_oneof![
                prop::collection::vec(any::<u8>(), 1..16),
                prop::sample::select(vec![
                    b"{".to_vec(),
                    b"]".to_vec(),
                    b",".to_vec(),
                    b"\"".to_vec(),
                    b"null".to_vec(),
                    b"\\u0000".to_vec(),
                    b"\xff\xfe".to_vec(),
                    b"-1".to_vec(),
                    b"99999999999999999999".to_vec(),
                ]),
            ]
        )
            .prop_map(|(i, b)| ByteOp::Insert(i, b)),
        any::<u64>().prop_map(ByteOp::Truncate),
    ]
}

fn apply_byte_op(data: &mut Vec<u8>, op: &ByteOp) {
    match op {
        ByteOp::Flip(i, x) if !data.is_empty() => {
            let pos = at(*i, data.len());
            data[pos] ^= x;
        }
        ByteOp::Delete(i, n) if !data.is_empty() => {
            let pos = at(*i, data.len());
            let end = (pos + n).min(data.len());
            data.drain(pos..end);
        }
        ByteOp::Insert(i, b) => {
            let pos = at(*i, data.len() + 1);
            data.splice(pos..pos, b.iter().copied());
        }
        ByteOp::Truncate(i) => {
            let pos = at(*i, data.len() + 1);
            data.truncate(pos);
        }
        _ => {}
    }
}

/// What replaces the JSON value at the chosen place (raw JSON text, so that numbers serde_json
/// itself would never print, like `1e400`, can be written).
#[derive(Clone, Debug)]
enum Replacement {
    Raw(String),
    /// `n` levels of nested arrays or objects around a scalar.
    Deep(usize, bool),
    /// Remove the value (its key, or its array element).
    Remove,
    /// Duplicate an array element / the parent object's entry under the same array.
    Duplicate,
}

fn replacement() -> impl Strategy<Value = Replacement> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "-1",
            "0",
            "65535",
            "65536",
            "70000",
            "-2",
            "32767",
            "32768",
            "32769",
            "4294967296",
            "-9223372036854775809",
            "18446744073709551616",
            "1e400",
            "-1e400",
            "1.5",
            "-0",
            "0.0",
            "1E2",
        ])
        .prop_map(str::to_string),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        prop::sample::select(vec![
            "",
            "10.0.0.0/33",
            "10.0.0.300/16",
            "::/129",
            "10.0.0.0",
            "/16",
            "-1",
            "tcp",
            "icmpv6",
            "999",
            "all",
            "ALLOW",
            "deny",
            "local",
            "igw-",
            "vpc-",
            "subnet-",
            "sg-",
            "pl-",
            "running",
            "available",
            "associated",
            "ElastiCache ",
            "ElastiCache Serverless ",
            "not a timestamp",
            "2024-13-45T99:99:99Z",
            "🦀",
            "\u{0}",
            "a/b~c",
        ])
        .prop_map(|s| serde_json::to_string(s).expect("a JSON string")),
        "\\PC{0,24}".prop_map(|s| serde_json::to_string(&s).expect("a JSON string")),
    ];
    prop_oneof![
        4 => scalar.clone().prop_map(Replacement::Raw),
        1 => Just(Replacement::Raw("[]".into())),
        1 => Just(Replacement::Raw("{}".into())),
        1 => prop::collection::vec(scalar, 1..4)
            .prop_map(|v| Replacement::Raw(format!("[{}]", v.join(",")))),
        1 => (1usize..200, any::<bool>()).prop_map(|(n, a)| Replacement::Deep(n, a)),
        2 => Just(Replacement::Remove),
        1 => Just(Replacement::Duplicate),
    ]
}

/// Every JSON pointer in a value (the root included).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let tok = k.replace('~', "~0").replace('/', "~1");
                pointers(x, format!("{at}/{tok}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

const MARK: &str = "\u{1}__vpcreach_mutation__";

/// Apply a structured mutation to a JSON document (unchanged when the text is not JSON).
fn apply_json(data: &[u8], target: &u64, rep: &Replacement) -> Vec<u8> {
    let Ok(mut doc) = serde_json::from_slice::<Value>(data) else {
        return data.to_vec();
    };
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let ptr = &all[at(*target, all.len())];
    let (parent_ptr, last) = match ptr.rfind('/') {
        Some(p) => (
            &ptr[..p],
            Some(ptr[p + 1..].replace("~1", "/").replace("~0", "~")),
        ),
        None => ("", None),
    };
    match rep {
        Replacement::Remove | Replacement::Duplicate => {
            let Some(key) = last else {
                return b"{}".to_vec();
            };
            match doc.pointer_mut(parent_ptr) {
                Some(Value::Object(m)) => {
                    if matches!(rep, Replacement::Remove) {
                        m.remove(&key);
                    }
                }
                Some(Value::Array(a)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < a.len() {
                            if matches!(rep, Replacement::Remove) {
                                a.remove(i);
                            } else {
                                let copy = a[i].clone();
                                a.insert(i, copy);
                            }
                        }
                    }
                }
                _ => {}
            }
            serde_json::to_vec_pretty(&doc).expect("serialize")
        }
        Replacement::Raw(_) | Replacement::Deep(..) => {
            let raw = match rep {
                Replacement::Raw(r) => r.clone(),
                Replacement::Deep(n, arrays) => {
                    let (open, close) = if *arrays {
                        ("[", "]")
                    } else {
                        ("{\"k\":", "}")
                    };
                    format!("{}1{}", open.repeat(*n), close.repeat(*n))
                }
                _ => unreachable!("handled above"),
            };
            if let Some(slot) = doc.pointer_mut(ptr) {
                *slot = Value::String(MARK.into());
            }
            let text = serde_json::to_string_pretty(&doc).expect("serialize");
            let marker = serde_json::to_string(MARK).expect("a JSON string");
            text.replacen(&marker, &raw, 1).into_bytes()
        }
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    Bytes(Vec<ByteOp>),
    Json(Vec<(u64, Replacement)>),
}

/// Write the case with its `file`-th file mutated, load, build, render; check the properties.
fn check(case_index: &u64, file_index: &u64, mutation: &Mutation) -> Result<(), TestCaseError> {
    let all = cases();
    let case = &all[at(*case_index, all.len())];
    let victim = at(*file_index, case.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut mutated_text = Vec::new();
    for (i, (rel, bytes)) in case.iter().enumerate() {
        let mut data = bytes.clone();
        if i == victim {
            match mutation {
                Mutation::Bytes(ops) => {
                    for op in ops {
                        apply_byte_op(&mut data, op);
                    }
                }
                Mutation::Json(steps) => {
                    for (target, rep) in steps {
                        data = apply_json(&data, target, rep);
                    }
                }
            }
            mutated_text = data.clone();
        }
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, &data).expect("write");
    }

    let snap = match vpcreach::snapshot::load(dir.path()) {
        Ok(s) => s,
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "a folder of files is readable: {e}"
            )))
        }
    };
    let files = snap.files.clone();
    let topology = vpcreach::model::build(snap);
    let inv = vpcreach::findings::inventory::inventory(&topology, "prop", files);
    let json = vpcreach::render::json::to_json(&inv);
    prop_assert!(
        serde_json::from_str::<Value>(&json).is_ok(),
        "inventory JSON parses"
    );
    let table = vpcreach::render::table::inventory(&inv);
    prop_assert!(table.contains("Snapshot: prop"));
    prop_assert_eq!(inv.errors, topology.diagnostics.error_count());

    let victim_rel = &case[victim].0;
    let victim_doc: Option<Value> = serde_json::from_slice(&mutated_text).ok();
    for d in topology.diagnostics.iter() {
        if d.severity != Severity::Error {
            continue;
        }
        let (Some(file), Some(pointer)) = (&d.file, &d.pointer) else {
            return Err(TestCaseError::fail(format!(
                "error without file or pointer: {d}"
            )));
        };
        prop_assert!(
            case.iter().any(|(rel, _)| rel == file),
            "error names a file of the snapshot: {}",
            d
        );
        prop_assert!(
            pointer.is_empty() || pointer.starts_with('/'),
            "RFC 6901 pointer: {}",
            d
        );
        if file == victim_rel {
            if let Some(doc) = &victim_doc {
                // The value at fault, or for a missing member the element that lacks it (an
                // object, or an array: serde also reads a struct from a JSON array).
                let parent = pointer.rfind('/').map(|p| &pointer[..p]).unwrap_or("");
                prop_assert!(
                    doc.pointer(pointer).is_some() || doc.pointer(parent).is_some(),
                    "the pointer of {} leads into the mutated file",
                    d
                );
            }
        }
    }
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn byte_mutations_never_panic(
        case in any::<u64>(),
        file in any::<u64>(),
        ops in prop::collection::vec(byte_op(), 1..6),
    ) {
        check(&case, &file, &Mutation::Bytes(ops))?;
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn json_mutations_never_panic(
        case in any::<u64>(),
        file in any::<u64>(),
        steps in prop::collection::vec((any::<u64>(), replacement()), 1..5),
    ) {
        check(&case, &file, &Mutation::Json(steps))?;
    }
}

/// The mutators themselves: a replaced value lands where it was aimed, removal removes.
#[test]
fn structured_mutations_do_what_they_say() {
    let doc = br#"{"Vpcs": [{"VpcId": "vpc-1", "IsDefault": false}]}"#;
    let mut all = Vec::new();
    pointers(
        &serde_json::from_slice(doc).expect("json"),
        String::new(),
        &mut all,
    );
    assert_eq!(
        all,
        vec!["", "/Vpcs", "/Vpcs/0", "/Vpcs/0/IsDefault", "/Vpcs/0/VpcId"]
    );
    let pick = |p: &str| all.iter().position(|x| x == p).expect("pointer") as u64;
    let out = apply_json(
        doc,
        &pick("/Vpcs/0/IsDefault"),
        &Replacement::Raw("1e400".into()),
    );
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("\"IsDefault\": 1e400"), "{text}");
    let out = apply_json(doc, &pick("/Vpcs/0/VpcId"), &Replacement::Remove);
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v, serde_json::json!({"Vpcs": [{"IsDefault": false}]}));
    let out = apply_json(doc, &pick("/Vpcs/0"), &Replacement::Duplicate);
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["Vpcs"].as_array().map(Vec::len), Some(2));
    let out = apply_json(doc, &pick("/Vpcs"), &Replacement::Deep(3, true));
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("\"Vpcs\": [[[1]]]"), "{text}");

    let mut bytes = b"abcdef".to_vec();
    apply_byte_op(&mut bytes, &ByteOp::Truncate(3));
    assert_eq!(bytes.len(), 3);
}
