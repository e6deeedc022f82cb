//! Instances (`aws_instance`: subnet, private and public addresses, security groups) and
//! security groups attached to network interfaces (`aws_network_interface_sg_attachment`), in
//! the `describe-instances` / `describe-network-interfaces` shapes. An address AWS assigns at
//! apply time is taken as some free address of the subnet (private) or a documentation address
//! (public), each stated as an assumption.

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::Fault;
use crate::tfplan::Action;

fn groups(ids: &[String]) -> Vec<GroupIdentifier> {
    ids.iter()
        .map(|g| GroupIdentifier {
            group_id: g.clone(),
            group_name: None,
        })
        .collect()
}

/// Remove an instance and its primary network interface.
fn remove_instance(w: &mut World<'_>, id: &str) {
    for d in w.all() {
        for r in d.reservations.iter_mut() {
            r.item.instances.retain(|i| i.instance_id != id);
        }
        d.reservations.retain(|r| !r.item.instances.is_empty());
        d.network_interfaces.retain(|e| {
            !e.item.attachment.as_ref().is_some_and(|a| {
                a.instance_id.as_deref() == Some(id) && a.device_index.unwrap_or(0) == 0
            })
        });
    }
}

/// Set the security groups of an instance and of its primary network interface.
fn set_groups(w: &mut World<'_>, id: &str, ids: &[String]) {
    for d in w.all() {
        let mut enis = Vec::new();
        for r in d.reservations.iter_mut() {
            for i in r.item.instances.iter_mut().filter(|i| i.instance_id == id) {
                i.security_groups = groups(ids);
                for n in i.network_interfaces.iter_mut().take(1) {
                    n.groups = groups(ids);
                    enis.push(n.network_interface_id.clone());
                }
            }
        }
        for e in d.network_interfaces.iter_mut() {
            let primary = e.item.attachment.as_ref().is_some_and(|a| {
                a.instance_id.as_deref() == Some(id) && a.device_index.unwrap_or(0) == 0
            });
            if primary || enis.contains(&e.item.network_interface_id) {
                e.item.groups = groups(ids);
            }
        }
    }
}

