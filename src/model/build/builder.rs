//! The state of one model build, shared by every per-concept file: the topology under
//! construction, id resolution (`find`, `find_in`, `find_checked`), the report of unresolved
//! references, and the id registry pass 1 fills.

use crate::diag::{DiagCode, Diagnostic, Diagnostics, Severity};
use crate::model::*;
use crate::snapshot::aws;
use std::collections::HashMap;
use std::sync::Arc;

/// The topology under construction and what resolving references needs.
pub(super) struct Builder {
    pub(super) t: Topology,
    files: Arc<[String]>,
    /// Arena positions handed out per kind in pass 1.
    reserved: HashMap<Kind, usize>,
    /// NACLs and route tables that failed to load, applied to subnets once all are linked.
    pub(super) unreadable: Vec<UnreadableDep>,
    /// Elements that failed to load, by id (for [`Topology::completeness`]).
    pub(super) rejected: Vec<RejectedElement>,
    /// While scopes are constructed in parallel: the diagnostics made before, which
    /// [`Builder::lost_under`] and [`Builder::doubts_under`] read with the builder's own.
    pub(super) base_diagnostics: Option<Arc<Diagnostics>>,
    /// Each subnet's VPC id by arena position, once every subnet is constructed (a scope
    /// constructed on its own has no subnet arena).
    pub(super) subnet_vpc_ids: Arc<Vec<String>>,
}

/// A NACL or route table that failed to load, as the subnets see it.
pub(super) struct UnreadableDep {
    pub(super) scope: ScopeIdx,
    /// A NACL (else a route table).
    pub(super) network_acl: bool,
    /// How answers name it: its id and the file position of its load error.
    pub(super) label: String,
    pub(super) vpc_id: Option<String>,
    pub(super) subnet_ids: Vec<String>,
    /// It may be what subnets without an explicit association fall back to.
    pub(super) fallback: bool,
}

/// The top-level key that lists a kind of resource named in messages (`"security group"` →
/// `SecurityGroups`), for [`Completeness::why_absent`].
pub(super) fn kind_key(what: &str) -> Option<&'static str> {
    Some(match what {
        "VPC" => "Vpcs",
        "subnet" => "Subnets",
        "security group" => "SecurityGroups",
        "network interface" => "NetworkInterfaces",
        "instance" => "Reservations",
        "internet gateway" => "InternetGateways",
        "egress-only internet gateway" => "EgressOnlyInternetGateways",
        "NAT gateway" => "NatGateways",
        "VPC endpoint" => "VpcEndpoints",
        "VPC peering connection" => "VpcPeeringConnections",
        "route table" => "RouteTables",
        "network ACL" | "NACL" => "NetworkAcls",
        "transit gateway" => "TransitGateways",
        _ => return None,
    })
}

pub(super) fn name_of(tags: &[aws::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key == "Name")
        .map(|t| t.value.clone())
}

pub(super) fn is_live(state: &str) -> bool {
    state.eq_ignore_ascii_case("available")
}

impl Builder {
    /// An empty topology that starts with `diagnostics`; `files` names the snapshot files for
    /// diagnostic locations.
    pub(super) fn new(diagnostics: Diagnostics, files: Arc<[String]>) -> Builder {
        Builder {
            t: Topology {
                diagnostics,
                ..Topology::default()
            },
            files,
            reserved: HashMap::new(),
            unreadable: Vec::new(),
            rejected: Vec::new(),
            base_diagnostics: None,
            subnet_vpc_ids: Arc::default(),
        }
    }

    /// A builder for one scope's pass 2 on another core: it reads what this one holds (ids,
    /// scopes, completeness, rejected elements, the diagnostics so far) and writes its own
    /// arenas and diagnostics, which [`super::scopes`] appends in scope order.
    pub(super) fn shard(&self) -> Builder {
        Builder {
            t: Topology {
                scopes: self.t.scopes.clone(),
                completeness: self.t.completeness.clone(),
                ids: Arc::clone(&self.t.ids),
                ..Topology::default()
            },
            files: Arc::clone(&self.files),
            reserved: HashMap::new(),
            unreadable: Vec::new(),
            rejected: self.rejected.clone(),
            base_diagnostics: self.base_diagnostics.clone(),
            subnet_vpc_ids: Arc::clone(&self.subnet_vpc_ids),
        }
    }

    /// The diagnostics so far: those made before a parallel pass, then this builder's own.
    fn diagnostics_so_far(&self) -> impl Iterator<Item = &Diagnostic> {
        let base = self.base_diagnostics.as_deref().map(|d| d.0.as_slice());
        base.unwrap_or_default()
            .iter()
            .chain(self.t.diagnostics.iter())
    }

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

    /// A CIDR block as AWS holds it (its network), with an impossible-value warning when the
    /// snapshot gives it with host bits set (`203.0.113.10/24` is read as `203.0.113.0/24`).
    pub(super) fn network(&mut self, net: ipnet::IpNet, file: u32, ptr: &str) -> ipnet::IpNet {
        let trunc = net.trunc();
        if trunc != net {
            self.diag(
                Severity::Warning,
                DiagCode::ImpossibleValue,
                file,
                ptr,
                format!("CIDR block {net} has host bits set: read as {trunc}"),
            );
        }
        trunc
    }

