//! Free text: not blank, bounded.

/// "Not blank", as a pattern: some character other than ASCII white space. Regex engines (and
/// Rust's `trim`) disagree on Unicode white space, so both sides of the rule use ASCII's: this
/// pattern in the document, [`is_blank`] in the check.
pub const NOT_BLANK: &str = "[^ \\t\\n\\r\\x0B\\x0C]";

/// Only ASCII white space (or nothing): what [`NOT_BLANK`] refuses.
pub fn is_blank(raw: &str) -> bool {
    raw.chars()
        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C'))
}

/// A field of free text, 1 to `max` characters and not blank, as a schema.
pub fn text_schema(max: usize) -> serde_json::Value {
    serde_json::json!({ "minLength": 1, "maxLength": max, "pattern": NOT_BLANK })
}
