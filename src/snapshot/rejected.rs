//! Elements that failed to load, remembered by id: a resource rejected over one bad field must
//! not later read as "not in the snapshot" or "missing". The model keeps these so that every
//! message about such an id can say it failed to load and point at the diagnostic.

use serde_json::{Map, Value};

/// One rejected top-level element: what it was and why it was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The top-level key it was under (`SecurityGroups`, `Reservations`, ...).
    pub key: String,
    /// The AWS ids it held, when they could be read (an instance reservation gives the ids of
    /// its instances and their network interfaces).
    pub ids: Vec<String>,
    /// The JSON pointer of the value at fault, in the element's file.
    pub fault: String,
    /// The load error.
    pub message: String,
}

/// The id fields of the resource kinds a top-level key lists (wrappers of other resources, such
/// as `VpcAttributes` or TGW route listings, name none: rejecting one does not reject the VPC or
/// the table).
fn id_fields(key: &str) -> &'static [&'static str] {
    match key {
        "Vpcs" => &["VpcId"],
        "Subnets" => &["SubnetId"],
        "RouteTables" => &["RouteTableId"],
        "NetworkAcls" => &["NetworkAclId"],
        "SecurityGroups" => &["GroupId"],
        "NetworkInterfaces" => &["NetworkInterfaceId"],
        "Addresses" => &["AllocationId", "PublicIp"],
        "InternetGateways" => &["InternetGatewayId"],
        "EgressOnlyInternetGateways" => &["EgressOnlyInternetGatewayId"],
        "NatGateways" => &["NatGatewayId"],
        "VpcEndpoints" => &["VpcEndpointId"],
        "PrefixLists" => &["PrefixListId"],
        "VpcPeeringConnections" => &["VpcPeeringConnectionId"],
        "TransitGateways" => &["TransitGatewayId"],
        "TransitGatewayAttachments" | "TransitGatewayVpcAttachments" => {
            &["TransitGatewayAttachmentId"]
        }
        "TransitGatewayRouteTables" => &["TransitGatewayRouteTableId"],
        "CacheClusters" => &["CacheClusterId"],
        "ReplicationGroups" => &["ReplicationGroupId"],
        "CacheSubnetGroups" => &["CacheSubnetGroupName"],
        "ServerlessCaches" => &["ServerlessCacheName"],
        "LoadBalancers" => &["LoadBalancerArn"],
        "Listeners" => &["ListenerArn"],
        "TargetGroups" => &["TargetGroupArn"],
        "ServiceConfigurations" => &["ServiceId", "ServiceName"],
        "ResourceGateways" | "ResourceConfigurations" => &["id", "arn"],
        _ => &[],
    }
}

/// The ids a rejected element of `key` holds, as far as they can be read.
pub(crate) fn ids_of(key: &str, element: &str) -> Vec<String> {
    let Ok(object) = serde_json::from_str::<Map<String, Value>>(element) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    let text = |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).map(String::from);
    if key == "Reservations" {
        for inst in object
            .get("Instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
        {
            ids.extend(text(inst, "InstanceId"));
            for eni in inst
                .get("NetworkInterfaces")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
            {
                ids.extend(text(eni, "NetworkInterfaceId"));
            }
        }
    }
    for f in id_fields(key) {
        ids.extend(text(&object, f));
    }
    ids.retain(|s| !s.is_empty());
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_each_kind() {
        assert_eq!(
            ids_of("SecurityGroups", r#"{"GroupId": "sg-1", "VpcId": "vpc-1"}"#),
            vec!["sg-1"]
        );
        assert_eq!(
            ids_of(
                "Reservations",
                r#"{"Instances": [{"InstanceId": "i-1", "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}]}, 5]}"#
            ),
            vec!["i-1", "eni-1"]
        );
        assert!(ids_of("VpcAttributes", r#"{"VpcId": "vpc-1"}"#).is_empty());
        assert!(ids_of("Vpcs", "[1]").is_empty());
    }
}
