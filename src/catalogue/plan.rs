//! Plan codes: what `diff --plan` / `check --plan` say about a Terraform / OpenTofu plan they
//! applied to a snapshot.

/// Appends the plan family to the chain (see the module doc of `catalogue`).
macro_rules! plan_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Plan]

PLAN_CHANGE_NOT_EVALUATED => {
    severity: Warning,
    summary: "A planned resource change was not applied to the snapshot (vpcreach)",
    what: "`--plan` applies a plan's `resource_changes` to the snapshot in memory. This change \
was not: its resource type does not decide reachability or is not modelled from plans \
(`aws_lb`, `aws_eip`, `aws_vpc_endpoint`, a new cache cluster, ...), or a value it needs is \
known only after apply and its configuration names no resource of the plan (a module output, \
a data source). The reason is given with the resource address.",
    why: "The planned state vpcreach evaluated lacks this change: if it opens or closes a way, \
the diff or the check does not show it. Nothing planned is silently dropped; each one is \
listed.",
    fix: "Review the listed changes by hand, or make the values known at plan time (pass the id \
as a variable, or reference the resource directly rather than through a module output).",
    example: "vpcreach check --snapshot fixtures/demo --plan fixtures/plan/peering-routes/plan.json --config fixtures/diff/vpcreach.toml",
},

    } };
}
