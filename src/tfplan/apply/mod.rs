//! Applying a plan's `resource_changes` to a loaded snapshot, in memory and in the snapshot's
//! AWS-CLI shapes: a delete removes the object (or the rule) `before` describes, a create adds
//! the one `after` describes, an update or a replace does both; `no-op` and `read` change
//! nothing. Existing objects are found by their id (`before.id`). Containers (VPCs, groups,
//! tables, gateways) are applied before what goes in them (rules, routes, associations), so a
//! rule may name a group created by the same plan. A planned resource of a type vpcreach does
//! not model, or whose needed values are known only after apply and resolve to nothing, is
//! listed in [`Applied::not_evaluated`] with the reason: never silently dropped.

mod cache;
mod cache_create;
mod compute;
mod endpoint;
mod interface;
mod network;
mod routing;
mod security;
mod transit;

use super::attrs::{Attrs, Ctx, Fault};
use super::format::{Action, Plan, PlanError, ResourceChange};
use super::refs::{config_module, Resolver};
use crate::snapshot::keys::Located;
use crate::snapshot::{FileReport, RawData, Snapshot};
use serde::Serialize;
use serde_json::Value;

/// What applying a plan did.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Applied {
    /// The plan file.
    pub plan: String,
    /// Its `format_version`.
    pub format_version: String,
    /// Resource changes applied (`create aws_security_group_rule.cache_world`).
    pub applied: Vec<String>,
    /// Planned changes not evaluated, with the reason.
    pub not_evaluated: Vec<NotEvaluated>,
    /// `no-op` and `read` entries (nothing to apply).
    pub unchanged: usize,
    /// What the planned state takes for granted.
    pub assumptions: Vec<String>,
    /// TGW route tables the plan changes: their routes are computed on both sides (the
    /// `before` side too, with [`recompute_tgw_tables`], so that both are compared alike).
    pub recomputed_tgw_tables: Vec<String>,
}

/// Make the `before` side comparable with a planned state: the TGW route tables the plan
/// changed have their routes computed there too.
pub fn recompute_tgw_tables(snap: &mut Snapshot, applied: &Applied) {
    transit::recompute(&mut snap.scopes, &applied.recomputed_tgw_tables);
}

/// A planned change vpcreach did not evaluate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NotEvaluated {
    /// Always PLAN_CHANGE_NOT_EVALUATED.
    pub code: crate::catalogue::Code,
    pub address: String,
    pub action: String,
    pub reason: String,
}

/// When a resource type is applied: containers first (0); then elastic IPs (1), which may name
/// a planned interface, and NAT gateways (2), which may name a planned elastic IP; then what
/// only goes into a container (3).
fn rank(rtype: &str) -> u8 {
    match rtype {
        "aws_eip" => 1,
        "aws_nat_gateway" => 2,
        t if is_child(t) => 3,
        _ => 0,
    }
}

/// Resource types that only go into a container: applied after every container.
fn is_child(rtype: &str) -> bool {
    matches!(
        rtype,
        "aws_route"
            | "aws_route_table_association"
            | "aws_main_route_table_association"
            | "aws_network_acl_rule"
            | "aws_network_acl_association"
            | "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule"
            | "aws_vpc_ipv4_cidr_block_association"
            | "aws_network_interface_sg_attachment"
            | "aws_eip_association"
            | "aws_ec2_transit_gateway_route"
            | "aws_ec2_transit_gateway_route_table_association"
            | "aws_ec2_transit_gateway_route_table_propagation"
    )
}

/// Where a planned object goes: its file index in the snapshot and JSON pointer in the plan.
#[derive(Clone)]
pub struct Here {
    pub file: u32,
    pub pointer: String,
}

impl Here {
    pub fn locate<T>(&self, item: T) -> Located<T> {
        Located {
            item,
            file: self.file,
            pointer: self.pointer.clone(),
        }
    }
}

/// The state every applier works on.
pub struct World<'s> {
    pub scopes: &'s mut Vec<crate::snapshot::RawScope>,
    pub assumptions: Vec<String>,
    /// TGW route tables whose observed routes no longer describe the planned state.
    pub stale_tgw_tables: Vec<String>,
    /// The plan's index among the snapshot's files.
    pub file: u32,
}

