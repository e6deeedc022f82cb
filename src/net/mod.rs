//! The set algebra of the reachability engine.
//!
//! Everything here works on sets of ranges and never enumerates addresses, ports or
//! packets, so a `0.0.0.0/0` or `::/0` costs the same as a single host:
//!
//! * [`interval`]: [`IntervalSet<T>`], sorted disjoint inclusive ranges over `u8`, `u16`,
//!   `u32`, `u64` or `u128`, with union, intersection, difference and complement;
//! * [`addr`]: [`AddrSet`], IPv4 and IPv6 address sets (kept apart) and exact CIDR
//!   conversion;
//! * [`proto`]: [`ProtoSet`], sets of IP protocol numbers, and AWS protocol parsing;
//! * [`packet`], [`cube`], [`packet_set`]: [`PacketSet`], header space as a union of disjoint
//!   [`Cube`]s over source, destination, protocol, ports and ICMP type/code;
//! * [`lpm`]: [`LpmTable`], longest-prefix match that partitions a destination set by
//!   winning route.
//!
//! The module depends only on `std`, `ipnet` and `serde`.

pub mod addr;
pub mod cube;
pub mod interval;
pub mod lpm;
pub mod packet;
pub mod packet_set;
pub mod proto;

pub use addr::{net_range_v4, net_range_v6, AddrSet};
pub use cube::Cube;
pub use interval::{Bound, IntervalSet};
pub use lpm::{LpmPart, LpmTable};
pub use packet::{icmp_set, icmp_value, is_icmp_proto, is_port_proto, Packet};
pub use packet_set::PacketSet;
pub use proto::{parse_aws_protocol, proto_label, proto_name, ProtoSet, ICMP, ICMPV6, TCP, UDP};
