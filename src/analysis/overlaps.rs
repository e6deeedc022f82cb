//! Overlapping VPC CIDR blocks and what they break (§5.3 P3, §5.4 T4, §8).
//!
//! Every associated block of every VPC (v4 and v6, all accounts and regions) is compared by a
//! sort-and-sweep: blocks are sorted by (family, first address, last address descending), and
//! because two CIDR blocks are always nested or disjoint, the blocks still open at a given
//! address form a chain of nested blocks kept on a stack. Each new block overlaps exactly the
//! blocks on the stack, so the whole pass costs O(n log n + pairs) instead of all pairs.
//!
//! Each overlapping pair gets its impact: TGW propagation suppressed (from
//! [`super::tgw_propagation`]: both VPCs propagate into one route table and the later
//! attachment's block is not installed), peering impossible (an active peering between them:
//! inconsistent snapshot), or latent. Remedies are concrete: free blocks come from a pool
//! (default RFC 1918 space) minus every block in use anywhere in the snapshot. The plan proposes
//! same-size replacement blocks and, per region, the largest set of VPCs that can share one TGW.

use crate::findings::overlaps::*;
use crate::model::tgw_routes::{self as tgw_propagation, block_range, Propagator, TableRoutes};
use crate::model::*;
use crate::net::IntervalSet;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

/// One VPC block in the sweep.
#[derive(Clone, Debug)]
pub struct Block {
    pub vpc: VpcIdx,
    pub net: IpNet,
}

/// What to answer besides the overlaps.
#[derive(Clone, Debug, Default)]
pub struct OverlapOptions {
    /// Produce the renumbering plan and shared-TGW sets.
    pub plan: bool,
    /// Free-block pool; `None` = RFC 1918 space.
    pub pool: Option<Vec<IpNet>>,
    /// `(vpc id, tgw id)` for `--what-if-attach`.
    pub what_if: Option<(String, String)>,
}

/// The RFC 1918 private ranges: the default pool.
pub fn rfc1918() -> Vec<IpNet> {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Every associated block of every VPC (a VPC id seen in several scopes counts once).
pub fn vpc_blocks(t: &Topology) -> Vec<Block> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, v) in t.vpcs.iter().enumerate() {
        if !seen.insert(v.id.as_str()) {
            continue;
        }
        for net in v.cidrs() {
            out.push(Block {
                vpc: VpcIdx(i as u32),
                net: net.trunc(),
            });
        }
    }
    out
}

/// Indices `(i, j)`, `i < j`, of every pair of overlapping blocks (sort-and-sweep, see the
/// module docs). Pairs of the same family only.
pub fn overlapping_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
    let keys: Vec<(usize, u128, u128)> = nets.iter().map(block_range).collect();
    let mut order: Vec<usize> = (0..nets.len()).collect();
    order.sort_unstable_by_key(|&i| (keys[i].0, keys[i].1, std::cmp::Reverse(keys[i].2), i));
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for i in order {
        let (fam, lo, _) = keys[i];
        while let Some(&top) = stack.last() {
            if keys[top].0 != fam || keys[top].2 < lo {
                stack.pop();
            } else {
                break;
            }
        }
        for &s in &stack {
            pairs.push((s.min(i), s.max(i)));
        }
        stack.push(i);
    }
    pairs
}

/// Overlapping block pairs of different VPCs, as indices into `blocks`, oriented `(larger,
/// smaller)` (equal blocks: lower VPC id first) and sorted by family, address, VPC ids.
pub fn vpc_overlaps(t: &Topology, blocks: &[Block]) -> Vec<(usize, usize)> {
    let nets: Vec<IpNet> = blocks.iter().map(|b| b.net).collect();
    let mut pairs: Vec<(usize, usize)> = overlapping_pairs(&nets)
        .into_iter()
        .filter(|&(i, j)| t.vpcs[blocks[i].vpc.i()].id != t.vpcs[blocks[j].vpc.i()].id)
        .map(|(i, j)| {
            let (a, b) = (&blocks[i], &blocks[j]);
            let swap = if a.net.prefix_len() != b.net.prefix_len() {
                a.net.prefix_len() > b.net.prefix_len()
            } else {
                t.vpcs[a.vpc.i()].id > t.vpcs[b.vpc.i()].id
            };
            if swap {
                (j, i)
            } else {
                (i, j)
            }
        })
        .collect();
    pairs.sort_unstable_by_key(|p| {
        let (f, lo, _) = block_range(&blocks[p.0].net);
        (
            f,
            lo,
            blocks[p.0].net.prefix_len(),
            blocks[p.1].net.prefix_len(),
            t.vpcs[blocks[p.0].vpc.i()].id.as_str(),
            t.vpcs[blocks[p.1].vpc.i()].id.as_str(),
        )
    });
    pairs
}

/// Run the whole analysis. `Err` carries a usage problem (unknown VPC or TGW for what-if).
pub fn analyze(
    t: &Topology,
    snapshot: &str,
    opts: &OverlapOptions,
) -> Result<OverlapReport, String> {
    let ctx = Context::new(t);
    let blocks = vpc_blocks(t);
    let pairs = vpc_overlaps(t, &blocks);
    let pool = opts.pool.clone().unwrap_or_else(rfc1918);
    let mut alloc = Allocator::new(&pool, &used_blocks(t));
    let mut warnings: Vec<String> = Vec::new();
    for tr in &ctx.tables {
        warnings.extend(tr.warnings.iter().cloned());
    }

    // Overlaps with their impact.
    let mut overlaps: Vec<Overlap> = pairs
        .iter()
        .map(|&(i, j)| ctx.overlap(&blocks[i], &blocks[j]))
        .collect();

    // Remedies: suppressed blocks first (renumbering, then private NAT), then the others, so
    // the best free blocks go to today's problems and proposals match the plan.
    let mut renumbering: Vec<Renumbering> = Vec::new();
    let mut seen_renumber = HashSet::new();
    for o in &overlaps {
        for imp in o
            .impact
            .iter()
            .filter(|i| i.kind == ImpactKind::TgwPropagationSuppressed)
        {
            if let (Some(v), Some(c)) = (&imp.shadowed, imp.suppressed_cidr) {
                if seen_renumber.insert((v.clone(), c)) {
                    renumbering.push(ctx.renumbering(&mut alloc, v, c));
                }
            }
        }
    }
    for o in overlaps.iter_mut() {
        o.remedies = ctx.remedies(o, &mut alloc);
    }

    let mismatches = ctx.mismatches();
    let plan = if opts.plan {
        Some(Plan {
            pool: pool.clone(),
            renumbering,
            shared_tgw_sets: ctx.shared_sets(&blocks, &pairs),
        })
    } else {
        None
    };
    let what_if = match &opts.what_if {
        Some((vpc, tgw)) => Some(ctx.what_if(vpc, tgw)?),
        None => None,
    };

    let mut vpcs = BTreeMap::new();
    let mut name = |id: &str| {
        if let Some(&(_, i)) = t.ids.all(Kind::Vpc, id).first() {
            vpcs.entry(id.to_string())
                .or_insert_with(|| ctx.info(VpcIdx(i)));
        }
    };
    for o in &overlaps {
        name(&o.a);
        name(&o.b);
    }
    if let Some(w) = &what_if {
        name(&w.vpc);
        for tb in &w.tables {
            for s in &tb.suppressed {
                name(&s.winner);
            }
        }
    }
    let count = |k: ImpactKind| {
        overlaps
            .iter()
            .filter(|o| o.impact.iter().any(|i| i.kind == k))
            .count()
    };
    let summary = OverlapSummary {
        vpc_blocks: blocks.len(),
        overlaps: overlaps.len(),
        tgw_propagation_suppressed: count(ImpactKind::TgwPropagationSuppressed),
        peering_impossible: count(ImpactKind::PeeringImpossible),
        latent: count(ImpactKind::Latent),
        tgw_route_mismatches: mismatches.len(),
    };
    warnings.dedup();
    Ok(OverlapReport {
        format_version: OVERLAPS_FORMAT,
        snapshot: snapshot.to_string(),
        summary,
        overlaps,
        tgw_route_mismatches: mismatches,
        plan,
        what_if,
        vpcs,
        warnings,
    })
}

