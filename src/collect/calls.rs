//! The plumbing every read call of `collect` shares.
//!
//! A call runs through [`Ctx::send`], which holds one permit of its account's and one of the
//! global request limit per request, and ends as a [`Done`] ([`super::operations`] lists the
//! calls and defines `Done`; its names are re-exported here for the existing `calls::` paths).

pub use super::operations::*;
use super::progress::ScopeProgress;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
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
}

impl Ctx {
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
