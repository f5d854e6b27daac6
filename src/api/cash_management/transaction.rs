//! `POST /api/Corporate/CIB/v1/Transaction` [bank]: pay from one of the corporate's accounts by TPA
//! (within the bank), NEFT (`RGS`), RTGS (`RTG`) or IMPS (`IFS`). `WORKFLOW_REQD: N` executes at once;
//! `Y` (or absent) waits for the corporate's approver (`POST /sandbox/cib/{UNIQUEID}/approve`). A
//! UNIQUEID is paid at most once, whatever happens: a reuse answers DUPLICATE (999936).

use std::sync::Arc;

use poem_openapi::{
    payload::Json,
    types::{Example, ToJSON},
    ApiResponse, Enum, Object,
};
use serde::{Deserialize, Deserializer};

use crate::api::NamedExample;
use crate::sandbox::{
    bank::corporates::owns,
    bank::rails::{IMPS_LIMIT, RTGS_MINIMUM},
    bounded::Full,
    error::Rejection,
    formats::{AccountNo, Amount, HolderName, Ifsc},
    magic::{is_invalid_account, magic_amount, MagicAmount},
    state::App,
    store::Ctx,
    Sandbox,
};

use super::{
    account_statement::YesNo,
    cib::{admitted, ist_timestamp, CibIdentity, CibOutcome},
    codes,
    state::{CibState, Payment, PaymentStatus, TxnType},
};

/// NEFT remarks: at most 32 letters, digits or spaces.
const NEFT_REMARKS_MAX: usize = 32;

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
        super::cib::cib_request! {
            $(#[$meta])*
            pub struct $name {
                /// The aggregator's name, e.g. `SANDBANK`.
                #[oai(rename = "AGGRNAME", validator(min_length = 1, max_length = 64))]
                #[serde(rename = "AGGRNAME", deserialize_with = "super::cib::aggr_name")]
                pub aggr_name: String,
                /// The client's reference for this payment, 1 to 35 letters, digits, `-` or `_`. Paid at
                /// most once.
                #[oai(rename = "UNIQUEID", validator(pattern = "^[A-Za-z0-9_-]{1,35}$"))]
                #[serde(rename = "UNIQUEID", deserialize_with = "super::transaction::unique_id")]
                pub unique_id: String,
                /// One of the corporate's accounts (another account: 9906).
                #[oai(rename = "DEBITACC")]
                #[serde(rename = "DEBITACC")]
                pub debit_acc: $crate::sandbox::formats::AccountNo,
                /// The beneficiary's account. Ending `0000`: invalid beneficiary (100046).
                #[oai(rename = "CREDITACC")]
                #[serde(rename = "CREDITACC")]
                pub credit_acc: $crate::sandbox::formats::AccountNo,
                /// The beneficiary's IFSC.
                #[oai(rename = "IFSC")]
                #[serde(rename = "IFSC")]
                pub ifsc: $crate::sandbox::formats::Ifsc,
                /// Rupees, as a string (`"1.00"`) or a JSON number. Paise `.13` fail, `.51`
                /// insufficient funds, `.96` time out.
                #[oai(rename = "AMOUNT")]
                #[serde(rename = "AMOUNT")]
                pub amount: $crate::sandbox::formats::Amount,
                #[oai(rename = "CURRENCY")]
                #[serde(rename = "CURRENCY")]
                pub currency: super::transaction::Currency,
                #[oai(rename = "TXNTYPE")]
                #[serde(rename = "TXNTYPE")]
                pub txn_type: super::state::TxnType,
                /// The beneficiary's name.
                #[oai(rename = "PAYEENAME")]
                #[serde(rename = "PAYEENAME")]
                pub payee_name: $crate::sandbox::formats::HolderName,
                /// Narration, up to 100 characters (NEFT: at most 32 letters, digits or spaces).
                #[oai(rename = "REMARKS", validator(max_length = 100))]
                #[serde(rename = "REMARKS", deserialize_with = "super::transaction::remarks")]
                pub remarks: String,
                $(
                    $(#[$field_meta])*
                    pub $field: $ty,
                )*
            }
        }
    };
}

pub(crate) use transaction_request;

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

pub fn unique_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = (1..=35).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be 1 to 35 letters, digits, - or _, got `{raw}`"
        )))
    }
}

pub fn remarks<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    if raw.chars().count() > 100 {
        Err(serde::de::Error::custom("must be at most 100 characters"))
    } else {
        Ok(raw)
    }
}

