//! The plumbing every read call of `collect` shares.
//!
//! A call runs through [`Ctx::send`], which holds one permit of its account's and one of the
//! global request limit per request, and ends as a [`Done`] ([`super::operations`] lists the
//! calls and defines `Done`; its names are re-exported here for the existing `calls::` paths).

use super::convert_util::capture;
use super::manifest::DroppedValue;
pub use super::operations::*;
use super::progress::ScopeProgress;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde::Serialize;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::Semaphore;

/// `Code: message` of an SDK error; without a code (an HTTP error page, a network failure, a
/// timeout, a refusal by the read-only guard) the HTTP status and the chain of causes. Never the
/// request, so never a credential.
pub fn describe_error<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match (err.code(), err.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        _ => match err {
            SdkError::ServiceError(se) => {
                format!("HTTP {}: {}", se.raw().status().as_u16(), causes(se.err()))
            }
            other => causes(other),
        },
    }
}

/// `Display` of an error and its sources, joined by `: ` (repeated texts once).
pub fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// What every call in a scope shares: the global request limit and the scope's progress.
#[derive(Clone)]
pub struct Ctx {
    /// Bounds the requests in flight across all accounts and regions.
    pub limit: Arc<Semaphore>,
    /// Bounds the requests in flight in this scope's account (taken before `limit`, so a busy
    /// account waits without holding a global permit).
    pub account_limit: Arc<Semaphore>,
    /// Progress of this scope.
    pub progress: ScopeProgress,
    /// Account id of this scope.
    pub account: Arc<str>,
    /// Region of this scope.
    pub region: Arc<str>,
    /// Values dropped by conversions, all scopes (for the manifest).
    pub dropped: Arc<Mutex<Vec<DroppedValue>>>,
}

/// Id fields of the snapshot's shapes, most specific first: the resource a dropped value
/// belonged to is the first of them its converted item has.
const ID_FIELDS: &[&str] = &[
    "SubnetId",
    "RouteTableId",
    "NetworkAclId",
    "GroupId",
    "NetworkInterfaceId",
    "AllocationId",
    "EgressOnlyInternetGatewayId",
    "InternetGatewayId",
    "NatGatewayId",
    "VpcEndpointId",
    "PrefixListId",
    "VpcPeeringConnectionId",
    "TransitGatewayAttachmentId",
    "TransitGatewayRouteTableId",
    "TransitGatewayId",
    "CacheClusterId",
    "ReplicationGroupId",
    "CacheSubnetGroupName",
    "ReservationId",
    "ListenerArn",
    "TargetGroupArn",
    "LoadBalancerArn",
    "ServiceId",
    "VpcId",
];

/// The id of a converted item (see [`ID_FIELDS`]).
fn resource_of<T: Serialize>(item: &T) -> Option<String> {
    let v = serde_json::to_value(item).ok()?;
    ID_FIELDS
        .iter()
        .find_map(|k| v.get(*k).and_then(|x| x.as_str()).map(str::to_string))
}

impl Ctx {
    /// Run one item's conversion for `spec`; values it drops are recorded with the item's id
    /// (else `parent`, else `?`).
    pub fn noting<T: Serialize>(
        &self,
        spec: &CallSpec,
        parent: Option<&str>,
        convert: impl FnOnce() -> T,
    ) -> T {
        let (out, drops) = capture(convert);
        if !drops.is_empty() {
            let resource = resource_of(&out)
                .or_else(|| parent.map(str::to_string))
                .unwrap_or_else(|| "?".into());
            if let Ok(mut all) = self.dropped.lock() {
                all.extend(drops.into_iter().map(|d| DroppedValue {
                    account: self.account.to_string(),
                    region: self.region.to_string(),
                    operation: spec.operation.to_string(),
                    file: format!(
                        "{}/{}/{}.json",
                        self.account, self.region, spec.file_command
                    ),
                    key: spec.key.to_string(),
                    resource: resource.clone(),
                    field: d.what.to_string(),
                    value: d.value,
                    reason: d.reason,
                }));
            }
        }
        out
    }

    /// Send one request while holding a permit of the account's and of the global limit.
    pub async fn send<T, E, F>(&self, request: F) -> Result<T, String>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let _account_permit = self
            .account_limit
            .acquire()
            .await
            .map_err(|_| String::from("cancelled"))?;
        let _permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| String::from("cancelled"))?;
        request.await.map_err(|e| describe_error(&e))
    }

    /// Time `fut`, turn its result into a [`Done`] and report it to the progress display.
    pub async fn run<F>(&self, fut: F) -> Done
    where
        F: Future<Output = Done>,
    {
        let start = Instant::now();
        let mut done = fut.await;
        if done.duration.is_zero() {
            done.duration = start.elapsed();
        }
        self.progress.call_done(&done);
        done
    }
}

/// Turn a listing result into a [`Done`].
pub fn listing<T: Serialize>(
    spec: &'static CallSpec,
    result: &Result<Vec<T>, String>,
    started: Instant,
) -> Done {
    match result {
        Ok(items) => Done::listed(spec, items, started.elapsed()),
        Err(e) => Done::failed(spec, e.clone(), started.elapsed()),
    }
}
