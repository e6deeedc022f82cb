//! The Elastic Load Balancing (v2) calls of one region: load balancers and target groups
//! (`Marker` pagination), then per load balancer its listeners (merged into one `Listeners`
//! list: each listener names its load balancer) and per target group its health and attributes,
//! whose outputs do not name the target group and are therefore written under the wrappers
//! `LoadBalancerTargetHealth` and `TargetGroupAttributes`, as `scripts/export-snapshot.sh` does.

use super::calls::{self as c, listing, CallSpec, Ctx, Done};
use super::convert_elbv2 as conv;
use super::paginate::paginate;
use crate::snapshot::aws;
use aws_sdk_elasticloadbalancingv2::Client;
use serde::Serialize;
use std::future::Future;
use std::time::Instant;
use tokio::task::JoinSet;

/// A `Marker`-paginated ELBv2 listing: `$req` request builder, `$items` accessor, `$conv`
/// per-item conversion, `$parent` the parent id recorded with dropped values. Yields the items.
macro_rules! marker_pages {
    ($ctx:expr, $spec:expr, $parent:expr, $req:expr, $items:ident, $conv:expr) => {{
        let ctx: &Ctx = $ctx;
        paginate(|marker| async move {
            let out = ctx.send($req.set_marker(marker).send()).await?;
            let items: Vec<_> = out
                .$items()
                .iter()
                .map(|item| ctx.noting(&$spec, $parent, || ($conv)(item)))
                .collect();
            Ok::<_, String>((items, out.next_marker().map(str::to_string)))
        })
        .await
        .map_err(|e| e.to_string())
    }};
}

/// Every ELBv2 call of one region, in [`c::CALLS`] order.
pub async fn collect_region(ctx: &Ctx, client: &Client) -> Vec<Done> {
    let load_balancers = async {
        let started = Instant::now();
        let res = marker_pages!(
            ctx,
            c::LOAD_BALANCERS,
            None,
            client.describe_load_balancers(),
            load_balancers,
            conv::load_balancer
        );
        let done = listing(&c::LOAD_BALANCERS, &res, started);
        ctx.progress.call_done(&done);
        (done, res.ok())
    };
    let target_groups = async {
        let started = Instant::now();
        let res = marker_pages!(
            ctx,
            c::TARGET_GROUPS,
            None,
            client.describe_target_groups(),
            target_groups,
            conv::target_group
        );
        let done = listing(&c::TARGET_GROUPS, &res, started);
        ctx.progress.call_done(&done);
        (done, res.ok())
    };
    let ((lbs, lb_list), (tgs, tg_list)) = tokio::join!(load_balancers, target_groups);
    let lb_arns: Option<Vec<String>> =
        lb_list.map(|v| v.into_iter().map(|x| x.load_balancer_arn).collect());
    let tg_arns: Option<Vec<String>> =
        tg_list.map(|v| v.into_iter().map(|x| x.target_group_arn).collect());

    let (listeners, lb_attributes, health, attributes) = tokio::join!(
        per_parent(
            ctx,
            &c::LISTENERS,
            &c::LOAD_BALANCERS,
            lb_arns.clone(),
            client,
            listeners
        ),
        per_parent(
            ctx,
            &c::LOAD_BALANCER_ATTRIBUTES,
            &c::LOAD_BALANCERS,
            lb_arns,
            client,
            load_balancer_attributes
        ),
        per_parent(
            ctx,
            &c::TARGET_HEALTH,
            &c::TARGET_GROUPS,
            tg_arns.clone(),
            client,
            target_health
        ),
        per_parent(
            ctx,
            &c::TARGET_GROUP_ATTRIBUTES,
            &c::TARGET_GROUPS,
            tg_arns,
            client,
            target_group_attributes
        ),
    );
    vec![lbs, listeners, lb_attributes, tgs, health, attributes]
}

/// What one parent's call yields: the elements it adds to the file and how many items they
/// count for in the manifest.
trait Elements {
    /// The file's elements.
    type Item: Serialize;
    /// Into the elements and their item count.
    fn into_elements(self) -> (Vec<Self::Item>, usize);
}

/// One load balancer's listeners: merged into the flat `Listeners` list.
struct LbListeners(Vec<aws::Listener>);

impl Elements for LbListeners {
    type Item = aws::Listener;
    fn into_elements(self) -> (Vec<aws::Listener>, usize) {
        let n = self.0.len();
        (self.0, n)
    }
}

impl Elements for aws::TargetGroupHealth {
    type Item = aws::TargetGroupHealth;
    fn into_elements(self) -> (Vec<Self>, usize) {
        let n = self.target_health_descriptions.len();
        (vec![self], n)
    }
}

