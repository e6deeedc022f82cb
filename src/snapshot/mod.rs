//! Snapshots: folders of AWS CLI JSON output, read into AWS-shaped data per account and region.
//!
//! A snapshot is a directory read recursively; every `*.json` file in it is the output of an AWS
//! read call (or several, merged). Files are recognised by their top-level keys, never by their
//! names ([`keys`]); arrays under the same key merge. Folders map to an account and a region
//! ([`scope`]). Bad input never panics: a file that is not JSON, a value of the wrong type, a
//! CIDR that does not parse are reported with the file and the JSON pointer, and loading goes on
//! with everything else.
//!
//! This layer only reads; [`crate::model`] turns the result into the normalized network.

pub mod aws;
mod element;
pub mod files;
pub mod keys;
pub mod manifest;
pub mod rejected;
pub mod salvage;
pub mod scope;
mod strict;

use crate::diag::{pointer_token, DiagCode, Diagnostic, Diagnostics, Severity};
use keys::{classify_unmodelled, json_kind, KeyKind, PARENTLESS_KEYS};
pub use keys::{Located, RawData, IGNORED_KEYS, MODELLED_KEYS};
use rayon::prelude::*;
use scope::{hints_of, scope_from_path, ScopeHints, ScopeSource};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data of one account and region.
#[derive(Clone, Debug)]
pub struct RawScope {
    pub account: String,
    pub region: String,
    pub account_source: ScopeSource,
    pub region_source: ScopeSource,
    pub data: RawData,
}

/// What became of one file.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    /// Path relative to the snapshot root, with `/` separators.
    pub path: String,
    pub account: String,
    pub region: String,
    /// Modelled keys and how many elements of each were accepted.
    pub loaded: BTreeMap<String, usize>,
    /// Known AWS outputs that vpcreach does not model.
    pub ignored: Vec<String>,
    /// Keys vpcreach does not know.
    pub unknown: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// A loaded snapshot: AWS-shaped data per scope, per-file reports, diagnostics.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub root: PathBuf,
    pub scopes: Vec<RawScope>,
    pub files: Vec<FileReport>,
    pub diagnostics: Diagnostics,
    /// The manifest `vpcreach collect` wrote, if the snapshot has one.
    pub manifest: Option<manifest::Manifest>,
}

impl FileReport {
    fn new(rel: &str) -> Self {
        FileReport {
            path: rel.to_string(),
            account: String::new(),
            region: String::new(),
            loaded: BTreeMap::new(),
            ignored: Vec::new(),
            unknown: Vec::new(),
            errors: 0,
            warnings: 0,
        }
    }
}

impl Snapshot {
    /// The relative path of file `i`.
    pub fn file_name(&self, i: u32) -> &str {
        self.files
            .get(i as usize)
            .map(|f| f.path.as_str())
            .unwrap_or("?")
    }
}

/// A snapshot that could not be read at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("snapshot {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("snapshot {0}: no *.json files found")]
    Empty(PathBuf),
    /// A path that is not a regular file or folder (a FIFO, a device): never read.
    #[error("snapshot {path}: not read: {what}")]
    NotRegular { path: PathBuf, what: &'static str },
    /// Nothing could be listed: the first listing error, not "no files".
    #[error("snapshot {path}: nothing could be read: {first}")]
    Unlisted { path: PathBuf, first: String },
}

/// The account used when neither path nor contents name one (Batfish's convention).
pub const DEFAULT_ACCOUNT: &str = "default";
/// The region used when nothing names one.
pub const UNKNOWN_REGION: &str = "unknown";