/// Blocks in use anywhere in the snapshot: VPC blocks, peer VPC blocks, and TGW routes towards
/// non-VPC attachments (VPN, Direct Connect: on-premises ranges). Default routes are ignored.
pub fn used_blocks(t: &Topology) -> Vec<IpNet> {
    let mut out: Vec<IpNet> = t.vpcs.iter().flat_map(|v| v.cidrs()).collect();
    for p in &t.vpc_peering_connections {
        for side in [&p.requester, &p.accepter] {
            out.extend(side.cidrs_v4.iter().map(|n| IpNet::V4(*n)));
            out.extend(side.cidrs_v6.iter().map(|n| IpNet::V6(*n)));
        }
    }
    for tbl in &t.transit_gateway_route_tables {
        let observed = tbl.observed_routes.iter().flatten();
        for r in tbl.static_routes.iter().chain(observed) {
            let to_vpc = r.attachments.iter().any(|a| {
                a.idx
                    .is_some_and(|x| t.transit_gateway_attachments[x.i()].resource_type == "vpc")
            });
            if let Some(d) = r.destination {
                if !to_vpc && d.prefix_len() > 0 {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Free-block allocation from a pool minus blocks in use (lowest aligned free block first).
pub struct Allocator {
    free: [IntervalSet<u128>; 2],
    memo: HashMap<(String, IpNet, &'static str), Option<IpNet>>,
}

impl Allocator {
    /// `pool` minus `used`.
    pub fn new(pool: &[IpNet], used: &[IpNet]) -> Self {
        let set = |nets: &[IpNet], fam: usize| {
            IntervalSet::from_ranges(nets.iter().map(block_range).filter_map(|(f, lo, hi)| {
                if f == fam {
                    Some((lo, hi))
                } else {
                    None
                }
            }))
        };
        Allocator {
            free: [
                set(pool, 0).difference(&set(used, 0)),
                set(pool, 1).difference(&set(used, 1)),
            ],
            memo: HashMap::new(),
        }
    }

    /// Take the lowest free block of `prefix_len` in `family` (0 v4, 1 v6), inside `within`
    /// when given.
    pub fn take(
        &mut self,
        family: usize,
        prefix_len: u8,
        within: Option<&IntervalSet<u128>>,
    ) -> Option<IpNet> {
        let bits: u32 = if family == 0 { 32 } else { 128 };
        if u32::from(prefix_len) > bits {
            return None;
        }
        let host_bits = bits - u32::from(prefix_len);
        let size: u128 = if host_bits >= 128 {
            return None;
        } else {
            1u128 << host_bits
        };
        let space = match within {
            Some(w) => self.free[family].intersect(w),
            None => self.free[family].clone(),
        };
        for &(lo, hi) in space.ranges() {
            let start = lo.div_ceil(size).checked_mul(size)?;
            let end = start.checked_add(size - 1)?;
            if start >= lo && end <= hi {
                self.free[family] = self.free[family].difference(&IntervalSet::range(start, end));
                return to_net(family, start, prefix_len);
            }
        }
        None
    }

    /// Like [`Self::take`], remembered per `(vpc, block, purpose)` so a block gets one answer.
    pub fn take_for(
        &mut self,
        vpc: &str,
        block: IpNet,
        purpose: &'static str,
        prefix_len: u8,
        within: Option<&IntervalSet<u128>>,
    ) -> Option<IpNet> {
        let key = (vpc.to_string(), block, purpose);
        if let Some(r) = self.memo.get(&key) {
            return *r;
        }
        let fam = block_range(&block).0;
        let r = self.take(fam, prefix_len, within);
        self.memo.insert(key, r);
        r
    }
}

fn to_net(family: usize, start: u128, prefix_len: u8) -> Option<IpNet> {
    if family == 0 {
        let a = u32::try_from(start).ok()?;
        Ipv4Net::new(a.into(), prefix_len).ok().map(IpNet::V4)
    } else {
        Ipv6Net::new(start.into(), prefix_len).ok().map(IpNet::V6)
    }
}

/// Ranges a VPC with this primary IPv4 block may add as a secondary block (AWS restricts
/// secondary blocks to the primary's RFC 1918 range, or 100.64.0.0/10; other primaries: any).
pub fn permitted_secondary(primary: Option<&Ipv4Net>) -> Option<IntervalSet<u128>> {
    let p = primary?;
    let cgnat: Ipv4Net = "100.64.0.0/10".parse().ok()?;
    let range = rfc1918()
        .into_iter()
        .find(|r| matches!(r, IpNet::V4(r4) if r4.contains(p)))?;
    let (_, lo, hi) = block_range(&range);
    let (_, clo, chi) = block_range(&IpNet::V4(cgnat));
    Some(IntervalSet::from_ranges([(lo, hi), (clo, chi)]))
}

/// A cache as clients see it: a replication group, a stand-alone cluster or a serverless cache.
#[derive(Clone, Debug)]
struct CacheService {
    kind: &'static str,
    id: String,
    vpc: VpcIdx,
    endpoint: Option<(String, u16)>,
    addresses: Vec<IpAddr>,
    subnets: Vec<SubnetIdx>,
}

impl CacheService {
    fn endpoint_text(&self) -> Option<String> {
        self.endpoint.as_ref().map(|(d, p)| format!("{d}:{p}"))
    }
    fn inside(&self, t: &Topology, cidr: &IpNet) -> Vec<String> {
        if !self.addresses.is_empty() {
            return self
                .addresses
                .iter()
                .filter(|a| cidr.contains(*a))
                .map(|a| a.to_string())
                .collect();
        }
        // Addresses unknown: judged by subnet.
        self.subnets
            .iter()
            .filter(|s| {
                subnet_nets(&t.subnets[s.i()])
                    .iter()
                    .any(|n| cidr.contains(n))
            })
            .map(|s| format!("subnet {}", t.subnets[s.i()].id))
            .collect()
    }
}

fn endpoint_of(e: &Option<Endpoint>) -> Option<(String, u16)> {
    let e = e.as_ref()?;
    Some((e.address.clone()?, e.port?))
}

fn subnet_nets(s: &Subnet) -> Vec<IpNet> {
    s.cidr_v4
        .map(IpNet::V4)
        .into_iter()
        .chain(s.cidrs_v6.iter().map(|n| IpNet::V6(*n)))
        .collect()
}

/// Precomputed indexes shared by the analysis steps.
struct Context<'t> {
    t: &'t Topology,
    tables: Vec<TableRoutes>,
    /// (VPC, block) → (table position, suppressed position).
    suppressed: HashMap<(VpcIdx, IpNet), Vec<(usize, usize)>>,
    /// VPC → table positions it propagates into.
    propagating: HashMap<VpcIdx, Vec<usize>>,
    /// Active peering connections per unordered pair of VPC ids.
    peerings: HashMap<(String, String), Vec<PeeringIdx>>,
    /// Active VPC attachments per VPC.
    attachments: HashMap<VpcIdx, Vec<TgwAttachmentIdx>>,
    caches: Vec<CacheService>,
}

fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl<'t> Context<'t> {
    fn new(t: &'t Topology) -> Self {
        let tables = tgw_propagation::all_tables(t);
        let mut suppressed: HashMap<(VpcIdx, IpNet), Vec<(usize, usize)>> = HashMap::new();
        let mut propagating: HashMap<VpcIdx, Vec<usize>> = HashMap::new();
        for (ti, tr) in tables.iter().enumerate() {
            for (si, s) in tr.suppressed.iter().enumerate() {
                suppressed
                    .entry((s.vpc, s.cidr))
                    .or_default()
                    .push((ti, si));
            }
            for p in &tr.propagators {
                propagating.entry(p.vpc).or_default().push(ti);
            }
        }
        let mut peerings: HashMap<(String, String), Vec<PeeringIdx>> = HashMap::new();
        for (i, p) in t.vpc_peering_connections.iter().enumerate() {
            if p.active {
                peerings
                    .entry(pair_key(&p.requester.vpc.id, &p.accepter.vpc.id))
                    .or_default()
                    .push(PeeringIdx(i as u32));
            }
        }
        let mut attachments: HashMap<VpcIdx, Vec<TgwAttachmentIdx>> = HashMap::new();
        for (i, a) in t.transit_gateway_attachments.iter().enumerate() {
            if let (true, Some(v)) = (a.active, a.vpc.as_ref().and_then(|v| v.idx)) {
                attachments
                    .entry(v)
                    .or_default()
                    .push(TgwAttachmentIdx(i as u32));
            }
        }
        Context {
            t,
            tables,
            suppressed,
            propagating,
            peerings,
            attachments,
            caches: cache_services(t),
        }
    }

    fn vpc(&self, v: VpcIdx) -> &'t Vpc {
        &self.t.vpcs[v.i()]
    }

    fn label(&self, v: VpcIdx) -> String {
        let vpc = self.vpc(v);
        match &vpc.name {
            Some(n) => format!("{n} ({})", vpc.id),
            None => vpc.id.clone(),
        }
    }

    fn label_id(&self, id: &str) -> String {
        match self.t.ids.all(Kind::Vpc, id).first() {
            Some(&(_, i)) => self.label(VpcIdx(i)),
            None => id.to_string(),
        }
    }

    fn region(&self, v: VpcIdx) -> &'t str {
        self.t
            .scopes
            .get(self.vpc(v).scope.i())
            .map(|s| s.region.as_str())
            .unwrap_or("?")
    }

    fn account(&self, v: VpcIdx) -> &'t str {
        self.t
            .scopes
            .get(self.vpc(v).scope.i())
            .map(|s| s.account.as_str())
            .unwrap_or("?")
    }

    fn info(&self, v: VpcIdx) -> VpcInfo {
        let vpc = self.vpc(v);
        VpcInfo {
            name: vpc.name.clone(),
            account: self.account(v).to_string(),
            region: self.region(v).to_string(),
            cidrs: vpc.cidrs().collect(),
        }
    }

    fn table_ids(&self, ti: usize) -> (String, String) {
        let tbl = &self.t.transit_gateway_route_tables[self.tables[ti].table.i()];
        (tbl.transit_gateway.id.clone(), tbl.id.clone())
    }

    fn creation(&self, a: Option<TgwAttachmentIdx>) -> Option<String> {
        a.and_then(|a| {
            self.t.transit_gateway_attachments[a.i()]
                .creation_time
                .clone()
        })
    }

    fn overlap(&self, a: &Block, b: &Block) -> Overlap {
        let relation = if a.net == b.net {
            Relation::Equal
        } else {
            Relation::Contains
        };
        let mut impact = Vec::new();
        for (shadow, win) in [(b, a), (a, b)] {
            let Some(list) = self.suppressed.get(&(shadow.vpc, shadow.net)) else {
                continue;
            };
            for &(ti, si) in list {
                let s = &self.tables[ti].suppressed[si];
                let Some(w) = s
                    .winners
                    .iter()
                    .find(|w| w.vpc == win.vpc && w.cidr == win.net)
                else {
                    continue;
                };
                impact.push(self.suppressed_impact(ti, s, w));
            }
        }
        let (aid, bid) = (&self.vpc(a.vpc).id, &self.vpc(b.vpc).id);
        for &p in self.peerings.get(&pair_key(aid, bid)).into_iter().flatten() {
            let pcx = &self.t.vpc_peering_connections[p.i()];
            impact.push(Impact {
                kind: ImpactKind::PeeringImpossible,
                code: None,
                peering_connection: Some(pcx.id.clone()),
                explanation: format!(
                    "peering connection {} is {} between {} and {}, whose blocks {} and {} overlap: AWS refuses to create such a peering (P3), so the snapshot is inconsistent (stale or mixed-time data?)",
                    pcx.id, pcx.status, self.label(a.vpc), self.label(b.vpc), a.net, b.net
                ),
                ..empty_impact(ImpactKind::PeeringImpossible)
            });
        }
        if impact.is_empty() {
            impact.push(Impact {
                explanation: self.latent_explanation(a, b),
                ..empty_impact(ImpactKind::Latent)
            });
        }
        let overlap = if a.net.prefix_len() >= b.net.prefix_len() {
            a.net
        } else {
            b.net
        };
        Overlap {
            a: aid.clone(),
            b: bid.clone(),
            a_cidr: a.net,
            b_cidr: b.net,
            overlap,
            relation,
            cross_account: self.account(a.vpc) != self.account(b.vpc),
            cross_region: self.region(a.vpc) != self.region(b.vpc),
            impact,
            remedies: Vec::new(),
        }
    }

    fn suppressed_impact(
        &self,
        ti: usize,
        s: &tgw_propagation::Suppressed,
        w: &tgw_propagation::Winner,
    ) -> Impact {
        let (tgw, rtb) = self.table_ids(ti);
        let tr = &self.tables[ti];
        let still: Vec<IpNet> = tr
            .routes
            .iter()
            .chain(tr.overridden_by_static.iter())
            .filter(|r| {
                r.vpc == Some(s.vpc) && r.attachment_id.as_deref() == Some(&s.attachment_id)
            })
            .map(|r| r.destination)
            .collect();
        Impact {
            kind: ImpactKind::TgwPropagationSuppressed,
            code: Some(tgw_propagation::SUPPRESSED_CODE.to_string()),
            transit_gateway: Some(tgw.clone()),
            route_table: Some(rtb.clone()),
            winner: Some(self.vpc(w.vpc).id.clone()),
            shadowed: Some(self.vpc(s.vpc).id.clone()),
            winner_attachment: Some(w.attachment_id.clone()),
            shadowed_attachment: Some(s.attachment_id.clone()),
            winner_creation_time: self.creation(w.attachment),
            shadowed_creation_time: self.creation(s.attachment),
            suppressed_cidr: Some(s.cidr),
            still_propagated: still,
            unreachable: self.unreachable(s.vpc, &s.cidr),
            peering_connection: None,
            explanation: format!(
                "{} and {} both propagate into {rtb} of {tgw}; {} ({}) was attached first, so {} of {} ({}) is not propagated (T4): traffic from the rest of the TGW to {} goes to {} instead",
                self.label(w.vpc), self.label(s.vpc), w.attachment_id,
                self.creation(w.attachment).as_deref().unwrap_or("no CreationTime"),
                s.cidr, self.label(s.vpc), s.attachment_id, s.cidr, self.label(w.vpc)
            ),
        }
    }

    fn latent_explanation(&self, a: &Block, b: &Block) -> String {
        let (la, lb) = (self.label(a.vpc), self.label(b.vpc));
        if self.region(a.vpc) != self.region(b.vpc) {
            return format!(
                "{la} ({}) and {lb} ({}) are in different regions: no TGW route table propagates both, but a cross-region peering between them would be refused and static routes over a TGW peering would be ambiguous",
                self.region(a.vpc), self.region(b.vpc)
            );
        }
        let ta: HashSet<usize> = self
            .propagating
            .get(&a.vpc)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let shared: Vec<usize> = self
            .propagating
            .get(&b.vpc)
            .into_iter()
            .flatten()
            .copied()
            .filter(|x| ta.contains(x))
            .collect();
        if let Some(&ti) = shared.first() {
            let (tgw, rtb) = self.table_ids(ti);
            return format!(
                "{la} and {lb} both propagate into {rtb} of {tgw}, but neither block is installed against the other ({} / {}): an IPv6 block without Ipv6Support, or both blocks already lose to an earlier VPC",
                a.net, b.net
            );
        }
        let tgws = |v: VpcIdx| -> BTreeSet<String> {
            self.attachments
                .get(&v)
                .into_iter()
                .flatten()
                .map(|x| {
                    self.t.transit_gateway_attachments[x.i()]
                        .transit_gateway
                        .id
                        .clone()
                })
                .collect()
        };
        let (ga, gb) = (tgws(a.vpc), tgws(b.vpc));
        if let Some(g) = ga.intersection(&gb).next() {
            return format!(
                "{la} and {lb} are both attached to {g} but propagate into different route tables: harmless today; propagating both into one table would suppress the later attachment's {}",
                if a.net.prefix_len() == b.net.prefix_len() { a.net.to_string() } else { format!("{} / {}", a.net, b.net) }
            );
        }
        format!(
            "{la} and {lb} share no TGW route table and no peering: harmless today, but it blocks attaching both to one Transit Gateway route table (the later one would not propagate) and peering them"
        )
    }

    fn unreachable(&self, v: VpcIdx, cidr: &IpNet) -> Vec<Unreachable> {
        let t = self.t;
        let vpc = self.vpc(v);
        let mut out = Vec::new();
        for &s in &vpc.subnets {
            let sn = &t.subnets[s.i()];
            let inside: Vec<String> = subnet_nets(sn)
                .iter()
                .filter(|n| cidr.contains(*n))
                .map(|n| n.to_string())
                .collect();
            if !inside.is_empty() {
                out.push(Unreachable {
                    kind: "subnet".into(),
                    id: sn.id.clone(),
                    name: sn.name.clone(),
                    addresses: inside,
                    endpoint: None,
                });
            }
        }
        let mut instances: Vec<Unreachable> = Vec::new();
        for inst in t
            .instances
            .iter()
            .filter(|i| i.active && i.vpc.as_ref().and_then(|r| r.idx) == Some(v))
        {
            let mut addrs: Vec<IpAddr> = inst
                .network_interfaces
                .iter()
                .flat_map(|e| t.network_interfaces[e.i()].private_addresses())
                .collect();
            if addrs.is_empty() {
                addrs.extend(inst.private_ip.map(IpAddr::V4));
            }
            let inside: Vec<String> = addrs
                .iter()
                .filter(|a| cidr.contains(*a))
                .map(|a| a.to_string())
                .collect();
            if !inside.is_empty() {
                instances.push(Unreachable {
                    kind: "instance".into(),
                    id: inst.id.clone(),
                    name: inst.name.clone(),
                    addresses: inside,
                    endpoint: None,
                });
            }
        }
        instances.sort_by(|a, b| a.id.cmp(&b.id));
        out.extend(instances);
        for c in self.caches.iter().filter(|c| c.vpc == v) {
            let inside = c.inside(t, cidr);
            if !inside.is_empty() {
                out.push(Unreachable {
                    kind: c.kind.into(),
                    id: c.id.clone(),
                    name: None,
                    addresses: inside,
                    endpoint: c.endpoint_text(),
                });
            }
        }
        out
    }

    fn primary(&self, v: VpcIdx) -> Option<&'t Ipv4Net> {
        self.vpc(v).cidrs_v4.first()
    }

    fn renumbering(&self, alloc: &mut Allocator, vpc_id: &str, cidr: IpNet) -> Renumbering {
        let v = self
            .t
            .ids
            .all(Kind::Vpc, vpc_id)
            .first()
            .map(|&(_, i)| VpcIdx(i));
        let primary =
            matches!((v.and_then(|v| self.primary(v)), cidr), (Some(p), IpNet::V4(c)) if *p == c);
        let within = if primary || matches!(cidr, IpNet::V6(_)) {
            None
        } else {
            v.and_then(|v| permitted_secondary(self.primary(v)))
        };
        let proposed = alloc.take_for(vpc_id, cidr, "renumber", cidr.prefix_len(), within.as_ref());
        let label = self.label_id(vpc_id);
        let note = match (proposed, primary, cidr) {
            (None, _, IpNet::V6(_)) => format!(
                "no free /{} in the pool: request another Amazon-provided IPv6 block for {label} (or pass an IPv6 --pool)",
                cidr.prefix_len()
            ),
            (None, _, _) => format!(
                "no free /{} left in the pool{} for {label}",
                cidr.prefix_len(),
                if within.is_some() { " within the ranges AWS allows as its secondary CIDR" } else { "" }
            ),
            (Some(p), true, _) => format!(
                "{cidr} is the primary CIDR of {label}, which cannot be removed: create a new VPC with {p}, move workloads and cache subnet groups there, then attach it to the TGW"
            ),
            (Some(p), false, _) => format!(
                "associate {p} with {label} as a secondary CIDR, create new subnets in it, move workloads and cache subnet groups, re-create the TGW attachment subnets there, then disassociate {cidr}"
            ),
        };
        Renumbering {
            vpc: vpc_id.to_string(),
            current: cidr,
            proposed,
            primary,
            note,
        }
    }

    /// Remedies for one overlap, concrete to the snapshot.
    fn remedies(&self, o: &Overlap, alloc: &mut Allocator) -> Vec<Remedy> {
        let mut out = Vec::new();
        let find = |id: &str| {
            self.t
                .ids
                .all(Kind::Vpc, id)
                .first()
                .map(|&(_, i)| VpcIdx(i))
        };
        for imp in &o.impact {
            match imp.kind {
                ImpactKind::TgwPropagationSuppressed => {
                    let (Some(sid), Some(cidr)) = (&imp.shadowed, imp.suppressed_cidr) else {
                        continue;
                    };
                    let Some(s) = find(sid) else { continue };
                    let tgw = imp.transit_gateway.clone().unwrap_or_default();
                    let rtb = imp.route_table.clone().unwrap_or_default();
                    out.extend(self.private_nat(alloc, s, cidr, &format!("{tgw} ({rtb})")));
                    // Caches of the shadowed VPC that others cannot reach.
                    for c in self
                        .caches
                        .iter()
                        .filter(|c| c.vpc == s && !c.inside(self.t, &cidr).is_empty())
                    {
                        out.push(self.provide_cache(c, &format!("the other VPCs on {tgw}")));
                    }
                    // Caches the shadowed VPC wants to reach over the TGW (replies would go to
                    // the winner): consume them through PrivateLink instead.
                    let ti = self
                        .tables
                        .iter()
                        .position(|tr| self.t.transit_gateway_route_tables[tr.table.i()].id == rtb);
                    if let Some(ti) = ti {
                        for c in &self.caches {
                            let served = self.tables[ti].routes.iter().any(|r| {
                                r.vpc == Some(c.vpc)
                                    && r.vpc != Some(s)
                                    && c.addresses.iter().any(|a| r.destination.contains(a))
                            });
                            if served {
                                out.push(self.consume_cache(c, s));
                            }
                        }
                    }
                    if !self
                        .unreachable(s, &cidr)
                        .iter()
                        .all(|u| u.kind == "subnet")
                    {
                        out.push(Remedy {
                            kind: RemedyKind::PrivatelinkEndpointService,
                            vpc: sid.clone(),
                            suggested_cidr: None,
                            cache: None,
                            endpoint: None,
                            description: format!(
                                "publish the services other VPCs need in {} ({cidr}) behind a Network Load Balancer endpoint service (PrivateLink); consumers create interface endpoints in their own VPCs, so no route to {cidr} is needed",
                                self.label(s)
                            ),
                        });
                    }
                    out.push(self.renumber_remedy(alloc, s, cidr));
                }
                ImpactKind::PeeringImpossible => {
                    out.push(Remedy {
                        kind: RemedyKind::Recollect,
                        vpc: o.b.clone(),
                        suggested_cidr: None,
                        cache: None,
                        endpoint: None,
                        description: format!(
                            "re-collect both accounts at the same time and check {}: AWS cannot have an active peering between overlapping blocks {} and {}",
                            imp.peering_connection.as_deref().unwrap_or("the peering"),
                            o.a_cidr, o.b_cidr
                        ),
                    });
                    if let Some(b) = find(&o.b) {
                        out.push(self.renumber_remedy(alloc, b, o.b_cidr));
                    }
                }
                ImpactKind::Latent => {
                    let Some(b) = find(&o.b) else { continue };
                    // Renumbering first, so it gets the lowest same-size block.
                    let renumber = self.renumber_remedy(alloc, b, o.b_cidr);
                    out.extend(self.private_nat(alloc, b, o.b_cidr, "a shared Transit Gateway"));
                    out.push(renumber);
                }
            }
        }
        let mut seen = HashSet::new();
        out.retain(|r| seen.insert(r.description.clone()));
        out
    }

    fn private_nat(
        &self,
        alloc: &mut Allocator,
        v: VpcIdx,
        cidr: IpNet,
        via: &str,
    ) -> Option<Remedy> {
        if matches!(cidr, IpNet::V6(_)) {
            return None; // NAT gateways translate IPv4 only.
        }
        let id = &self.vpc(v).id;
        let within = permitted_secondary(self.primary(v));
        let key: IpNet = IpNet::V4(Ipv4Net::default());
        let free = alloc.take_for(id, key, "private-nat", 24, within.as_ref());
        let block = free
            .map(|n| n.to_string())
            .unwrap_or_else(|| "a free /24 (none left in the pool)".into());
        Some(Remedy {
            kind: RemedyKind::PrivateNatGateway,
            vpc: id.clone(),
            suggested_cidr: free,
            cache: None,
            endpoint: None,
            description: format!(
                "associate {block} with {} as a secondary CIDR (routable, unique), create a subnet per AZ in it, put a private NAT gateway there and move the TGW attachment subnets into it; route traffic from the {cidr} subnets towards {via} to the NAT gateway. Works for connections started from {}; inbound connections need a load balancer in {block}",
                self.label(v), self.label(v)
            ),
        })
    }

    fn provide_cache(&self, c: &CacheService, to: &str) -> Remedy {
        let ep = c.endpoint_text();
        Remedy {
            kind: RemedyKind::PrivatelinkResourceGateway,
            vpc: self.vpc(c.vpc).id.clone(),
            suggested_cidr: None,
            cache: Some(c.id.clone()),
            endpoint: ep.clone(),
            description: format!(
                "share {} {} ({}) with {to} through PrivateLink: a resource gateway in the cache subnets of {} and a resource configuration for {} (TCP); consumers add a resource endpoint (or a service network). The cache security group must admit the resource gateway",
                c.kind, c.id, ep.as_deref().unwrap_or("endpoint not in the snapshot"), self.label(c.vpc), ep.as_deref().unwrap_or("its DNS name and port")
            ),
        }
    }

    fn consume_cache(&self, c: &CacheService, consumer: VpcIdx) -> Remedy {
        let ep = c.endpoint_text();
        Remedy {
            kind: RemedyKind::PrivatelinkResourceGateway,
            vpc: self.vpc(consumer).id.clone(),
            suggested_cidr: None,
            cache: Some(c.id.clone()),
            endpoint: ep.clone(),
            description: format!(
                "reach {} {} ({}) from {} without the TGW: create a resource gateway in {} with a resource configuration for {} (TCP) and a resource endpoint in {}; replies then never route to the overlapping block",
                c.kind, c.id, ep.as_deref().unwrap_or("endpoint not in the snapshot"), self.label(consumer), self.label(c.vpc), ep.as_deref().unwrap_or("its DNS name and port"), self.label(consumer)
            ),
        }
    }

    fn renumber_remedy(&self, alloc: &mut Allocator, v: VpcIdx, cidr: IpNet) -> Remedy {
        let r = self.renumbering(alloc, &self.vpc(v).id, cidr);
        Remedy {
            kind: RemedyKind::Renumber,
            vpc: r.vpc,
            suggested_cidr: r.proposed,
            cache: None,
            endpoint: None,
            description: format!("renumber {cidr} of {}: {}", self.label(v), r.note),
        }
    }

    fn mismatches(&self) -> Vec<TgwRouteMismatch> {
        use tgw_propagation::MismatchKind;
        let mut out = Vec::new();
        for (ti, tr) in self.tables.iter().enumerate() {
            let (tgw, rtb) = self.table_ids(ti);
            for m in &tr.mismatches {
                let ca = m.computed.as_ref().and_then(|r| r.attachment_id.clone());
                let oa = m.observed.as_ref().and_then(|r| r.attachment_id.clone());
                let (kind, explanation) = match m.kind {
                    MismatchKind::NotObserved => (
                        "not-observed",
                        format!("{rtb}: {} → {} is computed from the snapshot but AWS did not report it", m.destination, ca.as_deref().unwrap_or("blackhole")),
                    ),
                    MismatchKind::NotComputed => (
                        "not-computed",
                        format!("{rtb}: AWS reports {} → {} but the snapshot's attachments, propagations and static routes do not produce it", m.destination, oa.as_deref().unwrap_or("blackhole")),
                    ),
                    MismatchKind::DifferentTarget => (
                        "different-target",
                        format!("{rtb}: {} goes to {} by the computation but to {} by AWS (CreationTime order or state differs from the snapshot?)", m.destination, ca.as_deref().unwrap_or("blackhole"), oa.as_deref().unwrap_or("blackhole")),
                    ),
                };
                out.push(TgwRouteMismatch {
                    transit_gateway: tgw.clone(),
                    route_table: rtb.clone(),
                    destination: m.destination,
                    kind: kind.into(),
                    computed_attachment: ca,
                    observed_attachment: oa,
                    explanation,
                });
            }
        }
        out
    }

    /// Earliest active VPC attachment time (preference for keeping a VPC in a shared set).
    fn first_attached(&self, v: VpcIdx) -> (bool, Option<jiff::Timestamp>) {
        let first = self
            .attachments
            .get(&v)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                self.t.transit_gateway_attachments[a.i()]
                    .creation_time
                    .as_deref()
                    .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            })
            .min();
        (first.is_none(), first)
    }

    /// Per region, the largest set of VPCs with pairwise non-overlapping blocks.
    fn shared_sets(&self, blocks: &[Block], pairs: &[(usize, usize)]) -> Vec<SharedSet> {
        let mut by_region: BTreeMap<&str, Vec<VpcIdx>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for b in blocks {
            if seen.insert(b.vpc) {
                by_region.entry(self.region(b.vpc)).or_default().push(b.vpc);
            }
        }
        let mut out = Vec::new();
        for (region, mut vpcs) in by_region {
            vpcs.sort_by_key(|&v| (self.first_attached(v), self.vpc(v).id.clone()));
            let pos: HashMap<VpcIdx, usize> =
                vpcs.iter().enumerate().map(|(i, &v)| (v, i)).collect();
            let n = vpcs.len();
            let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
            // Conflicting blocks per VPC (to recognise interval-graph components).
            let mut conflict_blocks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
            for &(i, j) in pairs {
                if let (Some(&x), Some(&y)) = (pos.get(&blocks[i].vpc), pos.get(&blocks[j].vpc)) {
                    adj[x].insert(y);
                    adj[y].insert(x);
                    conflict_blocks[x].insert(i);
                    conflict_blocks[y].insert(j);
                }
            }
            let mut chosen = vec![false; n];
            let mut optimal = true;
            let mut methods = BTreeSet::new();
            let mut comp_of = vec![usize::MAX; n];
            for start in 0..n {
                if comp_of[start] != usize::MAX {
                    continue;
                }
                let mut comp = vec![start];
                comp_of[start] = start;
                let mut k = 0;
                while k < comp.len() {
                    let x = comp[k];
                    k += 1;
                    for &y in &adj[x] {
                        if comp_of[y] == usize::MAX {
                            comp_of[y] = start;
                            comp.push(y);
                        }
                    }
                }
                comp.sort_unstable();
                if comp.len() == 1 {
                    chosen[comp[0]] = true;
                    continue;
                }
                if comp.iter().all(|&x| conflict_blocks[x].len() == 1) {
                    // Interval graph: greedy by last address is optimal.
                    methods.insert("interval greedy by last address");
                    let mut items: Vec<(u128, usize, u128)> = comp
                        .iter()
                        .filter_map(|&x| {
                            let bi = *conflict_blocks[x].iter().next()?;
                            let (_, lo, hi) = block_range(&blocks[bi].net);
                            Some((hi, x, lo))
                        })
                        .collect();
                    items.sort_unstable();
                    let mut last: Option<u128> = None;
                    for (hi, x, lo) in items {
                        if last.is_none_or(|l| lo > l) {
                            chosen[x] = true;
                            last = Some(hi);
                        }
                    }
                } else if comp.len() <= 24 {
                    methods.insert("exact search");
                    for x in exact_mis(&comp, &adj) {
                        chosen[x] = true;
                    }
                } else {
                    methods.insert("greedy by fewest conflicts (not proven maximum)");
                    optimal = false;
                    let mut alive: BTreeSet<usize> = comp.iter().copied().collect();
                    while let Some(&x) = alive
                        .iter()
                        .min_by_key(|&&x| (adj[x].iter().filter(|y| alive.contains(y)).count(), x))
                    {
                        chosen[x] = true;
                        alive.remove(&x);
                        for y in &adj[x] {
                            alive.remove(y);
                        }
                    }
                }
            }
            let mut inn: Vec<String> = Vec::new();
            let mut excl: Vec<String> = Vec::new();
            for (i, &v) in vpcs.iter().enumerate() {
                if chosen[i] {
                    inn.push(self.vpc(v).id.clone());
                } else {
                    excl.push(self.vpc(v).id.clone());
                }
            }
            inn.sort();
            excl.sort();
            if methods.is_empty() {
                methods.insert("no overlaps");
            }
            out.push(SharedSet {
                region: region.to_string(),
                vpcs: inn,
                excluded: excl,
                optimal,
                method: methods.into_iter().collect::<Vec<_>>().join(", "),
            });
        }
        out
    }

    fn what_if(&self, vpc_id: &str, tgw_id: &str) -> Result<WhatIf, String> {
        let t = self.t;
        let v = match t.ids.all(Kind::Vpc, vpc_id) {
            [(_, i)] => VpcIdx(*i),
            [] => {
                return Err(format!(
                    "--what-if-attach: VPC {vpc_id} is not in the snapshot"
                ))
            }
            [(_, i), ..] => VpcIdx(*i),
        };
        let g = match t.ids.all(Kind::TransitGateway, tgw_id).first() {
            Some(&(_, i)) => TgwIdx(i),
            None => {
                return Err(format!(
                    "--tgw: transit gateway {tgw_id} is not in the snapshot"
                ))
            }
        };
        let tgw = &t.transit_gateways[g.i()];
        let tgw_region = t
            .scopes
            .get(tgw.scope.i())
            .map(|s| s.region.as_str())
            .unwrap_or("?");
        let mut answer = WhatIf {
            vpc: vpc_id.to_string(),
            transit_gateway: tgw_id.to_string(),
            already_attached: None,
            would_propagate: false,
            tables: Vec::new(),
            explanation: String::new(),
        };
        if tgw_region != self.region(v) {
            answer.explanation = format!(
                "{} is in {} and {tgw_id} in {tgw_region}: a VPC attaches only to a transit gateway of its own region",
                self.label(v), self.region(v)
            );
            return Ok(answer);
        }
        let existing = self
            .attachments
            .get(&v)
            .into_iter()
            .flatten()
            .find(|a| t.transit_gateway_attachments[a.i()].transit_gateway.idx == Some(g))
            .copied();
        answer.already_attached = existing.map(|a| t.transit_gateway_attachments[a.i()].id.clone());
        let new_id = "(new attachment)".to_string();
        let att_id = answer
            .already_attached
            .clone()
            .unwrap_or_else(|| new_id.clone());
        let mut targets: Vec<(TgwRouteTableIdx, &str)> = Vec::new();
        if let Some(def) = &tgw.default_propagation_route_table {
            targets.extend(
                tgw.route_tables
                    .iter()
                    .filter(|r| &t.transit_gateway_route_tables[r.i()].id == def)
                    .map(|&r| (r, "default propagation route table")),
            );
        }
        if targets.is_empty() {
            targets.extend(tgw.route_tables.iter().map(|&r| (r, "route table of the TGW (no default propagation table: each is evaluated as if propagation were enabled)")));
        }
        let mut all_ok = !targets.is_empty();
        for (table, reason) in targets {
            let (mut props, _) = tgw_propagation::propagators(t, table);
            if !props.iter().any(|p| p.vpc == v) {
                props.push(Propagator {
                    attachment: existing,
                    attachment_id: att_id.clone(),
                    vpc: v,
                    created: if existing.is_some() {
                        self.creation(existing).and_then(|s| s.parse().ok())
                    } else {
                        Some(jiff::Timestamp::MAX)
                    },
                    ipv6: existing
                        .map(|a| t.transit_gateway_attachments[a.i()].ipv6_support)
                        .unwrap_or(!self.vpc(v).cidrs_v6.is_empty()),
                });
            }
            let tr = tgw_propagation::compute(t, table, props);
            let mine = |r: &&tgw_propagation::EffectiveTgwRoute| {
                r.vpc == Some(v) && r.kind == TgwRouteType::Propagated
            };
            let propagated: Vec<IpNet> = tr
                .routes
                .iter()
                .filter(mine)
                .map(|r| r.destination)
                .collect();
            let overridden: Vec<IpNet> = tr
                .overridden_by_static
                .iter()
                .filter(mine)
                .map(|r| r.destination)
                .collect();
            let suppressed: Vec<WhatIfSuppressed> = tr
                .suppressed
                .iter()
                .filter(|s| s.vpc == v)
                .filter_map(|s| {
                    let w = s.winner()?;
                    Some(WhatIfSuppressed {
                        cidr: s.cidr,
                        winner: self.vpc(w.vpc).id.clone(),
                        winner_cidr: w.cidr,
                        winner_attachment: w.attachment_id.clone(),
                    })
                })
                .collect();
            let mut takes = Vec::new();
            for p in &propagated {
                let cover = tr
                    .routes
                    .iter()
                    .filter(|r| {
                        r.vpc != Some(v)
                            && r.destination.prefix_len() < p.prefix_len()
                            && r.destination.contains(p)
                    })
                    .max_by_key(|r| r.destination.prefix_len());
                if let Some(r) = cover {
                    takes.push(RouteRef {
                        destination: r.destination,
                        attachment: r.attachment_id.clone(),
                        kind: match &r.kind {
                            TgwRouteType::Static => "static".into(),
                            TgwRouteType::Propagated => "propagated".into(),
                            TgwRouteType::Other(o) => o.clone(),
                        },
                        for_cidr: *p,
                    });
                }
            }
            all_ok &= suppressed.is_empty() && overridden.is_empty();
            answer.tables.push(WhatIfTable {
                route_table: t.transit_gateway_route_tables[table.i()].id.clone(),
                reason: reason.to_string(),
                propagated,
                suppressed,
                overridden_by_static: overridden,
                takes_traffic_from: takes,
            });
        }
        answer.would_propagate = all_ok;
        let lost: Vec<String> = answer
            .tables
            .iter()
            .flat_map(|tb| {
                tb.suppressed.iter().map(move |s| {
                    format!(
                        "{} (loses to {} {} in {})",
                        s.cidr,
                        self.label_id(&s.winner),
                        s.winner_cidr,
                        tb.route_table
                    )
                })
            })
            .collect();
        answer.explanation = if answer.tables.is_empty() {
            format!("{tgw_id} has no route table in the snapshot")
        } else if all_ok {
            format!(
                "attaching {} to {tgw_id} would propagate every block of it{}",
                self.label(v),
                if answer
                    .tables
                    .iter()
                    .any(|t| !t.takes_traffic_from.is_empty())
                {
                    "; traffic now sent to the less specific routes listed in takes_traffic_from would go to it instead"
                } else {
                    ""
                }
            )
        } else if lost.is_empty() {
            format!("attaching {} to {tgw_id}: a static route of the same prefix would win over some of its blocks", self.label(v))
        } else {
            format!(
                "attaching {} to {tgw_id} would NOT propagate {}: the new attachment is the latest, so every overlapping block already installed wins (T4)",
                self.label(v),
                lost.join(", ")
            )
        };
        Ok(answer)
    }
}

