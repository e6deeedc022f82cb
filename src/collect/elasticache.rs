//! The ElastiCache calls of one region (`Marker` pagination; `NextToken` for serverless caches).

use super::calls::{self as c, listing, Ctx, Done};
use super::convert_elasticache as conv;
use super::paginate::paginate;
use aws_sdk_elasticache::Client;
use std::time::Instant;

/// A paginated ElastiCache listing: `$req` is a request builder expression, `$items` the output
/// accessor, `$conv` the per-item conversion.
macro_rules! marker_list {
    ($ctx:expr, $spec:expr, $req:expr, $items:ident, $conv:expr) => {
        marker_list!($ctx, $spec, $req, $items, $conv, set_marker, marker)
    };
    ($ctx:expr, $spec:expr, $req:expr, $items:ident, $conv:expr, $set:ident, $get:ident) => {{
        let ctx: &Ctx = $ctx;
        async move {
            let started = Instant::now();
            let res = paginate(|marker| async move {
                let out = ctx.send($req.$set(marker).send()).await?;
                let items: Vec<_> = out
                    .$items()
                    .iter()
                    .map(|item| ctx.noting(&$spec, None, || ($conv)(item)))
                    .collect();
                Ok::<_, String>((items, out.$get().map(str::to_string)))
            })
            .await
            .map_err(|e| e.to_string());
            let done = listing(&$spec, &res, started);
            ctx.progress.call_done(&done);
            done
        }
    }};
}

/// Every ElastiCache call of one region, in [`c::CALLS`] order.
pub async fn collect_region(ctx: &Ctx, client: &Client) -> Vec<Done> {
    let (clusters, groups, subnet_groups, serverless) = tokio::join!(
        marker_list!(
            ctx,
            c::CACHE_CLUSTERS,
            client.describe_cache_clusters().show_cache_node_info(true),
            cache_clusters,
            conv::cache_cluster
        ),
        marker_list!(
            ctx,
            c::REPLICATION_GROUPS,
            client.describe_replication_groups(),
            replication_groups,
            conv::replication_group
        ),
        marker_list!(
            ctx,
            c::CACHE_SUBNET_GROUPS,
            client.describe_cache_subnet_groups(),
            cache_subnet_groups,
            conv::cache_subnet_group
        ),
        marker_list!(
            ctx,
            c::SERVERLESS_CACHES,
            client.describe_serverless_caches(),
            serverless_caches,
            conv::serverless_cache,
            set_next_token,
            next_token
        ),
    );
    vec![clusters, groups, subnet_groups, serverless]
}
