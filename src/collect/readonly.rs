//! The read-only guard: an SDK interceptor on every client `collect` builds.
//!
//! Before an operation is serialized, [`ReadOnlyGuard`] reads its name from the SDK's operation
//! metadata, records it, and refuses it unless it starts with `Describe`, `Get`, `Search` or
//! `List`: a refused operation fails before any byte is sent. The record lets tests prove which
//! operations ran. (Credential providers — `AssumeRole`, SSO, IMDS — use their own clients and are
//! not routed through this guard; they obtain credentials and touch no resource.)

use aws_sdk_ec2::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use std::sync::{Arc, Mutex};

/// Operation-name prefixes that are allowed.
pub const ALLOWED_PREFIXES: &[&str] = &["Describe", "Get", "Search", "List"];

/// Whether `operation` is a read operation by its name.
pub fn is_read_only(operation: &str) -> bool {
    ALLOWED_PREFIXES.iter().any(|p| {
        operation
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    })
}

/// One operation the guard saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenOperation {
    /// SDK service name, e.g. `EC2`.
    pub service: String,
    /// Operation name, e.g. `DescribeVpcs`.
    pub operation: String,
    /// Whether it was let through.
    pub allowed: bool,
}

/// The error a refused operation fails with.
#[derive(Debug, thiserror::Error)]
#[error("vpcreach is read-only: refusing to send {service}:{operation}")]
pub struct RefusedOperation {
    /// Service name.
    pub service: String,
    /// Operation name.
    pub operation: String,
}

/// Interceptor that records every operation and refuses non-read ones. Clones share the record.
#[derive(Clone, Debug, Default)]
pub struct ReadOnlyGuard {
    seen: Arc<Mutex<Vec<SeenOperation>>>,
}

impl ReadOnlyGuard {
    /// A guard with an empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every operation seen so far, in order.
    pub fn seen(&self) -> Vec<SeenOperation> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn record(&self, op: SeenOperation) {
        if let Ok(mut s) = self.seen.lock() {
            s.push(op);
        }
    }
}

impl Intercept for ReadOnlyGuard {
    fn name(&self) -> &'static str {
        "vpcreach-read-only-guard"
    }

    // Not `read_before_execution`: client interceptors run that before the operation's metadata
    // is in the config bag. Serialization is next; a refusal here sends nothing.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = match cfg.load::<Metadata>() {
            Some(m) => (m.service().to_string(), m.name().to_string()),
            // No metadata: the operation cannot be identified, so it is not sent.
            None => (String::from("?"), String::from("?")),
        };
        let allowed = is_read_only(&operation);
        self.record(SeenOperation {
            service: service.clone(),
            operation: operation.clone(),
            allowed,
        });
        if allowed {
            Ok(())
        } else {
            Err(Box::new(RefusedOperation { service, operation }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_ec2::error::DisplayErrorContext;

    #[test]
    fn names() {
        for ok in [
            "DescribeVpcs",
            "GetManagedPrefixListEntries",
            "SearchTransitGatewayRoutes",
            "ListTagsForResource",
            "GetCallerIdentity",
            // organizations: what `collect --organization` sends.
            "ListAccounts",
            "ListAccountsForParent",
            "ListOrganizationalUnitsForParent",
            "DescribeOrganization",
            // elbv2: load balancers, listeners, target groups, their health and attributes.
            "DescribeLoadBalancers",
            "DescribeListeners",
            "DescribeTargetGroups",
            "DescribeTargetHealth",
            "DescribeTargetGroupAttributes",
            "DescribeLoadBalancerAttributes",
            "DescribeVpcEndpointServiceConfigurations",
            // vpc-lattice: resource gateways and resource configurations.
            "ListResourceGateways",
            "GetResourceGateway",
            "ListResourceConfigurations",
            "GetResourceConfiguration",
        ] {
            assert!(is_read_only(ok), "{ok}");
        }
        for bad in [
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AssumeRole",
            "Describe",
            "Getaway",
            "RunInstances",
            "CreateAccount",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "CreateLoadBalancer",
            "RegisterTargets",
            "SetSecurityGroups",
            "ModifyTargetGroupAttributes",
            "CreateResourceGateway",
            "UpdateResourceConfiguration",
            "DeleteResourceEndpointAssociation",
            "PutResourcePolicy",
            "",
            "?",
        ] {
            assert!(!is_read_only(bad), "{bad}");
        }
    }

    /// A client whose endpoint is a closed local port, with the guard and no retries.
    fn client(guard: &ReadOnlyGuard) -> aws_sdk_ec2::Client {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let conf = aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::for_tests())
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry_config(aws_sdk_ec2::config::retry::RetryConfig::disabled())
            .interceptor(guard.clone())
            .build();
        aws_sdk_ec2::Client::from_conf(conf)
    }

    #[test]
    fn refuses_writes_before_sending_and_records_everything() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let guard = ReadOnlyGuard::new();
        let c = client(&guard);
        rt.block_on(async {
            let err = c
                .create_vpc()
                .cidr_block("10.0.0.0/16")
                .send()
                .await
                .expect_err("refused");
            let text = DisplayErrorContext(&err).to_string();
            assert!(
                text.contains("vpcreach is read-only: refusing to send EC2:CreateVpc"),
                "{text}"
            );
            // Refused at construction time: the request never reached the wire.
            assert!(
                matches!(err, aws_sdk_ec2::error::SdkError::ConstructionFailure(_)),
                "{text}"
            );

            let err = c.describe_vpcs().send().await.expect_err("closed port");
            let text = DisplayErrorContext(&err).to_string();
            assert!(
                !text.contains("read-only"),
                "a read call is let through: {text}"
            );
        });
        assert_eq!(
            guard.seen(),
            vec![
                SeenOperation {
                    service: "EC2".into(),
                    operation: "CreateVpc".into(),
                    allowed: false
                },
                SeenOperation {
                    service: "EC2".into(),
                    operation: "DescribeVpcs".into(),
                    allowed: true
                },
            ]
        );
    }
}