impl poem_openapi::types::Example for TransactionRequest {
    fn example() -> Self {
        let [aggr_id, corp_id, user_id, urn] = CibIdentity::demo_fields();
        Self {
            aggr_id,
            corp_id,
            user_id,
            urn,
            aggr_name: "SANDBANK".into(),
            unique_id: "CIB20260401000001".into(),
            debit_acc: AccountNo::parse("000405000001").expect("valid example"),
            credit_acc: AccountNo::parse("000405009999").expect("valid example"),
            ifsc: Ifsc::parse("ICIC0000004").expect("valid example"),
            amount: Amount::parse("1.00").expect("valid example"),
            currency: Currency::INR,
            txn_type: TxnType::Neft,
            payee_name: HolderName::parse("Ravi Kumar").expect("valid example"),
            remarks: "Invoice 42".into(),
            workflow_reqd: Some(YesNo::N),
        }
    }
}

/// The walk-through's payments: one executed at once, and two left for the corporate's approver —
/// one for `POST /sandbox/cib/{UNIQUEID}/approve`, one for `/reject`.
pub fn examples() -> Vec<NamedExample> {
    let waiting = |unique_id: &str, remarks: &str| TransactionRequest {
        unique_id: unique_id.into(),
        remarks: remarks.into(),
        workflow_reqd: Some(YesNo::Y),
        ..TransactionRequest::example()
    };
    [
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
    ]
    .into_iter()
    .map(|(name, summary, request)| NamedExample {
        name,
        summary,
        value: request.to_json().unwrap_or_default(),
    })
    .collect()
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
#[oai(example)]
pub struct TransactionResponse {
    /// `STATUS`: `SUCCESS`, `PENDING` (awaiting approval, or NEFT awaiting its batch), `DUPLICATE`
    /// or `FAILURE`.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
    #[oai(rename = "URN", skip_serializing_if_is_none)]
    pub urn: Option<String>,
    /// The rail's reference once the payment is executed: NEFT `ICICN…` (16), RTGS `ICICR…` (22),
    /// IMPS a 12-digit RRN, TPA `ICICT…`.
    #[oai(rename = "UTRNUMBER", skip_serializing_if_is_none)]
    pub utr_number: Option<String>,
    /// The bank's request id for this payment.
    #[oai(rename = "REQID", skip_serializing_if_is_none)]
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
    fn refused(outcome: CibOutcome, unique_id: &str) -> Self {
        Self {
            outcome,
            unique_id: unique_id.to_string(),
            urn: None,
            utr_number: None,
            req_id: None,
        }
    }
}

#[derive(ApiResponse)]
pub enum TransactionAnswer {
    /// The bank's answer (HTTP 200 for a decline too; read `RESPONSE`, `STATUS` and `RESPONSECODE`).
    #[oai(status = 200)]
    Ok(Json<TransactionResponse>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: TransactionRequest,
) -> Result<TransactionAnswer, Rejection> {
    let response = pay(sandbox, app, &request, |_, _| Ok(()))?;
    Ok(TransactionAnswer::Ok(Json(response)))
}

/// A payment by the bank's rules, for Transaction and TransactionOTP alike: a known and registered
/// user, a debit account of the corporate's, a UNIQUEID never seen, then `confirmed` (TransactionOTP's
/// OTP check, inside the same atomic step), then the payment rules and, for `WORKFLOW_REQD: N`,
/// execution.
pub fn pay(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: &TransactionRequest,
    confirmed: impl FnOnce(&mut CibState, &Ctx<'_>) -> Result<(), CibOutcome>,
) -> Result<TransactionResponse, Rejection> {
    let amount = request.amount.value();
    if magic_amount(amount) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, Some(&request.aggr_name));
    let req_id =
        sandbox
            .determinism
            .reference("cib-reqid", &format!("{}|{}", app.id, request.unique_id), 9);
    sandbox.family(app, CibState::new, |state, ctx| {
        let refused = |outcome| Ok(TransactionResponse::refused(outcome, &request.unique_id));
        if let Err(outcome) = admitted(state, identity, corporate) {
            return refused(outcome);
        }
        if !corporate.is_some_and(|c| owns(c, request.debit_acc.as_str())) {
            let message = format!(
                "DEBITACC {} does not belong to the corporate",
                request.debit_acc
            );
            return refused(CibOutcome::failure("FAILURE", codes::INVALID_IDS, message));
        }
        if state.payments.contains(&request.unique_id) {
            return refused(CibOutcome::duplicate());
        }
        // Room first: a payment refused at the object bound must not spend its OTP either.
        state.payments.make_room().map_err(Rejection::from)?;
        if let Err(outcome) = confirmed(state, ctx) {
            return refused(outcome);
        }
        book(sandbox, state, ctx, request, req_id).map_err(Rejection::from)
    })
}

/// Books a payment its caller has admitted (known user, its debit account, a new UNIQUEID): the
/// payment rules, then execution for `WORKFLOW_REQD: N`. Also each payment of a bulk file. Recorded
/// before it executes: a payment refused at the object bound moves nothing.
pub fn book(
    sandbox: &Sandbox,
    state: &mut CibState,
    ctx: &mut Ctx<'_>,
    request: &TransactionRequest,
    req_id: String,
) -> Result<TransactionResponse, Full> {
    let payment = received(request, &request.identity(), req_id);
    let execute = payment.status == PaymentStatus::AwaitingApproval
        && request.workflow_reqd == Some(YesNo::N);
    state.payments.insert(request.unique_id.clone(), payment)?;
    if execute {
        state.execute(&request.unique_id, ctx, &sandbox.determinism);
    }
    Ok(respond(
        state
            .payments
            .get(&request.unique_id)
            .expect("just inserted"),
    ))
}

/// A payment as received: refused by a rule, or waiting for its approval (or immediate execution).
fn received(request: &TransactionRequest, identity: &CibIdentity, req_id: String) -> Payment {
    let status = match refusal(request) {
        Some((code, message)) => PaymentStatus::Failure { code, message },
        None => PaymentStatus::AwaitingApproval,
    };
    Payment {
        corp_id: identity.corp_id.clone(),
        unique_id: request.unique_id.clone(),
        urn: identity.urn.clone(),
        debit_acc: request.debit_acc.to_string(),
        credit_acc: request.credit_acc.to_string(),
        amount: request.amount.value(),
        rail: request.txn_type,
        payee_name: request.payee_name.to_string(),
        remarks: request.remarks.clone(),
        req_id,
        utr: None,
        status,
    }
}

/// The answer for a payment as it stands (Transaction and the sandbox approval controls).
pub fn respond(payment: &Payment) -> TransactionResponse {
    TransactionResponse {
        outcome: outcome(&payment.status),
        unique_id: payment.unique_id.clone(),
        urn: Some(payment.urn.clone()),
        utr_number: payment.utr.clone(),
        req_id: Some(payment.req_id.clone()),
    }
}

/// `RESPONSE`/`STATUS`/`MESSAGE`/`RESPONSECODE` for a payment's status.
pub fn outcome(status: &PaymentStatus) -> CibOutcome {
    match status {
        PaymentStatus::AwaitingApproval => CibOutcome::success("PENDING", "Pending For approval"),
        PaymentStatus::InBatch { due } => CibOutcome::success(
            "PENDING",
            format!(
                "Transaction accepted: NEFT settles in the batch of {} IST",
                ist_timestamp(*due)
            ),
        ),
        PaymentStatus::Success => CibOutcome::success("SUCCESS", "Transaction Successful"),
        PaymentStatus::Failure { code, message } => {
            CibOutcome::failure("FAILURE", code, message.clone())
        }
    }
}

/// The bank's rules and the magic values that refuse a payment before any money moves.
fn refusal(request: &TransactionRequest) -> Option<(&'static str, String)> {
    let amount = request.amount.value();
    if is_invalid_account(request.credit_acc.as_str()) {
        return Some((
            codes::INVALID_BENEFICIARY,
            format!("Invalid beneficiary account {}", request.credit_acc),
        ));
    }
    if request.credit_acc == request.debit_acc {
        return Some((
            codes::RULE_VIOLATED,
            "DEBITACC and CREDITACC are the same account".into(),
        ));
    }
    if magic_amount(amount) == Some(MagicAmount::InvalidAmount) {
        return Some((codes::RULE_VIOLATED, "Invalid amount".into()));
    }
    match request.txn_type {
        TxnType::Rtgs if amount < RTGS_MINIMUM => Some((
            codes::RULE_VIOLATED,
            "RTGS amount must be at least 200000.00".into(),
        )),
        TxnType::Imps if amount > IMPS_LIMIT => Some((
            codes::RULE_VIOLATED,
            "IMPS amount must not exceed 500000.00".into(),
        )),
        TxnType::Neft if !neft_remarks_ok(&request.remarks) => Some((
            codes::RULE_VIOLATED,
            format!("NEFT REMARKS must be at most {NEFT_REMARKS_MAX} letters, digits or spaces"),
        )),
        _ => None,
    }
}

fn neft_remarks_ok(remarks: &str) -> bool {
    remarks.chars().count() <= NEFT_REMARKS_MAX
        && remarks
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ')
}
