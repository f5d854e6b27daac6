//! Cash Management's payment types, shared by `Transaction`, `TransactionOTP`, the bulk payment and
//! the approver's decision: the request (one definition of every payment field), the answer, and the
//! walk-through's example payments. Beside them: [`cib`], what every CIB operation shares (the identity
//! block, the answer envelope, the bank's dates), [`collections`], what the collections operations
//! share, and [`schemas`], what the request schemas say beyond their fields.

pub mod cib;
pub mod collections;
pub mod schemas;

use crate::api::sample;
use poem_openapi::{types::Example, Enum, Object};
use serde::Deserialize;

use crate::api::NamedExample;

use super::{account_statement::YesNo, state::TxnType};
use cib::{cib_example, CibIdentity, CibOutcome};

/// The only currency CIB pays in.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    #[allow(clippy::upper_case_acronyms)]
    INR,
}

/// Declares a request carrying the Transaction body — the identity block, `AGGRNAME` and the payment —
/// followed by the operation's own fields (TransactionOTP adds `OTP`), so every payment field is
/// defined, documented and parsed in one place.
macro_rules! transaction_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $crate::api::cash_management::model::cib::cib_request! {
            $(#[$meta])*
            pub struct $name {
                /// The aggregator's name, e.g. `SANDBANK`.
                #[oai(rename = "AGGRNAME")]
                #[serde(rename = "AGGRNAME")]
                pub aggr_name: $crate::sandbox::bank::formats::Text<64>,
                /// The client's reference for this payment, 1 to 35 letters, digits, `-` or `_`. Paid at
                /// most once.
                #[oai(rename = "UNIQUEID")]
                #[serde(rename = "UNIQUEID")]
                pub unique_id: $crate::sandbox::bank::formats::UniqueId,
                /// One of the corporate's accounts (another account: 9906).
                #[oai(rename = "DEBITACC")]
                #[serde(rename = "DEBITACC")]
                pub debit_acc: $crate::sandbox::bank::formats::AccountNo,
                /// The beneficiary's account. Ending `0000`: invalid beneficiary (100046).
                #[oai(rename = "CREDITACC")]
                #[serde(rename = "CREDITACC")]
                pub credit_acc: $crate::sandbox::bank::formats::AccountNo,
                /// The beneficiary's IFSC.
                #[oai(rename = "IFSC")]
                #[serde(rename = "IFSC")]
                pub ifsc: $crate::sandbox::bank::formats::Ifsc,
                /// Rupees, as a string (`"1.00"`) or a JSON number. Paise `.13` fail, `.51`
                /// insufficient funds, `.96` time out.
                #[oai(rename = "AMOUNT")]
                #[serde(rename = "AMOUNT")]
                pub amount: $crate::sandbox::bank::formats::Amount,
                #[oai(rename = "CURRENCY")]
                #[serde(rename = "CURRENCY")]
                pub currency: super::model::Currency,
                #[oai(rename = "TXNTYPE")]
                #[serde(rename = "TXNTYPE")]
                pub txn_type: super::state::TxnType,
                /// The beneficiary's name.
                #[oai(rename = "PAYEENAME")]
                #[serde(rename = "PAYEENAME")]
                pub payee_name: $crate::sandbox::bank::formats::HolderName,
                /// Narration, up to 100 characters (NEFT: at most 32 letters, digits or spaces).
                #[oai(rename = "REMARKS")]
                #[serde(rename = "REMARKS")]
                pub remarks: $crate::sandbox::bank::formats::MaxChars<100>,
                $(
                    $(#[$field_meta])*
                    pub $field: $ty,
                )*
            }
        }
    };
}

pub(crate) use transaction_request;

/// A request carrying the Transaction body (`$target`) made from another (`$from`): the payment's
/// fields moved across one by one, then the target's own. TransactionOTP's request and Transaction's
/// convert both ways with it (its example, the payment it confirms), so the list is written once.
macro_rules! with_transaction_body {
    ($target:ident, $from:expr, { $($field:ident : $value:expr),* $(,)? }) => {
        $target {
            aggr_id: $from.aggr_id,
            corp_id: $from.corp_id,
            user_id: $from.user_id,
            urn: $from.urn,
            aggr_name: $from.aggr_name,
            unique_id: $from.unique_id,
            debit_acc: $from.debit_acc,
            credit_acc: $from.credit_acc,
            ifsc: $from.ifsc,
            amount: $from.amount,
            currency: $from.currency,
            txn_type: $from.txn_type,
            payee_name: $from.payee_name,
            remarks: $from.remarks,
            $($field: $value,)*
        }
    };
}

