//! `vpcreach reach`: can X reach Y on port P — the verdict, every hop both ways, every blocker.

use super::{exit, SnapshotArg};
use crate::engine::{Engine, Question, Verdict};
use crate::render::{json, reach_table, Format};

/// What a CI assertion expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Expect {
    Reachable,
    Unreachable,
    Partial,
}

/// Arguments of `reach`.
#[derive(Debug, clap::Args)]
pub struct ReachArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// Source: IP (`vpc-…/10.0.1.10` when VPCs overlap) or CIDR (every address in it: the
    /// interfaces in every VPC, unheld subnet addresses, outside hosts; `vpc-…/CIDR` narrows to
    /// one VPC), `internet`, an instance, ENI, subnet, security-group, endpoint or VPC id, a cache
    /// name (`cache:NAME`) or ElastiCache endpoint hostname (`:port` sets the port), or `name:TAG`.
    #[arg(long)]
    pub from: String,
    /// Target, in the same forms.
    #[arg(long)]
    pub to: String,
    /// Destination port or range (N or N-M); for icmp/icmpv6 the ICMP type or type range (8 =
    /// echo request, i.e. ping). Default: the cache's ports, else all ports or types.
    #[arg(long)]
    pub port: Option<String>,
    /// tcp, udp, icmp, icmpv6, all, or a protocol number.
    #[arg(long, default_value = "tcp")]
    pub protocol: String,
    /// Client ephemeral port range to assume (LO-HI) instead of the per-client default.
    #[arg(long, value_name = "LO-HI")]
    pub ephemeral: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub width: super::WidthArg,
    /// Exit 1 when the verdict differs (a CI assertion), or when the answer rests on an
    /// incomplete snapshot (unless `--allow-incomplete`).
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,
    /// Ask through a relay: leg 1 from `--from` to the relay, leg 2 from the relay to `--to`
    /// (a `[[relay]]` host of `--config`, e.g. `name:squid` for an http-proxy, or any instance).
    #[arg(long, value_name = "RELAY")]
    pub via: Option<String>,
    /// The policy file declaring the relays (with `--via`). Default: ./vpcreach.toml when it
    /// exists.
    #[arg(long, value_name = "FILE", requires = "via")]
    pub config: Option<std::path::PathBuf>,
}

fn parse_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Exit 0 when answered (or as expected), 1 when `--expect` differs, 2 on errors.
pub fn run(args: ReachArgs) -> i32 {
    let ephemeral = match &args.ephemeral {
        Some(s) => match parse_range(s) {
            Some(r) => Some(r),
            None => {
                eprintln!("vpcreach: invalid --ephemeral {s:?}: expected LO-HI, e.g. 32768-61000");
                return exit::USAGE;
            }
        },
        None => None,
    };
    let loaded = match args.snapshot.load_network() {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(via) = &args.via {
        let q = super::reach_via::ViaQuestion {
            snapshot: &args.snapshot,
            from: &args.from,
            to: &args.to,
            protocol: &args.protocol,
            port: args.port.as_deref(),
            format: args.format,
            expect: args.expect.map(|e| match e {
                Expect::Reachable => Verdict::Reachable,
                Expect::Unreachable => Verdict::Unreachable,
                Expect::Partial => Verdict::Partial,
            }),
            config: args.config.as_deref(),
        };
        return super::reach_via::run(&q, &loaded.topology, via);
    }
    let question = Question {
        from: args.from.clone(),
        to: args.to.clone(),
        protocol: args.protocol.clone(),
        ports: args.port.clone(),
        ephemeral,
    };
    let engine = Engine::new(&loaded.topology);
    let answer = match engine.ask(&question) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "vpcreach: {}",
                crate::render::escape::terminal_safe(&e.to_string())
            );
            return exit::USAGE;
        }
    };
    let text = match args.format {
        Format::Table => reach_table::answer_styled(
            &answer,
            args.width.columns(),
            crate::render::colour::enabled(),
        ),
        Format::Text => reach_table::answer_styled(
            &answer,
            crate::render::width::TEXT,
            crate::render::colour::enabled(),
        ),
        Format::Json => json::to_json(&answer),
    };
    print!("{text}");
    match args.expect {
        Some(e) => {
            let want = match e {
                Expect::Reachable => Verdict::Reachable,
                Expect::Unreachable => Verdict::Unreachable,
                Expect::Partial => Verdict::Partial,
            };
            if answer.verdict != want {
                let port = match &args.port {
                    Some(p) => format!(" port {p}"),
                    None => String::new(),
                };
                let line = format!(
                    "expected {want}, got {} for --from {} --to {} {}{port}",
                    answer.verdict, args.from, args.to, args.protocol
                );
                eprintln!("vpcreach: {}", crate::render::escape::terminal_safe(&line));
                args.snapshot.note_incomplete(&answer.incomplete_reasons());
                exit::FINDINGS
            } else if args
                .snapshot
                .refuse_incomplete(&answer.incomplete_reasons())
            {
                exit::FINDINGS
            } else {
                exit::OK
            }
        }
        None => exit::OK,
    }
}
