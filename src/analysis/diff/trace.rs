//! The components one matrix entry depends on, on one side: the hops of its passing paths
//! (forward and return, both legs through a relay) and, where flows fail, the components the
//! blockers and the stopped hops name. Asked again only for the entries a diff needs (changed
//! ones, and outside sources for path changes), never for the whole matrix.

use crate::analysis::audit::direct::Outside;
use crate::config::{Relay, RelayKind};
use crate::engine::{Answer, Engine, HopStatus, Question};
use crate::model::Topology;
use std::collections::BTreeSet;

/// What an entry's walks touched.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Components on passing paths (`kind id`): compared for path changes.
    pub passing: BTreeSet<String>,
    /// Every component id it touched (paths, stopped hops, blockers): matched with the
    /// configuration changes.
    pub touched: BTreeSet<String>,
}

impl Trace {
    fn add(&mut self, a: &Answer) {
        for p in &a.paths {
            for h in p.forward.iter().chain(&p.return_) {
                self.passing.insert(format!("{} {}", h.kind, h.component));
                self.touched.insert(h.component.clone());
            }
        }
        for w in &a.walked {
            for h in w.forward.iter().chain(&w.return_) {
                if h.status == Some(HopStatus::Stopped) {
                    self.touched.insert(h.component.clone());
                }
            }
        }
        for b in &a.blocked {
            self.touched.insert(b.component.clone());
        }
    }
}

/// The entry to trace.
pub struct Entry<'a> {
    pub source: &'a str,
    /// `internet` or `range` sources are outside sources (from `outside`).
    pub outside: Option<&'a Outside>,
    pub cache: &'a str,
    pub port: u16,
    pub via: Option<&'a str>,
}

/// The declared relay whose host is `relay` on this side.
fn declared<'r>(t: &Topology, relays: &'r [Relay], relay: &str) -> Option<&'r Relay> {
    relays
        .iter()
        .find(|r| crate::analysis::audit::relays::resolve_host(t, &r.host).id == relay)
}

/// Trace one entry on one side (a source or relay that names nothing there traces nothing).
pub fn trace(t: &Topology, engine: &Engine<'_>, relays: &[Relay], e: &Entry<'_>) -> Trace {
    let mut out = Trace::default();
    let port = e.port.to_string();
    let target = format!("cache:{}", e.cache);
    let first = |to: &str, port: Option<&str>, out: &mut Trace| match e.outside {
        Some(o) => {
            if let Ok(a) = engine.ask_set(o.set(), &o.name, to, "tcp", port) {
                out.add(&a.answer);
            }
        }
        None => {
            if let Ok(a) = engine.ask(&Question::tcp(e.source, to, port)) {
                out.add(&a);
            }
        }
    };
    let Some(relay) = e.via else {
        first(&target, Some(&port), &mut out);
        return out;
    };
    out.touched.insert(relay.to_string());
    // A PrivateLink endpoint: the walk to it goes on to the cache (any port: a listener's
    // port may differ from the cache's).
    if relay.starts_with("vpce-") {
        first(relay, None, &mut out);
        return out;
    }
    match declared(t, relays, relay) {
        Some(r) if r.kind == RelayKind::SsmPortForward => {
            // Leg 1 is the host's SSM readiness: HTTPS out to the services.
            if let Ok(a) = engine.ask(&Question::tcp(relay, "internet", Some("443"))) {
                out.add(&a);
            }
        }
        Some(r) => {
            let listen = match r.kind {
                RelayKind::NatInstance => Some(port.clone()),
                _ => r.listen.map(|p| p.to_string()),
            };
            first(relay, listen.as_deref(), &mut out);
        }
        None => first(relay, None, &mut out),
    }
    if let Ok(a) = engine.ask(&Question::tcp(relay, target.as_str(), Some(&port))) {
        out.add(&a);
    }
    out
}
