//! Building the [`Topology`] from a [`Snapshot`]: ids registered, references resolved, defaults
//! applied, inconsistencies reported.
//!
//! Two passes. The first removes duplicate ids (identical copies silently, differing ones with a
//! warning), merges objects that several outputs describe (prefix lists, TGW attachments, ENIs
//! nested in instances), and assigns every object its index. The second constructs the model
//! objects with every reference resolved, so that a reference to an object in another account
//! or region resolves as well as a local one.

use super::construct::eni_from_instance;
use super::*;
use crate::diag::{DiagCode, Diagnostic, Severity};
use crate::snapshot::aws;
use crate::snapshot::{Located, RawData, Snapshot};
use ipnet::IpNet;
use std::collections::{HashMap, HashSet};

/// Build the normalized network. Never fails: problems become diagnostics in
/// [`Topology::diagnostics`] (after the snapshot's own).
pub fn build(snapshot: Snapshot) -> Topology {
    let Snapshot {
        scopes,
        files,
        diagnostics,
        manifest,
        ..
    } = snapshot;
    let mut b = Builder {
        t: Topology {
            diagnostics,
            ..Topology::default()
        },
        files: files.iter().map(|f| f.path.clone()).collect(),
        reserved: HashMap::new(),
    };
    let mut prepared = Vec::with_capacity(scopes.len());
    for (i, raw) in scopes.into_iter().enumerate() {
        b.t.scopes.push(Scope {
            account: raw.account.clone(),
            region: raw.region.clone(),
            account_source: raw.account_source,
            region_source: raw.region_source,
        });
        prepared.push(b.prepare(ScopeIdx(i as u32), raw.data));
    }
    let mut deferred = Vec::with_capacity(prepared.len());
    for (i, p) in prepared.into_iter().enumerate() {
        deferred.push(b.construct(ScopeIdx(i as u32), p));
    }
    for d in deferred {
        b.bind_tgw(d.scope, &d.wrappers, &d.attachments, d.first_att);
    }
    b.link();
    if let Some(m) = manifest {
        for c in m.calls.iter().filter(|c| c.status == "failed") {
            let error = c.error.clone().unwrap_or_else(|| "unknown error".into());
            b.t.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagCode::SnapshotIncomplete,
                format!(
                    "collect could not run {} in {}/{} ({error}): {} data is missing; verdicts that depend on it carry SNAPSHOT_INCOMPLETE",
                    c.operation,
                    c.account,
                    c.region,
                    c.key.as_deref().unwrap_or("its")
                ),
            ));
            b.t.missing_data.push(MissingData {
                account: c.account.clone(),
                region: c.region.clone(),
                operation: c.operation.clone(),
                key: c.key.clone().unwrap_or_default(),
                error,
            });
        }
    }
    b.t
}

/// Per-scope data after pass 1.
/// Work left for after every scope is constructed (cross-scope TGW bindings).
pub(super) struct Deferred {
    pub(super) scope: ScopeIdx,
    /// Only the TGW wrapper lists.
    pub(super) wrappers: RawData,
    /// File and pointer of each attachment this scope constructed.
    pub(super) attachments: Vec<(u32, String)>,
    /// Arena position of this scope's first attachment.
    pub(super) first_att: usize,
}

pub(super) struct Prepared {
    pub(super) data: RawData,
    pub(super) enis: Vec<Located<aws::NetworkInterface>>,
    pub(super) prefix_lists: Vec<MergedPrefixList>,
    pub(super) attachments: Vec<MergedAttachment>,
    pub(super) vpc_attributes: HashMap<String, (Option<bool>, Option<bool>)>,
}

pub(super) struct MergedPrefixList {
    pub(super) id: String,
    pub(super) name: Option<String>,
    pub(super) cidrs: Option<Vec<IpNet>>,
    pub(super) address_family: Option<String>,
    pub(super) owner: Option<String>,
}

pub(super) struct MergedAttachment {
    pub(super) file: u32,
    pub(super) pointer: String,
    pub(super) generic: Option<aws::TransitGatewayAttachment>,
    pub(super) vpc: Option<aws::TransitGatewayVpcAttachment>,
}

impl MergedAttachment {
    pub(super) fn id(&self) -> &str {
        self.generic
            .as_ref()
            .map(|g| g.transit_gateway_attachment_id.as_str())
            .or(self
                .vpc
                .as_ref()
                .map(|v| v.transit_gateway_attachment_id.as_str()))
            .unwrap_or("")
    }
}

