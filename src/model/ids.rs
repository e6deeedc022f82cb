//! Typed indices into the [`super::Topology`] arenas, references that remember the AWS id, and
//! the id → index lookup used while building and by commands that name resources.

use serde::{Serialize, Serializer};
use std::collections::HashMap;

macro_rules! index_types {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
            #[serde(transparent)]
            pub struct $name(pub u32);

            impl From<u32> for $name {
                fn from(v: u32) -> Self {
                    $name(v)
                }
            }

            impl $name {
                /// The arena position.
                pub fn i(self) -> usize {
                    self.0 as usize
                }
            }
        )*
    };
}

index_types!(
    /// Index of a [`super::Scope`].
    ScopeIdx,
    /// Index of a [`super::Vpc`].
    VpcIdx,
    /// Index of a [`super::Subnet`].
    SubnetIdx,
    /// Index of a [`super::RouteTable`].
    RouteTableIdx,
    /// Index of a [`super::NetworkAcl`].
    NetworkAclIdx,
    /// Index of a [`super::SecurityGroup`].
    SecurityGroupIdx,
    /// Index of a [`super::NetworkInterface`].
    EniIdx,
    /// Index of an [`super::Instance`].
    InstanceIdx,
    /// Index of an internet gateway or egress-only internet gateway.
    IgwIdx,
    /// Index of a [`super::NatGateway`].
    NatIdx,
    /// Index of a [`super::VpcEndpoint`].
    EndpointIdx,
    /// Index of a [`super::PrefixList`].
    PrefixListIdx,
    /// Index of a [`super::VpcPeeringConnection`].
    PeeringIdx,
    /// Index of a [`super::TransitGateway`].
    TgwIdx,
    /// Index of a [`super::TransitGatewayAttachment`].
    TgwAttachmentIdx,
    /// Index of a [`super::TransitGatewayRouteTable`].
    TgwRouteTableIdx,
    /// Index of a [`super::CacheSubnetGroup`].
    CacheSubnetGroupIdx,
    /// Index of a [`super::CacheCluster`].
    CacheClusterIdx,
    /// Index of a [`super::ReplicationGroup`].
    ReplicationGroupIdx,
    /// Index of a [`super::ServerlessCache`].
    ServerlessCacheIdx,
    /// Index of a [`super::LoadBalancer`].
    LoadBalancerIdx,
    /// Index of a [`super::Listener`].
    ListenerIdx,
    /// Index of a [`super::TargetGroup`].
    TargetGroupIdx,
    /// Index of an [`super::EndpointService`].
    EndpointServiceIdx,
    /// Index of a [`super::ResourceGateway`].
    ResourceGatewayIdx,
    /// Index of a [`super::ResourceConfiguration`].
    ResourceConfigurationIdx,
);

/// A reference by AWS id, resolved to an index when the target is in the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref<I> {
    pub id: String,
    pub idx: Option<I>,
}

impl<I: Copy> Ref<I> {
    /// A reference that was not (yet) resolved.
    pub fn unresolved(id: impl Into<String>) -> Self {
        Ref {
            id: id.into(),
            idx: None,
        }
    }
    /// True when the target is in the snapshot.
    pub fn is_resolved(&self) -> bool {
        self.idx.is_some()
    }
}

impl<I> Serialize for Ref<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

/// Kinds of object that have an AWS id (or a name, for caches).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Vpc,
    Subnet,
    RouteTable,
    NetworkAcl,
    SecurityGroup,
    NetworkInterface,
    Instance,
    InternetGateway,
    EgressOnlyInternetGateway,
    NatGateway,
    VpcEndpoint,
    PrefixList,
    VpcPeeringConnection,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    CacheSubnetGroup,
    CacheCluster,
    ReplicationGroup,
    ServerlessCache,
}

/// Id lookup: by (scope, kind, id), and by (kind, id) across scopes. Look-ups borrow the id
/// (no allocation per look-up: the model build does hundreds of thousands).
#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    scoped: FastMap<(ScopeIdx, Kind), FastMap<String, u32>>,
    global: FastMap<Kind, FastMap<String, Vec<(ScopeIdx, u32)>>>,
}

/// A hash map with aHash: several times faster than the standard SipHash on the short id
/// strings the model build looks up hundreds of thousands of times, and still keyed at random
/// per process (a snapshot cannot be crafted to collide).
pub type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

impl IdIndex {
    /// Register an id; returns the index already registered for that scope, kind and id, if any.
    pub fn insert(&mut self, scope: ScopeIdx, kind: Kind, id: &str, idx: u32) -> Option<u32> {
        let map = self.scoped.entry((scope, kind)).or_default();
        if let Some(&existing) = map.get(id) {
            return Some(existing);
        }
        map.insert(id.to_string(), idx);
        self.global
            .entry(kind)
            .or_default()
            .entry(id.to_string())
            .or_default()
            .push((scope, idx));
        None
    }

    /// The object of that kind and id in that scope.
    pub fn get(&self, scope: ScopeIdx, kind: Kind, id: &str) -> Option<u32> {
        self.scoped.get(&(scope, kind))?.get(id).copied()
    }

    /// Every object of that kind and id, in any scope.
    pub fn all(&self, kind: Kind, id: &str) -> &[(ScopeIdx, u32)] {
        self.global
            .get(&kind)
            .and_then(|m| m.get(id))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The object in `scope` if there is one, else the only one anywhere.
    pub fn resolve(&self, scope: ScopeIdx, kind: Kind, id: &str) -> Option<u32> {
        self.get(scope, kind, id)
            .or_else(|| match self.all(kind, id) {
                [(_, only)] => Some(*only),
                _ => None,
            })
    }
}
