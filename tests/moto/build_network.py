#!/usr/bin/env python3
"""Build a small but complete AWS network against a moto server, for tests/collect_moto.rs.

Usage: build_network.py ENDPOINT_URL [REGION]

Only the endpoint given is contacted (a local moto server); the credentials are moto's dummy
ones. Prints the ids of everything created as one JSON object on stdout.
"""

import json
import sys

import boto3


def main() -> None:
    endpoint = sys.argv[1]
    region = sys.argv[2] if len(sys.argv) > 2 else "us-east-1"
    kw = dict(
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
    )
    ec2 = boto3.client("ec2", **kw)
    ecc = boto3.client("elasticache", **kw)
    az_a, az_b = f"{region}a", f"{region}b"
    ids: dict = {"region": region}

    # VPCs: the application VPC and a peer.
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    peer_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ids["vpcs"] = [vpc, peer_vpc]

    # Subnets: public, two private (two AZs), one in the peer.
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone=az_a)["Subnet"]["SubnetId"]
    private_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone=az_a)["Subnet"]["SubnetId"]
    private_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.3.0/24", AvailabilityZone=az_b)["Subnet"]["SubnetId"]
    peer_subnet = ec2.create_subnet(VpcId=peer_vpc, CidrBlock="10.1.1.0/24", AvailabilityZone=az_a)["Subnet"]["SubnetId"]
    ids["subnets"] = [public, private_a, private_b, peer_subnet]

    # Internet gateway and NAT gateway.
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ids["internet_gateways"] = [igw]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    ids["nat_gateways"] = [nat]

    # Customer-managed prefix list (office ranges).
    pl = ec2.create_managed_prefix_list(
        PrefixListName="office",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "203.0.113.0/24", "Description": "office"}, {"Cidr": "198.51.100.0/24"}],
    )["PrefixList"]["PrefixListId"]
    ids["prefix_lists"] = [pl]

    # Peering, accepted.
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer_vpc)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ids["vpc_peering_connections"] = [pcx]

    # Transit gateway, two VPC attachments, a route table with association, propagation, static route.
    tgw = ec2.create_transit_gateway(
        Description="hub",
        Options={"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"},
    )["TransitGateway"]["TransitGatewayId"]
    att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=vpc, SubnetIds=[private_a, private_b])[
        "TransitGatewayVpcAttachment"
    ]["TransitGatewayAttachmentId"]
    peer_att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=peer_vpc, SubnetIds=[peer_subnet])[
        "TransitGatewayVpcAttachment"
    ]["TransitGatewayAttachmentId"]
    tgw_rtb = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)["TransitGatewayRouteTable"][
        "TransitGatewayRouteTableId"
    ]
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=tgw_rtb, TransitGatewayAttachmentId=att)
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=tgw_rtb, TransitGatewayAttachmentId=peer_att
    )
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="172.16.0.0/12", TransitGatewayRouteTableId=tgw_rtb, TransitGatewayAttachmentId=peer_att
    )
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="192.168.0.0/16", TransitGatewayRouteTableId=tgw_rtb, Blackhole=True
    )
    ids["transit_gateways"] = [tgw]
    ids["transit_gateway_attachments"] = [att, peer_att]
    ids["transit_gateway_route_tables"] = [tgw_rtb]

    # Route tables: public (igw), private (nat, pcx, tgw, prefix list → tgw).
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public)
    private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="10.1.0.0/16", VpcPeeringConnectionId=pcx)
    ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="172.16.0.0/12", TransitGatewayId=tgw)
    ec2.create_route(RouteTableId=private_rt, DestinationPrefixListId=pl, TransitGatewayId=tgw)
    ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private_a)
    ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private_b)
    ids["route_tables"] = [public_rt, private_rt]

    # Custom NACL on the private subnets.
    nacl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for number, egress, proto, ports, action, cidr in [
        (100, False, "6", (6379, 6379), "allow", "10.0.0.0/16"),
        (110, False, "6", (1024, 65535), "allow", "0.0.0.0/0"),
        (200, False, "-1", None, "deny", "0.0.0.0/0"),
        (100, True, "-1", None, "allow", "0.0.0.0/0"),
    ]:
        args = dict(NetworkAclId=nacl, RuleNumber=number, Protocol=proto, RuleAction=action, Egress=egress, CidrBlock=cidr)
        if ports:
            args["PortRange"] = {"From": ports[0], "To": ports[1]}
        ec2.create_network_acl_entry(**args)
    # Replace the private subnets' association (from the default NACL) with the custom one.
    acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]
    for acl in acls:
        for assoc in acl.get("Associations", []):
            if assoc["SubnetId"] in (private_a, private_b):
                ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=nacl)
    ids["network_acls"] = [nacl]

    # Security groups: web (internet 443, office prefix list 22), app (from web), cache (from app).
    web_sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    app_sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    cache_sg = ec2.create_security_group(GroupName="cache", Description="cache", VpcId=vpc)["GroupId"]
    endpoint_sg = ec2.create_security_group(GroupName="endpoint", Description="endpoint", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "PrefixListIds": [{"PrefixListId": pl}]},
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=app_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web_sg}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=cache_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "UserIdGroupPairs": [{"GroupId": app_sg}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=endpoint_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}],
    )
    ids["security_groups"] = [web_sg, app_sg, cache_sg, endpoint_sg]

    # Instances: a public web server and a private app server.
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    web = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": public, "Groups": [web_sg], "AssociatePublicIpAddress": True}],
    )["Instances"][0]["InstanceId"]
    app = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=private_a, SecurityGroupIds=[app_sg],
    )["Instances"][0]["InstanceId"]
    ids["instances"] = [web, app]

    # Endpoints: S3 gateway on the private table, SSM interface in the private subnets.
    gw_ep = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway", RouteTableIds=[private_rt]
    )["VpcEndpoint"]["VpcEndpointId"]
    if_ep = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=f"com.amazonaws.{region}.ssm", VpcEndpointType="Interface",
        SubnetIds=[private_a, private_b], SecurityGroupIds=[endpoint_sg], PrivateDnsEnabled=True,
    )["VpcEndpoint"]["VpcEndpointId"]
    ids["vpc_endpoints"] = [gw_ep, if_ep]

    # ElastiCache: subnet group, a single-node cluster, a replication group.
    ecc.create_cache_subnet_group(
        CacheSubnetGroupName="app-cache", CacheSubnetGroupDescription="app cache", SubnetIds=[private_a, private_b]
    )
    ecc.create_cache_cluster(
        CacheClusterId="sessions", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1,
        CacheSubnetGroupName="app-cache", SecurityGroupIds=[cache_sg],
    )
    ecc.create_replication_group(
        ReplicationGroupId="orders", ReplicationGroupDescription="orders", Engine="redis",
        CacheNodeType="cache.t3.micro", NumCacheClusters=2, CacheSubnetGroupName="app-cache",
        SecurityGroupIds=[cache_sg], TransitEncryptionEnabled=True,
    )
    ids["cache_subnet_groups"] = ["app-cache"]
    ids["cache_clusters"] = ["sessions"]
    ids["replication_groups"] = ["orders"]

    json.dump(ids, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
