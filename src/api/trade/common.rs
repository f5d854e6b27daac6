//! What the Trade operations share: the answer envelope's codes and the reference formats.

use serde::{Deserialize, Deserializer};

/// The family's business codes (`responseCode`), stable and documented in the README (Trade). `TR` codes
/// are outward remittances, `BG` codes bank guarantees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success,
    CurrencyNotSupported,
    BicNotFound,
    PurposeCodeUnknown,
    AccountNotFound,
    InsufficientFunds,
    NostroInsufficient,
    InvalidAmount,
    DuplicateReference,
    TransactionNotFound,
    InvalidBeneficiaryAccount,
    ChargesExceedAmount,
    BgSuccess,
    BgNotFound,
    BgApplicantNotFound,
    BgExpiryNotInFuture,
    BgNotAmendable,
    BgAlreadyInvoked,
    BgClaimPeriodOver,
    BgClaimAboveAmount,
    BgDuplicateReference,
    BgCurrencyNotSupported,
    BgInvalidAmount,
}

impl Code {
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "TR000",
            Self::CurrencyNotSupported => "TR001",
            Self::BicNotFound => "TR002",
            Self::PurposeCodeUnknown => "TR003",
            Self::AccountNotFound => "TR004",
            Self::InsufficientFunds => "TR005",
            Self::NostroInsufficient => "TR006",
            Self::InvalidAmount => "TR007",
            Self::DuplicateReference => "TR008",
            Self::TransactionNotFound => "TR009",
            Self::InvalidBeneficiaryAccount => "TR010",
            Self::ChargesExceedAmount => "TR011",
            Self::BgSuccess => "BG000",
            Self::BgNotFound => "BG001",
            Self::BgApplicantNotFound => "BG002",
            Self::BgExpiryNotInFuture => "BG003",
            Self::BgNotAmendable => "BG004",
            Self::BgAlreadyInvoked => "BG005",
            Self::BgClaimPeriodOver => "BG010",
            Self::BgClaimAboveAmount => "BG006",
            Self::BgDuplicateReference => "BG007",
            Self::BgCurrencyNotSupported => "BG008",
            Self::BgInvalidAmount => "BG009",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Success | Self::BgSuccess => "Success",
            Self::CurrencyNotSupported | Self::BgCurrencyNotSupported => "Currency not supported",
            Self::BicNotFound => "Beneficiary bank BIC not found in the directory",
            Self::PurposeCodeUnknown => "Purpose code not recognised",
            Self::AccountNotFound => "Account not found",
            Self::InsufficientFunds => "Insufficient funds in the remitter's account",
            Self::NostroInsufficient => "Insufficient balance in the bank's nostro account",
            Self::InvalidAmount | Self::BgInvalidAmount => "Invalid amount",
            Self::DuplicateReference => "Duplicate transactionRefNo with different details",
            Self::TransactionNotFound => "Transaction not found",
            Self::InvalidBeneficiaryAccount => "Invalid beneficiary account",
            Self::ChargesExceedAmount => "Charges exceed the remittance amount",
            Self::BgNotFound => "Bank guarantee not found",
            Self::BgApplicantNotFound => "Applicant account not found",
            Self::BgExpiryNotInFuture => "Expiry date must be after today",
            Self::BgNotAmendable => "Bank guarantee cannot be amended in its current status",
            Self::BgAlreadyInvoked => "Bank guarantee already invoked",
            Self::BgClaimPeriodOver => "Claim period has ended",
            Self::BgClaimAboveAmount => "Claim amount is above the guarantee amount",
            Self::BgDuplicateReference => "Duplicate reference with different details",
        }
    }

    pub fn status(self) -> &'static str {
        if matches!(self, Self::Success | Self::BgSuccess) {
            "SUCCESS"
        } else {
            "FAILURE"
        }
    }
}

/// A client reference: 1 to 35 letters, digits or `-/.` (SWIFT field 20's length).
pub fn reference<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = (1..=35).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c));
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be 1 to 35 letters, digits or -/. characters, got `{raw}`"
        )))
    }
}

/// [`text`]'s rule as a schema: printable (no control character), not all spaces, 1 to 140.
pub fn text_schema() -> serde_json::Value {
    serde_json::json!({
        "maxLength": 140,
        "pattern": "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\x00-\\x20\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$",
    })
}

/// Free text for a SWIFT line: 1 to 140 printable characters, not blank.
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = !crate::sandbox::formats::is_blank(&raw)
        && raw.chars().count() <= 140
        && !raw.chars().any(char::is_control);
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(
            "must be 1 to 140 printable characters, not blank",
        ))
    }
}

/// The optional form of [`text`].
pub fn optional_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "text")] String);
    Option::<Wrapped>::deserialize(deserializer).map(|w| w.map(|Wrapped(s)| s))
}

/// A beneficiary's account or IBAN abroad: 1 to 34 capital letters or digits.
pub fn foreign_account<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = (1..=34).contains(&raw.len())
        && raw
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be an account number or IBAN of 1 to 34 capital letters or digits, got `{raw}`"
        )))
    }
}

/// An id the bank issued (BG number): 4 to 30 capital letters or digits.
pub fn identifier<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = (4..=30).contains(&raw.len())
        && raw
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be 4 to 30 capital letters or digits, got `{raw}`"
        )))
    }
}