pub(crate) use with_transaction_body;

transaction_request! {
    /// The identity block with `AGGRNAME`, and the payment.
    #[derive(Object, Deserialize, Debug)]
    #[oai(skip_serializing_if_is_none, example)]
    pub struct TransactionRequest {
        #[oai(rename = "WORKFLOW_REQD")]
        #[serde(rename = "WORKFLOW_REQD", default)]
        pub workflow_reqd: Option<YesNo>,
    }
}

impl poem_openapi::types::Example for TransactionRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            aggr_name: sample("SANDBANK"),
            unique_id: sample("CIB20260401000001"),
            debit_acc: sample("000405000001"),
            credit_acc: sample("000405009999"),
            ifsc: sample("ICIC0000004"),
            amount: sample("1.00"),
            currency: Currency::INR,
            txn_type: TxnType::Neft,
            payee_name: sample("Ravi Kumar"),
            remarks: sample("Invoice 42"),
            workflow_reqd: Some(YesNo::N),
        })
    }
}

/// The walk-through's payments: one executed at once, and two left for the corporate's approver —
/// one for `POST /sandbox/cib/{UNIQUEID}/approve`, one for `/reject`.
pub fn examples() -> Vec<NamedExample> {
    let waiting = |unique_id: &str, remarks: &str| TransactionRequest {
        unique_id: sample(unique_id),
        remarks: sample(remarks),
        workflow_reqd: Some(YesNo::Y),
        ..TransactionRequest::example()
    };
    NamedExample::all([
        (
            "now",
            "Executed at once (WORKFLOW_REQD N)",
            TransactionRequest::example(),
        ),
        (
            "toApprove",
            "Waiting for the approver (WORKFLOW_REQD Y), approved later",
            waiting(&approved_example(), "Invoice 44"),
        ),
        (
            "toReject",
            "Waiting for the approver (WORKFLOW_REQD Y), rejected later",
            waiting(&rejected_example(), "Invoice 45"),
        ),
    ])
}

/// The UNIQUEID the walk-through approves.
pub fn approved_example() -> String {
    "CIB20260401000002".into()
}

/// The UNIQUEID the walk-through rejects.
pub fn rejected_example() -> String {
    "CIB20260401000003".into()
}

/// The payment's outcome.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, example)]
pub struct TransactionResponse {
    /// `STATUS`: `SUCCESS`, `PENDING` (awaiting approval, or NEFT awaiting its batch), `DUPLICATE`
    /// or `FAILURE`.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
    #[oai(rename = "URN")]
    pub urn: Option<String>,
    /// The rail's reference once the payment is executed: NEFT `ICICN…` (16), RTGS `ICICR…` (22),
    /// IMPS a 12-digit RRN, TPA `ICICT…`.
    #[oai(rename = "UTRNUMBER")]
    pub utr_number: Option<String>,
    /// The bank's request id for this payment.
    #[oai(rename = "REQID")]
    pub req_id: Option<String>,
}

impl poem_openapi::types::Example for TransactionResponse {
    fn example() -> Self {
        Self {
            outcome: CibOutcome::success(
                "PENDING",
                "Transaction accepted: NEFT settles in the batch of 01-04-2026 10:30:00 IST",
            ),
            unique_id: "CIB20260401000001".into(),
            urn: Some("SANDURN0001".into()),
            utr_number: Some("ICICN26091000001".into()),
            req_id: Some("370570845".into()),
        }
    }
}

impl TransactionResponse {
    pub fn refused(outcome: CibOutcome, unique_id: &str) -> Self {
        Self {
            outcome,
            unique_id: unique_id.to_string(),
            urn: None,
            utr_number: None,
            req_id: None,
        }
    }
}