impl World<'_> {
    /// The data of the scope that holds `vpc_id` (or a subnet, group, … of that id found by
    /// `probe`), else the first scope.
    pub fn scope_of(&mut self, probe: impl Fn(&RawData) -> bool) -> &mut RawData {
        let i = self.scopes.iter().position(|s| probe(&s.data)).unwrap_or(0);
        &mut self.scopes[i].data
    }

    /// Every scope's data.
    pub fn all(&mut self) -> impl Iterator<Item = &mut RawData> {
        self.scopes.iter_mut().map(|s| &mut s.data)
    }

    pub fn assume(&mut self, text: String) {
        if !self.assumptions.contains(&text) {
            self.assumptions.push(text);
        }
    }
}

/// The outcome of one change.
pub enum Outcome {
    Applied,
    NotEvaluated(String),
}

/// Apply `plan` to `snap`. An error names the plan file and the JSON pointer.
pub fn apply(snap: &mut Snapshot, plan: &Plan) -> Result<Applied, PlanError> {
    let file = snap.files.len() as u32;
    let mut report = FileReport {
        path: plan.file.clone(),
        account: String::new(),
        region: String::new(),
        loaded: Default::default(),
        ignored: Vec::new(),
        unknown: Vec::new(),
        errors: 0,
        warnings: 0,
    };
    if snap.scopes.is_empty() {
        return Err(PlanError {
            file: plan.file.clone(),
            pointer: String::new(),
            message: "the snapshot holds no account or region to apply the plan to".into(),
        });
    }
    let res = Resolver::new(plan);
    let mut out = Applied {
        plan: plan.file.clone(),
        format_version: plan.format_version.clone(),
        ..Default::default()
    };
    let mut world = World {
        scopes: &mut snap.scopes,
        assumptions: Vec::new(),
        stale_tgw_tables: Vec::new(),
        file,
    };
    let mut order: Vec<&ResourceChange> = plan.resource_changes.iter().collect();
    order.sort_by_key(|rc| rank(&rc.rtype));
    for rc in order {
        if matches!(rc.action, Action::NoOp | Action::Read) || rc.mode == "data" {
            out.unchanged += 1;
            continue;
        }
        let ctx = Ctx {
            file: &plan.file,
            rc,
            res: &res,
        };
        let exprs = plan.expressions(
            &config_module(&rc.module_address),
            &format!("{}.{}", rc.rtype, rc.name),
        );
        let before = rc.before.as_ref().map(|b| {
            Attrs::new(
                b,
                &Value::Null,
                None,
                format!("{}/change/before", rc.pointer),
                ctx,
            )
        });
        let after = rc.after.as_ref().map(|a| {
            Attrs::new(
                a,
                &rc.after_unknown,
                exprs,
                format!("{}/change/after", rc.pointer),
                ctx,
            )
        });
        let here = Here {
            file,
            pointer: format!("{}/change/after", rc.pointer),
        };
        let change = Change {
            rc,
            before: before.as_ref(),
            after: after.as_ref(),
            new_id: res.id_of(rc),
            here,
        };
        let result = dispatch(&mut world, &change);
        match result {
            Ok(Outcome::Applied) => {
                *report.loaded.entry(rc.rtype.clone()).or_insert(0) += 1;
                out.applied
                    .push(format!("{} {}", rc.action.text(), rc.address));
            }
            Ok(Outcome::NotEvaluated(reason)) | Err(Fault::Unknown(reason)) => {
                out.not_evaluated.push(NotEvaluated {
                    code: crate::catalogue::Code::PLAN_CHANGE_NOT_EVALUATED,
                    address: rc.address.clone(),
                    action: rc.action.text().to_string(),
                    reason,
                })
            }
            Err(Fault::Bad(e)) => return Err(e),
        }
    }
    out.recomputed_tgw_tables = transit::drop_stale_observed_routes(&mut world);
    out.assumptions = world.assumptions;
    let named = |id: &String| {
        ![
            "sgr-",
            "tf-",
            "rtbassoc-",
            "aclassoc-",
            "eipassoc-",
            "vpc-cidr-assoc-",
        ]
        .iter()
        .any(|p| id.starts_with(p))
    };
    if res.placeholders.keys().any(named) {
        out.assumptions.push(
            "a resource the plan creates has no id before apply: it is named `<prefix>-tf:<address>` (e.g. `sg-tf:aws_security_group.redis`), and references to it in the plan's configuration are resolved to that name".into(),
        );
    }
    snap.files.push(report);
    Ok(out)
}

