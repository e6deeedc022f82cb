//! Diagnostics: every error, warning and note the loader and the model builder produce.
//!
//! A diagnostic always says where it comes from: the snapshot file (relative to the snapshot
//! root) and the JSON pointer (RFC 6901) of the value at fault, so a user can open the file and
//! find the exact element. Diagnostics are plain data; renderers decide how to show them.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is. Errors make `inventory` exit 1 (and abort with `--strict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user should know; nothing is wrong (a guessed region, an assumed default).
    Note,
    /// Data is suspicious or incomplete (dangling reference, unknown key, duplicate id).
    Warning,
    /// Input could not be read or a value is invalid; the element was skipped.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// What kind of problem a diagnostic reports. The kebab-case name is part of the JSON contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagCode {
    /// A file or directory could not be read.
    Unreadable,
    /// The file is not valid JSON (or not UTF-8).
    JsonSyntax,
    /// A value has the wrong type or shape, or is out of range (bad CIDR, port, rule number).
    InvalidValue,
    /// A required field (usually the resource id) is missing or empty.
    MissingField,
    /// A top-level key vpcreach does not know.
    UnknownKey,
    /// Output of a call that carries no parent id (`Routes`, `Entries`, ...) at top level.
    ParentlessOutput,
    /// A reference to an id that is not in the snapshot.
    DanglingReference,
    /// The same id twice with different content; the first is kept.
    DuplicateId,
    /// Account or region taken from file contents or a convention rather than the path.
    InferredScope,
    /// A default assumed because the snapshot lacks the data (DNS attributes, ...).
    AssumedDefault,
    /// Data that contradicts other data (an association that disagrees with a wrapper, ...).
    Inconsistent,
    /// The snapshot says that a listing was cut short (`AdditionalRoutesAvailable`).
    SnapshotIncomplete,
    /// A timestamp that cannot be parsed.
    InvalidTimestamp,
}

impl DiagCode {
    /// The kebab-case name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagCode::Unreadable => "unreadable",
            DiagCode::JsonSyntax => "json-syntax",
            DiagCode::InvalidValue => "invalid-value",
            DiagCode::MissingField => "missing-field",
            DiagCode::UnknownKey => "unknown-key",
            DiagCode::ParentlessOutput => "parentless-output",
            DiagCode::DanglingReference => "dangling-reference",
            DiagCode::DuplicateId => "duplicate-id",
            DiagCode::InferredScope => "inferred-scope",
            DiagCode::AssumedDefault => "assumed-default",
            DiagCode::Inconsistent => "inconsistent",
            DiagCode::SnapshotIncomplete => "snapshot-incomplete",
            DiagCode::InvalidTimestamp => "invalid-timestamp",
        }
    }
}

impl fmt::Display for DiagCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: DiagCode,
    /// The file, relative to the snapshot root (`None` for snapshot-wide findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// RFC 6901 JSON pointer into `file` (`""` = the whole document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic without a location.
    pub fn new(severity: Severity, code: DiagCode, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            file: None,
            pointer: None,
            message: message.into(),
        }
    }

    /// Attach a file and pointer.
    pub fn at(mut self, file: impl Into<String>, pointer: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self.pointer = Some(pointer.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.severity, self.code)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
            if let Some(p) = &self.pointer {
                if !p.is_empty() {
                    write!(f, "#{p}")?;
                }
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Escape one JSON-pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// An accumulating list of diagnostics.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }
    pub fn count(&self, s: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == s).count()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
}
