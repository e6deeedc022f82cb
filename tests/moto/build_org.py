#!/usr/bin/env python3
"""Build an AWS Organization with member accounts, each with a small network, against a moto
server, for tests/collect_org.rs.

Usage: build_org.py ENDPOINT_URL MEMBERS

Only the endpoint given is contacted (a local moto server). The management account is moto's
default (123456789012, dummy credentials). The organisation: the root, an OU "workloads" and,
below it, an OU "prod"; MEMBERS accounts created with CreateAccount, member 1 left at the root,
member 2 in "workloads", the others in "prod". In every member account (reached by assuming
OrganizationAccountAccessRole there: moto keeps each account's resources apart when the
credentials come from an assumed role) a network in us-east-1: a VPC, a public subnet routed to an
internet gateway, a "web" security group (tcp 443 from anywhere) and an "app" group (tcp 5432 from
"web"), a web instance with a public address and an app instance. Members 1 and 2 both use
10.0.0.0/16 (overlapping VPCs, as organisations grown one account per project have), the others
10.<n>.0.0/16.

Prints the ids as one JSON object on stdout.
"""

import json
import sys

import boto3

REGION = "us-east-1"


def client(service, endpoint, creds=None):
    creds = creds or {
        "AccessKeyId": "testing",
        "SecretAccessKey": "testing",
        "SessionToken": "testing",
    }
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def network(ec2, n):
    second = 0 if n <= 2 else n
    vpc = ec2.create_vpc(CidrBlock=f"10.{second}.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{second}.1.0/24", AvailabilityZone=f"{REGION}a")[
        "Subnet"
    ]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
    web_sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    app_sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.authorize_security_group_ingress(
        GroupId=app_sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web_sg}]}],
    )
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    web = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [web_sg], "AssociatePublicIpAddress": True}],
    )["Instances"][0]["InstanceId"]
    app = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet, SecurityGroupIds=[app_sg]
    )["Instances"][0]["InstanceId"]
    return {"vpc": vpc, "subnet": subnet, "web": web, "app": app}


def main() -> None:
    endpoint = sys.argv[1]
    members = int(sys.argv[2])
    org = client("organizations", endpoint)
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    prod = org.create_organizational_unit(ParentId=workloads, Name="prod")["OrganizationalUnit"]["Id"]
    management = client("sts", endpoint).get_caller_identity()["Account"]
    out = {"management": management, "root": root, "workloads": workloads, "prod": prod, "members": []}
    for n in range(1, members + 1):
        status = org.create_account(Email=f"member{n}@example.com", AccountName=f"member{n}")["CreateAccountStatus"]
        account = status["AccountId"]
        parent = root if n == 1 else workloads if n == 2 else prod
        if parent != root:
            org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=parent)
        creds = client("sts", endpoint).assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="setup"
        )["Credentials"]
        ids = network(client("ec2", endpoint, creds), n)
        ids.update({"account": account, "parent": parent})
        out["members"].append(ids)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
