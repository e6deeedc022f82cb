//! Completeness codes of vpcreach's own: a verdict that depends on data the snapshot lacks.
//! Reachability Analyzer reads live AWS and has no equivalent.

/// Appends the snapshot family to the chain (see the module doc of `catalogue`).
macro_rules! snapshot_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Snapshot]

SNAPSHOT_INCOMPLETE => {
    severity: Warning,
    summary: "Snapshot lacks data for this verdict (vpcreach)",
    what: "The verdict depends on data the snapshot does not have: a call of `vpcreach \
collect` failed (its manifest records it), a listing was cut short \
(`AdditionalRoutesAvailable`), or a component on the path (a subnet, VPC, transit gateway \
table) is referenced but missing. As a blocker, the flow stops where the data ends; as a \
warning, any verdict may be wrong where the missing data matters. Every answer also lists the \
snapshot files that failed to load or loaded partly (`incomplete`, one warning each, first in \
the table), and a component whose data did not load (a security group of an ENI, a NACL, a \
route's target) is unknown, never read as empty. A subnet whose NACL or route table cannot be \
told apart (unreadable, two differing copies, two main tables or default NACLs, a skipped \
association) has that NACL / table unknown, never the VPC's default. A NACL, route table or \
security group on the path that holds a value AWS never prints (read as its `impossible-value` \
warning states) or two entries with one rule number is named too. `reach --expect` and \
`overlaps --fail-on` fail on such an answer unless `--allow-incomplete`.",
    why: "A verdict built on missing data can be wrong both ways; vpcreach says so instead of \
guessing.",
    fix: "Re-collect with permissions for the failed calls (the warning names the operation, \
account and region), or add the missing files to the snapshot.",
    example: "vpcreach reach --snapshot fixtures/loader/manifest --from internet --to 10.13.0.5 --port 443",
},

SNAPSHOT_KIND_NOT_EXPORTED => {
    severity: Note,
    summary: "A region's export lacks a whole kind of resource (vpcreach)",
    what: "An account/region folder holds subnets but no output at all (not even an empty \
list) of a kind a reach answer reads: security groups, network interfaces, instances, internet \
or NAT gateways, VPC endpoints or peering connections — typically a `describe-*` call that was \
not exported. vpcreach reads the kind as none there and says so in every answer \
(`assumptions`). A subnet whose NACL or route table is missing is not covered by this note: it \
is unknown (`SNAPSHOT_INCOMPLETE`), as every subnet has both. `inventory` lists every kind a \
folder lacks (its count 0 is unknown there); `overlaps` lists the folders without peering \
connections, transit gateways, TGW attachments or TGW route tables, whose VPCs' overlap impact is \
then unknown (`SNAPSHOT_INCOMPLETE`: `--fail-on` fails unless `--allow-incomplete`).",
    why: "An empty list and a missing file mean different things: a VPC with no internet \
gateway is a fact; a folder without `describe-internet-gateways.json` says nothing. A verdict \
that rests on \"none\" holds only if there really are none.",
    fix: "Export the missing outputs (`vpcreach collect` writes every one, empty lists \
included), or add the file with an empty list if there really are none.",
    example: "vpcreach reach --snapshot fixtures/loader/tgw-defaults --from 10.1.1.10 --to 10.2.1.10 --port 22",
},

UNRESOLVED_PREFIX_LIST => {
    severity: Warning,
    summary: "Prefix list entries unknown (vpcreach)",
    what: "A route or security group rule uses a managed prefix list whose entries are not in \
the snapshot (the list was not collected, or its entries were not: \
`get-managed-prefix-list-entries`). vpcreach treats the list as empty: the route or rule \
matches nothing. The loader reports the missing list as a `dangling-reference` naming this \
code.",
    why: "If the list holds the source or destination, the real answer differs: a denial may \
be wrong.",
    fix: "Collect the prefix list and its entries into the snapshot (`vpcreach collect` does).",
    example: "vpcreach reach --snapshot fixtures/rules/s-unresolved-prefix-list --from i-32000000000000001 --to i-32000000000000002 --port 443",
},

    } };
}