impl Elements for aws::LoadBalancerAttributes {
    type Item = aws::LoadBalancerAttributes;
    fn into_elements(self) -> (Vec<Self>, usize) {
        let n = self.attributes.len();
        (vec![self], n)
    }
}

impl Elements for aws::TargetGroupAttributes {
    type Item = aws::TargetGroupAttributes;
    fn into_elements(self) -> (Vec<Self>, usize) {
        let n = self.attributes.len();
        (vec![self], n)
    }
}

/// Run `call` for every parent ARN concurrently (bounded by the request limit) and gather the
/// elements in parent order. `parents == None` means the parent listing failed: the call is
/// skipped, never silently empty. A failed parent is one error of the call; the others are kept.
async fn per_parent<T, F, Fut>(
    ctx: &Ctx,
    spec: &'static CallSpec,
    parent_spec: &'static CallSpec,
    parents: Option<Vec<String>>,
    client: &Client,
    call: F,
) -> Done
where
    T: Elements + Send + 'static,
    F: Fn(Ctx, Client, String) -> Fut,
    Fut: Future<Output = Result<T, String>> + Send + 'static,
{
    let started = Instant::now();
    let Some(parents) = parents else {
        let done = Done::skipped(spec, format!("{} failed", parent_spec.operation));
        ctx.progress.call_done(&done);
        return done;
    };
    let mut set = JoinSet::new();
    for (i, id) in parents.iter().enumerate() {
        let fut = call(ctx.clone(), client.clone(), id.clone());
        set.spawn(async move { (i, fut.await) });
    }
    let mut results: Vec<(usize, Result<T, String>)> = Vec::with_capacity(parents.len());
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(r) => results.push(r),
            Err(e) => results.push((usize::MAX, Err(format!("task failed: {e}")))),
        }
    }
    results.sort_by_key(|(i, _)| *i);
    let (mut elements, mut items, mut errors, mut succeeded) = (Vec::new(), 0, Vec::new(), 0);
    for (i, r) in results {
        let parent = parents.get(i).map(String::as_str).unwrap_or("?");
        match r {
            Ok(el) => {
                let (els, n) = el.into_elements();
                elements.extend(els);
                items += n;
                succeeded += 1;
            }
            Err(e) => errors.push(format!("{parent}: {e}")),
        }
    }
    let done = if succeeded == 0 && !errors.is_empty() {
        Done {
            errors,
            ..Done::failed(spec, String::new(), started.elapsed())
        }
    } else {
        Done::body_of(spec, &elements, items, errors, started.elapsed())
    };
    ctx.progress.call_done(&done);
    done
}

async fn listeners(ctx: Ctx, client: Client, lb: String) -> Result<LbListeners, String> {
    let (ctx, client, arn) = (&ctx, &client, &lb);
    let items = marker_pages!(
        ctx,
        c::LISTENERS,
        Some(arn.as_str()),
        client.describe_listeners().load_balancer_arn(arn.clone()),
        listeners,
        conv::listener
    )?;
    Ok(LbListeners(items))
}

async fn target_health(
    ctx: Ctx,
    client: Client,
    tg: String,
) -> Result<aws::TargetGroupHealth, String> {
    // DescribeTargetHealth is not paginated: one answer per target group.
    let out = ctx
        .send(
            client
                .describe_target_health()
                .target_group_arn(tg.clone())
                .send(),
        )
        .await?;
    Ok(aws::TargetGroupHealth {
        target_health_descriptions: out
            .target_health_descriptions()
            .iter()
            .map(|d| ctx.noting(&c::TARGET_HEALTH, Some(&tg), || conv::target_health(d)))
            .collect(),
        target_group_arn: tg,
    })
}

async fn target_group_attributes(
    ctx: Ctx,
    client: Client,
    tg: String,
) -> Result<aws::TargetGroupAttributes, String> {
    // DescribeTargetGroupAttributes is not paginated.
    let out = ctx
        .send(
            client
                .describe_target_group_attributes()
                .target_group_arn(tg.clone())
                .send(),
        )
        .await?;
    Ok(aws::TargetGroupAttributes {
        target_group_arn: tg,
        attributes: out.attributes().iter().map(conv::attribute).collect(),
    })
}

async fn load_balancer_attributes(
    ctx: Ctx,
    client: Client,
    lb: String,
) -> Result<aws::LoadBalancerAttributes, String> {
    // DescribeLoadBalancerAttributes is not paginated.
    let out = ctx
        .send(
            client
                .describe_load_balancer_attributes()
                .load_balancer_arn(lb.clone())
                .send(),
        )
        .await?;
    Ok(aws::LoadBalancerAttributes {
        load_balancer_arn: lb,
        attributes: out.attributes().iter().map(conv::lb_attribute).collect(),
    })
}
