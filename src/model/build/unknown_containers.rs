//! NACLs and route tables that pass 1 would drop (no id) or keep one of (two differing copies
//! under one id): without this, the subnets they hold would fall back to the VPC's default NACL
//! or main table, or take whichever copy comes first in the JSON. Both are recorded as unknown
//! containers instead, so the traffic of those subnets is unknown (SNAPSHOT_INCOMPLETE).

use crate::snapshot::salvage::Unreadable;
use crate::snapshot::{aws, Located};

/// What a container tells about the subnets that depend on it.
struct Shape<'a> {
    id: &'a str,
    vpc_id: &'a str,
    subnets: Vec<String>,
    /// The default NACL or the main table.
    fallback: bool,
}

fn nacl_shape(a: &aws::NetworkAcl) -> Shape<'_> {
    Shape {
        id: &a.network_acl_id,
        vpc_id: &a.vpc_id,
        subnets: a.associations.iter().map(|x| x.subnet_id.clone()).collect(),
        fallback: a.is_default,
    }
}

fn route_table_shape(t: &aws::RouteTable) -> Shape<'_> {
    Shape {
        id: &t.route_table_id,
        vpc_id: &t.vpc_id,
        subnets: t
            .associations
            .iter()
            .filter(|x| {
                x.association_state
                    .as_ref()
                    .is_none_or(|s| s.state.eq_ignore_ascii_case("associated"))
            })
            .filter_map(|x| x.subnet_id.clone())
            .collect(),
        fallback: t.associations.iter().any(|x| x.main),
    }
}

fn unknowns<T: PartialEq>(
    list: &[Located<T>],
    shape: fn(&T) -> Shape<'_>,
    id_field: &str,
    file_name: &dyn Fn(u32) -> String,
) -> Vec<Located<Unreadable>> {
    let mut out = Vec::new();
    let shapes: Vec<Shape> = list.iter().map(|l| shape(&l.item)).collect();
    for (i, (l, s)) in list.iter().zip(&shapes).enumerate() {
        let at = format!("{}#{}", file_name(l.file), l.pointer);
        let why = if s.id.is_empty() {
            format!("without {id_field}, skipped: {at}")
        } else {
            // Two copies under one id that differ: which one AWS holds is unknown.
            let Some(j) = (0..list.len()).find(|&j| j != i && shapes[j].id == s.id) else {
                continue;
            };
            let other = &list[j];
            if other.item == l.item {
                continue;
            }
            let other_at = format!("{}#{}", file_name(other.file), other.pointer);
            let (x, y) = if at <= other_at {
                (&at, &other_at)
            } else {
                (&other_at, &at)
            };
            format!("two differing copies, {x} and {y}: which one holds is unknown")
        };
        out.push(Located {
            item: Unreadable {
                id: (!s.id.is_empty()).then(|| s.id.to_string()),
                vpc_id: (!s.vpc_id.is_empty()).then(|| s.vpc_id.to_string()),
                subnet_ids: Some(s.subnets.clone()),
                fallback: s.fallback,
                why: Some(why),
            },
            file: l.file,
            pointer: l.pointer.clone(),
        });
    }
    out
}

/// The NACLs without an id or with differing copies, as unknown containers.
pub(super) fn unknown_network_acls(
    list: &[Located<aws::NetworkAcl>],
    file_name: &dyn Fn(u32) -> String,
) -> Vec<Located<Unreadable>> {
    unknowns(list, nacl_shape, "NetworkAclId", file_name)
}

/// The route tables without an id or with differing copies, as unknown containers.
pub(super) fn unknown_route_tables(
    list: &[Located<aws::RouteTable>],
    file_name: &dyn Fn(u32) -> String,
) -> Vec<Located<Unreadable>> {
    unknowns(list, route_table_shape, "RouteTableId", file_name)
}