pub(super) struct Builder {
    pub(super) t: Topology,
    files: Vec<String>,
    /// Arena positions handed out per kind in pass 1.
    reserved: HashMap<Kind, usize>,
}

pub(super) fn name_of(tags: &[aws::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key == "Name")
        .map(|t| t.value.clone())
}

pub(super) fn is_live(state: &str) -> bool {
    state.eq_ignore_ascii_case("available")
}

/// Remove elements with an empty id (error) and duplicates (identical: silently; differing: warn).
fn dedupe<T: PartialEq>(
    b: &mut Builder,
    list: &mut Vec<Located<T>>,
    kind: &str,
    id_field: &str,
    id_of: impl Fn(&T) -> &str,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut keep = Vec::with_capacity(list.len());
    for (i, el) in list.iter().enumerate() {
        let id = id_of(&el.item);
        if id.is_empty() {
            b.diag(
                Severity::Error,
                DiagCode::MissingField,
                el.file,
                &el.pointer,
                format!("{kind} without {id_field}; element skipped"),
            );
            keep.push(false);
            continue;
        }
        match seen.get(id) {
            Some(&first) => {
                if list[first].item != el.item {
                    let first_at =
                        format!("{}#{}", b.file_name(list[first].file), list[first].pointer);
                    b.diag(
                        Severity::Warning,
                        DiagCode::DuplicateId,
                        el.file,
                        &el.pointer,
                        format!(
                            "{kind} {id} appears again with different content; keeping the first ({first_at})"
                        ),
                    );
                }
                keep.push(false);
            }
            None => {
                seen.insert(id.to_string(), i);
                keep.push(true);
            }
        }
    }
    let mut k = keep.into_iter();
    list.retain(|_| k.next().unwrap_or(false));
}

impl Builder {
    pub(super) fn file_name(&self, f: u32) -> &str {
        self.files
            .get(f as usize)
            .map(String::as_str)
            .unwrap_or("?")
    }

    pub(super) fn diag(
        &mut self,
        sev: Severity,
        code: DiagCode,
        file: u32,
        ptr: &str,
        msg: String,
    ) {
        let file = self.file_name(file).to_string();
        self.t
            .diagnostics
            .push(Diagnostic::new(sev, code, msg).at(file, ptr));
    }

    fn scope_by(&self, account: &str, region: &str) -> Option<ScopeIdx> {
        self.t
            .scopes
            .iter()
            .position(|s| s.account == account && s.region == region)
            .map(|i| ScopeIdx(i as u32))
    }

    /// Resolve an id of `kind` seen in `scope`.
    pub(super) fn find<I: From<u32>>(&self, scope: ScopeIdx, kind: Kind, id: &str) -> Ref<I> {
        Ref {
            id: id.to_string(),
            idx: self.t.ids.resolve(scope, kind, id).map(I::from),
        }
    }

    /// Resolve an id that names its account (and maybe region): look in that scope first.
    pub(super) fn find_in<I: From<u32>>(
        &self,
        scope: ScopeIdx,
        account: Option<&str>,
        region: Option<&str>,
        kind: Kind,
        id: &str,
    ) -> Ref<I> {
        let sc = &self.t.scopes[scope.i()];
        let account = account.unwrap_or(&sc.account);
        let region = region.unwrap_or(&sc.region);
        if let Some(s) = self.scope_by(account, region) {
            if let Some(i) = self.t.ids.get(s, kind, id) {
                return Ref {
                    id: id.to_string(),
                    idx: Some(I::from(i)),
                };
            }
        }
        // Same id in exactly one scope of that account (region unknown or guessed differently).
        let candidates: Vec<u32> = self
            .t
            .ids
            .all(kind, id)
            .iter()
            .filter(|(s, _)| self.t.scopes[s.i()].account == account)
            .map(|(_, i)| *i)
            .collect();
        Ref {
            id: id.to_string(),
            idx: match candidates.as_slice() {
                [only] => Some(I::from(*only)),
                _ => None,
            },
        }
    }