/// One change as the appliers see it.
pub struct Change<'a> {
    pub rc: &'a ResourceChange,
    pub before: Option<&'a Attrs<'a>>,
    pub after: Option<&'a Attrs<'a>>,
    /// The id after apply (placeholder for a new resource).
    pub new_id: Option<String>,
    pub here: Here,
}

impl Change<'_> {
    /// Whether the old object goes (delete, update, replace).
    pub fn removes(&self) -> bool {
        matches!(
            self.rc.action,
            Action::Delete | Action::Update | Action::Replace
        )
    }
    /// The planned object, for create, update and replace.
    pub fn added(&self) -> Option<&Attrs<'_>> {
        match self.rc.action {
            Action::Create | Action::Update | Action::Replace => self.after,
            _ => None,
        }
    }
    /// The id of the existing object (`before.id`).
    pub fn old_id(&self) -> Result<Option<String>, Fault> {
        match self.before {
            Some(b) => b.str("id"),
            None => Ok(None),
        }
    }
    /// The id of the planned object: `after.id` when known, else the placeholder.
    pub fn id(&self) -> Result<String, Fault> {
        if let Some(a) = self.after {
            if let Some(Value::String(s)) = a.obj.get("id") {
                if !s.is_empty() {
                    return Ok(s.clone());
                }
            }
        }
        self.new_id
            .clone()
            .ok_or_else(|| Fault::Unknown("no id".into()))
    }
}

fn dispatch(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    match c.rc.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => security::group(w, c),
        "aws_security_group_rule" => security::legacy_rule(w, c),
        "aws_vpc_security_group_ingress_rule" => security::rule(w, c, false),
        "aws_vpc_security_group_egress_rule" => security::rule(w, c, true),
        "aws_network_acl" | "aws_default_network_acl" => security::nacl(w, c),
        "aws_network_acl_rule" => security::nacl_rule(w, c),
        "aws_network_acl_association" => security::nacl_association(w, c),
        "aws_route_table" | "aws_default_route_table" => routing::table(w, c),
        "aws_route" => routing::route(w, c),
        "aws_route_table_association" => routing::association(w, c),
        "aws_main_route_table_association" => routing::main_association(w, c),
        "aws_vpc" => network::vpc(w, c),
        "aws_vpc_ipv4_cidr_block_association" => network::cidr_association(w, c),
        "aws_subnet" => network::subnet(w, c),
        "aws_internet_gateway" => network::internet_gateway(w, c),
        "aws_egress_only_internet_gateway" => network::egress_only_gateway(w, c),
        "aws_nat_gateway" => network::nat_gateway(w, c),
        "aws_vpc_peering_connection" => network::peering(w, c),
        "aws_ec2_transit_gateway" => transit::gateway(w, c),
        "aws_ec2_transit_gateway_vpc_attachment" => transit::vpc_attachment(w, c),
        "aws_ec2_transit_gateway_route_table" => transit::route_table(w, c),
        "aws_ec2_transit_gateway_route" => transit::route(w, c),
        "aws_ec2_transit_gateway_route_table_association" => transit::binding(w, c, false),
        "aws_ec2_transit_gateway_route_table_propagation" => transit::binding(w, c, true),
        "aws_instance" => compute::instance(w, c),
        "aws_network_interface_sg_attachment" => compute::sg_attachment(w, c),
        "aws_network_interface" => interface::network_interface(w, c),
        "aws_eip" => interface::eip(w, c),
        "aws_vpc_endpoint" => endpoint::vpc_endpoint(w, c),
        "aws_eip_association" => interface::eip_association(w, c),
        "aws_elasticache_replication_group"
        | "aws_elasticache_cluster"
        | "aws_elasticache_serverless_cache" => cache::cache(w, c),
        "aws_elasticache_subnet_group" => cache::subnet_group(w, c),
        other => Ok(Outcome::NotEvaluated(format!(
            "resource type {other} is not evaluated by vpcreach (it does not decide reachability, or is not modelled from plans yet)"
        ))),
    }
}
