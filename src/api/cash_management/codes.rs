//! The bank's CIB business codes (`RESPONSECODE`), in one table.

/// The identity block (or an account) does not match a corporate of the bank.
pub const INVALID_IDS: &str = "9906";
/// The corporate user has not registered for API banking.
pub const NOT_REGISTERED: &str = "9907";
/// A rail's rule refuses the payment: RTGS minimum, IMPS maximum, NEFT remarks, an amount the
/// rail does not accept (`.13`), the same account on both sides. sandbank's choice of the code the
/// catalogue lists without a meaning.
pub const RULE_VIOLATED: &str = "995109";
/// The debit account's balance does not cover the payment.
pub const INSUFFICIENT_FUNDS: &str = "100030";
/// The beneficiary account does not exist (numbers ending `0000`).
pub const INVALID_BENEFICIARY: &str = "100046";
/// The UNIQUEID was used before: never paid twice.
pub const DUPLICATE: &str = "999936";
/// The approver rejected the payment in the corporate's workflow. sandbank's own code.
pub const REJECTED_BY_APPROVER: &str = "999937";
/// TransactionInquiry: no payment with this UNIQUEID for this corporate. sandbank's own code.
pub const NO_SUCH_TRANSACTION: &str = "999940";
/// TransactionOTP / bulk payment without an OTP, or without a `Create` for the UNIQUEID.
pub const OTP_REQUIRED: &str = "99274";
/// The OTP is not the one sent for this UNIQUEID (and amount).
pub const WRONG_OTP: &str = "994006";
/// The OTP was sent more than [`OTP_VALIDITY_MINUTES`](super::model::cib::OTP_VALIDITY_MINUTES) minutes ago (sandbox time).
pub const OTP_EXPIRED: &str = "107889";
/// CIBNEFTStatus: no NEFT payment of this corporate has this UTR. sandbank's choice.
pub const NO_SUCH_UTR: &str = "999941";
/// ReverseMis: no bulk file of this user has this FILESEQNUM and UNIQUEID. sandbank's choice.
pub const NO_SUCH_FILE: &str = "999942";
/// ReverseMis: every payment of the file was refused. sandbank's choice.
pub const BULK_FAILED: &str = "999943";

/// A statement line's narration for money on a rail, as the bank writes it: `RAIL/UTR/NAME/DETAIL`
/// (a payment's payee and remarks, a collection's remitter and virtual account).
pub fn rail_narration(
    rail: &str,
    utr: &str,
    name: impl std::fmt::Display,
    detail: impl std::fmt::Display,
) -> String {
    format!("{rail}/{utr}/{name}/{detail}")
}
