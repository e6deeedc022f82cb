//! Audit findings: one problem about a cache, a relay or an SSM host, as `audit` (and later
//! `check`, `diff` and `report`) print it. Plain serializable data; analyses in
//! `crate::analysis` produce it, renderers print it.

use crate::catalogue::{Code, Severity};
use serde::Serialize;

/// One audit finding (the `findings` list of `audit --format json`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct AuditFinding {
    /// The catalogue code (`vpcreach explain CODE`).
    pub code: Code,
    /// The code's severity, from the catalogue.
    pub severity: Severity,
    /// The component the finding is about: a cache id, `sg-…`, `acl-…`, `subnet-…`, `i-…`.
    pub component: String,
    /// The component's Name tag, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The cache the finding concerns, when it concerns one (a relay or SSM host finding may
    /// concern none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<String>,
    /// What was found, with the evidence (rule numbers, ports, sources).
    pub detail: String,
    /// The concrete change that removes it.
    pub fix: String,
}

impl AuditFinding {
    /// A finding whose severity is the catalogue's for `code`.
    pub fn new(code: Code, component: impl Into<String>, detail: impl Into<String>) -> Self {
        AuditFinding {
            severity: code.severity(),
            code,
            component: component.into(),
            name: None,
            cache: None,
            detail: detail.into(),
            fix: String::new(),
        }
    }

    /// The same finding about `cache`.
    pub fn for_cache(mut self, cache: impl Into<String>) -> Self {
        self.cache = Some(cache.into());
        self
    }

    /// The same finding with its concrete fix.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    /// The same finding with the component's Name tag.
    pub fn named(mut self, name: Option<String>) -> Self {
        self.name = name;
        self
    }
}
