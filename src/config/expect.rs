//! `[[expect]]` entries: a reachability expectation that `vpcreach check` asserts.
//!
//! ```toml
//! [[expect]]
//! name = "office reaches redis only through the proxy"   # optional; default built from the fields
//! from = "office"          # a [sources] name or any reach source form
//! to = "demo-redis"        # any reach target form
//! port = 6379              # optional (default: the cache's ports); N or "N-M"
//! protocol = "tcp"         # optional (default tcp)
//! reachable = false        # or verdict = "reachable" | "partial" | "unreachable"
//! via = "name:haproxy"     # optional: only the way through this relay counts
//! direct = true            # optional: only the direct way counts (exclusive with via)
//! ```
//!
//! `reachable = true` means the verdict `reachable` (every flow completes), `reachable = false`
//! the verdict `unreachable` (no flow completes); a `partial` answer satisfies neither.

use super::{ConfigError, Location, Locator};
use serde::Deserialize;
use toml::Spanned;

/// The verdict an expectation wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    Reachable,
    Partial,
    Unreachable,
}

impl Want {
    /// The verdict word (`reachable`, `partial`, `unreachable`).
    pub fn as_str(self) -> &'static str {
        match self {
            Want::Reachable => "reachable",
            Want::Partial => "partial",
            Want::Unreachable => "unreachable",
        }
    }
}

/// Which ways from the source to the target count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Way {
    /// Directly, or through any one relay (declared or discovered).
    Any,
    /// Only the direct way (`direct = true`).
    Direct,
    /// Only the way through this relay (`via = "…"`, any target form).
    Via(String),
}

/// A validated `[[expect]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// Its name: given, or built from the fields ([`default_name`]).
    pub name: String,
    pub from: String,
    pub to: String,
    /// `N` or `N-M`; `None` = the target cache's ports (else all ports).
    pub port: Option<String>,
    pub protocol: String,
    pub want: Want,
    pub way: Way,
    /// Where the `[[expect]]` table starts in the file.
    pub at: Location,
}

/// A port written as a number or as a `"N-M"` string.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawPort {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpect {
    name: Option<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<String>,
    port: Option<Spanned<RawPort>>,
    protocol: Option<Spanned<String>>,
    reachable: Option<Spanned<bool>>,
    verdict: Option<Spanned<String>>,
    via: Option<Spanned<String>>,
    direct: Option<Spanned<bool>>,
}

/// The name an unnamed expectation gets: `office -> demo-redis tcp/6379 unreachable via
/// name:haproxy` (port `default` when not given).
pub fn default_name(e: &Expectation) -> String {
    let way = match &e.way {
        Way::Any => String::new(),
        Way::Direct => " direct".to_string(),
        Way::Via(r) => format!(" via {r}"),
    };
    format!(
        "{} -> {} {}/{} {}{way}",
        e.from,
        e.to,
        e.protocol,
        e.port.as_deref().unwrap_or("default"),
        e.want.as_str()
    )
}

fn non_empty(loc: &Locator<'_>, what: &str, v: Spanned<String>) -> Result<String, ConfigError> {
    let span = v.span();
    let s = v.into_inner().trim().to_string();
    if s.is_empty() {
        return Err(loc.error(span, format!("expect: `{what}` is empty")));
    }
    Ok(s)
}

fn port(loc: &Locator<'_>, v: Spanned<RawPort>) -> Result<String, ConfigError> {
    let span = v.span();
    let bad = |shown: String| {
        loc.error(
            span.clone(),
            format!("expect: port = {shown}: a port is 1-65535, or a range \"N-M\""),
        )
    };
    match v.into_inner() {
        RawPort::Number(n) => match u16::try_from(n) {
            Ok(p) if p > 0 => Ok(p.to_string()),
            _ => Err(bad(n.to_string())),
        },
        RawPort::Text(s) => {
            let t = s.trim();
            let ok = match t.split_once('-') {
                Some((a, b)) => matches!(
                    (a.trim().parse::<u16>(), b.trim().parse::<u16>()),
                    (Ok(a), Ok(b)) if a <= b
                ),
                None => t.parse::<u16>().is_ok_and(|p| p > 0),
            };
            if ok {
                Ok(t.replace(' ', ""))
            } else {
                Err(bad(format!("{s:?}")))
            }
        }
    }
}

/// Check one `[[expect]]` table.
pub(super) fn validate(
    loc: &Locator<'_>,
    raw: Spanned<RawExpect>,
) -> Result<Expectation, ConfigError> {
    let table_span = raw.span();
    let at = loc.at(table_span.start);
    let raw = raw.into_inner();
    let from = non_empty(loc, "from", raw.from)?;
    let to = non_empty(loc, "to", raw.to)?;
    let port = raw.port.map(|p| port(loc, p)).transpose()?;
    let protocol = match raw.protocol {
        Some(p) => non_empty(loc, "protocol", p)?.to_ascii_lowercase(),
        None => "tcp".to_string(),
    };
    let want = match (raw.reachable, raw.verdict) {
        (Some(_), Some(v)) => {
            return Err(loc.error(
                v.span(),
                "expect: give `reachable` or `verdict`, not both".into(),
            ))
        }
        (None, None) => {
            return Err(loc.error(
                table_span,
                format!("expect {from} -> {to}: needs `reachable = true|false` or `verdict = \"reachable|partial|unreachable\"`"),
            ))
        }
        (Some(r), None) => {
            if *r.get_ref() {
                Want::Reachable
            } else {
                Want::Unreachable
            }
        }
        (None, Some(v)) => {
            let span = v.span();
            match v.into_inner().trim() {
                "reachable" => Want::Reachable,
                "partial" => Want::Partial,
                "unreachable" => Want::Unreachable,
                other => {
                    return Err(loc.error(
                        span,
                        format!("expect: unknown verdict {other:?}: expected reachable, partial or unreachable"),
                    ))
                }
            }
        }
    };
    let way = match (raw.via, raw.direct) {
        (Some(_), Some(d)) => {
            return Err(loc.error(
                d.span(),
                "expect: `via` and `direct` exclude each other (via: only that relay; direct: no relay)".into(),
            ))
        }
        (Some(v), None) => Way::Via(non_empty(loc, "via", v)?),
        (None, Some(d)) if *d.get_ref() => Way::Direct,
        (None, _) => Way::Any,
    };
    let mut e = Expectation {
        name: String::new(),
        from,
        to,
        port,
        protocol,
        want,
        way,
        at,
    };
    e.name = match raw.name {
        Some(n) => non_empty(loc, "name", n)?,
        None => default_name(&e),
    };
    Ok(e)
}