/// Where the text of one snapshot file comes from.
pub enum Source {
    /// A file on disk.
    Path(PathBuf),
    /// Text compiled into the binary (the bundled demo snapshot).
    Static(&'static str),
    /// Bytes held in memory (a fuzzer's input): read like a file's bytes (encoding, size cap).
    Bytes(Vec<u8>),
}

/// One file of a snapshot: its path relative to the root (with `/`), and its text.
pub struct Entry {
    pub rel: String,
    pub source: Source,
}

/// Load a snapshot from a directory (read recursively) or a single JSON file.
pub fn load(root: &Path) -> Result<Snapshot, LoadError> {
    let meta = std::fs::metadata(root).map_err(|source| LoadError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if let Some(what) = files::odd_kind(&meta) {
        return Err(LoadError::NotRegular {
            path: root.to_path_buf(),
            what,
        });
    }
    let mut diags = Diagnostics::default();
    let (files, first_error) = if meta.is_dir() {
        files::list_json_files(root, &mut diags, |p| relative_name(root, p))
    } else {
        (vec![root.to_path_buf()], None)
    };
    if files.is_empty() {
        return Err(match first_error {
            Some(first) => LoadError::Unlisted {
                path: root.to_path_buf(),
                first,
            },
            None => LoadError::Empty(root.to_path_buf()),
        });
    }
    let entries = files
        .into_iter()
        .map(|p| Entry {
            rel: relative_name(root, &p),
            source: Source::Path(p),
        })
        .collect();
    Ok(load_entries(root, entries, diags))
}

/// The demo snapshot bundled into the binary (`fixtures/demo`).
static DEMO: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/fixtures/demo");

/// Load the bundled demo snapshot (no files needed).
pub fn load_demo() -> Snapshot {
    let mut entries = Vec::new();
    collect_static(&DEMO, &mut entries);
    entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    load_entries(Path::new("<bundled demo>"), entries, Diagnostics::default())
}

fn collect_static(dir: &'static include_dir::Dir<'static>, out: &mut Vec<Entry>) {
    for f in dir.files() {
        let is_json = f
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"));
        if let (true, Some(text)) = (is_json, f.contents_utf8()) {
            out.push(Entry {
                rel: f.path().to_string_lossy().replace('\\', "/"),
                source: Source::Static(text),
            });
        }
    }
    for d in dir.dirs() {
        collect_static(d, out);
    }
}

/// Load a snapshot from a list of files. Never fails: problems become diagnostics.
pub fn load_entries(root: &Path, entries: Vec<Entry>, mut diags: Diagnostics) -> Snapshot {
    // Parse every file, grouped by its folder.
    struct Folder {
        path_scope: scope::PathScope,
        data: RawData,
        hints: ScopeHints,
        files: Vec<usize>,
    }
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    let mut reports = Vec::with_capacity(entries.len());
    let mut manifest = None;
    // Files are parsed on every core; what they hold is then merged in file order, so the
    // model, the reports and the order of the diagnostics do not depend on the threads.
    let parsed: Vec<Parsed> = entries
        .par_iter()
        .enumerate()
        .map(|(i, entry)| parse_entry(entry, i as u32))
        .collect();
    for Parsed {
        rel,
        mut data,
        diags: file_diags,
        report,
    } in parsed
    {
        let dir = Path::new(&rel)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let components: Vec<String> = dir
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let folder = folders.entry(dir).or_insert_with(|| Folder {
            path_scope: scope_from_path(components.iter().map(String::as_str)),
            data: RawData::default(),
            hints: ScopeHints::default(),
            files: Vec::new(),
        });
        if let Some(m) = data.manifest.take() {
            manifest = Some(m);
        }
        folder.hints.merge(&hints_of(&data));
        folder.data.absorb(data);
        folder.files.push(reports.len());
        reports.push(report);
        diags.extend(file_diags);
    }

    // Give every folder an account and region, then merge folders of the same scope.
    let mut scopes: BTreeMap<(String, String), RawScope> = BTreeMap::new();
    for (dir, folder) in folders {
        // A folder holding only the collect manifest (the root of a collected snapshot) is no
        // account or region: giving it a scope would add an empty `default/unknown` one.
        if folder.files.iter().all(|&f| is_manifest_only(&reports[f])) {
            continue;
        }
        let dir_name = if dir.as_os_str().is_empty() {
            ".".to_string()
        } else {
            dir.to_string_lossy().replace('\\', "/")
        };
        let (account, account_source) = match &folder.path_scope.account {
            Some(a) => (a.clone(), ScopeSource::Path),
            None => match ScopeHints::best(&folder.hints.accounts) {
                Some((a, others)) => {
                    let mut msg = format!(
                        "account of folder {dir_name} guessed as {a} from OwnerId/ARN values in its files"
                    );
                    if others > 0 {
                        msg.push_str(&format!(
                            " ({others} other account id(s) also appear, e.g. shared subnets or cross-account references)"
                        ));
                    }
                    diags.push(Diagnostic::new(
                        Severity::Note,
                        DiagCode::InferredScope,
                        msg,
                    ));
                    (a, ScopeSource::Contents)
                }
                None => {
                    diags.push(Diagnostic::new(
                        Severity::Note,
                        DiagCode::InferredScope,
                        format!(
                            "no account id in the path or contents of folder {dir_name}: using account \"{DEFAULT_ACCOUNT}\""
                        ),
                    ));
                    (DEFAULT_ACCOUNT.to_string(), ScopeSource::Unknown)
                }
            },
        };
        let (region, region_source) = match &folder.path_scope.region {
            Some(r) => (r.clone(), ScopeSource::Path),
            None if folder.path_scope.batfish => {
                diags.push(Diagnostic::new(
                    Severity::Note,
                    DiagCode::InferredScope,
                    format!(
                        "folder {dir_name} is a bare Batfish aws_configs folder: region us-west-2 by Batfish's convention"
                    ),
                ));
                ("us-west-2".to_string(), ScopeSource::Convention)
            }
            None => match ScopeHints::best(&folder.hints.regions) {
                Some((r, others)) => {
                    let mut msg = format!(
                        "region of folder {dir_name} guessed as {r} from availability zones/ARNs in its files"
                    );
                    if others > 0 {
                        msg.push_str(&format!(" ({others} other region(s) also appear)"));
                    }
                    diags.push(Diagnostic::new(
                        Severity::Note,
                        DiagCode::InferredScope,
                        msg,
                    ));
                    (r, ScopeSource::Contents)
                }
                None => {
                    diags.push(Diagnostic::new(
                        Severity::Warning,
                        DiagCode::InferredScope,
                        format!(
                            "no region in the path or contents of folder {dir_name}: using region \"{UNKNOWN_REGION}\""
                        ),
                    ));
                    (UNKNOWN_REGION.to_string(), ScopeSource::Unknown)
                }
            },
        };
        for &f in &folder.files {
            reports[f].account = account.clone();
            reports[f].region = region.clone();
        }
        let entry = scopes
            .entry((account.clone(), region.clone()))
            .or_insert_with(|| RawScope {
                account,
                region,
                account_source,
                region_source,
                data: RawData::default(),
            });
        entry.data.absorb(folder.data);
    }

    Snapshot {
        root: root.to_path_buf(),
        scopes: scopes.into_values().collect(),
        files: reports,
        diagnostics: diags,
        manifest,
    }
}

/// One file, parsed on its own (on any thread).
struct Parsed {
    rel: String,
    data: RawData,
    diags: Diagnostics,
    report: FileReport,
}

/// Parse file number `file_index`.
fn parse_entry(entry: &Entry, file_index: u32) -> Parsed {
    let rel = entry.rel.clone();
    let mut diags = Diagnostics::default();
    let mut data = RawData::default();
    let report = match &entry.source {
        Source::Path(path) => parse_file(path, &rel, file_index, &mut data, &mut diags),
        Source::Static(text) => {
            let mut report = FileReport::new(&rel);
            parse_text(text, &rel, file_index, &mut data, &mut diags, &mut report);
            report
        }
        Source::Bytes(bytes) => {
            let mut report = FileReport::new(&rel);
            let text = if bytes.len() as u64 > files::max_file_bytes() {
                files::too_big(
                    &rel,
                    bytes.len() as u64,
                    files::max_file_bytes(),
                    &mut diags,
                );
                None
            } else {
                files::decode(bytes.clone(), &rel, &mut diags)
            };
            if let Some(text) = text {
                parse_text(&text, &rel, file_index, &mut data, &mut diags, &mut report);
            }
            report
        }
    };
    let report = FileReport {
        errors: diags.error_count(),
        warnings: diags.warning_count(),
        ..report
    };
    Parsed {
        rel,
        data,
        diags,
        report,
    }
}

/// True when a file held the collect manifest and nothing else.
fn is_manifest_only(r: &FileReport) -> bool {
    r.errors == 0
        && r.ignored.is_empty()
        && r.unknown.is_empty()
        && !r.loaded.is_empty()
        && r.loaded.keys().all(|k| k == manifest::MANIFEST_KEY)
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned())
    } else {
        s
    }
}

