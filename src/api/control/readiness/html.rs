//! `GET /sandbox/readiness.html`: the report as a page a person reads at a glance — a verdict, a
//! progress bar per family, then each family's items with their state, evidence and how to exercise
//! them. Static HTML and inline CSS, no script; every text is escaped.

use std::fmt::Write;

use super::report::{FamilyReport, ItemReport, ItemState, Proof, ReadinessReport};

const STYLE: &str = "\
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}\
header,main{max-width:980px;margin:0 auto;padding:16px 24px}\
h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:0 0 6px}\
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600}\
.verdict.ready{background:#d8f3dc;color:#1b5e20}.verdict.not-ready{background:#fde2e1;color:#8a1c1c}\
table.overview{border-collapse:collapse;width:100%;margin:12px 0;background:#fff}\
.overview td{padding:6px 8px;border-bottom:1px solid #e3e6ea}.overview td.counts{white-space:nowrap}\
.bar{display:flex;height:10px;background:#e3e6ea;border-radius:5px;overflow:hidden;min-width:160px}\
.bar .proven{background:#2e7d32}.bar .done-wrong{background:#c62828}\
section.family{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:14px 18px;margin:16px 0}\
.links{margin:4px 0 10px;color:#5a6472}ol.items{list-style:none;padding:0;margin:0}\
li.item{border-top:1px solid #eef0f3;padding:8px 0;display:grid;grid-template-columns:112px 1fr}\
.badge{align-self:start;text-align:center;font-size:12px;font-weight:600;padding:2px 6px;\
border-radius:3px;margin-right:12px;text-transform:uppercase}\
.proven .badge{background:#d8f3dc;color:#1b5e20}.not-yet .badge{background:#eceff1;color:#455a64}\
.done-wrong .badge{background:#fde2e1;color:#8a1c1c}\
.evidence,.how{margin:4px 0 0;color:#3c4654}.how{color:#5a6472}\
.done-wrong .evidence{color:#8a1c1c}code{background:#eef0f3;padding:0 3px;border-radius:3px}";

/// The page for `report`.
pub fn render(report: &ReadinessReport) -> String {
    let mut page = String::with_capacity(64 * 1024);
    let s = report.summary;
    let _ = write!(
        page,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Go-live readiness: {app}</title><style>{STYLE}</style></head><body>\
         <header><h1>Go-live readiness: <span class=\"app\">{app}</span></h1>\
         <p><span class=\"verdict {class}\">{verdict}</span> \
         <span class=\"summary\" data-total=\"{total}\" data-proven=\"{proven}\" \
         data-not-yet=\"{not_yet}\" data-done-wrong=\"{wrong}\">{proven} of {total} proven · \
         {wrong} done wrong · {not_yet} not yet</span></p>",
        app = escape(&report.app),
        class = if report.ready { "ready" } else { "not-ready" },
        verdict = if report.ready {
            "Ready for go-live"
        } else {
            "Not ready yet"
        },
        total = s.total,
        proven = s.proven,
        not_yet = s.not_yet,
        wrong = s.done_wrong,
    );
    overview(&mut page, report);
    page.push_str("</header><main>");
    for family in &report.families {
        section(&mut page, family);
    }
    page.push_str("</main></body></html>");
    page
}

fn overview(page: &mut String, report: &ReadinessReport) {
    page.push_str("<table class=\"overview\"><tbody>");
    for family in &report.families {
        let s = family.summary;
        let _ = write!(
            page,
            "<tr data-family=\"{slug}\"><td><a href=\"#{slug}\">{name}</a></td><td>{bar}</td>\
             <td class=\"counts\">{proven}/{total} proven{wrong}</td></tr>",
            slug = escape(&family.family),
            name = escape(&family.name),
            bar = bar(family),
            proven = s.proven,
            total = s.total,
            wrong = if s.done_wrong > 0 {
                format!(" · {} done wrong", s.done_wrong)
            } else {
                String::new()
            },
        );
    }
    page.push_str("</tbody></table>");
}

