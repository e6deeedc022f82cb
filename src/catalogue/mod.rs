//! The catalogue of every code vpcreach prints: the reachability engine's explanation codes
//! (named after AWS Reachability Analyzer's where it has one), the loader's diagnostic codes,
//! and vpcreach's own completeness codes. One flat enum, [`Code`], documents each one: its
//! severity, a one-line summary and a [`Doc`] (what it means, why it matters, how to fix it, and
//! a command on a bundled fixture that produces it). `vpcreach explain` prints these docs.
//!
//! Each family file (`routing.rs`, `nacl.rs`, ...) declares its entries in one macro. The family
//! macros are chained: each appends its entries and calls the next, and the last, `catalogue!`,
//! generates the enum. Adding a code = adding one entry to a family file:
//!
//! ```text
//! NO_ROUTE_TO_DESTINATION => {
//!     severity: Error,
//!     summary: "No route covers the destination",
//!     what: "...", why: "...", fix: "...",
//!     example: "vpcreach reach --snapshot fixtures/rules/... --from ... --to ... --port 22",
//! }
//! ```
//!
//! The printed name is the variant name (`NO_ROUTE_TO_DESTINATION`) unless the entry gives one
//! (`InvalidValue("invalid-value") => { ... }`, the loader's kebab-case JSON names).

use serde::{Serialize, Serializer};
use std::fmt;

#[macro_use]
mod answer;
#[macro_use]
mod audit;
#[macro_use]
mod cache;
#[macro_use]
mod check;
#[macro_use]
mod endpoints;
#[macro_use]
mod gateways;
#[macro_use]
mod load_balancer;
#[macro_use]
mod loader;
#[macro_use]
mod nacl;
#[macro_use]
mod path;
#[macro_use]
mod plan;
#[macro_use]
mod routing;
#[macro_use]
mod security_group;
#[macro_use]
mod snapshot;
#[macro_use]
mod transit_gateway;

/// How bad a finding with this code is. For loader diagnostics, errors make `inventory` exit 1
/// (and abort with `--strict`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user should know; nothing is wrong (a guessed region, an assumed default).
    Note,
    /// Data is suspicious or incomplete, or a verdict rests on something the user should check.
    Warning,
    /// Input could not be read or a value is invalid; or (engine codes) the flow is stopped.
    Error,
}

impl Severity {
    /// The lowercase name (`error`, `warning`, `note`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the network (or of vpcreach) a code is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Whole paths and component states.
    Path,
    /// VPC route tables.
    Routing,
    /// Network ACLs.
    Nacl,
    /// Security groups.
    SecurityGroup,
    /// Internet, egress-only internet and NAT gateways, VPC peering.
    Gateways,
    /// Transit gateways.
    TransitGateway,
    /// VPC endpoints.
    Endpoints,
    /// PrivateLink: load balancers behind endpoint services, resource gateways.
    LoadBalancer,
    /// What the snapshot lacks (vpcreach's own completeness codes).
    Snapshot,
    /// Loader diagnostics (`inventory`).
    Loader,
    /// How a question was resolved and what an answer assumes.
    Answer,
    /// Who reaches each cache: relays, SSM readiness, cache findings.
    Audit,
    /// `vpcreach check`: expectations and waivers of the policy file.
    Check,
    /// `--plan`: Terraform / OpenTofu plans applied to a snapshot.
    Plan,
}

impl Family {
    /// The kebab-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Family::Path => "path",
            Family::Routing => "routing",
            Family::Nacl => "nacl",
            Family::SecurityGroup => "security-group",
            Family::Gateways => "gateways",
            Family::TransitGateway => "transit-gateway",
            Family::Endpoints => "endpoints",
            Family::LoadBalancer => "load-balancer",
            Family::Snapshot => "snapshot",
            Family::Loader => "loader",
            Family::Answer => "answer",
            Family::Audit => "audit",
            Family::Check => "check",
            Family::Plan => "plan",
        }
    }
}

