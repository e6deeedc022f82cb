//! Cache findings of `audit`: how a cache's own settings, groups, subnets and network ACLs
//! weaken or break access to it (semantics C5–C10). Family `audit`, in a file of its own.

/// Appends the cache findings to the chain (see the module doc of `catalogue`).
macro_rules! cache_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Audit]

CACHE_NO_TRANSIT_ENCRYPTION => {
    severity: Warning,
    summary: "Cache reached through a relay accepts plaintext connections (vpcreach)",
    what: "A relay host (a TCP proxy, an SSH bastion, an SSM port-forwarding host) lets outside \
clients reach the cache, and the cache accepts unencrypted connections: \
`TransitEncryptionEnabled` is false on the replication group or cache cluster, or it is true \
with `TransitEncryptionMode` `preferred`, which accepts TLS and plaintext alike. Serverless \
caches always use TLS and are never reported.",
    why: "Whatever travels between the relay and the cache (keys, values, the AUTH token) can be \
read by anyone who can capture traffic on that path. Without TLS a Valkey or Redis OSS cache \
cannot have an AUTH token or a user group either.",
    fix: "Turn on in-transit encryption (`modify-replication-group --transit-encryption-enabled \
--transit-encryption-mode preferred`, move the clients and the relay to TLS, then set the mode \
to `required`); a cache cluster without the setting must be recreated with \
`--transit-encryption-enabled`.",
    example: "vpcreach audit --snapshot fixtures/rules/c5-cache-relay-access",
},

CACHE_NO_AUTH => {
    severity: Error,
    summary: "Cache reached through a relay has no AUTH token and no user group (vpcreach)",
    what: "A relay host lets outside clients reach the cache, and the cache asks nothing of them: \
a node-based Valkey or Redis OSS cache with `AuthTokenEnabled` false and no `UserGroupIds`, a \
serverless cache without `UserGroupId`, or a Memcached cache (ElastiCache offers AUTH and RBAC \
user groups for Valkey and Redis OSS only). The network path is then the only guard.",
    why: "Anyone who can use the relay (everyone in the range its listener admits, or everyone who \
may start an SSM session on it) can read, change and flush the cache's data.",
    fix: "Give the cache RBAC: create a user group whose users have passwords or IAM \
authentication and attach it (`modify-replication-group --user-group-ids-to-add`, \
`modify-serverless-cache --user-group-id`), or set an AUTH token (`--auth-token` with \
`--auth-token-update-strategy`); both need in-transit encryption first. For Memcached, narrow \
who can use the relay.",
    example: "vpcreach audit --snapshot fixtures/rules/c5-cache-relay-access",
},

CACHE_WORLD_OPEN_PORT => {
    severity: Warning,
    summary: "A security group of the cache admits 0.0.0.0/0 or ::/0 on a cache port (vpcreach)",
    what: "An inbound rule of one of the cache's security groups admits TCP on a port the cache \
listens on from `0.0.0.0/0` or `::/0`, directly or through a prefix list that contains one of \
them. Cache nodes have no public address, so the internet does not reach them directly; but \
every network that routes to the cache (peered VPCs, transit gateways, VPNs, relay hosts, any \
interface of the VPC) is admitted.",
    why: "The group no longer says who may use the cache: any new route, peering or proxy opens \
it, and a relay in a public subnet makes it reachable from the internet.",
    fix: "Replace the rule with one naming the clients: their security group (same VPC, or a \
peered VPC in the same Region) or their CIDR blocks, on the cache ports only.",
    example: "vpcreach audit --snapshot fixtures/rules/c6-cache-world-open-port",
},

CACHE_DEFAULT_SECURITY_GROUP => {
    severity: Warning,
    summary: "The cache uses its VPC's default security group (vpcreach)",
    what: "One of the cache's security groups is the VPC's default group (`GroupName` \
`default`). Its rules as created admit all traffic from every interface that carries the same \
group, and EC2 instances, endpoints and other resources launched without a group get it.",
    why: "Every resource that lands in the default group can reach the cache on every port, and \
a rule added to the default group for something else opens the cache too.",
    fix: "Create a dedicated group for the cache that admits the cache ports from the clients' \
group, attach it (`modify-replication-group --security-group-ids`, \
`modify-cache-cluster --security-group-ids`, `modify-serverless-cache --security-group-ids`) \
and remove the default group.",
    example: "vpcreach audit --snapshot fixtures/rules/c7-cache-default-security-group",
},

CACHE_REPLY_BLOCKED => {
    severity: Warning,
    summary: "Cache port admitted by security groups, reply dropped by a network ACL (vpcreach)",
    what: "A source that an inbound rule of the cache's security groups admits on a cache port \
gets its request to the cache (every forward hop passes), but a network ACL drops the reply: \
the cache subnet's outbound entries or the client subnet's inbound entries do not allow the \
client's ephemeral ports. ACLs are stateless, so the reply is checked like any other packet.",
    why: "The security group says the path is open and the team believes it works, yet \
connections hang at the TCP handshake. Which clients fail depends on their operating system's \
ephemeral range.",
    fix: "Allow the reply in the named network ACL: an outbound entry of the cache subnet (or \
an inbound entry of the client subnet) for TCP 1024-65535 to (from) the client range, numbered \
before the entry that denies it.",
    example: "vpcreach audit --snapshot fixtures/rules/c9-cache-reply-blocked",
},

CACHE_PUBLIC_SUBNET => {
    severity: Note,
    summary: "Cache in a subnet routed to an internet gateway (vpcreach)",
    what: "A subnet the cache has nodes (or serverless endpoints) in is routed by a route table \
whose `0.0.0.0/0` or `::/0` route targets an internet gateway: a public subnet. The cache itself \
gets no public address, so the internet does not reach it through that route.",
    why: "Public subnets hold the hosts the internet reaches; a cache next to them shares their \
network ACL and is one group rule or proxy away from exposure. AWS recommends private subnets \
for caches.",
    fix: "Place the cache in private subnets: a cache subnet group whose subnets' route tables \
have no internet-gateway route (new subnets, or `modify-cache-subnet-group`), then migrate the \
cache to it; or drop the internet route if nothing in the subnet needs it.",
    example: "vpcreach audit --snapshot fixtures/rules/c8-cache-public-subnet",
},

    } };
}
