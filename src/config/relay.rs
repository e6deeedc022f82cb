//! `[[relay]]` entries: a host that forwards traffic, and how it accepts and forwards.
//!
//! * `tcp-proxy` (HAProxy, nginx stream, socat): accepts on `listen`, forwards to `forward`
//!   (any target form; `port` optional, default the target cache's ports). Both required.
//! * `ssh-bastion`: accepts SSH on `listen` (default 22) and forwards wherever its own egress
//!   allows (`forward`/`port` narrow that to one target).
//! * `ssm-port-forward`: accepts no inbound port at all (Session Manager connects out from the
//!   instance's agent); usable when the instance is SSM-ready. `listen` is an error.
//! * `nat-instance`: forwards whatever its routes send it, unchanged in destination; neither
//!   `listen` nor `forward` applies.
//! * `http-proxy` (Squid and the like): accepts on `listen` (default 3128), directly or over
//!   PrivateLink, and forwards to `forward` (`internet` by default in `audit`; any target form)
//!   or, without `forward`, wherever its own egress allows.

use super::{ConfigError, Location, Locator};
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// How a relay accepts and forwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelayKind {
    TcpProxy,
    SshBastion,
    SsmPortForward,
    NatInstance,
    HttpProxy,
}

impl RelayKind {
    const ALL: [(&'static str, RelayKind); 5] = [
        ("tcp-proxy", RelayKind::TcpProxy),
        ("ssh-bastion", RelayKind::SshBastion),
        ("ssm-port-forward", RelayKind::SsmPortForward),
        ("nat-instance", RelayKind::NatInstance),
        ("http-proxy", RelayKind::HttpProxy),
    ];

    /// The name used in the file and in output.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .unwrap_or("tcp-proxy")
    }
}

impl fmt::Display for RelayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A declared relay, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relay {
    /// The host in any reach target form: `i-…`, `eni-…`, `name:TAG`, an address.
    pub host: String,
    pub kind: RelayKind,
    /// The port it accepts on (tcp-proxy: given; ssh-bastion: 22 unless given; http-proxy: 3128
    /// unless given; others: none).
    pub listen: Option<u16>,
    /// Where it forwards (any target form); `None` = wherever its egress allows.
    pub forward: Option<String>,
    /// The forwarded port; `None` = the target cache's ports (or every port).
    pub port: Option<u16>,
    /// Where the entry starts in the file.
    pub at: Location,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRelay {
    host: Spanned<String>,
    kind: Spanned<String>,
    listen: Option<Spanned<i64>>,
    forward: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
}

fn port(loc: &Locator<'_>, what: &str, v: Spanned<i64>) -> Result<u16, ConfigError> {
    let span = v.span();
    let n = v.into_inner();
    u16::try_from(n)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| loc.error(span, format!("{what} = {n}: a port is 1-65535")))
}

/// Check one `[[relay]]` table against the rules of its kind.
pub(super) fn validate(loc: &Locator<'_>, raw: Spanned<RawRelay>) -> Result<Relay, ConfigError> {
    let at = loc.at(raw.span().start);
    let raw = raw.into_inner();
    let kind_span = raw.kind.span();
    let kind_name = raw.kind.into_inner();
    let Some(kind) = RelayKind::ALL
        .iter()
        .find(|(s, _)| *s == kind_name.trim())
        .map(|(_, k)| *k)
    else {
        return Err(loc.error(
            kind_span,
            format!(
                "unknown relay kind {kind_name:?}: expected one of {}",
                RelayKind::ALL
                    .iter()
                    .map(|(s, _)| *s)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let host_span = raw.host.span();
    let host = raw.host.into_inner().trim().to_string();
    if host.is_empty() {
        return Err(loc.error(host_span, "relay host is empty".into()));
    }
    let listen_span = raw.listen.as_ref().map(|l| l.span());
    let listen = raw.listen.map(|l| port(loc, "listen", l)).transpose()?;
    let forward_span = raw.forward.as_ref().map(|f| f.span());
    let forward = match raw.forward {
        Some(f) => {
            let span = f.span();
            let s = f.into_inner().trim().to_string();
            if s.is_empty() {
                return Err(loc.error(span, "relay forward is empty".into()));
            }
            Some(s)
        }
        None => None,
    };
    let port_span = raw.port.as_ref().map(|p| p.span());
    let fwd_port = raw.port.map(|p| port(loc, "port", p)).transpose()?;
    if let (Some(span), None) = (port_span.clone(), &forward) {
        return Err(loc.error(
            span,
            format!("relay {host}: `port` needs `forward` (the port of which target?)"),
        ));
    }
    let listen = match kind {
        RelayKind::TcpProxy => {
            let Some(l) = listen else {
                return Err(loc.error(
                    kind_span,
                    format!("relay {host}: a tcp-proxy needs `listen` (the port it accepts on)"),
                ));
            };
            if forward.is_none() {
                return Err(loc.error(
                    kind_span,
                    format!("relay {host}: a tcp-proxy needs `forward` (where it sends what it accepts)"),
                ));
            }
            Some(l)
        }
        RelayKind::SshBastion => Some(listen.unwrap_or(22)),
        RelayKind::HttpProxy => Some(listen.unwrap_or(3128)),
        RelayKind::SsmPortForward | RelayKind::NatInstance => {
            if let Some(span) = listen_span {
                return Err(loc.error(
                    span,
                    format!("relay {host}: an {kind} accepts no inbound port; remove `listen`"),
                ));
            }
            None
        }
    };
    if kind == RelayKind::NatInstance {
        if let Some(span) = forward_span {
            return Err(loc.error(
                span,
                format!("relay {host}: a nat-instance forwards whatever its routes send it; remove `forward`"),
            ));
        }
    }
    Ok(Relay {
        host,
        kind,
        listen,
        forward,
        port: fwd_port,
        at,
    })
}
