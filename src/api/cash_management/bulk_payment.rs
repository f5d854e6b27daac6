//! `POST /api/v1/cibbulkpayment/bulkPayment` [bank, from published partner code]: a file of payments
//! from one of the corporate's accounts (base64 in `FILE_CONTENT`, see `bulk_file`), confirmed by the
//! OTP `Create` sent for its `UNIQUE_ID` (`AGOTP`). The identity keys here are written with
//! underscores (`AGGR_ID, CORP_ID, USER_ID, URN, UNIQUE_ID`), as the bank's bulk API spells them.
//!
//! Each payment of the file is booked by Transaction's own rules (`UNIQUEID` = `<FILE_SEQUENCE_NUM>-<n>`,
//! executed at once: `WIB` within the bank as TPA, `NFT` as NEFT in the next batch), all in one atomic
//! step; its status is then read with `ReverseMis` (the file) or `TransactionInquiry` (a payment).

use crate::api::sample;
use crate::sandbox::bank::formats::{BulkFileName, CibId, FileContent, MaxChars, Text, UniqueId};
use std::sync::Arc;

use base64::Engine;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        corporates::owns,
        store::Ctx,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    account_statement::YesNo,
    bulk_file::{self, BulkFile},
    codes,
    model::{
        cib::{admitted, cib_example, CibIdentity, CibOutcome, SANDBOX_OTP},
        Currency, TransactionRequest,
    },
    otp_create::otp_key,
    state::{BulkUpload, CibState},
    transaction::book,
    transaction_otp::confirm,
};

/// The bulk payment: the identity (underscored keys), the OTP and the file.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example)]
pub struct BulkPaymentRequest {
    /// The aggregator (demo `SANDAGGR1`).
    #[oai(rename = "AGGR_ID")]
    #[serde(rename = "AGGR_ID")]
    pub aggr_id: CibId,
    /// The aggregator's name (demo `SANDBANK`).
    #[oai(rename = "AGGR_NAME")]
    #[serde(rename = "AGGR_NAME")]
    pub aggr_name: Text<64>,
    /// The corporate (demo `SANDCORP1`).
    #[oai(rename = "CORP_ID")]
    #[serde(rename = "CORP_ID")]
    pub corp_id: CibId,
    /// The corporate's user (demo `SANDUSER1`).
    #[oai(rename = "USER_ID")]
    #[serde(rename = "USER_ID")]
    pub user_id: CibId,
    /// The corporate's URN (demo `SANDURN0001`).
    #[oai(rename = "URN")]
    #[serde(rename = "URN")]
    pub urn: CibId,
    /// The file's unique id: the UNIQUEID `Create` sent the OTP for. Uploaded at most once.
    #[oai(rename = "UNIQUE_ID")]
    #[serde(rename = "UNIQUE_ID")]
    pub unique_id: UniqueId,
    /// The OTP `Create` sent for `UNIQUE_ID` (the sandbox's is `123456`). Absent or empty: 99274.
    #[oai(rename = "AGOTP")]
    #[serde(rename = "AGOTP", default)]
    pub agotp: Option<MaxChars<16>>,
    /// The file's name, e.g. `SALARY_20260401.txt`.
    #[oai(rename = "FILE_NAME")]
    #[serde(rename = "FILE_NAME")]
    pub file_name: BulkFileName,
    /// What the file is for (optional).
    #[oai(rename = "FILE_DESCRIPTION")]
    #[serde(rename = "FILE_DESCRIPTION", default)]
    pub file_description: Option<MaxChars<100>>,
    /// Base64 of the bulk file (`FHR`, `MDR`, then `MCW` / `MCO` records, `^`-separated).
    #[oai(rename = "FILE_CONTENT")]
    #[serde(rename = "FILE_CONTENT")]
    pub file_content: FileContent,
}

/// The file's text: base64 of UTF-8, white space in the base64 ignored.
fn decoded(content: &str) -> Result<String, String> {
    let compact: String = content
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| "is not base64 of the bulk file's text".to_string())
}

/// The demo file: two payments, within the bank and by NEFT.
pub const DEMO_FILE: &str = "FHR|3|04/01/2026|Salary|35.50|INR|000405000001|0011^\
MDR|000405000001|0011|Sandbank Demo Traders|35.50|INR|Salary April|ICIC0000011|WIB^\
MCW|000405000002|0011|Asha Rao|10.50|INR|Salary|WIB|ICIC0000011^\
MCO|000405009999|0011|Ravi Kumar|25.00|INR|Salary|NFT|HDFC0000001^";

impl poem_openapi::types::Example for BulkPaymentRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            aggr_name: sample("SANDBANK"),
            unique_id: sample("BULK20260401000001"),
            agotp: Some(sample(SANDBOX_OTP)),
            file_name: sample("SALARY_20260401.txt"),
            file_description: Some(sample("Salary April")),
            file_content: FileContent::parse(base64::engine::general_purpose::STANDARD.encode(DEMO_FILE))
                .expect("valid example"),
        })
    }
}

/// The upload's outcome.
#[derive(Object, Debug)]
#[oai(example)]
pub struct BulkPaymentResponse {
    /// `STATUS: SUCCESS` when the file is accepted (its payments then stand as `ReverseMis` says).
    #[oai(flatten)]
    pub outcome: CibOutcome,
    /// The file's number at the bank, for `ReverseMis`.
    #[oai(rename = "FILE_SEQUENCE_NUM", skip_serializing_if_is_none)]
    pub file_sequence_num: Option<String>,
    #[oai(rename = "UNIQUE_ID")]
    pub unique_id: String,
}

