//! Network interfaces (`aws_network_interface`: subnet, `private_ips` / `private_ip`,
//! `security_groups`, `attachment { instance, device_index }`) and elastic IPs (`aws_eip` with
//! `instance` or `network_interface`, `aws_eip_association`), in the
//! `describe-network-interfaces` / `describe-addresses` shapes. An elastic IP's address,
//! allocated at apply, is a documentation address (192.0.2.0/24) standing for it, stated as an
//! assumption; an interface's private address AWS assigns is some free address of its subnet.

use super::{Change, Outcome, World};
use crate::snapshot::aws::*;
use crate::tfplan::attrs::{Attrs, Fault};

fn ip(a: &Attrs<'_>, key: &str, s: &str) -> Result<Ip4, Fault> {
    s.trim()
        .parse()
        .map(Ip4)
        .map_err(|_| a.invalid(key, format!("expected an IPv4 address, got {s:?}")))
}

/// The primary interface (device index 0) of instance `id`.
fn primary_eni(w: &mut World<'_>, id: &str) -> Option<String> {
    w.all()
        .flat_map(|d| d.network_interfaces.iter())
        .find(|e| {
            e.item.attachment.as_ref().is_some_and(|a| {
                a.instance_id.as_deref() == Some(id) && a.device_index.unwrap_or(0) == 0
            })
        })
        .map(|e| e.item.network_interface_id.clone())
}

/// Give (or take back, `public = None`) the public address of `private` (the primary address
/// when `None`) on interface `eni`, on the interface and on its instance's copy.
fn set_public(
    w: &mut World<'_>,
    eni: &str,
    private: Option<Ip4>,
    public: Option<(Ip4, Option<String>)>,
) -> bool {
    let assoc = public.map(|(p, alloc)| IpAssociation {
        public_ip: Some(p),
        ip_owner_id: None,
        allocation_id: alloc,
    });
    let mut found = false;
    let edit = |primary: Option<Ip4>,
                slots: &mut Vec<PrivateIpAddress>,
                top: &mut Option<IpAssociation>| {
        let target = private.or(primary);
        for s in slots.iter_mut() {
            if s.private_ip_address == target || (target.is_none() && s.primary) {
                s.association = assoc.clone();
                if s.primary {
                    *top = assoc.clone();
                }
            }
        }
        if slots.is_empty() || target == primary {
            *top = assoc.clone();
        }
    };
    for d in w.all() {
        for e in d
            .network_interfaces
            .iter_mut()
            .filter(|e| e.item.network_interface_id == eni)
        {
            found = true;
            let it = &mut e.item;
            edit(
                it.private_ip_address,
                &mut it.private_ip_addresses,
                &mut it.association,
            );
        }
        for r in d.reservations.iter_mut() {
            for i in r.item.instances.iter_mut() {
                let mut primary_changed = false;
                for n in i
                    .network_interfaces
                    .iter_mut()
                    .filter(|n| n.network_interface_id == eni)
                {
                    edit(
                        n.private_ip_address,
                        &mut n.private_ip_addresses,
                        &mut n.association,
                    );
                    primary_changed = true;
                }
                if primary_changed
                    && i.network_interfaces
                        .first()
                        .map(|n| n.network_interface_id.as_str())
                        == Some(eni)
                {
                    i.public_ip_address = i
                        .network_interfaces
                        .first()
                        .and_then(|n| n.association.as_ref())
                        .and_then(|a| a.public_ip);
                }
            }
        }
    }
    found
}

/// Remove elastic IP `alloc` (or the one with address `public`) and its association.
fn remove_eip(w: &mut World<'_>, alloc: Option<&str>, public: Option<Ip4>) {
    let mut gone = Vec::new();
    for d in w.all() {
        d.addresses.retain(|x| {
            let hit = (alloc.is_some() && x.item.allocation_id.as_deref() == alloc)
                || (public.is_some() && x.item.public_ip == public);
            if hit {
                gone.push(x.item.clone());
            }
            !hit
        });
    }
    for a in gone {
        if let Some(eni) = &a.network_interface_id {
            set_public(w, eni, a.private_ip_address, None);
        }
    }
}

/// An elastic IP's interface, instance and private address.
type Target = (String, Option<String>, Option<Ip4>);

