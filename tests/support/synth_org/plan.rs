//! The plan of a synthetic organisation: everything that crosses VPCs (accounts and regions,
//! VPC blocks and overlaps, transit-gateway attachments, peerings, cache placement, how many
//! security groups and instances each VPC gets), decided before any scope is generated.

use super::*;

pub(super) struct ScopePlan {
    pub(super) account: String,
    pub(super) region: &'static str,
    pub(super) vpcs: Vec<usize>,
    pub(super) tgw: bool,
    pub(super) peerings: Vec<usize>,
}

pub(super) struct VpcPlan {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) base: u32,
    pub(super) overlaps: bool,
    pub(super) azs: usize,
    pub(super) attached: bool,
    pub(super) sgs: usize,
    pub(super) instances: usize,
    pub(super) caches: Vec<usize>,
    pub(super) peerings: Vec<usize>,
}

pub(super) struct PeeringPlan {
    pub(super) id: String,
    pub(super) a: usize,
    pub(super) b: usize,
}

/// Small facts kept per VPC after its scope is written, for the query list.
#[derive(Clone, Default)]
pub(super) struct VpcSamples {
    /// Running private instances with their primary ENI.
    pub(super) private: Vec<(String, String)>,
    /// Running public instances.
    pub(super) public: Vec<String>,
}

pub(super) struct Plan {
    pub(super) scopes: Vec<ScopePlan>,
    pub(super) vpcs: Vec<VpcPlan>,
    pub(super) peerings: Vec<PeeringPlan>,
    pub(super) cache_vpc: Vec<usize>,
}

/// Probe instances and security groups in the first VPC.
pub(super) const PROBE_INSTANCES: usize = 4;
pub(super) const PROBE_SGS: usize = 4;

pub(super) fn subnet_layout(spec: &OrgSpec, azs: usize) -> (usize, usize) {
    let n = spec.subnets_per_vpc.clamp(2, 16);
    let azs = azs.min(n);
    let public = azs.min(n / 2).max(1);
    (n, public)
}

/// The subnets a transit-gateway attachment uses: the first private subnet of each AZ.
pub(super) fn tgw_subnets(n: usize, public: usize, azs: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for z in 0..azs.max(1) {
        let si = (public..n).find(|i| i % azs.max(1) == z).unwrap_or(public);
        if si < n && !out.contains(&si) {
            out.push(si);
        }
    }
    out
}

