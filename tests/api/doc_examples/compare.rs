//! Comparing the answer a page shows with what the server printed, after the documented normalisation;
//! rewriting drifted answers (`UPDATE_DOCS=1`).

use std::path::Path;

use serde_json::Value;

use crate::markdown::{self, Block};

/// Compares the answer shown with what was printed after normalisation: as JSON values for a ```json
/// answer, line by line (trailing spaces aside) for a ```text one.
pub(super) fn compare(answer: &Block, printed: &str) -> Result<(), String> {
    if answer.lang == "text" {
        let lines = |text: &str| -> Vec<String> {
            normalise_text(text.trim_end())
                .lines()
                .map(|l| l.trim_end().to_string())
                .collect()
        };
        let (shown, printed) = (lines(&answer.text), lines(printed));
        return if shown == printed {
            Ok(())
        } else {
            Err(format!(
                "the answer drifted (normalised)\n  shown:\n{}\n  printed:\n{}",
                shown.join("\n"),
                printed.join("\n")
            ))
        };
    }
    let shown_values =
        json_stream(&answer.text).map_err(|e| format!("the page's ```json is not JSON: {e}"))?;
    let printed_values = json_stream(printed).map_err(|e| {
        format!(
            "the command printed something that is not JSON ({e}):\n{}",
            printed.trim_end()
        )
    })?;
    let normalise_all = |values: Vec<Value>| values.into_iter().map(normalise).collect::<Vec<_>>();
    let (shown_values, printed_values) =
        (normalise_all(shown_values), normalise_all(printed_values));
    if shown_values == printed_values {
        return Ok(());
    }
    let show = |values: &[Value]| {
        values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n           ")
    };
    Err(format!(
        "the answer drifted (normalised)\n  shown:   {}\n  printed: {}",
        show(&shown_values),
        show(&printed_values)
    ))
}

fn json_stream(text: &str) -> Result<Vec<Value>, serde_json::Error> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .collect()
}

/// The documented rules, and nothing else.
fn normalise(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(normalise_text(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| {
                    let value = if key == "latencyMs" && value.is_number() {
                        Value::from(0)
                    } else {
                        normalise(value)
                    };
                    (key, value)
                })
                .collect(),
        ),
        other => other,
    }
}

fn normalise_text(text: &str) -> String {
    static RULES: std::sync::OnceLock<Vec<(regex::Regex, &'static str)>> =
        std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"sbk_[0-9a-f]{32}", "sbk_…"),
            (r"sbs_[0-9a-f]{32}", "sbs_…"),
            (r"sbw_[0-9a-f]{32}", "sbw_…"),
            (r"dlv_[0-9a-f]{32}", "dlv_…"),
            (
                r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*",
                "<jwt>",
            ),
            (
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2})",
                "<now>",
            ),
        ]
        .into_iter()
        .map(|(pattern, with)| (regex::Regex::new(pattern).expect("rule compiles"), with))
        .collect()
    });
    rules
        .iter()
        .fold(text.to_string(), |text, (pattern, with)| {
            pattern.replace_all(&text, *with).into_owned()
        })
}

/// Rewrites drifted answers with what the server printed (`UPDATE_DOCS=1`), bottom up so that line
/// numbers stay valid.
pub(super) fn rewrite_answers(path: &Path, rewrites: &[(Block, String)]) {
    let file = markdown::root().join(path);
    let markdown = std::fs::read_to_string(&file).expect("the page reads");
    let mut lines: Vec<String> = markdown.lines().map(String::from).collect();
    let mut rewrites = rewrites.to_vec();
    rewrites.sort_by_key(|(block, _)| std::cmp::Reverse(block.open_line));
    for (block, printed) in rewrites {
        let replacement = if block.lang == "text" {
            printed.trim_end().lines().map(String::from).collect()
        } else {
            one_value_a_line(&printed)
        };
        lines.splice(block.open_line..block.close_line - 1, replacement);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&file, text).expect("the page is writable");
}

/// What the server printed, each JSON value on its own line (curl adds no newline between answers),
/// otherwise byte for byte.
fn one_value_a_line(printed: &str) -> Vec<String> {
    let mut stream = serde_json::Deserializer::from_str(printed).into_iter::<Value>();
    let mut lines = Vec::new();
    let mut start = 0;
    while let Some(Ok(_)) = stream.next() {
        let end = stream.byte_offset();
        lines.extend(printed[start..end].trim().lines().map(String::from));
        start = end;
    }
    if lines.is_empty() {
        lines = printed.trim_end().lines().map(String::from).collect();
    }
    lines
}