fn empty_impact(kind: ImpactKind) -> Impact {
    Impact {
        kind,
        code: None,
        transit_gateway: None,
        route_table: None,
        winner: None,
        shadowed: None,
        winner_attachment: None,
        shadowed_attachment: None,
        winner_creation_time: None,
        shadowed_creation_time: None,
        suppressed_cidr: None,
        still_propagated: Vec::new(),
        unreachable: Vec::new(),
        peering_connection: None,
        explanation: String::new(),
    }
}

/// Maximum independent set of a small component by branch and bound; nodes are tried in the
/// given (preference) order, including before excluding, so ties favour earlier nodes.
fn exact_mis(comp: &[usize], adj: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = comp.len();
    let local: HashMap<usize, usize> = comp.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let masks: Vec<u32> = comp
        .iter()
        .map(|&x| {
            adj[x]
                .iter()
                .filter_map(|y| local.get(y))
                .fold(0u32, |m, &j| m | (1 << j))
        })
        .collect();
    fn go(i: usize, n: usize, masks: &[u32], cur: u32, banned: u32, best: &mut u32) {
        if i == n {
            if cur.count_ones() > best.count_ones() {
                *best = cur;
            }
            return;
        }
        let remaining = (i..n).filter(|&j| banned & (1 << j) == 0).count() as u32;
        if cur.count_ones() + remaining <= best.count_ones() {
            return;
        }
        if banned & (1 << i) == 0 {
            go(i + 1, n, masks, cur | (1 << i), banned | masks[i], best);
        }
        go(i + 1, n, masks, cur, banned, best);
    }
    let mut best = 0u32;
    go(0, n, &masks, 0, 0, &mut best);
    (0..n)
        .filter(|&j| best & (1 << j) != 0)
        .map(|j| comp[j])
        .collect()
}

