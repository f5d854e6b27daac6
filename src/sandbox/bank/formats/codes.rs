//! The bank's ids and codes as checked text ([`Checked`](super::Checked)): CIB ids and logins,
//! `UNIQUEID`s, UTRs, application numbers, capital-letter codes, purpose codes, digests.

use poem_openapi::registry::MetaSchema;

use super::checked::{string_schema, Checked, Rule};

/// `raw` is `min` to `max` characters, each `allowed`.
pub(super) fn fits(raw: &str, min: usize, max: usize, allowed: impl Fn(char) -> bool) -> bool {
    (min..=max).contains(&raw.len()) && raw.chars().all(allowed)
}

/// `Ok` when `ok`, else the reason.
pub(super) fn unless(ok: bool, reason: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(reason())
    }
}

fn pattern(pattern: &str) -> MetaSchema {
    string_schema(None, None, Some(pattern.to_string()))
}

fn cib_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

bank_rule!(
    /// The shape of the bank's CIB ids (`AGGRID`, `CORPID`, `USERID`, `URN`): 1 to 32 letters,
    /// digits, `_` or `-`.
    CibId: CibIdRule,
    schema = pattern("^[A-Za-z0-9_-]{1,32}$"),
    check = |raw| unless(fits(raw, 1, 32, cib_char), || {
        format!("must be 1 to 32 letters, digits, _ or -, got `{raw}`")
    })
);

bank_rule!(
    /// A corporate user as the bank's login writes it: `USER` or `CORP.USER`, each part a CIB id.
    CibLogin: CibLoginRule,
    schema = pattern("^([A-Za-z0-9_-]{1,32}\\.)?[A-Za-z0-9_-]{1,32}$"),
    check = |raw| {
        let part_ok = |p: &str| fits(p, 1, 32, cib_char);
        let ok = match raw.split_once('.') {
            Some((corp, user)) => part_ok(corp) && part_ok(user),
            None => part_ok(raw),
        };
        unless(ok, || {
            format!("must be a user id or CORPID.USERID (letters, digits, _ or -), got `{raw}`")
        })
    }
);

bank_rule!(
    /// The client's `UNIQUEID` for a CIB payment or file: 1 to 35 letters, digits, `-` or `_`.
    UniqueId: UniqueIdRule,
    schema = pattern("^[A-Za-z0-9_-]{1,35}$"),
    check = |raw| unless(fits(raw, 1, 35, cib_char), || {
        format!("must be 1 to 35 letters, digits, - or _, got `{raw}`")
    })
);

bank_rule!(
    /// A UTR as CIB answers it: 1 to 35 letters or digits.
    UtrNumber: UtrNumberRule,
    schema = pattern("^[A-Za-z0-9]{1,35}$"),
    check = |raw| unless(fits(raw, 1, 35, |c| c.is_ascii_alphanumeric()), || {
        format!("must be 1 to 35 letters or digits, got `{raw}`")
    })
);

bank_rule!(
    /// A CIB login alias: 1 to 32 letters, digits, `_`, `.` or `-`.
    AliasId: AliasIdRule,
    schema = pattern("^[A-Za-z0-9_.-]{1,32}$"),
    check = |raw| unless(fits(raw, 1, 32, |c| cib_char(c) || c == '.'), || {
        format!("must be 1 to 32 letters, digits, _ . or -, got `{raw}`")
    })
);

bank_rule!(
    /// A bulk file's `FILE_SEQUENCE_NUM`: 1 to 20 digits.
    FileSeqNum: FileSeqNumRule,
    schema = pattern("^[0-9]{1,20}$"),
    check = |raw| unless(fits(raw, 1, 20, |c| c.is_ascii_digit()), || {
        format!("must be 1 to 20 digits, got `{raw}`")
    })
);

bank_rule!(
    /// An auto-loan application number: `ALN` and 10 digits.
    ApplicationNo: ApplicationNoRule,
    schema = pattern("^ALN[0-9]{10}$"),
    check = |raw| {
        let ok = raw.len() == 13
            && raw.starts_with("ALN")
            && raw[3..].bytes().all(|b| b.is_ascii_digit());
        unless(ok, || format!("must be ALN followed by 10 digits, got `{raw}`"))
    }
);

bank_rule!(
    /// The reference of an OTP the bank sent: `OTP` and 10 digits.
    OtpReference: OtpReferenceRule,
    schema = pattern("^OTP[0-9]{10}$"),
    check = |raw| {
        let ok = raw.len() == 13
            && raw.starts_with("OTP")
            && raw[3..].bytes().all(|b| b.is_ascii_digit());
        unless(ok, || format!("must be OTP followed by 10 digits, got `{raw}`"))
    }
);

bank_rule!(
    /// A one-time password: 6 digits.
    Otp: OtpRule,
    schema = pattern("^[0-9]{6}$"),
    check = |raw| unless(raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()), || {
        "must be 6 digits".to_string()
    })
);

bank_rule!(
    /// A beneficiary's account or IBAN abroad: 1 to 34 capital letters or digits.
    ForeignAccount: ForeignAccountRule,
    schema = pattern("^[A-Z0-9]{1,34}$"),
    check = |raw| unless(fits(raw, 1, 34, |c| c.is_ascii_uppercase() || c.is_ascii_digit()), || {
        format!(
            "must be an account number or IBAN of 1 to 34 capital letters or digits, got `{raw}`"
        )
    })
);

bank_rule!(
    /// An RBI purpose code: `P` or `S` and 4 digits.
    PurposeCode: PurposeCodeRule,
    schema = pattern("^[PS][0-9]{4}$"),
    check = |raw| {
        let b = raw.as_bytes();
        let ok = b.len() == 5 && (b[0] == b'P' || b[0] == b'S') && b[1..].iter().all(u8::is_ascii_digit);
        unless(ok, || format!("must be an RBI purpose code: P or S and 4 digits, got `{raw}`"))
    }
);

bank_rule!(
    /// A SHA-256 digest: 64 hexadecimal digits, kept in lower case.
    Sha256: Sha256Rule,
    schema = pattern("^[0-9a-fA-F]{64}$"),
    check = |raw| unless(raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()), || {
        format!("must be 64 hexadecimal digits, got {} characters", raw.chars().count())
    }),
    normalize = |raw| raw.to_ascii_lowercase()
);

/// The rule of [`CapsCode`]: `MIN` to `MAX` capital letters or digits.
pub struct CodeRule<const MIN: usize, const MAX: usize>;

impl<const MIN: usize, const MAX: usize> Rule for CodeRule<MIN, MAX> {
    fn check(raw: &str) -> Result<(), String> {
        unless(
            fits(raw, MIN, MAX, |c| {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            }),
            || format!("must be {MIN} to {MAX} capital letters or digits, got `{raw}`"),
        )
    }

    fn schema() -> MetaSchema {
        pattern(&format!("^[A-Z0-9]{{{MIN},{MAX}}}$"))
    }
}

/// A code of `MIN` to `MAX` capital letters or digits: the bank's customer ids (4–20), offer and
/// guarantee ids (4–30), dealer codes (4–12), virtual accounts (1–32), payer codes (1–16), credit
/// UTRs (1–22).
pub type CapsCode<const MIN: usize, const MAX: usize> = Checked<CodeRule<MIN, MAX>>;