/// The documentation of one code, in the style of a linter's rule page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// What it means: the AWS behaviour (or the loader condition) behind the code.
    pub what: &'static str,
    /// Why it matters: what breaks, and what a user would see.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// A vpcreach command line, on a bundled fixture, that produces the code.
    pub example: &'static str,
}

/// The printed name: the entry's explicit one, else the variant name.
macro_rules! code_name {
    ($variant:ident) => {
        stringify!($variant)
    };
    ($variant:ident $name:literal) => {
        $name
    };
}

/// The end of the family chain: every entry of every family, as one enum.
macro_rules! catalogue {
    ( ; $( [$family:ident] $(
        $(#[$meta:meta])*
        $variant:ident $(($name:literal))? => {
            severity: $severity:ident,
            summary: $summary:literal,
            what: $what:literal,
            why: $why:literal,
            fix: $fix:literal,
            example: $example:literal $(,)?
        }
    ),* $(,)? )* ) => {
        /// A code vpcreach prints: an explanation code of the engine (`NO_ROUTE_TO_DESTINATION`),
        /// a loader diagnostic code (`invalid-value`) or a completeness code of vpcreach's own.
        /// Serialized as its printed name ([`Code::as_str`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        pub enum Code {
            $($( $(#[$meta])* #[doc = $summary] $variant, )*)*
        }

        impl Code {
            /// The code as printed (`NO_ROUTE_TO_DESTINATION`, `invalid-value`).
            pub const fn as_str(self) -> &'static str {
                match self { $($( Code::$variant => code_name!($variant $($name)?), )*)* }
            }
            /// How bad a finding with this code is.
            pub const fn severity(self) -> Severity {
                match self { $($( Code::$variant => Severity::$severity, )*)* }
            }
            /// Which family the code belongs to.
            pub const fn family(self) -> Family {
                match self { $($( Code::$variant => Family::$family, )*)* }
            }
            /// One-line meaning.
            pub const fn summary(self) -> &'static str {
                match self { $($( Code::$variant => $summary, )*)* }
            }
            /// The full documentation.
            pub const fn doc(self) -> Doc {
                match self {
                    $($( Code::$variant => Doc {
                        what: $what,
                        why: $why,
                        fix: $fix,
                        example: $example,
                    }, )*)*
                }
            }
            /// Every code, family by family.
            pub fn all() -> &'static [Code] {
                &[$($( Code::$variant, )*)*]
            }
        }
    };
}

path_codes! { routing_codes, nacl_codes, security_group_codes, gateways_codes,
transit_gateway_codes, endpoints_codes, load_balancer_codes, snapshot_codes, answer_codes, audit_codes, cache_codes, check_codes, plan_codes, loader_codes, catalogue ; }

