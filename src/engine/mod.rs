//! The reachability engine: can X reach Y on port P, every hop both ways, every blocker named.
//!
//! A question names sources and targets in the user's words ([`Question`]); [`resolve`] turns
//! them into located address sets. The engine then follows *sets* of packets (address ranges ×
//! protocols × port ranges, [`crate::net::PacketSet`]) through the network: each component kind
//! has its own file under `components/` that takes an incoming packet set and returns the parts
//! it passes on (with the rule or route that let them through) and the parts it stops (with an
//! explanation code). `walk` runs the work list; `assemble` turns the walks into an [`Answer`].
//! Replies are followed the same way from the target back to the source, with security groups
//! stateful and NACLs stateless. One question covers all addresses and ports at once; nothing is
//! enumerated packet by packet.

pub mod answer;
mod assemble;
mod cache_endpoints;
pub mod codes;
mod components;
mod fix;
pub mod flow;
pub mod icmp;
pub mod index;
pub mod nacl;
pub mod names;
pub mod notes;
pub mod readable;
pub mod resolve;
pub mod route_table;
mod sanity;
pub mod security_group;
pub mod sets;
pub mod sg_rules;
mod sources;
mod suggest;
pub mod summary;
mod walk;

pub use answer::*;
pub use codes::Code;
pub use notes::{Assumption, Warning};

use crate::model::Topology;

/// A reachability question in the user's words, as on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// Source: an address (optionally `vpc-…/10.0.1.10`) or a CIDR block (every address in it,
    /// in every VPC and outside; `vpc-…/CIDR` narrows to one VPC), `internet`, an instance, ENI,
    /// subnet, security-group or VPC-endpoint id, a cache (cluster id, replication-group id,
    /// serverless name, `cache:NAME`), or `name:TAG`.
    pub from: String,
    /// Target, in the same forms.
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `all` or a protocol number.
    pub protocol: String,
    /// `N` or `N-M`; `None` = the cache's ports when the target is a cache, else all ports.
    pub ports: Option<String>,
    /// Client ephemeral port range to assume instead of the per-client default.
    pub ephemeral: Option<(u16, u16)>,
}

impl Question {
    /// A TCP question with the default ports.
    pub fn tcp(from: impl Into<String>, to: impl Into<String>, ports: Option<&str>) -> Self {
        Question {
            from: from.into(),
            to: to.into(),
            protocol: "tcp".into(),
            ports: ports.map(str::to_string),
            ephemeral: None,
        }
    }
}

/// A question that cannot be answered as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing in the snapshot matches the name.
    #[error("{0}")]
    NotFound(String),
    /// The name matches several things; the message lists the candidates.
    #[error("{0}")]
    Ambiguous(String),
    /// The question is malformed (bad port, protocol, or no common address family).
    #[error("{0}")]
    Invalid(String),
}

/// An engine over one topology: look-up indexes built once, then any number of questions.
pub struct Engine<'a> {
    topology: &'a Topology,
    index: index::Index,
    names: names::Names,
    readable: readable::Readable,
}

impl<'a> Engine<'a> {
    /// Build the indexes (linear in the size of the topology).
    pub fn new(topology: &'a Topology) -> Self {
        Engine {
            topology,
            index: index::Index::new(topology),
            names: names::Names::new(topology),
            readable: readable::Readable::new(topology),
        }
    }

    /// The topology the engine answers on.
    pub fn topology(&self) -> &'a Topology {
        self.topology
    }

    /// Answer a question.
    pub fn ask(&self, question: &Question) -> Result<Answer, QueryError> {
        let resolved = sources::resolve(self.topology, &self.index, question)?;
        let mut answer = summary::KnownSets::scope(self.readable.known(), || {
            assemble::answer(self.topology, &self.index, &resolved)
        });
        self.names.apply(&mut answer);
        self.readable.apply(&mut answer);
        Ok(answer)
    }
}

/// The engine can answer questions from several threads at once.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine<'static>>();
};

/// Answer one question about a topology (builds the indexes; use [`Engine`] for many).
pub fn ask(topology: &Topology, question: &Question) -> Result<Answer, QueryError> {
    Engine::new(topology).ask(question)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One engine, questions from several threads (sharing its lazily computed TGW routes):
    /// the same answers as a fresh engine asked one by one.
    #[test]
    fn answers_questions_from_several_threads() {
        let t = crate::model::build(crate::snapshot::load_demo());
        let engine = Engine::new(&t);
        let fresh = Engine::new(&t);
        let questions = [
            Question::tcp("203.0.113.10", "i-0de7d1b721a1e0001", Some("6379")),
            Question::tcp("i-0de7d1b721a1e0003", "i-0de7d1b721a1e0021", Some("443")),
            Question::tcp("i-0de7d1b721a1e0003", "i-0de7d1b721a1e0011", Some("443")),
        ];
        let threaded: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = questions
                .iter()
                .map(|q| s.spawn(|| format!("{:?}", engine.ask(q))))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let one_by_one: Vec<String> = questions
            .iter()
            .map(|q| format!("{:?}", fresh.ask(q)))
            .collect();
        assert_eq!(threaded, one_by_one);
    }
}
