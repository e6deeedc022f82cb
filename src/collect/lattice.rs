//! The VPC Lattice calls of one region: `ListResourceGateways` (`nextToken` pagination), then
//! `GetResourceGateway` per gateway; `ListResourceConfigurations`, then
//! `GetResourceConfiguration` per configuration. The listings lack the subnets, security groups,
//! port ranges and resource definitions, so only their ids are used: they write no file of
//! their own, and the `get-…` outputs are written wrapped, one element per call, as
//! `{"ResourceGateways": [...]}` and `{"ResourceConfigurations": [...]}` in the CLI's camelCase,
//! as `scripts/export-snapshot.sh` does. A failed listing is a failed call of the manifest (its
//! key is then missing from the snapshot) and skips the `get-…` call; a failed `get-…` is one
//! error of that call, the other ids are kept.

use super::calls::{self as c, CallSpec, Ctx, Done};
use super::convert_lattice as conv;
use super::paginate::paginate;
use crate::snapshot::aws;
use aws_sdk_vpclattice::Client;
use serde::Serialize;
use std::future::Future;
use std::time::Instant;
use tokio::task::JoinSet;

/// A `nextToken`-paginated listing: `$req` request builder. Yields the ids of the items.
macro_rules! list_ids {
    ($ctx:expr, $req:expr) => {{
        let ctx: &Ctx = $ctx;
        paginate(|token| async move {
            let out = ctx.send($req.set_next_token(token).send()).await?;
            let ids: Vec<String> = out
                .items()
                .iter()
                .filter_map(|item| item.id().map(str::to_string))
                .collect();
            Ok::<_, String>((ids, out.next_token().map(str::to_string)))
        })
        .await
        .map_err(|e| e.to_string())
    }};
}

/// Every VPC Lattice call of one region, in [`c::CALLS`] order.
pub async fn collect_region(ctx: &Ctx, client: &Client) -> Vec<Done> {
    let gateway_ids = async {
        let started = Instant::now();
        let res = list_ids!(ctx, client.list_resource_gateways());
        let done = ids_done(&c::RESOURCE_GATEWAY_LIST, &res, started);
        ctx.progress.call_done(&done);
        (done, res.ok())
    };
    let configuration_ids = async {
        let started = Instant::now();
        let res = list_ids!(ctx, client.list_resource_configurations());
        let done = ids_done(&c::RESOURCE_CONFIGURATION_LIST, &res, started);
        ctx.progress.call_done(&done);
        (done, res.ok())
    };
    let ((gw_list, gw_ids), (cfg_list, cfg_ids)) = tokio::join!(gateway_ids, configuration_ids);
    let (gateways, configurations) = tokio::join!(
        per_id(
            ctx,
            &c::RESOURCE_GATEWAYS,
            &c::RESOURCE_GATEWAY_LIST,
            gw_ids,
            client,
            resource_gateway
        ),
        per_id(
            ctx,
            &c::RESOURCE_CONFIGURATIONS,
            &c::RESOURCE_CONFIGURATION_LIST,
            cfg_ids,
            client,
            resource_configuration
        ),
    );
    vec![gw_list, gateways, cfg_list, configurations]
}

/// An id listing's outcome: the number of ids, or the failure.
fn ids_done(spec: &'static CallSpec, res: &Result<Vec<String>, String>, started: Instant) -> Done {
    match res {
        Ok(ids) => Done::ids_listed(spec, ids.len(), started.elapsed()),
        Err(e) => Done::failed(spec, e.clone(), started.elapsed()),
    }
}

/// Run `call` for every id concurrently and gather the elements in listing order. `ids == None`
/// means the listing failed: the call is skipped, never silently empty. A failed id is one error
/// of the call; the others are kept.
async fn per_id<T, F, Fut>(
    ctx: &Ctx,
    spec: &'static CallSpec,
    list_spec: &'static CallSpec,
    ids: Option<Vec<String>>,
    client: &Client,
    call: F,
) -> Done
where
    T: Serialize + Send + 'static,
    F: Fn(Ctx, Client, String) -> Fut,
    Fut: Future<Output = Result<T, String>> + Send + 'static,
{
    let started = Instant::now();
    let Some(ids) = ids else {
        let done = Done::skipped(spec, format!("{} failed", list_spec.operation));
        ctx.progress.call_done(&done);
        return done;
    };
    let mut set = JoinSet::new();
    for (i, id) in ids.iter().enumerate() {
        let fut = call(ctx.clone(), client.clone(), id.clone());
        set.spawn(async move { (i, fut.await) });
    }
    let mut results: Vec<(usize, Result<T, String>)> = Vec::with_capacity(ids.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(r) => results.push(r),
            Err(e) => results.push((usize::MAX, Err(format!("task failed: {e}")))),
        }
    }
    results.sort_by_key(|(i, _)| *i);
    let (mut elements, mut errors) = (Vec::new(), Vec::new());
    for (i, r) in results {
        let id = ids.get(i).map(String::as_str).unwrap_or("?");
        match r {
            Ok(el) => elements.push(el),
            Err(e) => errors.push(format!("{id}: {e}")),
        }
    }
    let done = if elements.is_empty() && !errors.is_empty() {
        Done {
            errors,
            ..Done::failed(spec, String::new(), started.elapsed())
        }
    } else {
        let n = elements.len();
        Done::body_of(spec, &elements, n, errors, started.elapsed())
    };
    ctx.progress.call_done(&done);
    done
}

async fn resource_gateway(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::ResourceGateway, String> {
    let out = ctx
        .send(
            client
                .get_resource_gateway()
                .resource_gateway_identifier(id.clone())
                .send(),
        )
        .await?;
    Ok(ctx.noting(&c::RESOURCE_GATEWAYS, Some(&id), || {
        conv::resource_gateway(&out)
    }))
}

async fn resource_configuration(
    ctx: Ctx,
    client: Client,
    id: String,
) -> Result<aws::ResourceConfiguration, String> {
    let out = ctx
        .send(
            client
                .get_resource_configuration()
                .resource_configuration_identifier(id.clone())
                .send(),
        )
        .await?;
    Ok(ctx.noting(&c::RESOURCE_CONFIGURATIONS, Some(&id), || {
        conv::resource_configuration(&out)
    }))
}
