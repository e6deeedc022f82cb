//! Transit gateway codes: attachment placement, route table association, TGW routes and the
//! propagation of overlapping CIDRs.

/// Appends the transit gateway family to the chain (see the module doc of `catalogue`).
macro_rules! transit_gateway_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [TransitGateway]

TGW_ROUTE_AZ_RESTRICTION => {
    severity: Error,
    summary: "No attachment subnet in sender's AZ",
    what: "Traffic enters a transit gateway from a VPC in an Availability Zone where the VPC \
attachment has no subnet. A transit gateway attachment carries traffic only from the zones of \
the subnets it was created with.",
    why: "Workloads in some zones reach the transit gateway and others do not, which looks \
like an intermittent failure after an instance moves zone.",
    fix: "Add a subnet in that Availability Zone to the attachment \
(`aws ec2 modify-transit-gateway-vpc-attachment --add-subnet-ids`); the usual practice is one \
small attachment subnet per zone.",
    example: "vpcreach reach --snapshot fixtures/rules/t2-tgw-az-and-nacls --from i-26000000000000002 --to i-26000000000000003 --port 443",
},

TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION => {
    severity: Error,
    summary: "Attachment has no TGW table",
    what: "Traffic enters a transit gateway through an attachment that is associated with no \
transit gateway route table, so the transit gateway has no table to look the destination up \
in. An attachment can propagate routes into tables without being associated with one.",
    why: "The attachment's VPC can be reached (its routes propagate) but cannot send: replies \
from it are dropped too, so the failure shows on the return leg of questions toward it.",
    fix: "Associate the attachment with a transit gateway route table \
(`aws ec2 associate-transit-gateway-route-table`), or enable default route table association \
on the transit gateway before attaching.",
    example: "vpcreach reach --snapshot fixtures/rules/t-tgw-routing --from i-25000000000000001 --to i-25000000000000003 --port 22",
},

TGW_RTB_BAD_STATE_ROUTE => {
    severity: Error,
    summary: "TGW route blackholed",
    what: "The transit gateway route selected for the destination is a blackhole: a static \
blackhole route, or a route whose attachment was deleted. A static route wins over a \
propagated route of the same prefix, so a blackhole also hides a working propagated route.",
    why: "Traffic is dropped at the transit gateway; blackhole routes are often added on \
purpose (to isolate a VPC) and forgotten.",
    fix: "Delete the blackhole route or replace it with a route to a working attachment \
(`aws ec2 replace-transit-gateway-route`).",
    example: "vpcreach reach --snapshot fixtures/rules/t-tgw-routing --from i-25000000000000001 --to i-25000000000000004 --port 22",
},

TGW_PROPAGATION_SUPPRESSED_OVERLAP => {
    severity: Warning,
    summary: "TGW did not propagate an overlapping CIDR (vpcreach)",
    what: "A VPC attachment propagates a CIDR block that equals or overlaps one already \
propagated into the same transit gateway route table by an earlier attachment; the transit \
gateway keeps the first (by attachment creation time) and does not install the later one. \
vpcreach's own code, from the route table computation; `vpcreach overlaps` reports the same \
finding per VPC pair.",
    why: "The later VPC is silently unreachable through the transit gateway for the \
overlapping range, and nothing in the console says why: the propagation is enabled.",
    fix: "Renumber one of the VPCs (`vpcreach overlaps --plan` proposes free blocks), add a \
static route if only one side needs to be reachable, or put a private NAT gateway in a \
non-overlapping secondary CIDR in front of the later VPC.",
    example: "vpcreach reach --snapshot fixtures/rules/t4-tgw-overlap --from i-27000000000000001 --to i-27000000000000002 --port 22",
},

TGW_DEFAULT_ROUTE_TABLE_ASSUMED => {
    severity: Note,
    summary: "TGW propagation/association assumed from defaults (vpcreach)",
    what: "The snapshot has no propagation records for a transit gateway route table \
(`get-transit-gateway-route-table-propagations` was not exported: no \
`TransitGatewayPropagations` element names the table), or no association record for an \
attachment (only `describe-transit-gateway-vpc-attachments` lists it). The gateway's options \
name the table as its default propagation (`DefaultRouteTablePropagation: enable`, \
`PropagationDefaultRouteTableId`) or association table (`DefaultRouteTableAssociation: \
enable`, `AssociationDefaultRouteTableId`), so vpcreach assumes what AWS does for attachments \
created with those options: every VPC attachment propagates into the default table (overlaps \
suppressed by CreationTime as usual, T4), and the attachment is associated with the default \
table (T10). Routes AWS reported for the table (`search-transit-gateway-routes`) replace the \
assumption when present (T8).",
    why: "Propagation can be disabled per attachment after creation; the verdict holds only \
if it was not. Without the assumption every question through the gateway would be a silent \
`NO_ROUTE_TO_DESTINATION`.",
    fix: "Export the propagations and associations (`vpcreach collect` does; by hand: \
`aws ec2 get-transit-gateway-route-table-propagations` per table, wrapped as \
`TransitGatewayPropagations`), or the installed routes (`search-transit-gateway-routes`, \
wrapped as `TransitGatewayRoutes`).",
    example: "vpcreach reach --snapshot fixtures/rules/t10-tgw-default-propagation --from i-41000000000000001 --to i-41000000000000002 --port 22",
},

    } };
}
