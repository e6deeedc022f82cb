//! Prefix lists: AWS-managed (`describe-prefix-lists`, with CIDRs) and customer-managed
//! (`describe-managed-prefix-lists` plus `get-managed-prefix-list-entries`) merged by id.

use super::builder::Builder;
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::RawData;
use ipnet::IpNet;
use std::collections::HashMap;

/// One prefix list after merging every output that describes it.
pub(super) struct MergedPrefixList {
    pub(super) id: String,
    pub(super) name: Option<String>,
    pub(super) cidrs: Option<Vec<IpNet>>,
    pub(super) address_family: Option<String>,
    pub(super) owner: Option<String>,
}

impl Builder {
    /// Merge the prefix-list outputs of one scope by id.
    pub(super) fn merge_prefix_lists(&mut self, d: &RawData) -> Vec<MergedPrefixList> {
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
        pls
    }

    /// The prefix lists of one scope.
    pub(super) fn construct_prefix_lists(
        &mut self,
        scope: ScopeIdx,
        prefix_lists: Vec<MergedPrefixList>,
    ) {
        for p in prefix_lists {
            self.t.prefix_lists.push(PrefixList {
                id: p.id,
                scope,
                name: p.name,
                cidrs: p.cidrs,
                address_family: p.address_family,
                owner: p.owner,
            });
        }
    }
}
