//! Payments & UPI's business codes and messages, in one table: each rail's code and words for why a
//! composite payment (or its status inquiry) answered as it did, and the merchant UPI operations'
//! `response` codes with their `message`s. Every one is HTTP 200, as the bank answers them.
//!
//! Merchant UPI codes (`response`): `92` initiated / pending, `0` success, `00ZA` declined by the
//! payer, `U69` collect expired, `5001` invalid merchant, `5002` duplicate `merchantTranId`, `5003`
//! no such transaction, `5006` `collectByDate` not in the future, `5020` refund above what remains
//! refundable, `5021` original not successful, `5022` `payeeVa` is not the original payer, `37`
//! invalid VPA.

use rust_decimal::Decimal;

use crate::sandbox::bank::{formats::rupees, rails::Rail};

/// Why a rail answered as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Ok,
    Duplicate,
    Insufficient,
    InvalidAccount,
    InvalidIfsc,
    InvalidAmount,
    Timeout,
    BadIdentity,
    NotFound,
    /// A field the rail needs is absent (the gateway's schema code, in the rail's envelope).
    MissingField,
}

/// The rail's code for a reason.
pub fn code(rail: Rail, reason: Reason) -> &'static str {
    use Reason::{
        BadIdentity, Duplicate, Insufficient, InvalidAccount, InvalidAmount, InvalidIfsc,
        MissingField, NotFound, Ok, Timeout,
    };
    match rail {
        Rail::Imps => match reason {
            Ok => "0",
            Duplicate => "14",
            Insufficient => "51",
            InvalidAccount => "52",
            InvalidIfsc => "201",
            InvalidAmount => "13",
            Timeout => "96",
            BadIdentity => "12",
            NotFound => "25",
            MissingField => "8017",
        },
        Rail::Neft | Rail::Rtgs => match reason {
            Ok => "",
            Duplicate => "999936",
            Insufficient => "100030",
            InvalidAccount => "100046",
            InvalidIfsc => "100047",
            InvalidAmount => "100013",
            Timeout => "8013",
            BadIdentity => "9906",
            NotFound => "100025",
            MissingField => "8017",
        },
        Rail::Upi => match reason {
            Ok => "0",
            Duplicate => "5002",
            Insufficient => "Z9",
            InvalidAccount => "37",
            InvalidIfsc => "37",
            InvalidAmount => "5004",
            Timeout => "96",
            BadIdentity => "5001",
            NotFound => "5003",
            MissingField => "8017",
        },
    }
}

/// The rails' words for a reason.
pub fn message(reason: Reason) -> &'static str {
    match reason {
        Reason::Ok => "Transaction Successful",
        Reason::Duplicate => "DUPLICATE TRANSACTION",
        Reason::Insufficient => "INSUFFICIENT FUNDS",
        Reason::InvalidAccount => "INVALID ACCOUNT",
        Reason::InvalidIfsc => "INVALID IFSC",
        Reason::InvalidAmount => "INVALID AMOUNT",
        Reason::Timeout => "TIMEOUT",
        Reason::BadIdentity => "INVALID CORPORATE ID, USER OR DEBIT ACCOUNT",
        Reason::NotFound => "NO SUCH TRANSACTION",
        Reason::MissingField => "MANDATORY FIELD MISSING",
    }
}

/// A duplicate whose original was settled and archived at the object bound.
pub fn archived_duplicate_message() -> String {
    format!(
        "{} (the original is settled and archived)",
        message(Reason::Duplicate)
    )
}

/// A rail's field the body lacks.
pub fn missing_field_message(field: &str, rail: Rail) -> String {
    format!(
        "MANDATORY FIELD MISSING: `{field}` is required for {}",
        rail.name()
    )
}

/// A composite UPI payment to a payee whose handle is no PSP the sandbox knows (the UPI rail's `37`).
pub const UNKNOWN_PAYEE_PSP: &str = "INVALID VPA: the payee's handle is not a known PSP";
/// A composite UPI payment above the UPI limit.
pub const UPI_ABOVE_LIMIT: UpiCode = ("5005", "AMOUNT EXCEEDS THE UPI LIMIT OF 100000.00");

/// A merchant UPI answer's `response` code and its `message`.
pub type UpiCode = (&'static str, &'static str);

/// A collect raised, or a collect or QR payment still waiting for the payer.
pub const INITIATED: UpiCode = ("92", "Transaction Initiated");
/// A payment made (a QR intent created).
pub const SUCCESSFUL: UpiCode = ("0", "Transaction Successful");
/// The payer declined the collect.
pub const DECLINED_BY_PAYER: UpiCode = ("00ZA", "Transaction declined by the payer");
/// The collect expired unanswered.
pub const COLLECT_EXPIRED: UpiCode = ("U69", "Collect request expired");
/// No such merchant, sub-merchant and terminal.
pub const INVALID_MERCHANT: UpiCode = ("5001", "Invalid MerchantID");
/// The `merchantTranId` was used before.
pub const DUPLICATE_TRAN_ID: UpiCode = ("5002", "Duplicate merchantTranId");
/// A status inquiry for a `merchantTranId` the merchant never used.
pub const TRAN_ID_NOT_AVAILABLE: UpiCode = ("5003", "Merchant TranId is not available");
/// `collectByDate` is not in the future.
pub const COLLECT_BY_PAST: UpiCode = (
    "5006",
    "collectByDate must be later than the current date and time",
);
/// The VPA is one a known PSP answers for.
pub const VPA_AVAILABLE: UpiCode = ("0", "VPA is available for transaction");
/// The VPA's handle is no PSP the sandbox knows.
pub const INVALID_VPA: UpiCode = ("37", "Invalid VPA");
/// A collect's payer whose handle is no PSP the sandbox knows.
pub const UNKNOWN_PAYER_PSP: UpiCode = ("37", "Invalid VPA: the payer's handle is not a known PSP");

/// A refund made.
pub const REFUNDED: UpiCode = ("0", "Refund Successful");
/// A refund's original is not this merchant's, or not under this `originalmerchantTranId`.
pub const ORIGINAL_NOT_AVAILABLE: UpiCode = ("5003", "Original transaction is not available");
/// A refund's original did not succeed.
pub const ORIGINAL_NOT_SUCCESSFUL: UpiCode = ("5021", "Original transaction is not successful");
/// A refund's `payeeVa` is not the original's payer.
pub const NOT_ORIGINAL_PAYER: UpiCode = ("5022", "payeeVa is not the original payer's VPA");
/// A refund above what remains refundable: its code.
pub const ABOVE_REFUNDABLE: &str = "5020";
/// A refund above what remains refundable: its words.
pub fn above_refundable_message(remaining: Decimal) -> String {
    format!(
        "Refund amount exceeds the refundable amount of {}",
        rupees(remaining)
    )
}
/// A refund the merchant's settlement account cannot cover.
pub const SETTLEMENT_SHORT: UpiCode = (
    ABOVE_REFUNDABLE,
    "Settlement account cannot cover the refund",
);
