//! Passes 1 and 2 of the model build over every scope (account/region), on both cores.
//!
//! Each scope is prepared, and most of it constructed, by a builder of its own on a rayon
//! thread; the results are appended in scope order, so the topology, its arena indices and
//! the order of its diagnostics are the same as a build one scope after the other:
//!
//! - pass 1 ([`Builder::prepare`]) runs per scope in parallel; its ids are registered after,
//!   in scope order ([`Builder::reserve_prepared`]), which is what makes the indices;
//! - VPCs and subnets are constructed first, in order, on this thread (a subnet's CIDR is
//!   checked against its VPC's, which may be in another scope);
//! - route tables, NACLs, security groups, interfaces, instances, addresses, gateways,
//!   endpoints, prefix lists and peerings are constructed per scope in parallel: they read
//!   only the id index, the scopes, what failed to load and the diagnostics made before,
//!   never another arena;
//! - transit gateways, caches and PrivateLink are constructed last, in order, on this thread:
//!   their indices follow the arenas built so far (ARN maps across scopes).
//!
//! A scope's diagnostics are then placed in the serial order: its VPCs and subnets, the
//! parallel kinds, the rest.

use super::builder::Builder;
use super::prepare::Prepared;
use super::transit_gateway::PendingTgwBindings;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::ScopeIdx;
use crate::snapshot::RawData;
use rayon::prelude::*;
use std::sync::Arc;

/// Pass 1 of every scope, in parallel; diagnostics, rejected elements and ids in scope order.
pub(super) fn prepare_all(b: &mut Builder, data: Vec<RawData>) -> Vec<Prepared> {
    let template = b.shard();
    let done: Vec<(Prepared, Builder)> = data
        .into_par_iter()
        .map(|d| {
            let mut s = template.shard();
            s.rejected.clear();
            let p = s.prepare(d);
            (p, s)
        })
        .collect();
    let mut out = Vec::with_capacity(done.len());
    for (i, (p, s)) in done.into_iter().enumerate() {
        b.t.diagnostics.0.extend(s.t.diagnostics.0);
        b.rejected.extend(s.rejected);
        b.reserve_prepared(ScopeIdx(i as u32), &p);
        out.push(p);
    }
    out
}

/// What pass 2 constructs on this thread after the parallel part, per scope.
struct Later {
    data: RawData,
    attachments: Vec<super::transit_gateway::MergedAttachment>,
}

/// The raw data of one scope's parallel part, once constructed.
struct Constructed {
    _data: RawData,
    _enis: Vec<crate::snapshot::Located<crate::snapshot::aws::NetworkInterface>>,
}

/// Move the outputs constructed after the parallel part out of `d` (the rest of `d` is
/// freed on the worker that constructed it).
fn take_later(d: &mut RawData) -> RawData {
    use std::mem::take;
    RawData {
        transit_gateways: take(&mut d.transit_gateways),
        transit_gateway_attachments: take(&mut d.transit_gateway_attachments),
        transit_gateway_vpc_attachments: take(&mut d.transit_gateway_vpc_attachments),
        transit_gateway_route_tables: take(&mut d.transit_gateway_route_tables),
        transit_gateway_routes: take(&mut d.transit_gateway_routes),
        transit_gateway_static_routes: take(&mut d.transit_gateway_static_routes),
        transit_gateway_propagations: take(&mut d.transit_gateway_propagations),
        transit_gateway_associations: take(&mut d.transit_gateway_associations),
        transit_gateway_peering_attachments: take(&mut d.transit_gateway_peering_attachments),
        cache_clusters: take(&mut d.cache_clusters),
        replication_groups: take(&mut d.replication_groups),
        cache_subnet_groups: take(&mut d.cache_subnet_groups),
        serverless_caches: take(&mut d.serverless_caches),
        load_balancers: take(&mut d.load_balancers),
        listeners: take(&mut d.listeners),
        target_groups: take(&mut d.target_groups),
        load_balancer_listeners: take(&mut d.load_balancer_listeners),
        target_group_health: take(&mut d.target_group_health),
        target_group_attributes: take(&mut d.target_group_attributes),
        load_balancer_attributes: take(&mut d.load_balancer_attributes),
        service_configurations: take(&mut d.service_configurations),
        resource_gateways: take(&mut d.resource_gateways),
        resource_configurations: take(&mut d.resource_configurations),
        ..RawData::default()
    }
}