    /// Report an unresolved reference: a warning when its account is in the snapshot (the
    /// object should be there), a note when it belongs to an account the snapshot lacks.
    pub(super) fn check<I>(
        &mut self,
        r: &Ref<I>,
        scope: ScopeIdx,
        account: Option<&str>,
        file: u32,
        ptr: &str,
        what: &str,
    ) {
        if r.idx.is_some() || r.id.is_empty() {
            return;
        }
        let own = self.t.scopes[scope.i()].account.clone();
        let account = account.unwrap_or(&own).to_string();
        if self.t.has_account(&account) {
            self.diag(
                Severity::Warning,
                DiagCode::DanglingReference,
                file,
                ptr,
                format!("{what} {} is not in the snapshot (deleted, or its output is missing); kept as a dangling reference", r.id),
            );
        } else {
            self.diag(
                Severity::Note,
                DiagCode::DanglingReference,
                file,
                ptr,
                format!(
                    "{what} {} belongs to account {account}, which is not in the snapshot",
                    r.id
                ),
            );
        }
    }

    /// [`Self::find`] then [`Self::check`] in the object's own account: the common case.
    pub(super) fn find_checked<I: From<u32> + Copy>(
        &mut self,
        scope: ScopeIdx,
        kind: Kind,
        id: &str,
        file: u32,
        ptr: &str,
        what: &str,
    ) -> Ref<I> {
        let r = self.find(scope, kind, id);
        self.check(&r, scope, None, file, ptr, what);
        r
    }

    fn register(&mut self, scope: ScopeIdx, kind: Kind, id: &str, idx: usize) {
        self.t.ids.insert(scope, kind, id, idx as u32);
    }

    // -----------------------------------------------------------------------------------------
    // Pass 1
    // -----------------------------------------------------------------------------------------