fn cache_services(t: &Topology) -> Vec<CacheService> {
    let mut out = Vec::new();
    let nodes_of = |c: &CacheCluster| -> (Vec<IpAddr>, Vec<SubnetIdx>) {
        (
            c.nodes.iter().filter_map(|n| n.address).collect(),
            c.nodes.iter().filter_map(|n| n.subnet).collect(),
        )
    };
    for rg in t.replication_groups.iter().filter(|r| r.active) {
        let members: Vec<&CacheCluster> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .collect();
        let Some(vpc) = members.iter().find_map(|c| c.vpc) else {
            continue;
        };
        let (mut addrs, mut subnets) = (Vec::new(), Vec::new());
        for c in &members {
            let (a, s) = nodes_of(c);
            addrs.extend(a);
            subnets.extend(s);
        }
        out.push(CacheService {
            kind: "replication-group",
            id: rg.id.clone(),
            vpc,
            endpoint: endpoint_of(&rg.configuration_endpoint).or(endpoint_of(&rg.primary_endpoint)),
            addresses: addrs,
            subnets,
        });
    }
    for c in t
        .cache_clusters
        .iter()
        .filter(|c| c.active && c.replication_group.is_none())
    {
        let Some(vpc) = c.vpc else { continue };
        let (addresses, subnets) = nodes_of(c);
        out.push(CacheService {
            kind: "cache-cluster",
            id: c.id.clone(),
            vpc,
            endpoint: endpoint_of(&c.configuration_endpoint)
                .or_else(|| c.nodes.iter().find_map(|n| endpoint_of(&n.endpoint))),
            addresses,
            subnets,
        });
    }
    for s in t.serverless_caches.iter().filter(|s| s.active) {
        let Some(vpc) = s.vpc else { continue };
        out.push(CacheService {
            kind: "serverless-cache",
            id: s.name.clone(),
            vpc,
            endpoint: endpoint_of(&s.endpoint),
            addresses: s
                .network_interfaces
                .iter()
                .flat_map(|e| t.network_interfaces[e.i()].private_addresses())
                .collect(),
            subnets: s.subnets.iter().filter_map(|r| r.idx).collect(),
        });
    }
    out
}

