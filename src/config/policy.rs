//! `[rules]` (audit findings as invariants, ruff-style) and `[[waive]]` (accepted exceptions).
//!
//! ```toml
//! [rules]
//! select = ["RELAY_EXPOSURE"]   # codes, or "all"; absent: every error-severity finding code;
//! ignore = ["NACL_SHADOWED_RULE"]   # select = [] checks the expectations only
//!
//! [[waive]]
//! code = "RELAY_EXPOSURE"      # or expect = "<name of an [[expect]]>", exactly one
//! component = "i-…"            # optional: only findings about this component
//! reason = "migration ticket NET-42"
//! until = 2027-03-31           # optional TOML date: waives through that day, then no longer
//! ```
//!
//! Every code is checked against the catalogue; an unknown one is an error at its own line and
//! column with the closest codes suggested.

use super::{ConfigError, Location, Locator};
use crate::catalogue::Code;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

/// Which finding codes `[rules]` selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// No `select`: every error-severity finding code.
    Default,
    /// `select = "all"`: every finding code.
    All,
    /// `select = [...]` (possibly empty: expectations only).
    Codes(Vec<(Code, Location)>),
}

/// A validated `[rules]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub select: Selection,
    pub ignore: Vec<(Code, Location)>,
    /// Where `[rules]` starts (violations of a rule point here, or at its code in `select`).
    pub at: Location,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            select: Selection::Default,
            ignore: Vec::new(),
            at: Location { line: 1, column: 1 },
        }
    }
}

/// What a waiver waives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waived {
    /// Findings with this code (and, when given, about this component).
    Code {
        code: Code,
        component: Option<String>,
    },
    /// The `[[expect]]` with this name.
    Expect(String),
}

/// A validated `[[waive]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    pub waived: Waived,
    pub reason: String,
    /// The last day it waives (inclusive); `None` = no end.
    pub until: Option<jiff::civil::Date>,
    pub at: Location,
}

impl Waiver {
    /// `code RELAY_EXPOSURE (component i-…)` or `expect "name"`.
    pub fn describe(&self) -> String {
        match &self.waived {
            Waived::Code {
                code,
                component: Some(c),
            } => format!("code {code} (component {c})"),
            Waived::Code {
                code,
                component: None,
            } => format!("code {code}"),
            Waived::Expect(n) => format!("expect {n:?}"),
        }
    }
}

/// `select`: the string "all" or a list of codes (each keeping its span).
pub(super) enum RawSelect {
    All(String),
    Codes(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawSelect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSelect;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("\"all\" or a list of codes")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawSelect, E> {
                Ok(RawSelect::All(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawSelect, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Spanned<String>>()? {
                    out.push(x);
                }
                Ok(RawSelect::Codes(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    select: Option<Spanned<RawSelect>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaive {
    code: Option<Spanned<String>>,
    expect: Option<Spanned<String>>,
    component: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    until: Option<Spanned<toml::value::Datetime>>,
}

/// A catalogue code, or an error at its position with the closest codes.
fn code(loc: &Locator<'_>, v: Spanned<String>) -> Result<(Code, Location), ConfigError> {
    let span = v.span();
    let name = v.into_inner();
    match Code::parse(&name) {
        Some(c) => Ok((c, loc.at(span.start))),
        None => {
            let near: Vec<String> = Code::suggest(&name)
                .iter()
                .map(|c| c.as_str().to_string())
                .collect();
            let hint = if near.is_empty() {
                " (`vpcreach explain --list` lists every code)".to_string()
            } else {
                format!("; did you mean {}?", near.join(", "))
            };
            Err(loc.error(span, format!("unknown code {name:?}{hint}")))
        }
    }
}

/// Check the `[rules]` table.
pub(super) fn rules(loc: &Locator<'_>, raw: Spanned<RawRules>) -> Result<Rules, ConfigError> {
    let at = loc.at(raw.span().start);
    let raw = raw.into_inner();
    let select = match raw.select {
        None => Selection::Default,
        Some(s) => {
            let span = s.span();
            match s.into_inner() {
                RawSelect::All(w) if w.trim().eq_ignore_ascii_case("all") => Selection::All,
                RawSelect::All(w) => {
                    return Err(loc.error(
                        span,
                        format!("rules: select = {w:?}: expected \"all\" or a list of codes"),
                    ))
                }
                RawSelect::Codes(list) => Selection::Codes(
                    list.into_iter()
                        .map(|c| code(loc, c))
                        .collect::<Result<_, _>>()?,
                ),
            }
        }
    };
    let ignore = raw
        .ignore
        .into_iter()
        .map(|c| code(loc, c))
        .collect::<Result<_, _>>()?;
    Ok(Rules { select, ignore, at })
}

/// Check one `[[waive]]` table; `expects` are the names of the `[[expect]]` entries.
pub(super) fn waiver(
    loc: &Locator<'_>,
    raw: Spanned<RawWaive>,
    expects: &[String],
) -> Result<Waiver, ConfigError> {
    let span = raw.span();
    let at = loc.at(span.start);
    let raw = raw.into_inner();
    let Some(reason) = raw.reason else {
        return Err(loc.error(
            span,
            "waive: `reason` is required (why the exception is accepted, e.g. a ticket)".into(),
        ));
    };
    let reason_span = reason.span();
    let reason = reason.into_inner().trim().to_string();
    if reason.is_empty() {
        return Err(loc.error(reason_span, "waive: `reason` is empty".into()));
    }
    let component = match raw.component {
        Some(c) => {
            let cspan = c.span();
            let s = c.into_inner().trim().to_string();
            if s.is_empty() {
                return Err(loc.error(cspan, "waive: `component` is empty".into()));
            }
            Some((s, cspan))
        }
        None => None,
    };
    let waived = match (raw.code, raw.expect) {
        (Some(_), Some(e)) => {
            return Err(loc.error(e.span(), "waive: give `code` or `expect`, not both".into()))
        }
        (None, None) => {
            return Err(loc.error(
                span,
                "waive: needs `code = \"CODE\"` or `expect = \"<expectation name>\"`".into(),
            ))
        }
        (Some(c), None) => Waived::Code {
            code: code(loc, c)?.0,
            component: component.map(|(s, _)| s),
        },
        (None, Some(e)) => {
            if let Some((_, cspan)) = component {
                return Err(loc.error(
                    cspan,
                    "waive: `component` applies to `code` waivers only".into(),
                ));
            }
            let espan = e.span();
            let name = e.into_inner();
            if !expects.contains(&name) {
                let near = expects
                    .iter()
                    .min_by_key(|n| strsim::levenshtein(n, &name))
                    .map(|n| format!("; did you mean {n:?}?"))
                    .unwrap_or_default();
                return Err(loc.error(
                    espan,
                    format!("waive: no [[expect]] is named {name:?}{near}"),
                ));
            }
            Waived::Expect(name)
        }
    };
    let until = match raw.until {
        None => None,
        Some(u) => {
            let uspan = u.span();
            let dt = u.into_inner();
            match (dt.date, dt.time) {
                (Some(d), None) => Some(
                    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8)
                        .map_err(|e| loc.error(uspan.clone(), format!("waive: until: {e}")))?,
                ),
                _ => {
                    return Err(loc.error(
                        uspan,
                        format!("waive: until = {dt}: expected a date such as 2027-03-31"),
                    ))
                }
            }
        }
    };
    Ok(Waiver {
        waived,
        reason,
        until,
        at,
    })
}
