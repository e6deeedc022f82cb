//! The representative questions about a synthetic organisation: the probes with verdicts known
//! by construction, then same-VPC, transit-gateway, peering, cache, internet and ENI questions
//! drawn from the instances each VPC kept as samples, and a VPC block as a CIDR source.

use super::*;

fn q(kind: &str, from: &str, to: &str, port: Option<&str>, expect: Option<bool>) -> SynthQuery {
    SynthQuery {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
        port: port.map(str::to_string),
        expect_reachable: expect,
    }
}

pub(super) fn queries(
    plan: &Plan,
    samples: &[VpcSamples],
    s: &SynthSummary,
    rng: &mut Rng,
) -> Vec<SynthQuery> {
    let mut out = vec![
        q(
            "same-subnet",
            &s.probe_client,
            &s.probe_open_server,
            Some("22"),
            Some(true),
        ),
        q(
            "same-subnet",
            &s.probe_client,
            &s.probe_closed_server,
            Some("22"),
            Some(false),
        ),
        q(
            "internet-in",
            "internet",
            &s.public_instance,
            Some("443"),
            Some(true),
        ),
    ];
    if let Some(c) = &s.cache {
        out.push(q(
            "cache",
            &s.probe_client,
            &format!("cache:{c}"),
            None,
            Some(true),
        ));
        out.push(q(
            "cache",
            "internet",
            &format!("cache:{c}"),
            None,
            Some(false),
        ));
    }
    let n = plan.vpcs.len();
    let with =
        |k: usize| -> Vec<usize> { (0..n).filter(|&v| samples[v].private.len() >= k).collect() };
    // Same VPC, different instances.
    let two = with(2);
    for _ in 0..3 {
        if let Some(&v) = rng.pick(&two) {
            let p = &samples[v].private;
            out.push(q(
                "same-vpc",
                &p[0].0,
                &p[1].0,
                Some(*rng.pick(&["443", "22", "8080"]).unwrap_or(&"443")),
                None,
            ));
        }
    }
    // Across a transit gateway: attached VPCs of one scope, disjoint blocks.
    let mut tgw_pairs = Vec::new();
    for sp in plan.scopes.iter().filter(|sp| sp.tgw) {
        let att: Vec<usize> = sp
            .vpcs
            .iter()
            .copied()
            .filter(|&v| {
                plan.vpcs[v].attached && !plan.vpcs[v].overlaps && !samples[v].private.is_empty()
            })
            .collect();
        if att.len() >= 2 {
            tgw_pairs.push((att[0], att[att.len() - 1]));
            tgw_pairs.push((att[1], att[att.len() / 2]));
        }
    }
    tgw_pairs.retain(|(a, b)| a != b);
    tgw_pairs.sort_unstable();
    tgw_pairs.dedup();
    let start = rng.below(tgw_pairs.len());
    for k in 0..3.min(tgw_pairs.len()) {
        let (a, b) = tgw_pairs[(start + k) % tgw_pairs.len()];
        out.push(q(
            "tgw",
            &samples[a].private[0].0,
            &samples[b].private[0].0,
            Some("443"),
            None,
        ));
    }
    // Across a peering.
    for p in plan.peerings.iter().take(2) {
        if let (Some(a), Some(b)) = (samples[p.a].private.first(), samples[p.b].private.first()) {
            out.push(q("peering", &a.0, &b.0, Some("443"), None));
        }
    }
    // Other caches, from their client instance (the first ordinary one of the VPC).
    for (c, &v) in plan.cache_vpc.iter().enumerate().skip(1).take(2) {
        if let Some(client) = samples[v].private.first() {
            out.push(q("cache", &client.0, &format!("cache-{c:04}"), None, None));
        }
    }
    // Internet to other public instances, instances to the internet.
    let pubs: Vec<usize> = (1..n).filter(|&v| !samples[v].public.is_empty()).collect();
    if let Some(&v) = rng.pick(&pubs) {
        out.push(q(
            "internet-in",
            "internet",
            &samples[v].public[0],
            Some("22"),
            None,
        ));
    }
    let one = with(1);
    for _ in 0..2 {
        if let Some(&v) = rng.pick(&one) {
            out.push(q(
                "internet-out",
                &samples[v].private[0].0,
                "internet",
                Some("443"),
                None,
            ));
        }
    }
    // ENI to ENI by id.
    for _ in 0..2 {
        if let Some(&v) = rng.pick(&two) {
            let p = &samples[v].private;
            out.push(q("eni", &p[1].1, &p[0].1, Some("443"), None));
        }
    }
    // A CIDR source: every address of a VPC's /20 (its interfaces, its subnets' unheld
    // addresses) to one of its instances.
    if let Some(&v) = two.first() {
        let block = format!("{}/20", std::net::Ipv4Addr::from(plan.vpcs[v].base));
        out.push(q(
            "cidr",
            &block,
            &samples[v].private[0].0,
            Some("443"),
            None,
        ));
    }
    out
}