/// Proven in green, done wrong in red, the rest grey.
fn bar(family: &FamilyReport) -> String {
    let s = family.summary;
    let percent = |n: u32| {
        if s.total == 0 {
            0.0
        } else {
            f64::from(n) * 100.0 / f64::from(s.total)
        }
    };
    format!(
        "<div class=\"bar\" role=\"img\" aria-label=\"{p} of {t} proven\">\
         <span class=\"proven\" style=\"width:{pw:.1}%\"></span>\
         <span class=\"done-wrong\" style=\"width:{ww:.1}%\"></span></div>",
        p = s.proven,
        t = s.total,
        pw = percent(s.proven),
        ww = percent(s.done_wrong),
    )
}

fn section(page: &mut String, family: &FamilyReport) {
    let s = family.summary;
    let _ = write!(
        page,
        "<section class=\"family\" id=\"{slug}\" data-family=\"{slug}\" data-total=\"{total}\" \
         data-proven=\"{proven}\" data-not-yet=\"{not_yet}\" data-done-wrong=\"{wrong}\">\
         <h2>{name} <small>{proven}/{total}</small></h2>{bar}\
         <p class=\"links\"><a href=\"{reference}\">API reference</a> · guide: <code>{guide}</code></p>\
         <ol class=\"items\">",
        slug = escape(&family.family),
        name = escape(&family.name),
        total = s.total,
        proven = s.proven,
        not_yet = s.not_yet,
        wrong = s.done_wrong,
        bar = bar(family),
        reference = escape(&family.reference),
        guide = escape(&family.guide),
    );
    for item in &family.items {
        entry(page, item);
    }
    page.push_str("</ol></section>");
}

fn entry(page: &mut String, item: &ItemReport) {
    let (class, state, label) = match item.state {
        ItemState::Proven => ("proven", "proven", "proven"),
        ItemState::NotYet => ("not-yet", "notYet", "not yet"),
        ItemState::DoneWrong => ("done-wrong", "doneWrong", "done wrong"),
    };
    let _ = write!(
        page,
        "<li class=\"item {class}\" id=\"item-{id}\" data-item=\"{id}\" data-state=\"{state}\">\
         <span class=\"badge\">{label}</span><div><strong>{title}</strong>",
        id = escape(&item.id),
        title = escape(&item.title),
    );
    let evidence = match item.state {
        ItemState::DoneWrong => item.wrong.as_ref(),
        ItemState::Proven => item.proof.as_ref(),
        ItemState::NotYet => None,
    };
    if let Some(proof) = evidence {
        let _ = write!(page, "<p class=\"evidence\">{}</p>", evidence_text(proof));
    }
    if let Some(upcoming) = &item.upcoming {
        let _ = write!(
            page,
            "<p class=\"how\">Not served yet: {}.</p>",
            escape(upcoming)
        );
    }
    let _ = write!(
        page,
        "<p class=\"how\">How: {}</p></div></li>",
        inline(&item.how)
    );
}

fn evidence_text(proof: &Proof) -> String {
    let mut parts = Vec::new();
    if let Some(note) = &proof.note {
        parts.push(escape(note));
    }
    if !proof.requests.is_empty() {
        let ids: Vec<String> = proof.requests.iter().map(u64::to_string).collect();
        parts.push(format!("requests {}", ids.join(", ")));
    }
    if !proof.callbacks.is_empty() {
        parts.push(escape(&proof.callbacks.join(", ")));
    }
    if proof.seen > 1 {
        parts.push(format!("seen {} times", proof.seen));
    }
    parts.join(" · ")
}

/// Escaped text, with `code` spans as the checklists write them.
fn inline(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_code_spans_kept() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            inline("send `<x>` then `y`"),
            "send <code>&lt;x&gt;</code> then <code>y</code>"
        );
    }
}
