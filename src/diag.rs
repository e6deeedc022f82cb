//! Diagnostics: every error, warning and note the loader and the model builder produce.
//!
//! A diagnostic always says where it comes from: the snapshot file (relative to the snapshot
//! root) and the JSON pointer (RFC 6901) of the value at fault, so a user can open the file and
//! find the exact element. Diagnostics are plain data; renderers decide how to show them.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is (defined with the code catalogue). Errors make `inventory` exit 1
/// (and abort with `--strict`).
pub use crate::catalogue::Severity;

/// What kind of problem a diagnostic reports: the catalogue's [`Code`](crate::catalogue::Code),
/// whose loader variants (`DiagCode::InvalidValue`, ...) print their kebab-case JSON names
/// (`invalid-value`). `vpcreach explain invalid-value` documents each.
pub use crate::catalogue::Code as DiagCode;

/// One diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
