//! Auto Loan's business codes, in one table: every answer's `responseCode`. Business declines are
//! HTTP 200, as the bank answers them; the envelope that carries them is [`Outcome`](super::model::Outcome).

/// Success.
pub const OK: &str = "AL000";
/// The OTP does not match.
pub const OTP_MISMATCH: &str = "AL101";
/// No such OTP reference, or it expired (5 minutes).
pub const OTP_EXPIRED: &str = "AL102";
/// The mobile has not passed OTP verification in the last 30 minutes.
pub const OTP_NOT_VERIFIED: &str = "AL103";
/// No such application (or loan account) for this app.
pub const NOT_FOUND: &str = "AL201";
/// A step out of order: see `currentState` and `allowedNextSteps`.
pub const OUT_OF_ORDER: &str = "AL202";
/// The offer was declined: see `data.reasons`.
pub const REJECTED: &str = "AL203";
/// The dealer is not empanelled (dealer codes ending `0000`).
pub const DEALER_NOT_EMPANELLED: &str = "AL204";
/// The document could not be read (SHA-256 of all zeros).
pub const DOCUMENT_UNREADABLE: &str = "AL301";
/// The application already holds the most documents it takes (20).
pub const TOO_MANY_DOCUMENTS: &str = "AL302";
/// The dealer's account does not exist (accounts ending `0000`).
pub const INVALID_DEALER_ACCOUNT: &str = "AL401";
/// The dealer's IFSC names no bank in the directory.
pub const INVALID_DEALER_IFSC: &str = "AL402";
/// The repayment account lacks the funds (or the amount ends `.51`).
pub const INSUFFICIENT_FUNDS: &str = "AL501";
/// The repayment account is not an account of this bank.
pub const UNKNOWN_DEBIT_ACCOUNT: &str = "AL502";
/// The repayment is more than everything still owed.
pub const AMOUNT_ABOVE_OUTSTANDING: &str = "AL503";
