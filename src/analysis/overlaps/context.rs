//! Precomputed indexes shared by the analysis steps (TGW tables, suppressed blocks,
//! propagations, peerings, attachments, caches) and the naming helpers every step uses.

use super::caches::{cache_services, CacheService};
use crate::findings::overlaps::VpcInfo;
use crate::model::tgw_routes::{self, TableRoutes};
use crate::model::*;
use ipnet::{IpNet, Ipv4Net};
use std::collections::HashMap;

/// Precomputed indexes shared by the analysis steps.
pub(super) struct Context<'t> {
    pub(super) t: &'t Topology,
    pub(super) tables: Vec<TableRoutes>,
    /// (VPC, block) → (table position, suppressed position).
    pub(super) suppressed: HashMap<(VpcIdx, IpNet), Vec<(usize, usize)>>,
    /// VPC → table positions it propagates into.
    pub(super) propagating: HashMap<VpcIdx, Vec<usize>>,
    /// Active peering connections per unordered pair of VPC ids.
    pub(super) peerings: HashMap<(String, String), Vec<PeeringIdx>>,
    /// Active VPC attachments per VPC.
    pub(super) attachments: HashMap<VpcIdx, Vec<TgwAttachmentIdx>>,
    pub(super) caches: Vec<CacheService>,
}

/// An unordered pair of VPC ids as a map key.
pub(super) fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl<'t> Context<'t> {
    pub(super) fn new(t: &'t Topology) -> Self {
        let tables = tgw_routes::all_tables(t);
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

    pub(super) fn vpc(&self, v: VpcIdx) -> &'t Vpc {
        &self.t.vpcs[v.i()]
    }

    pub(super) fn label(&self, v: VpcIdx) -> String {
        let vpc = self.vpc(v);
        match &vpc.name {
            Some(n) => format!("{n} ({})", vpc.id),
            None => vpc.id.clone(),
        }
    }

    /// The VPC with this id (the first scope that holds it), if the snapshot has it.
    pub(super) fn vpc_by_id(&self, id: &str) -> Option<VpcIdx> {
        self.t
            .ids
            .all(Kind::Vpc, id)
            .first()
            .map(|&(_, i)| VpcIdx(i))
    }

    /// The transit gateway with this id (the first scope that holds it), if the snapshot has it.
    pub(super) fn tgw_by_id(&self, id: &str) -> Option<TgwIdx> {
        self.t
            .ids
            .all(Kind::TransitGateway, id)
            .first()
            .map(|&(_, i)| TgwIdx(i))
    }

    pub(super) fn label_id(&self, id: &str) -> String {
        match self.vpc_by_id(id) {
            Some(v) => self.label(v),
            None => id.to_string(),
        }
    }

    pub(super) fn region(&self, v: VpcIdx) -> &'t str {
        self.t
            .scopes
            .get(self.vpc(v).scope.i())
            .map(|s| s.region.as_str())
            .unwrap_or("?")
    }

    pub(super) fn account(&self, v: VpcIdx) -> &'t str {
        self.t
            .scopes
            .get(self.vpc(v).scope.i())
            .map(|s| s.account.as_str())
            .unwrap_or("?")
    }

    pub(super) fn info(&self, v: VpcIdx) -> VpcInfo {
        let vpc = self.vpc(v);
        VpcInfo {
            name: vpc.name.clone(),
            account: self.account(v).to_string(),
            region: self.region(v).to_string(),
            cidrs: vpc.cidrs().collect(),
        }
    }

    pub(super) fn table_ids(&self, ti: usize) -> (String, String) {
        let tbl = &self.t.transit_gateway_route_tables[self.tables[ti].table.i()];
        (tbl.transit_gateway.id.clone(), tbl.id.clone())
    }

    pub(super) fn creation(&self, a: Option<TgwAttachmentIdx>) -> Option<String> {
        a.and_then(|a| {
            self.t.transit_gateway_attachments[a.i()]
                .creation_time
                .clone()
        })
    }

    pub(super) fn primary(&self, v: VpcIdx) -> Option<&'t Ipv4Net> {
        self.vpc(v).cidrs_v4.first()
    }
}