pub(super) fn plan(spec: &OrgSpec, rng: &mut Rng, ids: &mut Ids) -> io::Result<Plan> {
    if spec.vpcs == 0 {
        return Err(invalid("an organisation needs at least one VPC".into()));
    }
    if spec.vpcs > 3000 {
        return Err(invalid(format!(
            "{} VPCs do not fit in 10.0.0.0/8 as /20 blocks with gaps (at most 3000)",
            spec.vpcs
        )));
    }
    if spec.security_groups < spec.vpcs + PROBE_SGS + spec.caches.min(1) {
        return Err(invalid(format!(
            "{} security groups are too few for {} VPCs (one default group each, plus {} probes and a cache group)",
            spec.security_groups, spec.vpcs, PROBE_SGS
        )));
    }
    let regions = spec.regions.clamp(1, REGIONS.len());
    let accounts = spec.accounts.max(1);
    let n_scopes = (accounts * regions).min(spec.vpcs);
    let mut scopes = Vec::with_capacity(n_scopes);
    let account_base = 100_000_000_000 + rng.below(800_000_000_000) as u64;
    for s in 0..n_scopes {
        let account = format!("{:012}", account_base + (s / regions) as u64 * 7_919_123);
        scopes.push(ScopePlan {
            account,
            region: REGIONS[s % regions],
            vpcs: Vec::new(),
            tgw: false,
            peerings: Vec::new(),
        });
    }
    let n_tgws = spec.tgws.min(n_scopes);
    for t in 0..n_tgws {
        scopes[t * n_scopes / n_tgws].tgw = true;
    }

    // VPC blocks: /20 slots in order with random gaps, some reusing an earlier block.
    let mut vpcs: Vec<VpcPlan> = Vec::with_capacity(spec.vpcs);
    let mut slot: u32 = 0;
    let max_gap = if spec.vpcs <= 1300 { 3 } else { 1 };
    for v in 0..spec.vpcs {
        let scope = v * n_scopes / spec.vpcs;
        let overlaps = v > 1 && rng.chance(0.02);
        let base = if overlaps {
            vpcs[1 + rng.below(v - 1)].base
        } else {
            let b = (10u32 << 24) + (slot << 12);
            slot += 1 + rng.below(max_gap) as u32;
            b
        };
        let azs = if v == 0 || rng.chance(0.7) { 3 } else { 2 };
        let attached = scopes[scope].tgw && (v == 0 || rng.chance(0.9));
        scopes[scope].vpcs.push(v);
        vpcs.push(VpcPlan {
            id: ids.id("vpc"),
            name: format!("vpc-{v:04}"),
            base,
            overlaps,
            azs,
            attached,
            sgs: 0,
            instances: 0,
            caches: Vec::new(),
            peerings: Vec::new(),
        });
    }

    // Peerings within a scope, between disjoint blocks, each pair once.
    let mut peerings: Vec<PeeringPlan> = Vec::new();
    let mut pairs = std::collections::HashSet::new();
    let candidates: Vec<usize> = (0..n_scopes)
        .filter(|&s| scopes[s].vpcs.len() >= 2)
        .collect();
    for _ in 0..spec.peerings {
        for _attempt in 0..50 {
            let Some(&s) = rng.pick(&candidates) else {
                break;
            };
            let list = &scopes[s].vpcs;
            let a = list[rng.below(list.len())];
            let b = list[rng.below(list.len())];
            let (a, b) = (a.min(b), a.max(b));
            if a == b || vpcs[a].base == vpcs[b].base || !pairs.insert((a, b)) {
                continue;
            }
            let p = peerings.len();
            peerings.push(PeeringPlan {
                id: ids.id("pcx"),
                a,
                b,
            });
            vpcs[a].peerings.push(p);
            vpcs[b].peerings.push(p);
            scopes[s].peerings.push(p);
            break;
        }
    }

    // Caches: the first in the probe VPC, the others anywhere.
    let mut cache_vpc = Vec::with_capacity(spec.caches);
    for c in 0..spec.caches {
        let v = if c == 0 { 0 } else { rng.below(spec.vpcs) };
        vpcs[v].caches.push(c);
        cache_vpc.push(v);
    }

    // Security groups per VPC.
    let per = spec.security_groups / spec.vpcs;
    let rem = spec.security_groups % spec.vpcs;
    for (v, p) in vpcs.iter_mut().enumerate() {
        p.sgs = per + usize::from(v < rem);
    }
    let need0 = 1 + PROBE_SGS + vpcs[0].caches.len().min(vpcs[0].sgs);
    if vpcs[0].sgs < need0 {
        let short = need0 - vpcs[0].sgs;
        let mut moved = 0;
        for p in vpcs.iter_mut().skip(1) {
            while p.sgs > 1 && moved < short {
                p.sgs -= 1;
                moved += 1;
            }
        }
        vpcs[0].sgs += moved;
        if vpcs[0].sgs < 1 + PROBE_SGS {
            return Err(invalid("too few security groups for the probe VPC".into()));
        }
    }

    // ENIs: infrastructure first, the rest are instances.
    let mut infra = 0usize;
    for p in &vpcs {
        infra += 1; // NAT gateway
        if p.attached {
            let (n, public) = subnet_layout(spec, p.azs);
            infra += tgw_subnets(n, public, p.azs.min(n)).len();
        }
    }
    infra += 2 * spec.caches;
    let budget = spec.enis.saturating_sub(infra);
    if budget < PROBE_INSTANCES + 1 {
        return Err(invalid(format!(
            "{} ENIs are too few: {infra} go to NAT, transit-gateway and cache nodes, and the probe VPC needs {} instances",
            spec.enis,
            PROBE_INSTANCES + 1
        )));
    }
    let per = budget / spec.vpcs;
    let rem = budget % spec.vpcs;
    for (v, p) in vpcs.iter_mut().enumerate() {
        p.instances = per + usize::from(v < rem);
    }
    if vpcs[0].instances < PROBE_INSTANCES + 1 {
        let short = PROBE_INSTANCES + 1 - vpcs[0].instances;
        let mut moved = 0;
        for p in vpcs.iter_mut().skip(1) {
            while p.instances > 0 && moved < short {
                p.instances -= 1;
                moved += 1;
            }
        }
        vpcs[0].instances += moved;
    }
    for p in &vpcs {
        let (n, _) = subnet_layout(spec, p.azs);
        let capacity = n * (LAST_HOST - FIRST_HOST + 1) as usize;
        if p.instances + 2 * p.caches.len() + 1 + p.azs > capacity {
            return Err(invalid(format!(
                "{} instances do not fit in the {n} /24 subnets of a VPC: raise vpcs or subnets_per_vpc",
                p.instances
            )));
        }
    }
    Ok(Plan {
        scopes,
        vpcs,
        peerings,
        cache_vpc,
    })
}