/// Parse one file into `data`. Never fails: problems become diagnostics.
fn parse_file(
    path: &Path,
    rel: &str,
    file_index: u32,
    data: &mut RawData,
    diags: &mut Diagnostics,
) -> FileReport {
    let mut report = FileReport::new(rel);
    let Some(text) = files::read_text(path, rel, files::max_file_bytes(), diags) else {
        return report;
    };
    let text = text.as_str();
    parse_text(text, rel, file_index, data, diags, &mut report);
    report
}

/// Parse the text of one file.
pub(crate) fn parse_text(
    text: &str,
    rel: &str,
    file_index: u32,
    data: &mut RawData,
    diags: &mut Diagnostics,
    report: &mut FileReport,
) {
    // One pass into the top-level object; the error path tells syntax from shape.
    let object: Vec<(String, &RawValue)> = match serde_json::from_str::<element::TopLevel>(text) {
        Ok(element::TopLevel(mut entries)) => {
            // Keys in order (as before), duplicates kept in document order and reported.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for (k, _) in &entries {
                *counts.entry(k.as_str()).or_default() += 1;
            }
            for (key, n) in counts.into_iter().filter(|(_, n)| *n > 1) {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        DiagCode::DuplicateKey,
                        format!(
                            "top-level key \"{key}\" appears {n} times in this file: every one of its lists is read (pointers below /{key} count from 0 in each)"
                        ),
                    )
                    .at(rel, format!("/{}", pointer_token(key))),
                );
            }
            entries
        }
        Err(e) if e.is_syntax() || e.is_eof() => {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagCode::JsonSyntax,
                    format!("invalid JSON: {e}"),
                )
                .at(rel, ""),
            );
            return;
        }
        Err(e) => {
            let kind = serde_json::from_str::<&RawValue>(text)
                .map(json_kind)
                .unwrap_or("something else");
            let msg = if kind == "an object" {
                format!("invalid JSON object: {e}")
            } else {
                format!(
                        "expected a JSON object at the top level (the output of an AWS CLI call), got {kind}"
                    )
            };
            diags.push(Diagnostic::new(Severity::Error, DiagCode::InvalidValue, msg).at(rel, ""));
            return;
        }
    };

    // A raw `describe-vpc-attribute` output: {"VpcId": ..., "EnableDnsSupport": {"Value": ...}}.
    let keys: Vec<&str> = object.iter().map(|(k, _)| k.as_str()).collect();
    if keys.contains(&"VpcId")
        && (keys.contains(&"EnableDnsSupport") || keys.contains(&"EnableDnsHostnames"))
    {
        let parsed = serde_json::from_str::<&RawValue>(text)
            .map_err(|e| (String::new(), e.to_string()))
            .and_then(keys::parse_element::<aws::VpcAttribute>);
        match parsed {
            Ok(item) => {
                data.vpc_attributes.push(Located {
                    item,
                    file: file_index,
                    pointer: String::new(),
                });
                *report.loaded.entry("VpcAttributes".into()).or_default() += 1;
            }
            Err((sub, msg)) => diags
                .push(Diagnostic::new(Severity::Error, DiagCode::InvalidValue, msg).at(rel, sub)),
        }
        return;
    }

    for (key, raw) in object {
        if key == manifest::MANIFEST_KEY {
            match keys::parse_element::<manifest::Manifest>(raw) {
                Ok(m) => {
                    data.manifest = Some(m);
                    report.loaded.insert(key, 1);
                }
                Err((sub, msg)) => diags.push(
                    Diagnostic::new(Severity::Error, DiagCode::InvalidValue, msg)
                        .at(rel, format!("/{}{sub}", manifest::MANIFEST_KEY)),
                ),
            }
            continue;
        }
        if let Some(n) = data.dispatch(&key, raw, file_index, rel, diags) {
            *report.loaded.entry(key).or_default() += n;
            continue;
        }
        match classify_unmodelled(&key) {
            KeyKind::Ignored => report.ignored.push(key),
            KeyKind::Parentless => {
                let hint = PARENTLESS_KEYS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, h)| *h)
                    .unwrap_or("");
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        DiagCode::ParentlessOutput,
                        format!("top-level \"{key}\" skipped: {hint}"),
                    )
                    .at(rel, format!("/{}", pointer_token(&key))),
                );
                report.unknown.push(key);
            }
            KeyKind::Unknown | KeyKind::Modelled => {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        DiagCode::UnknownKey,
                        format!("unknown top-level key \"{key}\" skipped (not an AWS output vpcreach reads)"),
                    )
                    .at(rel, format!("/{}", pointer_token(&key))),
                );
                report.unknown.push(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (RawData, Diagnostics, FileReport) {
        let mut data = RawData::default();
        let mut diags = Diagnostics::default();
        let mut report = FileReport::new("f.json");
        parse_text(text, "f.json", 0, &mut data, &mut diags, &mut report);
        (data, diags, report)
    }

    #[test]
    fn bad_element_is_skipped_with_pointer() {
        let (data, diags, _) = parse(
            r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16"}]},
                         {"VpcId": "vpc-2", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.300/16"}]}]}"#,
        );
        assert_eq!(data.vpcs.len(), 1);
        let d = diags.iter().next().expect("a diagnostic");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.pointer.as_deref(),
            Some("/Vpcs/1/CidrBlockAssociationSet/0/CidrBlock")
        );
        assert!(d.message.contains("IPv4 CIDR"), "{}", d.message);
    }

    #[test]
    fn syntax_error_names_line() {
        let (_, diags, _) = parse("{\"Vpcs\": [\n{]}");
        let d = diags.iter().next().expect("a diagnostic");
        assert_eq!(d.code, DiagCode::JsonSyntax);
        assert!(d.message.contains("line 2"), "{}", d.message);
    }

    #[test]
    fn keys_are_classified() {
        let (_, diags, report) =
            parse(r#"{"VpnGateways": [], "Bogus": 1, "Routes": [], "Vpcs": []}"#);
        assert_eq!(report.ignored, vec!["VpnGateways"]);
        assert_eq!(report.unknown, vec!["Bogus", "Routes"]);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&DiagCode::UnknownKey));
        assert!(codes.contains(&DiagCode::ParentlessOutput));
        assert_eq!(report.loaded.get("Vpcs"), Some(&0));
    }

    #[test]
    fn raw_vpc_attribute_output() {
        let (data, diags, _) =
            parse(r#"{"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": false}}"#);
        assert_eq!(diags.0.len(), 0);
        assert_eq!(data.vpc_attributes.len(), 1);
    }

    #[test]
    fn port_out_of_range() {
        let (data, diags, _) = parse(
            r#"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 70000, "ToPort": 70000}]}]}"#,
        );
        assert!(data.security_groups.is_empty());
        let d = diags.iter().next().expect("a diagnostic");
        assert_eq!(
            d.pointer.as_deref(),
            Some("/SecurityGroups/0/IpPermissions/0/FromPort")
        );
        assert!(d.message.contains("-1 to 65535"), "{}", d.message);
    }
}
