//! PrivateLink's provider side: load balancers, listeners, target groups (with their targets'
//! health and attributes), endpoint services, resource gateways and resource configurations;
//! then, once every scope is built, the links: load balancer and resource gateway interfaces,
//! target addresses, interface endpoints to their endpoint service, resource endpoints to
//! their resource configuration.

use super::builder::Builder;
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use std::collections::HashMap;
use std::net::IpAddr;

/// The attribute that turns cross-zone load balancing on or off (load balancer and target
/// group).
const CROSS_ZONE: &str = "load_balancing.cross_zone.enabled";

/// The value of attribute `key` in a `describe-…-attributes` list.
fn attribute<'a>(attrs: &'a [aws::KeyValue], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

fn port(p: Option<aws::AwsPort>) -> Option<u16> {
    p.and_then(|p| u16::try_from(p.0).ok())
}

impl Builder {
    fn lb_by_arn(&self) -> HashMap<String, LoadBalancerIdx> {
        self.t
            .load_balancers
            .iter()
            .enumerate()
            .map(|(i, l)| (l.arn.clone(), LoadBalancerIdx(i as u32)))
            .collect()
    }

    fn tg_by_arn(&self) -> HashMap<String, TargetGroupIdx> {
        self.t
            .target_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.arn.clone(), TargetGroupIdx(i as u32)))
            .collect()
    }

    /// A reference by ARN (or id) to an object of `what` kind, with a warning when it is not in
    /// the snapshot.
    fn arn_ref<I: Copy>(
        &mut self,
        map: &HashMap<String, I>,
        arn: &str,
        (file, ptr): (u32, &str),
        what: &str,
    ) -> Ref<I> {
        let idx = map.get(arn).copied();
        if idx.is_none() && !arn.is_empty() {
            self.diag(
                Severity::Warning,
                DiagCode::DanglingReference,
                file,
                ptr,
                format!("{what} {arn} is not in the snapshot (deleted, or its output is missing); kept as a dangling reference"),
            );
        }
        Ref {
            id: arn.to_string(),
            idx,
        }
    }

    /// Load balancers, target groups, listeners, endpoint services, resource gateways and
    /// resource configurations of one scope.
    pub(super) fn construct_privatelink(&mut self, scope: ScopeIdx, d: &RawData) {
        for e in &d.load_balancers {
            let lb = self.load_balancer(scope, &e.item, e.file, &e.pointer);
            self.t.load_balancers.push(lb);
        }
        for e in &d.target_groups {
            let tg = self.target_group(scope, &e.item, e.file, &e.pointer);
            self.t.target_groups.push(tg);
        }
        let lbs = self.lb_by_arn();
        let tgs = self.tg_by_arn();
        let mut listeners: Vec<(aws::Listener, u32, String)> = d
            .listeners
            .iter()
            .map(|e| (e.item.clone(), e.file, e.pointer.clone()))
            .collect();
        for w in &d.load_balancer_listeners {
            for (i, l) in w.item.listeners.iter().enumerate() {
                let mut l = l.clone();
                if l.load_balancer_arn.is_empty() {
                    l.load_balancer_arn = w.item.load_balancer_arn.clone();
                }
                listeners.push((l, w.file, format!("{}/Listeners/{i}", w.pointer)));
            }
        }
        for (l, file, ptr) in &listeners {
            self.listener(l, (*file, ptr), &lbs, &tgs);
        }
        for w in &d.target_group_health {
            let at = (w.file, format!("{}/TargetGroupArn", w.pointer));
            let r = self.arn_ref(
                &tgs,
                &w.item.target_group_arn,
                (at.0, &at.1),
                "target group",
            );
            if let Some(g) = r.idx {
                let tg = &mut self.t.target_groups[g.i()];
                tg.health_known = true;
                for h in &w.item.target_health_descriptions {
                    tg.targets.push(Target {
                        id: h.target.id.clone(),
                        port: port(h.target.port).or(tg.port),
                        availability_zone: h.target.availability_zone.clone(),
                        health: h.target_health.as_ref().map(|x| x.state.clone()),
                        reason: h.target_health.as_ref().and_then(|x| x.reason.clone()),
                        instance: None,
                        address: None,
                        network_interface: None,
                    });
                }
            }
        }
        for w in &d.target_group_attributes {
            let at = (w.file, format!("{}/TargetGroupArn", w.pointer));
            let r = self.arn_ref(
                &tgs,
                &w.item.target_group_arn,
                (at.0, &at.1),
                "target group",
            );
            if let Some(g) = r.idx {
                let attrs = &w.item.attributes;
                self.t.target_groups[g.i()].preserve_client_ip =
                    attribute(attrs, "preserve_client_ip.enabled")
                        .map(|v| v.eq_ignore_ascii_case("true"));
                // Absent from a group's attributes: the group follows the load balancer.
                let cz = attribute(attrs, CROSS_ZONE).map(str::to_ascii_lowercase);
                self.t.target_groups[g.i()].cross_zone = Some(match cz.as_deref() {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => None,
                });
            }
        }
        for w in &d.load_balancer_attributes {
            let at = (w.file, format!("{}/LoadBalancerArn", w.pointer));
            let r = self.arn_ref(
                &lbs,
                &w.item.load_balancer_arn,
                (at.0, &at.1),
                "load balancer",
            );
            if let Some(l) = r.idx {
                let lb = &mut self.t.load_balancers[l.i()];
                // Absent: the default, off for Network and on for Application Load Balancers.
                lb.cross_zone = Some(match attribute(&w.item.attributes, CROSS_ZONE) {
                    Some(v) => v.eq_ignore_ascii_case("true"),
                    None => !lb.is_network(),
                });
            }
        }
        for e in &d.service_configurations {
            let it = &e.item;
            let mut load_balancers = Vec::new();
            for (i, a) in it.network_load_balancer_arns.iter().enumerate() {
                let ptr = format!("{}/NetworkLoadBalancerArns/{i}", e.pointer);
                load_balancers.push(self.arn_ref(&lbs, a, (e.file, &ptr), "load balancer"));
            }
            let state = it.service_state.clone().unwrap_or_default();
            self.t.endpoint_services.push(EndpointService {
                id: it.service_id.clone(),
                name: it.service_name.clone().unwrap_or_default(),
                scope,
                active: state.eq_ignore_ascii_case("available"),
                state,
                acceptance_required: it.acceptance_required,
                load_balancers,
                gateway_load_balancers: it.gateway_load_balancer_arns.clone(),
                availability_zones: it.availability_zones.clone(),
            });
        }
        for e in &d.resource_gateways {
            let g = self.resource_gateway(scope, &e.item, e.file, &e.pointer);
            self.t.resource_gateways.push(g);
        }
        let gateways: HashMap<String, ResourceGatewayIdx> = self
            .t
            .resource_gateways
            .iter()
            .enumerate()
            .flat_map(|(i, g)| {
                let x = ResourceGatewayIdx(i as u32);
                [Some((g.id.clone(), x)), g.arn.clone().map(|a| (a, x))]
            })
            .flatten()
            .collect();
        for e in &d.resource_configurations {
            let it = &e.item;
            let gw = it.resource_gateway_id.clone().unwrap_or_default();
            let ptr = format!("{}/resourceGatewayId", e.pointer);
            let gateway = self.arn_ref(&gateways, &gw, (e.file, &ptr), "resource gateway");
            let def = it.resource_configuration_definition.as_ref();
            let resource = match def {
                Some(aws::ResourceConfigurationDefinition {
                    ip_resource:
                        Some(aws::IpResource {
                            ip_address: Some(a),
                        }),
                    ..
                }) => Resource::Ip(IpAddr::V4(a.0)),
                Some(aws::ResourceConfigurationDefinition {
                    dns_resource: Some(x),
                    ..
                }) => Resource::Dns(x.domain_name.clone()),
                Some(aws::ResourceConfigurationDefinition {
                    arn_resource: Some(x),
                    ..
                }) => Resource::Arn(x.arn.clone()),
                _ => Resource::Unknown,
            };
            let status = it.status.clone().unwrap_or_default();
            self.t.resource_configurations.push(ResourceConfiguration {
                id: it.id.clone(),
                arn: it.arn.clone(),
                name: it.name.clone(),
                scope,
                active: status.eq_ignore_ascii_case("active"),
                status,
                config_type: it.config_type.clone(),
                protocol: it.protocol.clone().unwrap_or_else(|| "TCP".into()),
                port_ranges: it.port_ranges.iter().map(|p| (p.0, p.1)).collect(),
                gateway,
                resource,
            });
        }
    }

    fn load_balancer(
        &mut self,
        scope: ScopeIdx,
        it: &aws::LoadBalancer,
        file: u32,
        ptr: &str,
    ) -> LoadBalancer {
        let vpc_id = it.vpc_id.clone().unwrap_or_default();
        let vpc = self.find_checked(
            scope,
            Kind::Vpc,
            &vpc_id,
            file,
            &format!("{ptr}/VpcId"),
            "VPC",
        );
        let mut zones = Vec::new();
        for (i, z) in it.availability_zones.iter().enumerate() {
            let sid = z.subnet_id.clone().unwrap_or_default();
            let subnet = self.find_checked(
                scope,
                Kind::Subnet,
                &sid,
                file,
                &format!("{ptr}/AvailabilityZones/{i}/SubnetId"),
                "subnet",
            );
            let addresses = z
                .load_balancer_addresses
                .iter()
                .filter_map(|a| a.private_ipv4_address.or(a.ip_address))
                .map(|a| IpAddr::V4(a.0))
                .collect();
            zones.push(LbZone {
                zone: z.zone_name.clone(),
                subnet,
                addresses,
            });
        }
        let mut security_groups = Vec::new();
        for (i, g) in it.security_groups.iter().enumerate() {
            let p = format!("{ptr}/SecurityGroups/{i}");
            security_groups.push(self.find_checked(
                scope,
                Kind::SecurityGroup,
                g,
                file,
                &p,
                "security group",
            ));
        }
        let state = it
            .state
            .as_ref()
            .map(|s| s.code.clone())
            .unwrap_or_default();
        LoadBalancer {
            arn: it.load_balancer_arn.clone(),
            name: it.load_balancer_name.clone().unwrap_or_default(),
            scope,
            lb_type: it.lb_type.clone().unwrap_or_default(),
            scheme: it.scheme.clone(),
            vpc,
            active: state.eq_ignore_ascii_case("active")
                || state.eq_ignore_ascii_case("active_impaired"),
            state,
            zones,
            security_groups,
            enforce_sg_on_privatelink: it
                .enforce_security_group_inbound_rules_on_private_link_traffic
                .as_deref()
                .map(|v| !v.eq_ignore_ascii_case("off")),
            cross_zone: None,
            network_interfaces: Vec::new(),
            listeners: Vec::new(),
        }
    }

    fn target_group(
        &mut self,
        scope: ScopeIdx,
        it: &aws::TargetGroup,
        file: u32,
        ptr: &str,
    ) -> TargetGroup {
        let vpc = it
            .vpc_id
            .as_ref()
            .map(|v| self.find_checked(scope, Kind::Vpc, v, file, &format!("{ptr}/VpcId"), "VPC"));
        let lbs = self.lb_by_arn();
        let mut load_balancers = Vec::new();
        for (i, a) in it.load_balancer_arns.iter().enumerate() {
            let p = format!("{ptr}/LoadBalancerArns/{i}");
            load_balancers.push(self.arn_ref(&lbs, a, (file, &p), "load balancer"));
        }
        TargetGroup {
            arn: it.target_group_arn.clone(),
            name: it.target_group_name.clone().unwrap_or_default(),
            scope,
            protocol: it.protocol.clone(),
            port: port(it.port),
            vpc,
            target_type: it.target_type.clone().unwrap_or_else(|| "instance".into()),
            load_balancers,
            targets: Vec::new(),
            health_known: false,
            preserve_client_ip: None,
            cross_zone: None,
        }
    }

    fn listener(
        &mut self,
        l: &aws::Listener,
        (file, ptr): (u32, &str),
        lbs: &HashMap<String, LoadBalancerIdx>,
        tgs: &HashMap<String, TargetGroupIdx>,
    ) {
        let p = format!("{ptr}/LoadBalancerArn");
        let load_balancer = self.arn_ref(lbs, &l.load_balancer_arn, (file, &p), "load balancer");
        let mut target_groups = Vec::new();
        for (i, a) in l.default_actions.iter().enumerate() {
            if !a.action_type.eq_ignore_ascii_case("forward") {
                continue;
            }
            let mut arns: Vec<(String, String)> = Vec::new();
            if let Some(t) = &a.target_group_arn {
                arns.push((
                    t.clone(),
                    format!("{ptr}/DefaultActions/{i}/TargetGroupArn"),
                ));
            }
            if let Some(fc) = &a.forward_config {
                for (j, t) in fc.target_groups.iter().enumerate() {
                    arns.push((
                        t.target_group_arn.clone(),
                        format!("{ptr}/DefaultActions/{i}/ForwardConfig/TargetGroups/{j}"),
                    ));
                }
            }
            for (arn, p) in arns {
                if target_groups
                    .iter()
                    .any(|r: &Ref<TargetGroupIdx>| r.id == arn)
                {
                    continue;
                }
                target_groups.push(self.arn_ref(tgs, &arn, (file, &p), "target group"));
            }
        }
        let li = ListenerIdx(self.t.listeners.len() as u32);
        if let Some(x) = load_balancer.idx {
            self.t.load_balancers[x.i()].listeners.push(li);
        }
        self.t.listeners.push(Listener {
            arn: l.listener_arn.clone(),
            load_balancer,
            port: port(l.port),
            protocol: l.protocol.clone().unwrap_or_default(),
            target_groups,
        });
    }

    fn resource_gateway(
        &mut self,
        scope: ScopeIdx,
        it: &aws::ResourceGateway,
        file: u32,
        ptr: &str,
    ) -> ResourceGateway {
        let vpc_id = it.vpc_id.clone().unwrap_or_default();
        let vpc = self.find_checked(
            scope,
            Kind::Vpc,
            &vpc_id,
            file,
            &format!("{ptr}/vpcId"),
            "VPC",
        );
        let mut subnets = Vec::new();
        for (i, s) in it.subnet_ids.iter().enumerate() {
            let p = format!("{ptr}/subnetIds/{i}");
            subnets.push(self.find_checked(scope, Kind::Subnet, s, file, &p, "subnet"));
        }
        let mut security_groups = Vec::new();
        for (i, g) in it.security_group_ids.iter().enumerate() {
            let p = format!("{ptr}/securityGroupIds/{i}");
            security_groups.push(self.find_checked(
                scope,
                Kind::SecurityGroup,
                g,
                file,
                &p,
                "security group",
            ));
        }
        let status = it.status.clone().unwrap_or_default();
        ResourceGateway {
            id: it.id.clone(),
            arn: it.arn.clone(),
            name: it.name.clone(),
            scope,
            active: status.eq_ignore_ascii_case("active"),
            status,
            vpc,
            subnets,
            security_groups,
            network_interfaces: Vec::new(),
        }
    }

    /// Once every scope is built: interfaces of load balancers and resource gateways, target
    /// addresses, and consumer endpoints to what they reach.
    pub(super) fn link_privatelink(&mut self) {
        let t = &mut self.t;
        let mut lb_by_suffix: HashMap<(ScopeIdx, String), usize> = HashMap::new();
        for (i, lb) in t.load_balancers.iter().enumerate() {
            if let Some(s) = lb.arn_suffix() {
                lb_by_suffix.insert((lb.scope, s.to_string()), i);
            }
        }
        let mut gw_by_id: HashMap<String, usize> = HashMap::new();
        for (i, g) in t.resource_gateways.iter().enumerate() {
            gw_by_id.insert(g.id.clone(), i);
        }
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            if let EniOwner::LoadBalancer(s) = &e.owned_by {
                if let Some(&i) = lb_by_suffix.get(&(e.scope, s.clone())) {
                    t.load_balancers[i]
                        .network_interfaces
                        .push(EniIdx(ei as u32));
                }
            }
            let desc = e.description.as_deref().unwrap_or("");
            if desc.contains("rgw-") {
                for w in desc.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                    if let Some(&i) = gw_by_id.get(w) {
                        t.resource_gateways[i]
                            .network_interfaces
                            .push(EniIdx(ei as u32));
                    }
                }
            }
        }
        // Targets: an instance's primary private address, or the IP itself.
        let mut holder: HashMap<(Option<VpcIdx>, IpAddr), EniIdx> = HashMap::new();
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            for a in e.private_addresses() {
                holder.insert((e.vpc.idx, a), EniIdx(ei as u32));
            }
        }
        for g in 0..t.target_groups.len() {
            let (scope, vpc) = {
                let tg = &t.target_groups[g];
                (tg.scope, tg.vpc.as_ref().and_then(|v| v.idx))
            };
            for k in 0..t.target_groups[g].targets.len() {
                let id = t.target_groups[g].targets[k].id.clone();
                let (instance, address) = if let Ok(a) = id.parse::<IpAddr>() {
                    (None, Some(a))
                } else {
                    let i = t.ids.resolve(scope, Kind::Instance, &id).map(InstanceIdx);
                    let a = i
                        .and_then(|i| t.instances[i.i()].private_ip)
                        .map(IpAddr::V4);
                    (i, a)
                };
                let eni = address.and_then(|a| holder.get(&(vpc, a)).copied());
                let x = &mut t.target_groups[g].targets[k];
                x.instance = instance;
                x.address = address;
                x.network_interface = eni;
            }
        }
        let services: HashMap<&str, usize> = t
            .endpoint_services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut configs: HashMap<&str, usize> = HashMap::new();
        for (i, c) in t.resource_configurations.iter().enumerate() {
            configs.insert(c.id.as_str(), i);
            if let Some(a) = &c.arn {
                configs.insert(a.as_str(), i);
            }
        }
        let mut found = Vec::new();
        for (i, ep) in t.vpc_endpoints.iter().enumerate() {
            let svc = (ep.endpoint_type == EndpointType::Interface)
                .then(|| services.get(ep.service_name.as_str()).copied())
                .flatten();
            let cfg = ep
                .resource_configuration
                .as_ref()
                .and_then(|r| configs.get(r.id.as_str()).copied());
            found.push((i, svc, cfg));
        }
        for (i, svc, cfg) in found {
            let ep = &mut t.vpc_endpoints[i];
            ep.endpoint_service = svc.map(|s| EndpointServiceIdx(s as u32));
            if let Some(r) = ep.resource_configuration.as_mut() {
                r.idx = cfg.map(|c| ResourceConfigurationIdx(c as u32));
            }
        }
    }
}
