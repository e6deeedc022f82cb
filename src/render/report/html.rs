//! The report as one self-contained HTML page (`index.html`): inline CSS and SVG, no script,
//! no font or image fetched, a Content-Security-Policy that forbids both, printable. Every
//! piece of snapshot text goes through [`html`] (element text and attribute values, inside SVG
//! too). Long sections sit in `<details>` so a large organisation's report stays usable.

use super::svg;
use super::tables::{self, Cell, Mark, Table};
use super::{codes_of, headline, inline_code_spans, Doc};
use crate::findings::report::ReportData;
use crate::render::escape::html;
use std::fmt::Write;

/// The Content-Security-Policy of the page: nothing may load or run.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS: &str = include_str!("report.css");

fn cell(c: &Cell) -> String {
    let text = html(&c.text);
    match c.mark {
        Mark::Plain => format!("<td>{text}</td>"),
        Mark::Code => format!("<td><code>{text}</code></td>"),
        Mark::Bad => format!("<td class=\"bad\">{text}</td>"),
        Mark::Warn => format!("<td class=\"warn\">{text}</td>"),
        Mark::Good => format!("<td class=\"good\">{text}</td>"),
    }
}

fn table(out: &mut String, t: &Table, empty: &str) {
    if t.rows.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>", html(empty));
        return;
    }
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", html(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for c in r {
            out.push_str(&cell(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    if t.more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">… and {} more row(s), left out to keep the page small (the JSON outputs of <code>vpcreach audit</code> and <code>vpcreach overlaps</code> have them all).</p>",
            t.more
        );
    }
}

/// A collapsible block, open when small.
fn details(out: &mut String, summary: &str, open: bool, body: &str) {
    let _ = write!(
        out,
        "<details{}><summary>{}</summary>\n{body}</details>\n",
        if open { " open" } else { "" },
        html(summary)
    );
}

fn section(out: &mut String, id: &str, title: &str) {
    let _ = writeln!(out, "<section id=\"{id}\"><h2>{}</h2>", html(title));
}

fn doc_html(d: &Doc) -> String {
    format!(
        "<div class=\"doc\"><h4><code>{}</code> <span class=\"sev {}\">{}</span> {}</h4><p><b>What it means.</b> {}</p><p><b>Why it matters.</b> {}</p><p><b>How to fix it.</b> {}</p></div>\n",
        html(d.code),
        d.severity,
        d.severity,
        html(d.summary),
        inline_code_spans(&html(d.what)),
        inline_code_spans(&html(d.why)),
        inline_code_spans(&html(d.fix)),
    )
}

/// The whole page.
pub fn page(r: &ReportData) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"vpcreach report\">\n<title>vpcreach report: {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        html(&r.snapshot)
    );
    o.push_str("<header><h1>Pre-migration audit report</h1>\n<p class=\"meta\">");
    let _ = write!(o, "Snapshot <code>{}</code>", html(&r.snapshot));
    if let Some(c) = &r.config {
        let _ = write!(o, " · configuration <code>{}</code>", html(c));
    }
    if let Some(t) = &r.generated_at {
        let _ = write!(o, " · generated {}", html(t));
    }
    let _ = write!(
        o,
        " · vpcreach {}</p>\n<nav><a href=\"#summary\">Summary</a> <a href=\"#topology\">Topology</a> <a href=\"#exposure\">Cache exposure</a> <a href=\"#relays\">Relays and SSM</a> <a href=\"#findings\">Findings</a> <a href=\"#overlaps\">Overlapping CIDRs</a> <a href=\"#changes\">Before/after</a> <a href=\"#assumptions\">Assumptions</a></nav></header>\n<main>\n",
        env!("CARGO_PKG_VERSION")
    );
    summary(&mut o, r);
    topology(&mut o, r);
    exposure(&mut o, r);
    relays(&mut o, r);
    findings(&mut o, r);
    overlaps(&mut o, r);
    changes(&mut o, r);
    section(&mut o, "assumptions", "7. Assumptions");
    o.push_str("<ul>\n");
    for a in &r.audit.assumptions {
        let _ = writeln!(o, "<li>{}</li>", html(a));
    }
    o.push_str("</ul></section>\n</main>\n<footer>Made by <code>vpcreach report</code> from an offline snapshot; nothing was fetched to make or to show this page.</footer>\n</body>\n</html>\n");
    o
}

