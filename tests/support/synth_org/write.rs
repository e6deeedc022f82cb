//! Writing one scope of a synthetic organisation: one `describe-*.json` file per resource kind,
//! serialized from the `vpcreach::snapshot::aws` shapes and indented as the AWS CLI prints them.

use super::*;

/// A writer that counts bytes.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Write `{"<key>": [...]}` as the AWS CLI prints it (4-space indent).
fn write_file<T: Serialize>(
    dir: &Path,
    name: &str,
    key: &str,
    items: &[T],
    summary: &mut SynthSummary,
) -> io::Result<()> {
    let path = dir.join(name);
    let file = std::fs::File::create(&path)?;
    let mut out = Counting {
        inner: io::BufWriter::with_capacity(1 << 16, file),
        bytes: 0,
    };
    let mut map = BTreeMap::new();
    map.insert(key, items);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    map.serialize(&mut ser).map_err(io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()?;
    summary.bytes += out.bytes;
    summary.files.push(path);
    Ok(())
}

pub(super) fn write_scope(dir: &Path, d: &ScopeData, summary: &mut SynthSummary) -> io::Result<()> {
    let s = summary;
    write_file(dir, "describe-vpcs.json", "Vpcs", &d.vpcs, s)?;
    write_file(
        dir,
        "describe-vpc-attribute.json",
        "VpcAttributes",
        &d.vpc_attributes,
        s,
    )?;
    write_file(dir, "describe-subnets.json", "Subnets", &d.subnets, s)?;
    write_file(
        dir,
        "describe-route-tables.json",
        "RouteTables",
        &d.route_tables,
        s,
    )?;
    write_file(
        dir,
        "describe-network-acls.json",
        "NetworkAcls",
        &d.network_acls,
        s,
    )?;
    write_file(
        dir,
        "describe-security-groups.json",
        "SecurityGroups",
        &d.security_groups,
        s,
    )?;
    write_file(
        dir,
        "describe-instances.json",
        "Reservations",
        &d.reservations,
        s,
    )?;
    write_file(
        dir,
        "describe-network-interfaces.json",
        "NetworkInterfaces",
        &d.network_interfaces,
        s,
    )?;
    write_file(dir, "describe-addresses.json", "Addresses", &d.addresses, s)?;
    write_file(
        dir,
        "describe-internet-gateways.json",
        "InternetGateways",
        &d.internet_gateways,
        s,
    )?;
    write_file(
        dir,
        "describe-nat-gateways.json",
        "NatGateways",
        &d.nat_gateways,
        s,
    )?;
    write_file(
        dir,
        "describe-managed-prefix-lists.json",
        "PrefixLists",
        &d.prefix_lists,
        s,
    )?;
    write_file(
        dir,
        "get-managed-prefix-list-entries.json",
        "ManagedPrefixListEntries",
        &d.prefix_list_entries,
        s,
    )?;
    write_file(
        dir,
        "describe-vpc-peering-connections.json",
        "VpcPeeringConnections",
        &d.peerings,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateways.json",
        "TransitGateways",
        &d.tgws,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-attachments.json",
        "TransitGatewayAttachments",
        &d.tgw_attachments,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-vpc-attachments.json",
        "TransitGatewayVpcAttachments",
        &d.tgw_vpc_attachments,
        s,
    )?;
    write_file(
        dir,
        "describe-transit-gateway-route-tables.json",
        "TransitGatewayRouteTables",
        &d.tgw_route_tables,
        s,
    )?;
    write_file(
        dir,
        "get-transit-gateway-route-table-associations.json",
        "TransitGatewayAssociations",
        &d.tgw_associations,
        s,
    )?;
    write_file(
        dir,
        "get-transit-gateway-route-table-propagations.json",
        "TransitGatewayPropagations",
        &d.tgw_propagations,
        s,
    )?;
    write_file(
        dir,
        "describe-cache-clusters.json",
        "CacheClusters",
        &d.cache_clusters,
        s,
    )?;
    write_file(
        dir,
        "describe-replication-groups.json",
        "ReplicationGroups",
        &d.replication_groups,
        s,
    )?;
    write_file(
        dir,
        "describe-cache-subnet-groups.json",
        "CacheSubnetGroups",
        &d.cache_subnet_groups,
        s,
    )?;
    Ok(())
}
