//! iWish's business codes, in one table: every answer's `responseCode`. Business declines are HTTP
//! 200, as the bank answers them; the envelope that carries them is [`Outcome`](super::model::Outcome).

/// Success.
pub const OK: &str = "IW000";
/// Tenure outside 6–120 months.
pub const TENURE_OUT_OF_RANGE: &str = "IW101";
/// A deposit (initial, add-funds, standing instruction) below ₹100.
pub const BELOW_MINIMUM: &str = "IW102";
/// No such goal for this app.
pub const NOT_FOUND: &str = "IW201";
/// The goal is closed or matured.
pub const GOAL_CLOSED: &str = "IW202";
/// The funding account lacks the funds (or the amount ends `.51`).
pub const INSUFFICIENT_FUNDS: &str = "IW301";
/// The funding account is not an account of this bank.
pub const UNKNOWN_ACCOUNT: &str = "IW302";