impl poem_openapi::types::Example for BulkPaymentResponse {
    fn example() -> Self {
        Self {
            outcome: CibOutcome::success(
                "SUCCESS",
                "File uploaded successfully. File Sequence No: [189847812]; 2 payments",
            ),
            file_sequence_num: Some("189847812".into()),
            unique_id: "BULK20260401000001".into(),
        }
    }
}

impl Answered for BulkPaymentResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: BulkPaymentRequest,
) -> Reply<BulkPaymentResponse> {
    // A file the bank cannot read is declined, as the bank answers a file it received.
    let file = match decoded(&request.file_content).and_then(|text| bulk_file::parse(&text)) {
        Ok(file) => file,
        Err(reason) => {
            return Ok(Answer(BulkPaymentResponse {
                outcome: CibOutcome::failure(
                    "FAILURE",
                    codes::RULE_VIOLATED,
                    format!("FILE_CONTENT {reason}"),
                ),
                file_sequence_num: None,
                unique_id: request.unique_id.into(),
            }))
        }
    };
    let identity = CibIdentity {
        aggr_id: request.aggr_id.to_string(),
        corp_id: request.corp_id.to_string(),
        user_id: request.user_id.to_string(),
        urn: request.urn.to_string(),
    };
    let corporate = identity.corporate(sandbox, Some(&request.aggr_name));
    let seq = file_sequence_num(sandbox, app, &request.unique_id);
    let outcome = sandbox.family(app, CibState::new, |state, ctx| {
        admitted(state, &identity, corporate)?;
        if !corporate.is_some_and(|c| owns(c, file.debit_account.as_str())) {
            let message = format!(
                "Debit account {} does not belong to the corporate",
                file.debit_account
            );
            return Err(CibOutcome::failure("FAILURE", codes::INVALID_IDS, message));
        }
        if state.bulk_uploads.contains(&seq)
            || state.payments.contains(request.unique_id.as_string())
        {
            return Err(CibOutcome::duplicate());
        }
        let key = otp_key(&identity, &request.unique_id);
        // Room for the whole file first: a file refused at the object bound books nothing and keeps
        // its OTP.
        if let Err(full) = state
            .payments
            .reserve(file.lines.len())
            .and_then(|()| state.bulk_uploads.make_room().map(drop))
        {
            return Ok(Err(full));
        }
        confirm(state, ctx, &key, request.agotp.as_deref(), file.total)?;
        let payments = book_all(sandbox, app, state, ctx, &request, &file, &seq);
        let count = payments.len();
        let upload = BulkUpload {
            unique_id: request.unique_id.to_string(),
            user_key: identity.user_key(),
            payments,
        };
        let inserted = state.bulk_uploads.insert(seq.clone(), upload);
        Ok(inserted.map(|_| {
            CibOutcome::success(
                "SUCCESS",
                format!("File uploaded successfully. File Sequence No: [{seq}]; {count} payments"),
            )
        }))
    });
    let outcome = match outcome {
        Ok(Ok(accepted)) => Ok(accepted),
        Ok(Err(full)) => return Err(full.into()),
        Err(refused) => Err(refused),
    };
    let accepted = outcome.is_ok();
    Ok(Answer(BulkPaymentResponse {
        outcome: outcome.unwrap_or_else(|refused| refused),
        file_sequence_num: accepted.then_some(seq),
        unique_id: request.unique_id.into(),
    }))
}

/// Books every payment of the file by Transaction's rules; their UNIQUEIDs, in file order.
fn book_all(
    sandbox: &Sandbox,
    app: &App,
    state: &mut CibState,
    ctx: &mut Ctx<'_>,
    request: &BulkPaymentRequest,
    file: &BulkFile,
    seq: &str,
) -> Vec<String> {
    let mut booked = Vec::with_capacity(file.lines.len());
    for (n, line) in file.lines.iter().enumerate() {
        let payment = TransactionRequest {
            aggr_id: request.aggr_id.clone(),
            corp_id: request.corp_id.clone(),
            user_id: request.user_id.clone(),
            urn: request.urn.clone(),
            aggr_name: request.aggr_name.clone(),
            unique_id: UniqueId::derived(format!("{seq}-{}", n + 1)),
            debit_acc: file.debit_account.clone(),
            credit_acc: line.account.clone(),
            ifsc: line.ifsc.clone(),
            amount: line.amount,
            currency: Currency::INR,
            txn_type: line.rail,
            payee_name: line.name.clone(),
            remarks: MaxChars::derived(line.remarks.clone()),
            workflow_reqd: Some(YesNo::N),
        };
        let req_id = sandbox
            .determinism
            .app_reference("cib-reqid", &app.id, &payment.unique_id, 9);
        // Room for every payment was reserved before the file was confirmed.
        let _ = book(sandbox, state, ctx, &payment, req_id);
        booked.push(payment.unique_id.into_inner());
    }
    booked
}

/// The file's number: 9 digits, stable for the app and the file's UNIQUE_ID.
fn file_sequence_num(sandbox: &Sandbox, app: &App, unique_id: &str) -> String {
    sandbox
        .determinism
        .app_reference("cib-bulk-file", &app.id, unique_id, 9)
}
