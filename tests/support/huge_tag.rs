//! A huge `Name` tag: the bundled demo snapshot (`fixtures/demo`) written to a folder with the
//! `Name` tag of the ssm-port-forward instance ([`INSTANCE`]) and of the app VPC, and the
//! `GroupName` of the instance's security group ([`GROUP`]), replaced by a text of a given size (words separated by spaces, so that wrapping has work to do). AWS caps
//! tag values at 256 characters; a snapshot edited by hand or by another tool need not. Test
//! support (not part of the product), shared by `benches/scale.rs` and `tests/huge_tag.rs`
//! through `#[path]`. Generated on the fly: megabytes are never committed.

#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;

/// The instance (and its VPC) whose `Name` tag is replaced.
pub const INSTANCE: &str = "i-0de7d1b721a1e0003";
pub const VPC: &str = "vpc-038faba71b3a60001";
/// The instance's security group (ssm-host), whose `GroupName` is replaced too: every answer
/// from the instance has a hop at this group, named by its `GroupName`.
pub const GROUP: &str = "sg-08819528322010004";
/// The first words of the huge name (then `word0001 word0002 …`).
pub const PREFIX: &str = "huge-name";

/// A text of exactly `bytes` bytes: [`PREFIX`] then numbered words.
pub fn huge_text(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 16);
    s.push_str(PREFIX);
    let mut i = 0u64;
    while s.len() < bytes {
        i += 1;
        s.push_str(&format!(" word{i:04}"));
    }
    s.truncate(bytes);
    s
}

fn set_name(tags: &mut Value, name: &str) {
    if let Some(list) = tags.as_array_mut() {
        for t in list.iter_mut() {
            if t["Key"] == "Name" {
                t["Value"] = Value::String(name.to_string());
            }
        }
    }
}

/// Write the demo snapshot to `dir` with the instance's and the VPC's `Name` tag `bytes` long.
pub fn write(dir: &Path, bytes: usize) -> std::io::Result<String> {
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
    let name = huge_text(bytes);
    let scope = dir.join("111111111111/us-east-1");
    let edit = |file: &str, f: &dyn Fn(&mut Value)| -> std::io::Result<()> {
        let path = scope.join(file);
        let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)
            .map_err(std::io::Error::other)?;
        f(&mut doc);
        std::fs::write(
            &path,
            serde_json::to_string(&doc).map_err(std::io::Error::other)?,
        )
    };
    edit("describe-instances.json", &|doc| {
        if let Some(rs) = doc["Reservations"].as_array_mut() {
            for r in rs {
                if let Some(is) = r["Instances"].as_array_mut() {
                    for i in is.iter_mut().filter(|i| i["InstanceId"] == INSTANCE) {
                        set_name(&mut i["Tags"], &name);
                    }
                }
            }
        }
    })?;
    edit("describe-security-groups.json", &|doc| {
        if let Some(gs) = doc["SecurityGroups"].as_array_mut() {
            for g in gs.iter_mut().filter(|g| g["GroupId"] == GROUP) {
                g["GroupName"] = Value::String(name.clone());
            }
        }
    })?;
    edit("describe-vpcs.json", &|doc| {
        if let Some(vs) = doc["Vpcs"].as_array_mut() {
            for v in vs.iter_mut().filter(|v| v["VpcId"] == VPC) {
                set_name(&mut v["Tags"], &name);
            }
        }
    })?;
    Ok(name)
}