/// Where an elastic IP goes: the interface (`network_interface`, else the instance's primary
/// one) and the private address.
fn target(
    w: &mut World<'_>,
    a: &Attrs<'_>,
    eni_key: &str,
    instance_key: &str,
    private_key: &str,
) -> Result<Option<Target>, Fault> {
    let private = a
        .str(private_key)?
        .map(|s| ip(a, private_key, &s))
        .transpose()?;
    let instance = a.str(instance_key)?;
    let eni = match a.str(eni_key)? {
        Some(e) => Some(e),
        None => match &instance {
            Some(i) => Some(primary_eni(w, i).ok_or_else(|| {
                Fault::Unknown(format!(
                    "instance {i} has no network interface in the snapshot or the plan"
                ))
            })?),
            None => None,
        },
    };
    Ok(eni.map(|e| (e, instance, private)))
}

fn associate(
    w: &mut World<'_>,
    alloc: &str,
    public: Ip4,
    eni: &str,
    instance: Option<String>,
    private: Option<Ip4>,
) -> Result<(), Fault> {
    if !set_public(w, eni, private, Some((public, Some(alloc.to_string())))) {
        return Err(Fault::Unknown(format!(
            "network interface {eni} is neither in the snapshot nor created by the plan"
        )));
    }
    for d in w.all() {
        for x in d
            .addresses
            .iter_mut()
            .filter(|x| x.item.allocation_id.as_deref() == Some(alloc))
        {
            x.item.network_interface_id = Some(eni.to_string());
            x.item.instance_id = instance.clone();
            x.item.private_ip_address = private;
        }
    }
    Ok(())
}

/// `aws_eip`.
pub fn eip(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let public = b
                .str("public_ip")?
                .map(|s| ip(b, "public_ip", &s))
                .transpose()?;
            remove_eip(w, b.str("id")?.as_deref(), public);
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = c.id()?;
    let public = match a.str("public_ip")? {
        Some(s) => ip(a, "public_ip", &s)?,
        None => {
            let n = w.all().map(|d| d.addresses.len()).sum::<usize>() % 250;
            let p = Ip4(std::net::Ipv4Addr::new(192, 0, 2, 200 - (n % 100) as u8));
            w.assume(format!("elastic IP {id}: its address is allocated at apply; taken as {p} (a documentation address standing for it)"));
            p
        }
    };
    let data = w.scope_of(|_| true);
    data.addresses.push(c.here.locate(Address {
        public_ip: Some(public),
        allocation_id: Some(id.clone()),
        domain: Some("vpc".into()),
        tags: a.tags()?,
        ..Default::default()
    }));
    if let Some((eni, instance, private)) = target(
        w,
        a,
        "network_interface",
        "instance",
        "associate_with_private_ip",
    )? {
        associate(w, &id, public, &eni, instance, private)?;
    }
    Ok(Outcome::Applied)
}