impl Code {
    /// One-line meaning (the older name of [`Code::summary`]).
    pub const fn meaning(self) -> &'static str {
        self.summary()
    }

    /// The code named `name`, ignoring case and treating `-` and `_` alike (surrounding
    /// punctuation, as in `(UNRESOLVED_PREFIX_LIST)` or `HIGHER_PRIORITY_ROUTE:`, is ignored).
    /// An exact match wins; when two codes differ only in style (`SNAPSHOT_INCOMPLETE`,
    /// `snapshot-incomplete`), a name written in lowercase or with `-` picks the loader's
    /// kebab-case one.
    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if let Some(c) = Code::all().iter().find(|c| c.as_str() == name) {
            return Some(*c);
        }
        let key = normalize(name);
        let matches: Vec<Code> = Code::all()
            .iter()
            .copied()
            .filter(|c| normalize(c.as_str()) == key)
            .collect();
        let kebab = name.contains('-') || name.chars().any(|c| c.is_ascii_lowercase());
        matches
            .iter()
            .copied()
            .find(|c| c.as_str().contains('-') == kebab || !c.as_str().contains(['-', '_']))
            .or_else(|| matches.first().copied())
    }

    /// The catalogue codes closest to `name` (edit distance on the normalized name), best first:
    /// for "did you mean" hints.
    pub fn suggest(name: &str) -> Vec<Code> {
        let key = normalize(name);
        let mut scored: Vec<(usize, Code)> = Code::all()
            .iter()
            .map(|c| (distance(&key, &normalize(c.as_str())), *c))
            .collect();
        scored.sort();
        let limit = (key.len() / 3).max(2);
        let mut out: Vec<Code> = scored
            .iter()
            .filter(|(d, _)| *d <= limit)
            .map(|(_, c)| *c)
            .take(3)
            .collect();
        if out.is_empty() {
            // A fragment of a code (`RFC6598`, `acl`): codes containing it.
            out = Code::all()
                .iter()
                .copied()
                .filter(|c| key.len() >= 3 && normalize(c.as_str()).contains(&key))
                .take(3)
                .collect();
        }
        out
    }

    /// The whole doc as one Markdown string (heading, severity, summary, the four sections).
    pub fn markdown(self) -> String {
        let d = self.doc();
        format!(
            "# {code}\n\n**{sev}** ({family}): {summary}\n\n## What it means\n\n{what}\n\n\
             ## Why it matters\n\n{why}\n\n## How to fix it\n\n{fix}\n\n## Example\n\n\
             ```sh\n{example}\n```\n",
            code = self.as_str(),
            sev = self.severity(),
            family = self.family().as_str(),
            summary = self.summary(),
            what = d.what,
            why = d.why,
            fix = d.fix,
            example = d.example,
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl schemars::JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }

    /// Every code's printed name, as an enum.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = Code::all().iter().map(|c| c.as_str()).collect();
        schemars::json_schema!({
            "description": "A catalogue code (`vpcreach explain CODE` documents it).",
            "type": "string",
            "enum": names
        })
    }
}

/// Uppercase, `-` → `_`, trimmed: the form names are compared in.
fn normalize(s: &str) -> String {
    s.trim().to_ascii_uppercase().replace('-', "_")
}

/// Levenshtein distance (names are short ASCII).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = BTreeSet::new();
        for c in Code::all() {
            assert!(seen.insert(c.as_str()), "duplicate name {c}");
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
    }

    #[test]
    fn parse_ignores_case_and_separator_style() {
        assert_eq!(
            Code::parse("no-route-to-destination"),
            Some(Code::NO_ROUTE_TO_DESTINATION)
        );
        assert_eq!(Code::parse("INVALID_VALUE"), Some(Code::InvalidValue));
        assert_eq!(
            Code::parse("snapshot_incomplete"),
            Some(Code::SnapshotIncomplete)
        );
        assert_eq!(
            Code::parse("Snapshot_Incomplete"),
            Some(Code::SnapshotIncomplete)
        );
        assert_eq!(
            Code::parse("SNAPSHOT-INCOMPLETE"),
            Some(Code::SnapshotIncomplete)
        );
        assert_eq!(
            Code::parse("SNAPSHOT_INCOMPLETE"),
            Some(Code::SNAPSHOT_INCOMPLETE)
        );
        assert_eq!(
            Code::parse("(UNRESOLVED_PREFIX_LIST)"),
            Some(Code::UNRESOLVED_PREFIX_LIST)
        );
        assert_eq!(
            Code::parse("HIGHER_PRIORITY_ROUTE:"),
            Some(Code::HIGHER_PRIORITY_ROUTE)
        );
        assert_eq!(Code::parse("NO_SUCH_CODE"), None);
    }

    #[test]
    fn suggestions_find_near_misses() {
        assert_eq!(
            Code::suggest("NO_ROUTE_TO_DESTINATON").first(),
            Some(&Code::NO_ROUTE_TO_DESTINATION)
        );
        assert!(Code::suggest("zzzzzzzzzzzzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn every_doc_is_complete() {
        for c in Code::all() {
            let d = c.doc();
            for (part, text) in [
                ("summary", c.summary()),
                ("what", d.what),
                ("why", d.why),
                ("fix", d.fix),
                ("example", d.example),
            ] {
                assert!(!text.trim().is_empty(), "{c}: empty {part}");
            }
            assert!(d.example.starts_with("vpcreach "), "{c}: {}", d.example);
        }
    }
}