/// Pass 2 of every scope; the TGW bindings to make once all are constructed.
pub(super) fn construct_all(b: &mut Builder, prepared: Vec<Prepared>) -> Vec<PendingTgwBindings> {
    // VPCs and subnets, in order.
    let mark = b.t.diagnostics.0.len();
    let mut vpc_subnet_diags = Vec::with_capacity(prepared.len());
    for (i, p) in prepared.iter().enumerate() {
        let before = b.t.diagnostics.0.len();
        b.construct_vpcs(ScopeIdx(i as u32), &p.data, &p.vpc_attributes);
        b.construct_subnets(ScopeIdx(i as u32), &p.data);
        vpc_subnet_diags.push(b.t.diagnostics.0.len() - before);
    }
    b.subnet_vpc_ids = Arc::new(b.t.subnets.iter().map(|s| s.vpc.id.clone()).collect());

    // The kinds that read no other arena, per scope in parallel.
    b.base_diagnostics = Some(Arc::new(std::mem::take(&mut b.t.diagnostics)));
    let template = b.shard();
    let built: Vec<(Builder, Later, Constructed)> = prepared
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut s = template.shard();
            let (later, done) = s.construct_parallel_kinds(ScopeIdx(i as u32), p);
            s.base_diagnostics = None;
            (s, later, done)
        })
        .collect();
    drop(template);
    // Freeing the raw data (hundreds of thousands of strings at scale) is left to the pool's
    // idle core while this one goes on with the serial rest.
    let mut shards = Vec::with_capacity(built.len());
    for (s, later, done) in built {
        rayon::spawn(move || drop(done));
        shards.push((s, later));
    }
    let base = b.base_diagnostics.take().expect("set above");
    let mut all = Arc::try_unwrap(base).unwrap_or_else(|shared| (*shared).clone());
    let vpc_subnet: Vec<Diagnostic> = all.0.split_off(mark);
    b.t.diagnostics = all;
    let mut vpc_subnet = vpc_subnet.into_iter();
    let mut per_scope: Vec<Vec<Diagnostic>> = Vec::with_capacity(shards.len());
    let mut laters = Vec::with_capacity(shards.len());
    for ((s, later), n) in shards.into_iter().zip(vpc_subnet_diags) {
        let mut diags: Vec<Diagnostic> = vpc_subnet.by_ref().take(n).collect();
        diags.extend(b.absorb(s).0);
        per_scope.push(diags);
        laters.push(later);
    }

    // Transit gateways, caches and PrivateLink, in order.
    let mut pending = Vec::with_capacity(laters.len());
    for (i, (later, diags)) in laters.into_iter().zip(per_scope.iter_mut()).enumerate() {
        let before = b.t.diagnostics.0.len();
        let Later {
            data: mut d,
            attachments,
        } = later;
        let scope = ScopeIdx(i as u32);
        pending.push(b.construct_transit_gateways(scope, &mut d, attachments));
        b.construct_caches(scope, &d);
        b.construct_privatelink(scope, &d);
        diags.extend(b.t.diagnostics.0.split_off(before));
        rayon::spawn(move || drop(d));
    }
    for diags in per_scope {
        b.t.diagnostics.0.extend(diags);
    }
    pending
}

impl Builder {
    /// The parallel part of pass 2 for one scope, on a scope builder of its own; returns
    /// what is constructed after, and the raw data it is done with.
    fn construct_parallel_kinds(&mut self, scope: ScopeIdx, p: Prepared) -> (Later, Constructed) {
        let Prepared {
            data: mut d,
            enis,
            prefix_lists,
            attachments,
            vpc_attributes: _,
        } = p;
        let later = Later {
            data: take_later(&mut d),
            attachments,
        };
        self.construct_route_tables(scope, &d);
        self.construct_network_acls(scope, &d);
        self.record_unreadable(scope, &d);
        self.construct_security_groups(scope, &d);
        self.construct_network_interfaces(scope, &enis);
        self.construct_instances(scope, &d);
        self.construct_elastic_ips(scope, &d);
        self.construct_internet_gateways(scope, &d);
        self.construct_nat_gateways(scope, &d);
        self.construct_vpc_endpoints(scope, &d);
        self.construct_prefix_lists(scope, prefix_lists);
        self.construct_peering_connections(scope, &d);
        let done = Constructed {
            _data: d,
            _enis: enis,
        };
        (later, done)
    }

    /// Append a scope builder's arenas and NACLs/route tables that failed to load; its
    /// diagnostics are returned for the caller to place.
    fn absorb(&mut self, s: Builder) -> Diagnostics {
        let Builder { t, unreadable, .. } = s;
        debug_assert!(
            t.vpcs.is_empty()
                && t.subnets.is_empty()
                && t.transit_gateways.is_empty()
                && t.cache_clusters.is_empty()
                && t.load_balancers.is_empty()
                && t.missing_data.is_empty(),
            "a scope builder wrote only the kinds it constructs"
        );
        let u = &mut self.t;
        u.route_tables.extend(t.route_tables);
        u.network_acls.extend(t.network_acls);
        u.security_groups.extend(t.security_groups);
        u.network_interfaces.extend(t.network_interfaces);
        u.instances.extend(t.instances);
        u.elastic_ips.extend(t.elastic_ips);
        u.internet_gateways.extend(t.internet_gateways);
        u.egress_only_internet_gateways
            .extend(t.egress_only_internet_gateways);
        u.nat_gateways.extend(t.nat_gateways);
        u.vpc_endpoints.extend(t.vpc_endpoints);
        u.prefix_lists.extend(t.prefix_lists);
        u.vpc_peering_connections.extend(t.vpc_peering_connections);
        self.unreadable.extend(unreadable);
        t.diagnostics
    }
}
