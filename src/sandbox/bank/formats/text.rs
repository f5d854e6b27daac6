//! Free text: not blank, bounded; file names and contents; callback URLs.

use poem_openapi::registry::MetaSchema;

use super::{
    checked::{string_schema, Checked, Rule},
    codes::unless,
    matches,
};

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

/// The rule of [`Text`]: 1 to `N` characters, not blank.
pub struct TextRule<const N: usize>;

impl<const N: usize> Rule for TextRule<N> {
    fn check(raw: &str) -> Result<(), String> {
        unless(!is_blank(raw) && raw.chars().count() <= N, || {
            format!("must be 1 to {N} characters, got `{raw}`")
        })
    }

    fn schema() -> MetaSchema {
        string_schema(Some(1), Some(N), Some(NOT_BLANK.to_string()))
    }
}

/// Free text of 1 to `N` characters, not blank: `AGGRNAME` (64), a payer's name or a narration
/// (100).
pub type Text<const N: usize> = Checked<TextRule<N>>;

/// The rule of [`FreeText`]: 1 to `N` characters, not blank; its refusal counts the characters
/// rather than echoing the text.
pub struct FreeTextRule<const N: usize>;

impl<const N: usize> Rule for FreeTextRule<N> {
    fn check(raw: &str) -> Result<(), String> {
        let length = raw.chars().count();
        unless(!is_blank(raw) && length <= N, || {
            format!("must be 1 to {N} characters and not blank, got {length} characters")
        })
    }

    fn schema() -> MetaSchema {
        string_schema(Some(1), Some(N), Some(NOT_BLANK.to_string()))
    }
}

/// Free text of 1 to `N` characters, not blank, refused by its length: a merchant UPI request's
/// `note` (50) and names (100).
pub type FreeText<const N: usize> = Checked<FreeTextRule<N>>;

/// The rule of [`MaxChars`]: at most `N` characters (empty allowed).
pub struct MaxCharsRule<const N: usize>;

impl<const N: usize> Rule for MaxCharsRule<N> {
    fn check(raw: &str) -> Result<(), String> {
        unless(raw.chars().count() <= N, || {
            format!("must be at most {N} characters")
        })
    }

    fn schema() -> MetaSchema {
        string_schema(None, Some(N), None)
    }
}

/// Text of at most `N` characters, empty allowed: CIB's `REMARKS` and `FILE_DESCRIPTION` (100),
/// an `OTP` as sent (16).
pub type MaxChars<const N: usize> = Checked<MaxCharsRule<N>>;

bank_rule!(
    /// Free text for a SWIFT line: 1 to 140 printable characters (no control character), not blank.
    SwiftText: SwiftTextRule,
    schema = string_schema(
        Some(1),
        Some(140),
        Some("^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\x00-\\x20\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$".to_string()),
    ),
    check = |raw| {
        let ok = !is_blank(raw) && raw.chars().count() <= 140 && !raw.chars().any(char::is_control);
        unless(ok, || "must be 1 to 140 printable characters, not blank".to_string())
    }
);

bank_rule!(
    /// An iWish goal's name: 1 to 50 characters, not blank.
    GoalName: GoalNameRule,
    schema = string_schema(Some(1), Some(50), Some(NOT_BLANK.to_string())),
    check = |raw| {
        let length = raw.chars().count();
        unless((1..=50).contains(&length) && !is_blank(raw), || {
            format!("must be 1 to 50 characters and not blank, got {length} characters")
        })
    }
);

bank_rule!(
    /// A bulk file's name: 1 to 100 characters, not blank.
    BulkFileName: BulkFileNameRule,
    schema = string_schema(Some(1), Some(100), None),
    check = |raw| unless((1..=100).contains(&raw.chars().count()) && !raw.trim().is_empty(), || {
        "must be 1 to 100 characters, not blank".to_string()
    })
);

bank_rule!(
    /// A bulk file's content as sent: base64's alphabet, white space allowed. Whether it decodes is
    /// the bank's check of the file it received, answered as a decline.
    FileContent: FileContentRule,
    schema = string_schema(None, None, Some("^[A-Za-z0-9+/=\\s]+$".to_string())),
    check = |raw| {
        let base64ish = |c: char| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\u{feff}') || c.is_whitespace()
        };
        unless(!raw.is_empty() && raw.chars().all(base64ish), || {
            "must be base64 of the bulk file's text".to_string()
        })
    }
);

bank_rule!(
    /// A document's file name: 1 to 255 characters, no path separator, not blank.
    DocumentFileName: DocumentFileNameRule,
    schema = string_schema(
        Some(1),
        Some(255),
        Some("^[^/\\\\]*[^/\\\\ \\t\\n\\r\\x0B\\x0C][^/\\\\]*$".to_string()),
    ),
    check = |raw| {
        let length = raw.chars().count();
        let ok = (1..=255).contains(&length) && !raw.contains(['/', '\\']) && !is_blank(raw);
        unless(ok, || "must be 1 to 255 characters without / or \\".to_string())
    }
);

/// An http(s) URL without white space, up to 2048 characters: the schema's pattern and the check.
pub const CALLBACK_URL_PATTERN: &str = "^https?://[^ \\t\\n\\r\\x0B\\x0C]{0,2040}$";

bank_rule!(
    /// Where the sandbox POSTs a record: an `http://` or `https://` URL, up to 2048 characters.
    CallbackUrl: CallbackUrlRule,
    schema = string_schema(None, Some(2048), Some(CALLBACK_URL_PATTERN.to_string())),
    check = |raw| unless(matches(CALLBACK_URL_PATTERN, raw), || {
        format!("must be an http:// or https:// URL, got `{raw}`")
    })
);

bank_rule!(
    /// A yes-or-no flag whose refusal echoes what was sent: the composite payment's
    /// `WORKFLOW_REQD`, `Y` or `N`.
    YesOrNo: YesOrNoRule,
    schema = poem_openapi::registry::MetaSchema {
        enum_items: vec!["Y".into(), "N".into()],
        ..poem_openapi::registry::MetaSchema::new("string")
    },
    check = |raw| unless(matches!(raw, "Y" | "N"), || format!("must be Y or N, got `{raw}`"))
);

bank_rule!(
    /// The one currency the sandbox's rupee rails take: `INR`.
    Inr: InrRule,
    schema = poem_openapi::registry::MetaSchema {
        enum_items: vec!["INR".into()],
        ..poem_openapi::registry::MetaSchema::new("string")
    },
    check = |raw| unless(raw == "INR", || format!("must be INR, got `{raw}`"))
);

bank_rule!(
    /// A yes-or-no flag as the bank writes it: `Y` or `N`.
    YesNo: YesNoRule,
    schema = poem_openapi::registry::MetaSchema {
        enum_items: vec!["Y".into(), "N".into()],
        ..poem_openapi::registry::MetaSchema::new("string")
    },
    check = |raw| unless(matches!(raw, "Y" | "N"), || "must be Y or N".to_string())
);
