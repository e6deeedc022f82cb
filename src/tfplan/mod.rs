//! Terraform / OpenTofu plans: the machine-readable plan (`terraform show -json tfplan`,
//! `tofu show -json`; Terraform's "JSON Output Format", `format_version` 1.x) read into
//! [`Plan`], and its `resource_changes` applied to a loaded snapshot in memory, in the
//! snapshot's own AWS-CLI shapes ([`apply`]), before the model is built.
//!
//! The format's contract (Terraform docs, "JSON Output Format"): a minor version adds fields
//! (ignored here), a major version breaks them (refused: `format_version` 2 or later is an
//! error). Every value is checked while it is read; a value of the wrong type is an error that
//! names the plan file and the JSON pointer, never a panic.
//!
//! Values known only after apply (`after_unknown`): a new resource gets a placeholder id made
//! of the AWS prefix of its kind and its address (`sg-tf:module.net.aws_security_group.redis`),
//! and references to it are resolved through the plan's `configuration` expressions
//! ([`refs`]). Everything taken for granted is stated in [`Applied::assumptions`].

pub mod apply;
mod attrs;
pub mod format;
pub(crate) mod refs;

pub use apply::{apply, recompute_tgw_tables, Applied, NotEvaluated};
pub use format::{read, Action, Plan, PlanError, ResourceChange};
