//! Serde shapes of the AWS CLI's JSON output (`aws ec2 describe-*`, `aws elasticache describe-*`,
//! `aws elbv2 describe-*`, `aws vpc-lattice get-*`).
//!
//! These types mirror the vendor shapes field for field (PascalCase, or camelCase for
//! `vpc-lattice`; same nesting) for the fields
//! vpcreach uses; every other field is ignored on input. They serialize back to the same shapes,
//! which is how `vpcreach collect` writes a snapshot. Nothing past the `model` layer sees them.
//!
//! Values that the engine depends on are validated while parsing, so that a bad value is reported
//! with the file and the JSON pointer where it stands: CIDRs ([`Cidr4`], [`Cidr6`]), addresses
//! ([`Ip4`], [`Ip6`]) and port numbers ([`AwsPort`]).
//!
//! One file per AWS service area; every type is re-exported here, so `crate::snapshot::aws::X`
//! names each of them.

mod elasticache;
mod elbv2;
mod endpoints;
mod gateways;
mod instances;
mod peering;
mod privatelink;
mod security;
mod subnet_routes;
mod transit_gateway;
mod values;
mod vpc;

pub use elasticache::*;
pub use elbv2::*;
pub use endpoints::*;
pub use gateways::*;
pub use instances::*;
pub use peering::*;
pub use privatelink::*;
pub use security::*;
pub use subnet_routes::*;
pub use transit_gateway::*;
pub use values::*;
pub use vpc::*;
