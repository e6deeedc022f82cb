//! Write a synthetic organisation as a snapshot and print its summary.
//!
//! ```text
//! cargo run --release --example synth_org -- --out DIR --vpcs 1000 --enis 100000 --sgs 20000 [--seed N]
//! ```
//!
//! The snapshot loads like any other: `vpcreach reach --snapshot DIR FROM TO`.

use std::path::PathBuf;
use std::process::ExitCode;
#[path = "../tests/support/synth_org/mod.rs"]
mod synth_org;

use synth_org::{write_snapshot, OrgSpec};

const USAGE: &str =
    "usage: synth_org --out DIR [--vpcs N] [--enis N] [--sgs N] [--seed N] [--accounts N] [--regions N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth_org: {e}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let (mut vpcs, mut enis, mut sgs) = (50usize, 5_000usize, 1_000usize);
    let mut seed: Option<u64> = None;
    let mut accounts: Option<usize> = None;
    let mut regions: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = || -> Result<u64, String> {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag}: expected a number, got {value:?}"))
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(&value)),
            "--vpcs" => vpcs = num()? as usize,
            "--enis" => enis = num()? as usize,
            "--sgs" => sgs = num()? as usize,
            "--seed" => seed = Some(num()?),
            "--accounts" => accounts = Some(num()? as usize),
            "--regions" => regions = Some(num()? as usize),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    let mut spec = OrgSpec::scale(vpcs, enis, sgs);
    if let Some(s) = seed {
        spec.seed = s;
    }
    if let Some(a) = accounts {
        spec.accounts = a;
        spec.tgws = a * spec.regions;
    }
    if let Some(r) = regions {
        spec.regions = r;
        spec.tgws = spec.accounts * r;
    }
    let start = std::time::Instant::now();
    let s = write_snapshot(&spec, &out).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {} files, {:.1} MB, to {} in {:.1} s",
        s.files.len(),
        s.bytes as f64 / 1e6,
        out.display(),
        start.elapsed().as_secs_f64()
    );
    println!("spec: {spec:?}");
    println!(
        "scopes {}  vpcs {} ({} overlapping)  subnets {}  route tables {}  NACLs {}",
        s.scopes, s.vpcs, s.overlapping_vpcs, s.subnets, s.route_tables, s.network_acls
    );
    println!(
        "security groups {} ({} rules)  instances {}  ENIs {}  NAT {}  IGW {}",
        s.security_groups,
        s.security_group_rules,
        s.instances,
        s.enis,
        s.nat_gateways,
        s.internet_gateways
    );
    println!(
        "TGWs {} ({} attachments)  peerings {}  replication groups {} ({} clusters)",
        s.transit_gateways, s.tgw_attachments, s.peerings, s.replication_groups, s.cache_clusters
    );
    println!(
        "probe client {}  open server {}  closed server {}  public instance {}  cache {}",
        s.probe_client,
        s.probe_open_server,
        s.probe_closed_server,
        s.public_instance,
        s.cache.as_deref().unwrap_or("-")
    );
    println!("queries:");
    for q in &s.queries {
        let expect = match q.expect_reachable {
            Some(true) => " (expect reachable)",
            Some(false) => " (expect unreachable)",
            None => "",
        };
        println!(
            "  {:<12} {} -> {} port {}{expect}",
            q.kind,
            q.from,
            q.to,
            q.port.as_deref().unwrap_or("(cache ports)")
        );
    }
    Ok(())
}