/// `aws_eip_association`.
pub fn eip_association(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    if c.removes() {
        if let Some(b) = c.before {
            let alloc = b.str("allocation_id")?;
            let mut undone = Vec::new();
            for d in w.all() {
                for x in d
                    .addresses
                    .iter_mut()
                    .filter(|x| alloc.is_some() && x.item.allocation_id == alloc)
                {
                    if let Some(e) = x.item.network_interface_id.take() {
                        undone.push((e, x.item.private_ip_address.take()));
                    }
                    x.item.instance_id = None;
                    x.item.association_id = None;
                }
            }
            for (e, p) in undone {
                set_public(w, &e, p, None);
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let alloc = match a.str("allocation_id")? {
        Some(x) => x,
        None => {
            let p = a.req_str("public_ip")?;
            let p = ip(a, "public_ip", &p)?;
            w.all()
                .flat_map(|d| d.addresses.iter())
                .find(|x| x.item.public_ip == Some(p))
                .and_then(|x| x.item.allocation_id.clone())
                .ok_or_else(|| Fault::Unknown(format!("elastic IP {p} is not in the snapshot")))?
        }
    };
    let public = w
        .all()
        .flat_map(|d| d.addresses.iter())
        .find(|x| x.item.allocation_id.as_deref() == Some(alloc.as_str()))
        .and_then(|x| x.item.public_ip)
        .ok_or_else(|| {
            Fault::Unknown(format!(
                "elastic IP {alloc} is neither in the snapshot nor created by the plan"
            ))
        })?;
    let Some((eni, instance, private)) = target(
        w,
        a,
        "network_interface_id",
        "instance_id",
        "private_ip_address",
    )?
    else {
        return Err(a.invalid(
            "instance_id",
            "neither instance_id nor network_interface_id is set".into(),
        ));
    };
    associate(w, &alloc, public, &eni, instance, private)?;
    Ok(Outcome::Applied)
}

/// `aws_network_interface`.
pub fn network_interface(w: &mut World<'_>, c: &Change<'_>) -> Result<Outcome, Fault> {
    let old = c.old_id()?;
    if c.removes() {
        if let Some(o) = &old {
            for d in w.all() {
                d.network_interfaces
                    .retain(|e| &e.item.network_interface_id != o);
                for r in d.reservations.iter_mut() {
                    for i in r.item.instances.iter_mut() {
                        i.network_interfaces
                            .retain(|n| &n.network_interface_id != o);
                    }
                }
            }
        }
    }
    let Some(a) = c.added() else {
        return Ok(Outcome::Applied);
    };
    let id = match (c.rc.action, old) {
        (crate::tfplan::Action::Update, Some(o)) => o,
        _ => c.id()?,
    };
    let subnet = a.req_str("subnet_id")?;
    let sub = w
        .all()
        .flat_map(|d| d.subnets.iter())
        .find(|x| x.item.subnet_id == subnet)
        .map(|x| x.item.clone())
        .ok_or_else(|| {
            Fault::Unknown(format!(
                "subnet {subnet} is neither in the snapshot nor created by the plan"
            ))
        })?;
    let mut addrs = Vec::new();
    for s in a.opt_strs("private_ips")? {
        addrs.push(ip(a, "private_ips", &s)?);
    }
    if let Some(s) = a.str("private_ip")? {
        let p = ip(a, "private_ip", &s)?;
        addrs.retain(|x| *x != p);
        addrs.insert(0, p);
    }
    if addrs.is_empty() {
        let Some(p) = super::network::free_address(w, &subnet) else {
            return Ok(Outcome::NotEvaluated(format!(
                "no free address in subnet {subnet} for the interface's private address"
            )));
        };
        w.assume(format!("network interface {id}: its private address is assigned by AWS at apply; taken as {p}, some address of its subnet {subnet}"));
        addrs.push(p);
    }
    let mut sgs = a.opt_strs("security_groups")?;
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
    let groups: Vec<GroupIdentifier> = sgs
        .iter()
        .map(|g| GroupIdentifier {
            group_id: g.clone(),
            group_name: None,
        })
        .collect();
    let attachment = match a.blocks("attachment")?.first() {
        Some(b) => Some((b.req_str("instance")?, b.int("device_index")?.unwrap_or(1))),
        None => None,
    };
    let slots: Vec<PrivateIpAddress> = addrs
        .iter()
        .enumerate()
        .map(|(i, p)| PrivateIpAddress {
            private_ip_address: Some(*p),
            primary: i == 0,
            association: None,
        })
        .collect();
    let iface = NetworkInterface {
        network_interface_id: id.clone(),
        subnet_id: Some(subnet.clone()),
        vpc_id: Some(sub.vpc_id.clone()),
        availability_zone: sub.availability_zone.clone(),
        description: a.str("description")?,
        groups: groups.clone(),
        interface_type: Some("interface".into()),
        source_dest_check: a.bool("source_dest_check")?,
        status: Some(
            if attachment.is_some() {
                "in-use"
            } else {
                "available"
            }
            .into(),
        ),
        private_ip_address: addrs.first().copied(),
        private_ip_addresses: slots.clone(),
        attachment: attachment.as_ref().map(|(i, n)| EniAttachment {
            instance_id: Some(i.clone()),
            instance_owner_id: None,
            status: Some("attached".into()),
            device_index: Some(*n),
        }),
        tag_set: a.tags()?,
        ..Default::default()
    };
    if let Some((inst, _)) = &attachment {
        for d in w.all() {
            for r in d.reservations.iter_mut() {
                for i in r
                    .item
                    .instances
                    .iter_mut()
                    .filter(|i| &i.instance_id == inst)
                {
                    i.network_interfaces.push(InstanceNetworkInterface {
                        network_interface_id: id.clone(),
                        subnet_id: Some(subnet.clone()),
                        vpc_id: Some(sub.vpc_id.clone()),
                        groups: groups.clone(),
                        interface_type: Some("interface".into()),
                        source_dest_check: a.bool("source_dest_check")?,
                        status: Some("in-use".into()),
                        private_ip_address: addrs.first().copied(),
                        private_ip_addresses: slots.clone(),
                        ..Default::default()
                    });
                }
            }
        }
    }
    let data = w.scope_of(|d| d.subnets.iter().any(|x| x.item.subnet_id == subnet));
    data.network_interfaces.push(c.here.locate(iface));
    Ok(Outcome::Applied)
}