    /// The load errors so far in `file` below JSON pointer `prefix` (`file#pointer: message`):
    /// what a container lost when some of its nested elements were skipped.
    pub(super) fn lost_under(&self, file: u32, prefix: &str) -> Vec<String> {
        let name = self.file_name(file);
        self.diagnostics_so_far()
            .filter(|d| d.severity == Severity::Error && d.file.as_deref() == Some(name))
            .filter(|d| d.pointer.as_deref().is_some_and(|p| p.starts_with(prefix)))
            .map(|d| {
                format!(
                    "{name}#{}: {}",
                    d.pointer.as_deref().unwrap_or(""),
                    d.message
                )
            })
            .collect()
    }

    /// The warnings so far in `file` below JSON pointer `prefix` that say a value was read with
    /// an interpretation (impossible values, conflicting entries): `file#pointer: message`.
    pub(super) fn doubts_under(&self, file: u32, prefix: &str) -> Vec<String> {
        let name = self.file_name(file);
        self.diagnostics_so_far()
            .filter(|d| d.severity == Severity::Warning && d.file.as_deref() == Some(name))
            .filter(|d| matches!(d.code, DiagCode::ImpossibleValue | DiagCode::Inconsistent))
            .filter(|d| d.pointer.as_deref().is_some_and(|p| p.starts_with(prefix)))
            .map(|d| {
                format!(
                    "{name}#{}: {}",
                    d.pointer.as_deref().unwrap_or(""),
                    d.message
                )
            })
            .collect()
    }

    /// `failed to load (file#pointer: message)` when an element holding `id` was rejected.
    pub(super) fn rejected_note(&self, id: &str) -> Option<String> {
        self.rejected
            .iter()
            .find(|r| r.id == id)
            .map(RejectedElement::describe)
    }

    /// Remember the ids of the elements that failed to load, with where and why.
    pub(super) fn record_rejected(&mut self, d: &crate::snapshot::RawData) {
        for r in &d.rejected {
            for id in &r.item.ids {
                self.rejected.push(crate::model::RejectedElement {
                    id: id.clone(),
                    key: r.item.key.clone(),
                    file: self.file_name(r.file).to_string(),
                    pointer: r.item.fault.clone(),
                    message: r.item.message.clone(),
                });
            }
        }
    }

    /// Record the NACLs and route tables of `scope` that failed to load.
    pub(super) fn record_unreadable(&mut self, scope: ScopeIdx, d: &crate::snapshot::RawData) {
        for (network_acl, list) in [
            (true, &d.unreadable_network_acls),
            (false, &d.unreadable_route_tables),
        ] {
            for u in list {
                let what = if network_acl { "NACL" } else { "route table" };
                let at = format!("{}#{}", self.file_name(u.file), u.pointer);
                let label = match (&u.item.id, &u.item.why) {
                    (Some(id), Some(why)) => format!("{what} {id} ({why})"),
                    (None, Some(why)) => format!("a {what} ({why})"),
                    (Some(id), None) => format!("{what} {id} (failed to load: {at})"),
                    (None, None) => format!("a {what} that failed to load ({at})"),
                };
                self.unreadable.push(UnreadableDep {
                    scope,
                    network_acl,
                    label,
                    vpc_id: u.item.vpc_id.clone(),
                    subnet_ids: u.item.subnet_ids.clone().unwrap_or_default(),
                    fallback: u.item.fallback,
                });
            }
        }
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

    /// P5: the only object of `kind` with `id` in the whole snapshot (VPC ids are globally
    /// unique), or, when the snapshot holds it in several scopes, the scopes (`account/region`)
    /// that hold it: then which one is meant is not guessed.
    pub(super) fn find_unique<I: From<u32>>(
        &self,
        kind: Kind,
        id: &str,
    ) -> Result<Option<Ref<I>>, Vec<String>> {
        match self.t.ids.all(kind, id) {
            [] => Ok(None),
            [(_, only)] => Ok(Some(Ref {
                id: id.to_string(),
                idx: Some(I::from(*only)),
            })),
            many => {
                let mut scopes: Vec<String> = many
                    .iter()
                    .map(|(s, _)| {
                        let sc = &self.t.scopes[s.i()];
                        format!("{}/{}", sc.account, sc.region)
                    })
                    .collect();
                scopes.sort();
                Err(scopes)
            }
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
        let lost = kind_key(what).and_then(|k| self.t.completeness.why_absent(k, &r.id));
        if let Some(why) = self.rejected_note(&r.id) {
            self.diag(
                Severity::Warning,
                DiagCode::DanglingReference,
                file,
                ptr,
                format!("{what} {} {why}; what it leads to is unknown", r.id),
            );
        } else if let Some(why) = lost {
            self.diag(
                Severity::Warning,
                DiagCode::DanglingReference,
                file,
                ptr,
                format!("{what} {why}; what it leads to is unknown"),
            );
        } else if self.t.has_account(&account) {
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
        Arc::make_mut(&mut self.t.ids).insert(scope, kind, id, idx as u32);
    }

    /// Register `ids` of `kind` in `scope` at the next arena positions of that kind.
    pub(super) fn reserve(&mut self, scope: ScopeIdx, kind: Kind, ids: &[String]) {
        let start = *self.reserved.get(&kind).unwrap_or(&0);
        for (n, id) in ids.iter().enumerate() {
            self.register(scope, kind, id, start + n);
        }
        *self.reserved.entry(kind).or_default() += ids.len();
    }
}