fn summary(o: &mut String, r: &ReportData) {
    section(o, "summary", "1. Summary");
    let h = headline(r);
    o.push_str("<div class=\"cards\">");
    for (label, n, class) in [
        ("errors", h.errors, "bad"),
        ("warnings", h.warnings, "warn"),
        ("notes", h.notes, "plain"),
        ("caches exposed directly", h.direct, "bad"),
        ("caches exposed through a relay", h.relayed, "warn"),
        (
            "overlapping block pairs",
            r.overlaps.summary.overlaps,
            "warn",
        ),
    ] {
        let _ = write!(
            o,
            "<div class=\"card {}\"><span class=\"n\">{n}</span><span>{}</span></div>",
            if n == 0 { "good" } else { class },
            html(label)
        );
    }
    o.push_str("</div>\n<h3>Scope</h3>\n<p>");
    let s = &r.scope;
    let _ = write!(
        o,
        "{} account(s): {}. {} region(s): {}.</p>\n<table class=\"counts\"><tbody>",
        s.accounts.len(),
        html(&s.accounts.join(", ")),
        s.regions.len(),
        html(&s.regions.join(", "))
    );
    for (k, v) in &s.counts {
        let _ = write!(o, "<tr><th>{}</th><td>{v}</td></tr>", html(k));
    }
    o.push_str("</tbody></table>\n<h3>Completeness</h3>\n");
    let c = &r.completeness;
    if c.incomplete.is_empty() {
        o.push_str("<p class=\"good\">Every snapshot file loaded: no <code>SNAPSHOT_INCOMPLETE</code>.</p>\n");
    } else {
        o.push_str("<p class=\"bad\"><b>SNAPSHOT_INCOMPLETE</b>: this report rests on data that did not load; sources or paths may be missing.</p><ul>\n");
        for w in &c.incomplete {
            let _ = writeln!(o, "<li>{}</li>", html(w));
        }
        o.push_str("</ul>\n");
    }
    let _ = writeln!(
        o,
        "<p>Loader diagnostics: {} error(s), {} warning(s), {} note(s) (<code>vpcreach inventory</code> lists them all).</p>",
        c.diagnostics.0, c.diagnostics.1, c.diagnostics.2
    );
    if !c.problems.is_empty() {
        let mut body = String::from("<ul>\n");
        for p in &c.problems {
            let _ = writeln!(body, "<li><code>{}</code></li>", html(p));
        }
        body.push_str("</ul>\n");
        details(o, "Load problems", c.problems.len() <= 5, &body);
    }
    if !c.inferred.is_empty() {
        o.push_str("<p>Inferred rather than read:</p><ul>\n");
        for p in &c.inferred {
            let _ = writeln!(o, "<li>{}</li>", html(p));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h3>Headline findings</h3>\n");
    if h.top.is_empty() {
        o.push_str("<p class=\"good\">No finding.</p>\n");
    } else {
        o.push_str("<ul>\n");
        for (code, sev, n) in &h.top {
            let _ = writeln!(
                o,
                "<li><span class=\"sev {sev}\">{sev}</span> <code>{}</code> ×{n}: {}</li>",
                html(code.as_str()),
                html(code.summary())
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn topology(o: &mut String, r: &ReportData) {
    section(o, "topology", "Topology");
    let (drawing, layout) = svg::topology(&r.graph);
    o.push_str("<div class=\"scroll figure\">");
    o.push_str(&drawing);
    o.push_str("</div>\n<p class=\"legend\"><span class=\"k n-internet\">internet</span> <span class=\"k n-range\">named range</span> <span class=\"k n-vpc\">VPC</span> <span class=\"k n-tgwrt\">TGW route table</span> <span class=\"k n-tgw\">transit gateway</span> <span class=\"k n-cache-direct\">cache exposed directly</span> <span class=\"k n-cache-relayed\">cache exposed through a relay</span> <span class=\"k n-cache-internal\">cache reached from inside only</span> · lines: red = reaches a cache directly, orange dashed = through a relay, blue = peering, grey = TGW association, dashed grey = propagation. Hover a box for its id and details.</p>\n");
    if !layout.hidden.is_empty() {
        let parts: Vec<String> = layout
            .hidden
            .iter()
            .map(|(k, n)| format!("{n} more {k}"))
            .collect();
        let _ = writeln!(
            o,
            "<p class=\"note\">The drawing is capped for size: {} not drawn (exposed caches and connected VPCs first). <code>topology.dot</code> holds the whole graph.</p>",
            html(&parts.join(", "))
        );
    }
    let groups = r.graph.vpc_components();
    let alone = groups.iter().filter(|g| g.len() == 1).count();
    let _ = writeln!(
        o,
        "<p>{} group(s) of VPCs joined by peerings or transit gateways; {alone} VPC(s) joined to no other VPC.</p></section>",
        groups.len()
    );
}

fn exposure(o: &mut String, r: &ReportData) {
    section(o, "exposure", "2. Cache exposure matrix");
    o.push_str("<p>Who reaches each cache's port: the internet and each named range, directly or through each relay, and the security groups and subnets inside the snapshot.</p>\n");
    let t = tables::exposure_matrix(r);
    let mut body = String::new();
    table(&mut body, &t, "The snapshot holds no ElastiCache cache.");
    details(o, "Matrix", t.rows.len() <= 50, &body);
    if !r.exposure_paths.is_empty() {
        o.push_str("<h3>Paths of exposed caches</h3>\n");
        for p in &r.exposure_paths {
            let title = format!(
                "{} → {}{} ({}, port {})",
                p.source,
                p.relay
                    .as_deref()
                    .map(|x| format!("{x} → "))
                    .unwrap_or_default(),
                p.cache,
                p.verdict,
                p.ports
            );
            let _ = writeln!(
                o,
                "<figure><figcaption>{}</figcaption><div class=\"scroll\">{}</div></figure>",
                html(&title),
                svg::path(p)
            );
        }
    }
    o.push_str("</section>\n");
}

fn relays(o: &mut String, r: &ReportData) {
    section(o, "relays", "3. Relays and SSM readiness");
    let mut body = String::new();
    table(
        &mut body,
        &tables::relays(r),
        "No relay, declared or discovered.",
    );
    o.push_str(&body);
    let ready = r.audit.ssm.iter().filter(|s| s.ready).count();
    let _ = writeln!(
        o,
        "<h3>SSM readiness</h3><p>{ready} of {} running instance(s) ready for Session Manager.</p>",
        r.audit.ssm.len()
    );
    let t = tables::ssm(r);
    let mut body = String::new();
    table(&mut body, &t, "No running instance.");
    details(o, "Instances", t.rows.len() <= 20, &body);
    o.push_str("</section>\n");
}

fn findings(o: &mut String, r: &ReportData) {
    section(o, "findings", "4. Findings");
    let t = tables::findings(r);
    let mut body = String::new();
    table(&mut body, &t, "No finding.");
    details(
        o,
        &format!("{} finding(s)", r.audit.findings.len()),
        t.rows.len() <= 100,
        &body,
    );
    let docs = codes_of(r);
    if !docs.is_empty() {
        o.push_str("<h3>What the codes mean</h3>\n");
        for d in &docs {
            o.push_str(&doc_html(d));
        }
    }
    o.push_str("</section>\n");
}

fn overlaps(o: &mut String, r: &ReportData) {
    section(o, "overlaps", "5. Overlapping CIDRs");
    let s = &r.overlaps.summary;
    let _ = writeln!(
        o,
        "<p>{} overlapping pair(s) among {} VPC block(s): {} suppress a transit gateway propagation, {} join an (impossible) active peering, {} latent.</p>",
        s.overlaps, s.vpc_blocks, s.tgw_propagation_suppressed, s.peering_impossible, s.latent
    );
    let mut body = String::new();
    table(&mut body, &tables::overlaps(r), "No VPC blocks overlap.");
    o.push_str(&body);
    let plan = tables::renumbering(r);
    o.push_str("<h3>Renumbering plan</h3>\n");
    let mut body = String::new();
    table(
        &mut body,
        &plan,
        "Nothing to renumber: no block is shadowed.",
    );
    o.push_str(&body);
    let sets = tables::shared_sets(r);
    if !sets.rows.is_empty() {
        o.push_str("<h3>VPCs that can share one transit gateway</h3>\n");
        let mut body = String::new();
        table(&mut body, &sets, "");
        o.push_str(&body);
    }
    o.push_str("</section>\n");
}

fn changes(o: &mut String, r: &ReportData) {
    section(o, "changes", "6. Before/after");
    match &r.diff {
        None => o.push_str("<p class=\"none\">No <code>--before</code> snapshot was given: this report describes one state.</p>\n"),
        Some(d) => {
            let _ = writeln!(o, "<p>Compared with <code>{}</code>, newly exposed first.</p>", html(&d.before));
            let mut body = String::new();
            table(&mut body, &tables::diff(r), "Nothing changed.");
            o.push_str(&body);
        }
    }
    o.push_str("</section>\n");
}