/// `aws_instance`.
pub fn instance(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if let (Action::Update, Some(o), Some(a)) = (c.rc.action, &old, c.after) {
        let mut sgs = a.strs("vpc_security_group_ids")?;
        if sgs.is_empty() {
            sgs = a.opt_strs("security_groups")?;
        }
        if !sgs.is_empty() {
            set_groups(w, o, &sgs);
        }
        if let Some(state) = a.str("instance_state")? {
            for d in w.all() {
                for r in d.reservations.iter_mut() {
                    for i in r.item.instances.iter_mut().filter(|i| &i.instance_id == o) {
                        i.state = Some(InstanceState {
                            code: None,
                            name: state.clone(),
                        });
                    }
                }
            }
        }
        return Ok(Outcome::Applied);
    }
    if c.removes() {
        if let Some(o) = &old {
            remove_instance(w, o);
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = c.id()?;
    let subnet = a.req_str("subnet_id")?;
    let s = subnet.clone();
    let sub = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|x| x.item.subnet_id == s)
        .map(|x| x.item.clone());
    let Some(sub) = sub else {
        return Err(Fault::Unknown(format!(
            "subnet {subnet} is neither in the snapshot nor created by the plan"
        )));
    };
    let mut sgs = a.strs("vpc_security_group_ids")?;
    if sgs.is_empty() {
        sgs = a.opt_strs("security_groups")?;
    }
    if sgs.is_empty() {
        let v = sub.vpc_id.clone();
        if let Some(g) = w
            .all()
            .flat_map(|d| d.security_groups.iter())
            .find(|g| g.item.group_name == "default" && g.item.vpc_id.as_deref() == Some(&v))
        {
            sgs.push(g.item.group_id.clone());
        }
    }
    let private_ip = match a.str("private_ip")? {
        Some(s) => Ip4(s.trim().parse().map_err(|_| {
            a.invalid("private_ip", format!("expected an IPv4 address, got {s:?}"))
        })?),
        None => {
            let Some(ip) = super::network::free_address(w, &subnet) else {
                return Ok(Outcome::NotEvaluated(format!(
                    "no free address in subnet {subnet} for the instance's private address"
                )));
            };
            w.assume(format!("instance {id}: its private address is assigned by AWS at apply; taken as {ip}, some address of its subnet {subnet} (any other address of the subnet gets the same answers unless a rule names single addresses)"));
            ip
        }
    };
    let public = a
        .bool("associate_public_ip_address")?
        .unwrap_or(sub.map_public_ip_on_launch);
    let public_ip = match a.str("public_ip")? {
        Some(s) => Some(Ip4(s.trim().parse().map_err(|_| {
            a.invalid("public_ip", format!("expected an IPv4 address, got {s:?}"))
        })?)),
        None if public => {
            let n = w.all().flat_map(|d| d.network_interfaces.iter()).count() % 250;
            let ip = Ip4(std::net::Ipv4Addr::new(192, 0, 2, 1 + n as u8));
            w.assume(format!("instance {id}: it gets a public IPv4 address at apply; taken as {ip} (a documentation address standing for whatever AWS assigns)"));
            Some(ip)
        }
        None => None,
    };
    let eni = format!("eni-tf:{}#0", c.rc.address);
    let association = public_ip.map(|p| IpAssociation {
        public_ip: Some(p),
        ip_owner_id: Some("amazon".into()),
        allocation_id: None,
    });
    let state = a.str("instance_state")?.unwrap_or_else(|| "running".into());
    let inst_eni = InstanceNetworkInterface {
        network_interface_id: eni.clone(),
        subnet_id: Some(subnet.clone()),
        vpc_id: Some(sub.vpc_id.clone()),
        groups: groups(&sgs),
        interface_type: Some("interface".into()),
        source_dest_check: a.bool("source_dest_check")?,
        status: Some("in-use".into()),
        private_ip_address: Some(private_ip),
        private_ip_addresses: vec![PrivateIpAddress {
            private_ip_address: Some(private_ip),
            primary: true,
            association: association.clone(),
        }],
        association: association.clone(),
        ..Default::default()
    };
    let instance = Instance {
        instance_id: id.clone(),
        state: Some(InstanceState {
            code: None,
            name: state,
        }),
        subnet_id: Some(subnet.clone()),
        vpc_id: Some(sub.vpc_id.clone()),
        private_ip_address: Some(private_ip),
        public_ip_address: public_ip,
        source_dest_check: a.bool("source_dest_check")?,
        iam_instance_profile: a.str("iam_instance_profile")?.map(|p| IamInstanceProfile {
            arn: Some(p),
            id: None,
        }),
        network_interfaces: vec![inst_eni],
        security_groups: groups(&sgs),
        placement: sub.availability_zone.clone().map(|z| Placement {
            availability_zone: Some(z),
        }),
        tags: a.tags()?,
        ..Default::default()
    };
    let iface = NetworkInterface {
        network_interface_id: eni,
        subnet_id: Some(subnet.clone()),
        vpc_id: Some(sub.vpc_id.clone()),
        availability_zone: sub.availability_zone.clone(),
        groups: groups(&sgs),
        interface_type: Some("interface".into()),
        source_dest_check: a.bool("source_dest_check")?,
        status: Some("in-use".into()),
        private_ip_address: Some(private_ip),
        private_ip_addresses: vec![PrivateIpAddress {
            private_ip_address: Some(private_ip),
            primary: true,
            association: association.clone(),
        }],
        association,
        attachment: Some(EniAttachment {
            instance_id: Some(id),
            instance_owner_id: None,
            status: Some("attached".into()),
            device_index: Some(0),
        }),
        ..Default::default()
    };
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnet));
    data.reservations.push(c.here.locate(Reservation {
        reservation_id: None,
        owner_id: None,
        instances: vec![instance],
    }));
    data.network_interfaces.push(c.here.locate(iface));
    Ok(Outcome::Applied)
}

/// `aws_network_interface_sg_attachment`.
pub fn sg_attachment(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let edit = |w: &mut World<'_>, eni: &str, sg: &str, add: bool| {
        for d in w.all() {
            for e in d
                .network_interfaces
                .iter_mut()
                .filter(|e| e.item.network_interface_id == eni)
            {
                e.item.groups.retain(|g| g.group_id != sg);
                if add {
                    e.item.groups.push(GroupIdentifier {
                        group_id: sg.to_string(),
                        group_name: None,
                    });
                }
            }
            for r in d.reservations.iter_mut() {
                for i in r.item.instances.iter_mut() {
                    for n in i
                        .network_interfaces
                        .iter_mut()
                        .filter(|n| n.network_interface_id == eni)
                    {
                        n.groups.retain(|g| g.group_id != sg);
                        if add {
                            n.groups.push(GroupIdentifier {
                                group_id: sg.to_string(),
                                group_name: None,
                            });
                        }
                    }
                }
            }
        }
    };
    if c.removes() {
        if let Some(b) = c.before {
            edit(
                w,
                &b.req_str("network_interface_id")?,
                &b.req_str("security_group_id")?,
                false,
            );
        }
    }
    if let Some(a) = c.added() {
        edit(
            w,
            &a.req_str("network_interface_id")?,
            &a.req_str("security_group_id")?,
            true,
        );
    }
    Ok(Outcome::Applied)
}