/// Build an in-memory topology of `n` single-block VPCs (for the benchmark and tests): /16 to
/// /24 blocks spread over 10.0.0.0/8 so that a realistic share overlaps.
#[doc(hidden)]
pub fn synthetic_topology(n: usize, seed: u64) -> Topology {
    let mut t = Topology::default();
    let mut x = seed.max(1);
    for i in 0..n {
        // xorshift64
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 16 + (x % 9) as u8;
        let addr = 0x0a00_0000u32 | ((x >> 16) as u32 & 0x00ff_ffff);
        let net = Ipv4Net::new(addr.into(), len)
            .map(|n| n.trunc())
            .unwrap_or_default();
        t.vpcs.push(Vpc {
            id: format!("vpc-{i:017x}"),
            scope: ScopeIdx(0),
            owner: None,
            name: None,
            is_default: false,
            cidrs_v4: vec![net],
            cidrs_v6: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
            dns_assumed: false,
            subnets: Vec::new(),
            main_route_table: None,
            default_network_acl: None,
        });
        t.ids
            .insert(ScopeIdx(0), Kind::Vpc, &format!("vpc-{i:017x}"), i as u32);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..nets.len() {
            for j in i + 1..nets.len() {
                let (fi, li, hi) = block_range(&nets[i]);
                let (fj, lj, hj) = block_range(&nets[j]);
                if fi == fj && li <= hj && lj <= hi {
                    out.push((i, j));
                }
            }
        }
        out
    }

    fn arb_net() -> impl Strategy<Value = IpNet> {
        prop_oneof![
            (0u32..64, 0u8..=8).prop_map(|(a, l)| {
                // Small space so that overlaps are frequent: 10.0.0.0/24 sliced.
                let addr = 0x0a00_0000u32 | (a << 2);
                IpNet::V4(
                    Ipv4Net::new(addr.into(), 24 + l)
                        .unwrap_or_default()
                        .trunc(),
                )
            }),
            (0u128..16, 0u8..=4).prop_map(|(a, l)| {
                let addr = (0x2600u128 << 112) | (a << 72);
                IpNet::V6(
                    Ipv6Net::new(addr.into(), 52 + l)
                        .unwrap_or_default()
                        .trunc(),
                )
            }),
        ]
    }

    proptest! {
        #[test]
        fn sweep_equals_all_pairs(nets in proptest::collection::vec(arb_net(), 0..40)) {
            let mut got = overlapping_pairs(&nets);
            got.sort_unstable();
            prop_assert_eq!(got, all_pairs(&nets));
        }
    }

    #[test]
    fn allocator_takes_lowest_aligned_free_block() {
        let pool: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let used: Vec<IpNet> = vec![
            "10.0.0.0/16".parse().unwrap(),
            "10.1.0.0/24".parse().unwrap(),
        ];
        let mut a = Allocator::new(&pool, &used);
        assert_eq!(a.take(0, 16, None), Some("10.2.0.0/16".parse().unwrap()));
        assert_eq!(a.take(0, 24, None), Some("10.1.1.0/24".parse().unwrap()));
        assert_eq!(a.take(0, 8, None), None);
        assert_eq!(a.take(1, 56, None), None);
    }

    #[test]
    fn permitted_secondary_follows_primary_range() {
        let p: Ipv4Net = "172.20.0.0/16".parse().unwrap();
        let w = permitted_secondary(Some(&p)).unwrap();
        assert!(w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(
            172, 31, 0, 1
        )))));
        assert!(w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(
            100, 64, 0, 1
        )))));
        assert!(!w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(10, 0, 0, 1)))));
        let public: Ipv4Net = "52.0.0.0/16".parse().unwrap();
        assert!(permitted_secondary(Some(&public)).is_none());
    }

    #[test]
    fn exact_mis_prefers_earlier_nodes() {
        // Path 0-1-2-3: maximum sets {0,2}, {0,3}, {1,3}; first found is {0,2}.
        let adj: Vec<BTreeSet<usize>> = vec![
            [1].into_iter().collect(),
            [0, 2].into_iter().collect(),
            [1, 3].into_iter().collect(),
            [2].into_iter().collect(),
        ];
        assert_eq!(exact_mis(&[0, 1, 2, 3], &adj), vec![0, 2]);
    }

    #[test]
    fn synthetic_sweep_matches_all_pairs() {
        let t = synthetic_topology(2_000, 7);
        let blocks = vpc_blocks(&t);
        let nets: Vec<IpNet> = blocks.iter().map(|b| b.net).collect();
        let mut got = overlapping_pairs(&nets);
        got.sort_unstable();
        assert_eq!(got, all_pairs(&nets));
    }
}
