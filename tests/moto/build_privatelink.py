#!/usr/bin/env python3
"""Build a PrivateLink provider side against a moto server, for tests/collect_moto_privatelink.rs.

Usage: build_privatelink.py ENDPOINT_URL [REGION]

A provider VPC with two subnets, an instance, an internal Network Load Balancer with a TCP
listener on 443 forwarding to a target group (instance targets, port 8443) with the instance
registered (and a second one, stopped), client IP preservation turned off on the group, and an endpoint service
configuration publishing the NLB. Only the endpoint given is contacted (a local moto server);
the credentials are moto's dummy ones. Prints the ids of everything created as one JSON object.
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
    elb = boto3.client("elbv2", **kw)
    az_a, az_b = f"{region}a", f"{region}b"

    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    sub_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone=az_a)["Subnet"]["SubnetId"]
    sub_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.2.0/24", AvailabilityZone=az_b)["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="service", Description="service", VpcId=vpc)["GroupId"]
    instance, stopped = [
        i["InstanceId"]
        for i in ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=2, MaxCount=2, SubnetId=sub_a, SecurityGroupIds=[sg]
        )["Instances"]
    ]

    lb = elb.create_load_balancer(
        Name="svc-nlb", Subnets=[sub_a, sub_b], Scheme="internal", Type="network"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(
        Name="svc-tg", Protocol="TCP", Port=8443, VpcId=vpc, TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(
        TargetGroupArn=tg, Targets=[{"Id": instance, "Port": 8443}, {"Id": stopped, "Port": 8443}]
    )
    # A stopped target: moto reports it `unused` (Target.InvalidState).
    ec2.stop_instances(InstanceIds=[stopped])
    elb.modify_target_group_attributes(
        TargetGroupArn=tg, Attributes=[{"Key": "preserve_client_ip.enabled", "Value": "false"}]
    )
    listener = elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="TCP",
        Port=443,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )["Listeners"][0]["ListenerArn"]

    svc = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[lb], AcceptanceRequired=True
    )["ServiceConfiguration"]
    ids = {
        "region": region,
        "vpc": vpc,
        "subnets": [sub_a, sub_b],
        "security_group": sg,
        "instance": instance,
        "stopped_instance": stopped,
        "load_balancer": lb,
        "target_group": tg,
        "listener": listener,
        "service_id": svc["ServiceId"],
        "service_name": svc["ServiceName"],
    }
    json.dump(ids, sys.stdout)


if __name__ == "__main__":
    main()
