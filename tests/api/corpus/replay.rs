//! Replay: every recorded request sent to a fresh sandbox, every answer compared byte for byte (status,
//! every header, the body) after the rules of [`super::normalise`]. A difference names the step, shows
//! the request and a readable diff; the replay goes on, so one report lists every step that changed.

use std::{collections::BTreeMap, fmt::Write as _};

use sandbank::SandboxSettings;
use similar::TextDiff;

use super::{
    format::{Body, Step},
    harness::Harness,
};

/// Steps shown in full in a failure; the rest are listed by number.
const SHOWN: usize = 8;

/// What a replay found.
pub struct Outcome {
    /// One report per step that answered differently.
    pub differences: Vec<String>,
    /// The operationIds the replayed sandbox serves.
    pub operations: Vec<String>,
}

/// Replays `steps` on a fresh sandbox.
pub async fn replay(steps: &[Step]) -> Outcome {
    replay_on(steps, &SandboxSettings::default()).await
}

/// Replays `steps` on a fresh sandbox built from `settings`.
pub async fn replay_on(steps: &[Step], settings: &SandboxSettings) -> Outcome {
    let mut harness = Harness::start_with(settings).await;
    let mut differences = Vec::new();
    for step in steps {
        let mut found = Vec::new();
        let operation = harness.operation_of(&step.request.method, &step.request.path);
        if operation != step.op {
            found.push(format!(
                "calls operation {operation}, recorded as {}",
                step.op
            ));
        }
        match harness.exchange(&step.request, step.wall_clock).await {
            Err(e) => found.push(format!("could not be sent: {e}")),
            Ok(got) => {
                if got.status != step.answer.status {
                    found.push(format!(
                        "status: recorded {}, now {}",
                        step.answer.status, got.status
                    ));
                }
                found.extend(header_differences(&step.answer.headers, &got.headers));
                let recorded = step.answer.body.bytes();
                if recorded != got.body {
                    let mut text = body_difference(&recorded, &got.body);
                    if let Some(Body::Json(inside)) = &step.answer.plaintext {
                        if let Some(now) = harness.keys.open(&got.raw_body) {
                            text.push_str("  what the encrypted answers say:\n");
                            text.push_str(&body_difference(inside.as_bytes(), &now));
                        }
                    }
                    found.push(format!("body:\n{text}"));
                }
            }
        }
        if !found.is_empty() {
            differences.push(report(step, &found));
        }
    }
    Outcome {
        differences,
        operations: harness
            .operations
            .iter()
            .map(|(_, _, id)| id.clone())
            .collect(),
    }
}

/// The panic message for a replay with differences.
pub fn summary(differences: &[String], total: usize, record_command: &str) -> String {
    let mut text = format!(
        "{} of {total} corpus steps answer differently from the recording:\n\n",
        differences.len()
    );
    for difference in differences.iter().take(SHOWN) {
        text.push_str(difference);
        text.push('\n');
    }
    if differences.len() > SHOWN {
        let rest: Vec<&str> = differences[SHOWN..]
            .iter()
            .map(|d| d.lines().next().unwrap_or_default())
            .collect();
        let _ = writeln!(text, "... and {} more:\n{}", rest.len(), rest.join("\n"));
    }
    let _ = write!(
        text,
        "\nAn answer that changed on purpose is re-recorded with `{record_command}` \
         (tests/corpus/README.md says when that is legitimate)."
    );
    text
}

fn report(step: &Step, found: &[String]) -> String {
    let request = &step.request;
    let mut text = format!(
        "step {} ({}: {}) — {} {}\n",
        step.step, step.op, step.note, request.method, request.path
    );
    for (name, value) in &request.headers {
        let _ = writeln!(text, "    {name}: {value}");
    }
    let body = match &request.plaintext {
        Some(inside) => format!("(encrypted) {}", show(&inside.bytes())),
        None => show(&request.body.bytes()),
    };
    if !body.is_empty() {
        let _ = writeln!(text, "    {body}");
    }
    for difference in found {
        let _ = writeln!(text, "  {difference}");
    }
    text
}

fn show(bytes: &[u8]) -> String {
    const LONG: usize = 600;
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(LONG) {
        Some((at, _)) => format!("{}… ({} bytes)", &text[..at], bytes.len()),
        None => text.into_owned(),
    }
}

fn header_differences(
    recorded: &BTreeMap<String, Vec<String>>,
    now: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = recorded.keys().chain(now.keys()).collect();
    names
        .into_iter()
        .filter(|name| recorded.get(*name) != now.get(*name))
        .map(|name| {
            let shown = |v: Option<&Vec<String>>| v.map_or("(absent)".into(), |v| format!("{v:?}"));
            format!(
                "header {name}: recorded {}, now {}",
                shown(recorded.get(name)),
                shown(now.get(name))
            )
        })
        .collect()
}

/// A line diff; JSON is pretty-printed first, so a one-line answer diffs by field.
fn body_difference(recorded: &[u8], now: &[u8]) -> String {
    let pretty = |bytes: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
    };
    let (old, new) = match (pretty(recorded), pretty(now)) {
        (Some(old), Some(new)) if old == new => {
            let at = recorded.iter().zip(now).take_while(|(a, b)| a == b).count();
            return format!(
                "    the same JSON, other bytes (key order or spacing) from byte {at}:\n    \
                 recorded …{}\n    now      …{}\n",
                show(&recorded[at.saturating_sub(20)..]),
                show(&now[at.saturating_sub(20)..])
            );
        }
        (Some(old), Some(new)) => (old, new),
        _ => (
            String::from_utf8_lossy(recorded).into_owned(),
            String::from_utf8_lossy(now).into_owned(),
        ),
    };
    let diff = TextDiff::from_lines(&old, &new);
    let mut text = String::new();
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => " ",
            };
            let _ = write!(text, "    {sign}{}", change.value());
            if change.missing_newline() {
                text.push('\n');
            }
        }
    }
    text
}
