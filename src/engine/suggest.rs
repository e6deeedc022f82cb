//! Did-you-mean for words of a question that name nothing in the snapshot: the nearest existing
//! ids of the same kind (`i-…`, `eni-…`, `subnet-…`, `sg-…`, `vpce-…`, `vpc-…`), Name tags and
//! cache names, by edit distance (Levenshtein, case-insensitive) or because they start with the
//! word. At most three suggestions, nearest first, each with its Name tag when it has one.

use crate::model::*;

/// Suggestions are kept up to this many edits (at least 2, a quarter of the word's length
/// beyond that: an id of 19 characters tolerates 4 typos).
fn max_distance(word: &str) -> usize {
    (word.chars().count() / 4).max(2)
}

/// The nearest candidates (id, optional name) to `word`, nearest first, at most three.
fn nearest<'a>(
    word: &str,
    candidates: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<String> {
    let w = word.to_ascii_lowercase();
    let limit = max_distance(word);
    let mut near: Vec<(usize, String)> = candidates
        .filter_map(|(id, name)| {
            let c = id.to_ascii_lowercase();
            let d = strsim::levenshtein(&w, &c);
            let prefix = w.len() >= 3 && c.starts_with(&w);
            (d <= limit || prefix).then(|| {
                let shown = match name {
                    Some(n) if n != id => format!("{id} ({n})"),
                    _ => id.to_string(),
                };
                (if prefix { d.min(limit) } else { d }, shown)
            })
        })
        .collect();
    near.sort();
    near.dedup();
    near.into_iter().take(3).map(|(_, s)| s).collect()
}

/// `"; did you mean A (name), B?"`, or nothing when no candidate is near.
fn did_you_mean(near: Vec<String>) -> String {
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

/// Suggestions for an unknown id of the kind its prefix says.
pub(super) fn id_of_kind(t: &Topology, kind: Kind, word: &str) -> String {
    let near = match kind {
        Kind::Instance => nearest(
            word,
            t.instances
                .iter()
                .map(|i| (i.id.as_str(), i.name.as_deref())),
        ),
        Kind::NetworkInterface => nearest(
            word,
            t.network_interfaces
                .iter()
                .map(|e| (e.id.as_str(), e.name.as_deref())),
        ),
        Kind::Subnet => nearest(
            word,
            t.subnets.iter().map(|s| (s.id.as_str(), s.name.as_deref())),
        ),
        Kind::SecurityGroup => nearest(
            word,
            t.security_groups
                .iter()
                .map(|g| (g.id.as_str(), Some(g.name.as_str()))),
        ),
        Kind::VpcEndpoint => nearest(
            word,
            t.vpc_endpoints
                .iter()
                .map(|v| (v.id.as_str(), v.name.as_deref())),
        ),
        Kind::Vpc => nearest(
            word,
            t.vpcs.iter().map(|v| (v.id.as_str(), v.name.as_deref())),
        ),
        _ => Vec::new(),
    };
    did_you_mean(near)
}

/// Name tags of instances and network interfaces (the ones `name:TAG` looks at).
fn name_tags(t: &Topology) -> impl Iterator<Item = &str> {
    t.instances.iter().filter_map(|i| i.name.as_deref()).chain(
        t.network_interfaces
            .iter()
            .filter_map(|e| e.name.as_deref()),
    )
}

/// Suggestions for an unknown `name:TAG`: the nearest Name tags, as `name:TAG`.
pub(super) fn name_tag(t: &Topology, tag: &str) -> String {
    let tags: Vec<String> = name_tags(t).map(|n| format!("name:{n}")).collect();
    did_you_mean(nearest(
        &format!("name:{tag}"),
        tags.iter().map(|n| (n.as_str(), None)),
    ))
}

/// Suggestions for an unknown bare word: the nearest cache names (cluster, replication-group
/// and serverless ids), then Name tags as `name:TAG`.
pub(super) fn cache_or_name(t: &Topology, word: &str) -> String {
    let caches = t
        .cache_clusters
        .iter()
        .map(|c| c.id.as_str())
        .chain(t.replication_groups.iter().map(|r| r.id.as_str()))
        .chain(t.serverless_caches.iter().map(|s| s.name.as_str()));
    let mut near = nearest(word, caches.map(|c| (c, None)));
    if near.len() < 3 {
        let tags: Vec<String> = name_tags(t).map(|n| n.to_string()).collect();
        for n in nearest(word, tags.iter().map(|n| (n.as_str(), None))) {
            if near.len() < 3 {
                near.push(format!("name:{n}"));
            }
        }
    }
    did_you_mean(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two edits from `…0001`, `…0002`; fifteen from `web`: only the ids within 4 edits.
    #[test]
    fn nearest_ids_within_the_distance() {
        let c = [("i-0001", Some("relay")), ("i-0002", None), ("web", None)];
        assert_eq!(
            nearest("i-0099", c.into_iter()),
            vec!["i-0001 (relay)", "i-0002"]
        );
        assert!(nearest("zzzzzzzzzz", c.into_iter()).is_empty());
    }
}
