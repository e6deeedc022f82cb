//! VPC endpoint codes: gateway endpoints (S3, DynamoDB) and interface endpoints.

/// Appends the endpoint family to the chain (see the module doc of `catalogue`).
macro_rules! endpoints_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Endpoints]

VPCE_GATEWAY_PROTOCOL_RESTRICTION => {
    severity: Error,
    summary: "Gateway endpoint: TCP, ICMP echo only",
    what: "Traffic is routed to a gateway endpoint (S3 or DynamoDB, through its prefix-list \
route) with a protocol the endpoint does not carry: it carries TCP and ICMP echo only.",
    why: "UDP or other traffic to the service's addresses is dropped at the endpoint, and the \
more specific prefix-list route keeps it from using the internet gateway instead.",
    fix: "Use TCP (HTTPS) to reach the service; nothing else is served at those addresses.",
    example: "vpcreach reach --snapshot fixtures/rules/v1-gateway-endpoint --from i-28000000000000001 --to 52.216.10.20 --protocol udp --port 53",
},

VPCE_INTRA_VPC_TRAFFIC => {
    severity: Error,
    summary: "Endpoint can't initiate in own VPC",
    what: "The question starts at an interface endpoint (its network interface) toward a \
resource in its own VPC. An interface endpoint only answers connections made to it; it never \
initiates traffic into its VPC.",
    why: "Tests or audits that treat the endpoint's interface like an instance find paths that \
cannot exist.",
    fix: "Ask the question the other way round (client to endpoint).",
    example: "vpcreach reach --snapshot fixtures/rules/v2-interface-endpoint --from vpce-29000000000000001 --to i-29000000000000001 --port 443",
},

    } };
}
