//! `POST /api/v1/composite-validation` [bank]: IMPS name enquiry ("penny drop") — does this account
//! exist at this bank, and in whose name? The bank's envelope names the service `IMPS_NAME_INQUIRY`.

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::{AccountNo, DateTime14, HolderName, Ifsc, Mobile, Reference},
        rails::{imps_answer, Rail},
    },
    gateway::apps::App,
    Sandbox,
};

use super::codes::{self, ActCode};

/// The bank's IMPS name-enquiry fields (their spelling and case).
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "PascalCase")]
#[serde(rename_all = "PascalCase")]
pub struct NameEnquiryRequest {
    /// Beneficiary account number. Ending `0000`: invalid account (ActCode 52).
    pub bene_acc_no: AccountNo,
    /// Beneficiary IFSC. A bank code not in the IFSC directory: ActCode 201.
    #[oai(rename = "BeneIFSC")]
    #[serde(rename = "BeneIFSC")]
    pub bene_ifsc: Ifsc,
    /// The client's unique reference; the BankRRN derives from it.
    pub tran_ref_no: Reference<64>,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub payment_ref: Reference<64>,
    /// Remitter's name.
    pub rem_name: HolderName,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub rem_mobile: Mobile,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub retailer_code: Reference<64>,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub pass_code: Reference<64>,
    /// `yyyyMMddHHmmss`, a real date and time.
    pub transaction_date: DateTime14,
}

impl poem_openapi::types::Example for NameEnquiryRequest {
    fn example() -> Self {
        Self {
            bene_acc_no: sample("000405009999"),
            bene_ifsc: sample("ICIC0000004"),
            tran_ref_no: sample("NE20260401000001"),
            payment_ref: sample("PENNYDROP"),
            rem_name: sample("Sandbank Demo Traders"),
            rem_mobile: sample("9800000001"),
            retailer_code: sample("rcode"),
            pass_code: sample("447c4524c9074b8c97e3a3c40ca7458d"),
            transaction_date: sample("20260401103000"),
        }
    }
}

imps_answer! {
    /// The IMPS answer.
    pub struct NameEnquiryResponse {
        /// `0` success, `52` invalid account, `201` invalid IFSC.
        act_code,
        /// 12-digit retrieval reference, stable for the same app and `TranRefNo`.
        bank_rrn,
        /// The account holder's name as the beneficiary bank holds it (empty when not found).
        bene_name,
    }
}

impl Answered for NameEnquiryResponse {
    const DESCRIPTION: &'static str =
        "The beneficiary bank's answer (HTTP 200 for a decline too; read `ActCode`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &App,
    request: NameEnquiryRequest,
) -> Answer<NameEnquiryResponse> {
    let rrn = Rail::Imps.reference(&sandbox.determinism, &app.id, &request.tran_ref_no);
    let ((act_code, response), bene_name) = enquire(sandbox, &request);
    Answer(NameEnquiryResponse {
        act_code: act_code.into(),
        response: response.into(),
        bank_rrn: rrn,
        bene_name,
        tran_ref_no: request.tran_ref_no.into(),
    })
}

fn enquire(sandbox: &Sandbox, request: &NameEnquiryRequest) -> (ActCode, String) {
    let fixtures = &sandbox.fixtures;
    let bank_code = request.bene_ifsc.bank_code();
    if fixtures.bank_name(bank_code).is_none() {
        return (codes::INVALID_IFSC, String::new());
    }
    if fixtures
        .branch(&request.bene_ifsc)
        .is_some_and(|branch| !branch.imps)
    {
        return (codes::IFSC_NOT_ENABLED_FOR_IMPS, String::new());
    }
    if request.bene_acc_no.as_str().ends_with("0000") {
        return (codes::INVALID_ACCOUNT, String::new());
    }
    let name = match fixtures.directory_account(&request.bene_acc_no) {
        // A directory account answers only at its own bank.
        Some(account) if account.ifsc.bank_code() == bank_code => account.holder_name.clone(),
        Some(_) => return (codes::INVALID_ACCOUNT, String::new()),
        None => {
            let key = format!("{bank_code}|{}", request.bene_acc_no);
            let mut s = sandbox.determinism.stream("account-holder", &key);
            format!("{} {}", s.first_name(), s.last_name())
        }
    };
    (codes::NAME_FOUND, name)
}