    fn prepare(&mut self, scope: ScopeIdx, mut d: RawData) -> Prepared {
        dedupe(self, &mut d.vpcs, "VPC", "VpcId", |x| &x.vpc_id);
        dedupe(self, &mut d.subnets, "subnet", "SubnetId", |x| &x.subnet_id);
        dedupe(
            self,
            &mut d.route_tables,
            "route table",
            "RouteTableId",
            |x| &x.route_table_id,
        );
        dedupe(
            self,
            &mut d.network_acls,
            "network ACL",
            "NetworkAclId",
            |x| &x.network_acl_id,
        );
        dedupe(
            self,
            &mut d.security_groups,
            "security group",
            "GroupId",
            |x| &x.group_id,
        );
        dedupe(
            self,
            &mut d.network_interfaces,
            "network interface",
            "NetworkInterfaceId",
            |x| &x.network_interface_id,
        );
        dedupe(
            self,
            &mut d.internet_gateways,
            "internet gateway",
            "InternetGatewayId",
            |x| &x.internet_gateway_id,
        );
        dedupe(
            self,
            &mut d.egress_only_internet_gateways,
            "egress-only internet gateway",
            "EgressOnlyInternetGatewayId",
            |x| &x.egress_only_internet_gateway_id,
        );
        dedupe(
            self,
            &mut d.nat_gateways,
            "NAT gateway",
            "NatGatewayId",
            |x| &x.nat_gateway_id,
        );
        dedupe(
            self,
            &mut d.vpc_endpoints,
            "VPC endpoint",
            "VpcEndpointId",
            |x| &x.vpc_endpoint_id,
        );
        dedupe(
            self,
            &mut d.vpc_peering_connections,
            "VPC peering connection",
            "VpcPeeringConnectionId",
            |x| &x.vpc_peering_connection_id,
        );
        dedupe(
            self,
            &mut d.transit_gateways,
            "transit gateway",
            "TransitGatewayId",
            |x| &x.transit_gateway_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_attachments,
            "transit gateway attachment",
            "TransitGatewayAttachmentId",
            |x| &x.transit_gateway_attachment_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_vpc_attachments,
            "transit gateway VPC attachment",
            "TransitGatewayAttachmentId",
            |x| &x.transit_gateway_attachment_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_route_tables,
            "transit gateway route table",
            "TransitGatewayRouteTableId",
            |x| &x.transit_gateway_route_table_id,
        );
        dedupe(
            self,
            &mut d.cache_subnet_groups,
            "cache subnet group",
            "CacheSubnetGroupName",
            |x| &x.cache_subnet_group_name,
        );
        dedupe(
            self,
            &mut d.cache_clusters,
            "cache cluster",
            "CacheClusterId",
            |x| &x.cache_cluster_id,
        );
        dedupe(
            self,
            &mut d.replication_groups,
            "replication group",
            "ReplicationGroupId",
            |x| &x.replication_group_id,
        );
        dedupe(
            self,
            &mut d.serverless_caches,
            "serverless cache",
            "ServerlessCacheName",
            |x| &x.serverless_cache_name,
        );

        // Instances: dedupe across reservations.
        let mut seen_instances = HashSet::new();
        for r in &mut d.reservations {
            let (file, pointer) = (r.file, r.pointer.clone());
            let mut dropped = Vec::new();
            r.item.instances.retain(|i| {
                if i.instance_id.is_empty() {
                    dropped.push(None);
                    false
                } else if !seen_instances.insert(i.instance_id.clone()) {
                    dropped.push(Some(i.instance_id.clone()));
                    false
                } else {
                    true
                }
            });
            for id in dropped {
                match id {
                    None => self.diag(
                        Severity::Error,
                        DiagCode::MissingField,
                        file,
                        &pointer,
                        "instance without InstanceId; skipped".into(),
                    ),
                    Some(id) => self.diag(
                        Severity::Warning,
                        DiagCode::DuplicateId,
                        file,
                        &pointer,
                        format!(
                            "instance {id} appears in more than one reservation; keeping the first"
                        ),
                    ),
                }
            }
        }

        // ENIs: describe-network-interfaces, plus those only nested in describe-instances.
        let mut enis = std::mem::take(&mut d.network_interfaces);
        let known: HashSet<String> = enis
            .iter()
            .map(|e| e.item.network_interface_id.clone())
            .collect();
        let mut added = HashSet::new();
        for r in &d.reservations {
            for (ii, inst) in r.item.instances.iter().enumerate() {
                for (ni, n) in inst.network_interfaces.iter().enumerate() {
                    if n.network_interface_id.is_empty()
                        || known.contains(&n.network_interface_id)
                        || !added.insert(n.network_interface_id.clone())
                    {
                        continue;
                    }
                    enis.push(Located {
                        item: eni_from_instance(inst, n),
                        file: r.file,
                        pointer: format!("{}/Instances/{ii}/NetworkInterfaces/{ni}", r.pointer),
                    });
                }
            }
        }

        // Prefix lists: merge AWS-managed (with Cidrs) and customer-managed (without) by id.
        let mut pls: Vec<MergedPrefixList> = Vec::new();
        let mut pl_pos: HashMap<String, usize> = HashMap::new();
        for p in &d.prefix_lists {
            let it = &p.item;
            if it.prefix_list_id.is_empty() {
                self.diag(
                    Severity::Error,
                    DiagCode::MissingField,
                    p.file,
                    &p.pointer,
                    "prefix list without PrefixListId; skipped".into(),
                );
                continue;
            }
            let cidrs = it
                .cidrs
                .as_ref()
                .map(|c| c.iter().map(|x| x.0.trunc()).collect::<Vec<_>>());
            match pl_pos.get(&it.prefix_list_id) {
                Some(&i) => {
                    let m = &mut pls[i];
                    m.name = m.name.take().or(it.prefix_list_name.clone());
                    m.address_family = m.address_family.take().or(it.address_family.clone());
                    m.owner = m.owner.take().or(it.owner_id.clone());
                    if let Some(c) = cidrs {
                        m.cidrs.get_or_insert_with(Vec::new).extend(c);
                    }
                }
                None => {
                    pl_pos.insert(it.prefix_list_id.clone(), pls.len());
                    pls.push(MergedPrefixList {
                        id: it.prefix_list_id.clone(),
                        name: it.prefix_list_name.clone(),
                        cidrs,
                        address_family: it.address_family.clone(),
                        owner: it.owner_id.clone(),
                    });
                }
            }
        }
        for e in &d.managed_prefix_list_entries {
            let cidrs: Vec<IpNet> = e.item.entries.iter().map(|x| x.cidr.0.trunc()).collect();
            match pl_pos.get(&e.item.prefix_list_id) {
                Some(&i) => pls[i].cidrs.get_or_insert_with(Vec::new).extend(cidrs),
                None => {
                    pl_pos.insert(e.item.prefix_list_id.clone(), pls.len());
                    pls.push(MergedPrefixList {
                        id: e.item.prefix_list_id.clone(),
                        name: None,
                        cidrs: Some(cidrs),
                        address_family: None,
                        owner: None,
                    });
                }
            }
        }
        for p in &mut pls {
            if let Some(c) = &mut p.cidrs {
                c.sort();
                c.dedup();
            }
        }

        // TGW attachments: merge the generic and the VPC-specific outputs by id.
        let mut atts: Vec<MergedAttachment> = Vec::new();
        let mut att_pos: HashMap<String, usize> = HashMap::new();
        for a in std::mem::take(&mut d.transit_gateway_attachments) {
            att_pos.insert(a.item.transit_gateway_attachment_id.clone(), atts.len());
            atts.push(MergedAttachment {
                file: a.file,
                pointer: a.pointer,
                generic: Some(a.item),
                vpc: None,
            });
        }
        for a in std::mem::take(&mut d.transit_gateway_vpc_attachments) {
            match att_pos.get(&a.item.transit_gateway_attachment_id) {
                Some(&i) => atts[i].vpc = Some(a.item),
                None => {
                    att_pos.insert(a.item.transit_gateway_attachment_id.clone(), atts.len());
                    atts.push(MergedAttachment {
                        file: a.file,
                        pointer: a.pointer,
                        generic: None,
                        vpc: Some(a.item),
                    });
                }
            }
        }

        let mut vpc_attributes: HashMap<String, (Option<bool>, Option<bool>)> = HashMap::new();
        for a in &d.vpc_attributes {
            let e = vpc_attributes.entry(a.item.vpc_id.clone()).or_default();
            if let Some(v) = &a.item.enable_dns_support {
                e.0 = Some(v.value);
            }
            if let Some(v) = &a.item.enable_dns_hostnames {
                e.1 = Some(v.value);
            }
        }

        // Register ids in the order pass 2 will construct the objects: pass 2 appends to the
        // arenas scope by scope in this same order, so the reserved positions are the indices.
        let reg = |b: &mut Builder, kind: Kind, ids: Vec<String>| {
            let start = *b.reserved.get(&kind).unwrap_or(&0);
            for (n, id) in ids.iter().enumerate() {
                b.register(scope, kind, id, start + n);
            }
            *b.reserved.entry(kind).or_default() += ids.len();
        };
        reg(
            self,
            Kind::Vpc,
            d.vpcs.iter().map(|x| x.item.vpc_id.clone()).collect(),
        );
        reg(
            self,
            Kind::Subnet,
            d.subnets.iter().map(|x| x.item.subnet_id.clone()).collect(),
        );
        reg(
            self,
            Kind::RouteTable,
            d.route_tables
                .iter()
                .map(|x| x.item.route_table_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NetworkAcl,
            d.network_acls
                .iter()
                .map(|x| x.item.network_acl_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::SecurityGroup,
            d.security_groups
                .iter()
                .map(|x| x.item.group_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NetworkInterface,
            enis.iter()
                .map(|x| x.item.network_interface_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::Instance,
            d.reservations
                .iter()
                .flat_map(|r| r.item.instances.iter().map(|i| i.instance_id.clone()))
                .collect(),
        );
        reg(
            self,
            Kind::InternetGateway,
            d.internet_gateways
                .iter()
                .map(|x| x.item.internet_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::EgressOnlyInternetGateway,
            d.egress_only_internet_gateways
                .iter()
                .map(|x| x.item.egress_only_internet_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NatGateway,
            d.nat_gateways
                .iter()
                .map(|x| x.item.nat_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::VpcEndpoint,
            d.vpc_endpoints
                .iter()
                .map(|x| x.item.vpc_endpoint_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::PrefixList,
            pls.iter().map(|p| p.id.clone()).collect(),
        );
        reg(
            self,
            Kind::VpcPeeringConnection,
            d.vpc_peering_connections
                .iter()
                .map(|x| x.item.vpc_peering_connection_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::TransitGateway,
            d.transit_gateways
                .iter()
                .map(|x| x.item.transit_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::TransitGatewayAttachment,
            atts.iter().map(|a| a.id().to_string()).collect(),
        );
        reg(
            self,
            Kind::TransitGatewayRouteTable,
            d.transit_gateway_route_tables
                .iter()
                .map(|x| x.item.transit_gateway_route_table_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::CacheSubnetGroup,
            d.cache_subnet_groups
                .iter()
                .map(|x| x.item.cache_subnet_group_name.clone())
                .collect(),
        );
        reg(
            self,
            Kind::CacheCluster,
            d.cache_clusters
                .iter()
                .map(|x| x.item.cache_cluster_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::ReplicationGroup,
            d.replication_groups
                .iter()
                .map(|x| x.item.replication_group_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::ServerlessCache,
            d.serverless_caches
                .iter()
                .map(|x| x.item.serverless_cache_name.clone())
                .collect(),
        );

        Prepared {
            data: d,
            enis,
            prefix_lists: pls,
            attachments: atts,
            vpc_attributes,
        }
    }
}
