//! `vpcreach.toml`: what the snapshot cannot say, written down once and shared by `audit` and
//! `check` — named outside address ranges (`[sources]`) and the hosts that forward traffic
//! (`[[relay]]`: TCP proxies, SSH bastions, SSM port-forwarding hosts, NAT instances); and for
//! `check`, reachability expectations (`[[expect]]`), audit findings as invariants (`[rules]`)
//! and accepted exceptions (`[[waive]]`).
//!
//! Every error names the file, the line and the column of the offending value (TOML spans), as
//! cargo-deny does for `deny.toml`. Unknown keys are errors, not silently ignored: a typo such as
//! `lisen = 6379` would otherwise make a relay accept nothing.

mod expect;
mod policy;
mod relay;

pub use expect::{default_name, Expectation, Want, Way};
pub use policy::{Rules, Selection, Waived, Waiver};
pub use relay::{Relay, RelayKind};

use ipnet::IpNet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where a value sits in the file (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A configuration error: file, line, column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: PathBuf,
    /// Absent when the file could not be read at all.
    pub at: Option<Location>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                at.line,
                at.column,
                self.message
            ),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// A named range of outside addresses (`office = ["203.0.113.0/24"]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedSource {
    pub name: String,
    pub blocks: Vec<IpNet>,
    pub at: Location,
}

/// A parsed, validated `vpcreach.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it came from (empty for the built-in empty configuration).
    pub file: PathBuf,
    /// Named sources, in name order.
    pub sources: Vec<NamedSource>,
    /// Declared relays, in file order.
    pub relays: Vec<Relay>,
    /// Reachability expectations (`[[expect]]`), in file order; names are unique.
    pub expects: Vec<Expectation>,
    /// `[rules]`; `None` when the file has no `[rules]` table (the default selection applies).
    pub rules: Option<Rules>,
    /// Accepted exceptions (`[[waive]]`), in file order.
    pub waivers: Vec<Waiver>,
}

/// Names a source may not take: they already mean something in every question.
const RESERVED_SOURCE_NAMES: &[&str] = &["internet"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    sources: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    relay: Vec<Spanned<relay::RawRelay>>,
    #[serde(default)]
    expect: Vec<Spanned<expect::RawExpect>>,
    rules: Option<Spanned<policy::RawRules>>,
    #[serde(default)]
    waive: Vec<Spanned<policy::RawWaive>>,
}

/// Turns byte offsets into line/column for error messages.
pub(crate) struct Locator<'a> {
    file: &'a Path,
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub(crate) fn at(&self, offset: usize) -> Location {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        Location { line, column }
    }

    /// An error at a span's start.
    pub(crate) fn error(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            at: Some(self.at(span.start)),
            message,
        }
    }
}

/// Read and validate a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        at: None,
        message: format!("cannot read the configuration: {e}"),
    })?;
    parse(&text, path)
}

/// Parse and validate configuration text (`file` names it in errors).
pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let loc = Locator { file, text };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => loc.error(span, message),
            None => ConfigError {
                file: file.to_path_buf(),
                at: None,
                message,
            },
        }
    })?;
    let mut sources = Vec::new();
    for (name, blocks) in raw.sources {
        sources.push(named_source(&loc, name, blocks)?);
    }
    let mut relays: Vec<Relay> = Vec::new();
    for r in raw.relay {
        let relay = relay::validate(&loc, r)?;
        if let Some(first) = relays
            .iter()
            .find(|x| x.host == relay.host && x.kind == relay.kind)
        {
            return Err(ConfigError {
                file: file.to_path_buf(),
                at: Some(relay.at),
                message: format!(
                    "relay {} ({}) is declared twice (first at line {})",
                    relay.host, relay.kind, first.at.line
                ),
            });
        }
        relays.push(relay);
    }
    let mut expects: Vec<Expectation> = Vec::new();
    for e in raw.expect {
        let e = expect::validate(&loc, e)?;
        if let Some(first) = expects.iter().find(|x| x.name == e.name) {
            return Err(ConfigError {
                file: file.to_path_buf(),
                at: Some(e.at),
                message: format!(
                    "expect {:?} is declared twice (first at line {}); give each a distinct `name`",
                    e.name, first.at.line
                ),
            });
        }
        expects.push(e);
    }
    let rules = raw.rules.map(|r| policy::rules(&loc, r)).transpose()?;
    let names: Vec<String> = expects.iter().map(|e| e.name.clone()).collect();
    let waivers = raw
        .waive
        .into_iter()
        .map(|w| policy::waiver(&loc, w, &names))
        .collect::<Result<_, _>>()?;
    Ok(Config {
        file: file.to_path_buf(),
        sources,
        relays,
        expects,
        rules,
        waivers,
    })
}

fn named_source(
    loc: &Locator<'_>,
    name: String,
    blocks: Spanned<Vec<Spanned<String>>>,
) -> Result<NamedSource, ConfigError> {
    let span = blocks.span();
    if name.trim().is_empty() || name.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(loc.error(
            span,
            format!("source name {name:?} must be a non-empty word without spaces or '/'"),
        ));
    }
    if RESERVED_SOURCE_NAMES.contains(&name.as_str()) {
        return Err(loc.error(
            span,
            format!("source name {name:?} is reserved (it already means public addresses outside the snapshot)"),
        ));
    }
    let list = blocks.into_inner();
    if list.is_empty() {
        return Err(loc.error(span, format!("source {name:?} lists no address block")));
    }
    let mut out = Vec::new();
    for b in list {
        let bspan = b.span();
        let s = b.into_inner();
        out.push(parse_block(&s).map_err(|m| loc.error(bspan, format!("source {name:?}: {m}")))?);
    }
    Ok(NamedSource {
        name,
        blocks: out,
        at: loc.at(span.start),
    })
}

/// A `--source NAME=CIDR` argument: the name (same rules as `[sources]` names) and the block.
pub fn parse_source_arg(arg: &str) -> Result<(String, IpNet), String> {
    let Some((name, block)) = arg.split_once('=') else {
        return Err(format!(
            "--source {arg:?}: expected NAME=CIDR, e.g. office=203.0.113.0/24"
        ));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(format!(
            "--source {arg:?}: the name must be a non-empty word without spaces or '/'"
        ));
    }
    if RESERVED_SOURCE_NAMES.contains(&name) {
        return Err(format!(
            "--source {arg:?}: {name:?} is reserved (it already means public addresses outside the snapshot)"
        ));
    }
    let net = parse_block(block).map_err(|m| format!("--source {arg:?}: {m}"))?;
    Ok((name.to_string(), net))
}

/// A CIDR block or a single address; host bits set are an error naming the network meant.
fn parse_block(s: &str) -> Result<IpNet, String> {
    let t = s.trim();
    if let Ok(ip) = t.parse::<std::net::IpAddr>() {
        return Ok(IpNet::from(ip));
    }
    let net: IpNet = t
        .parse()
        .map_err(|_| format!("{s:?} is not an address or CIDR block (e.g. 203.0.113.0/24)"))?;
    if net.trunc() != net {
        return Err(format!(
            "{s:?} has host bits set; did you mean {}?",
            net.trunc()
        ));
    }
    Ok(net)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod check_tests;
