//! What the collections operations share [sandbank]: a corporate's client code (the virtual-account
//! prefix), the e-collection IFSC and the MIS record the bank pushes for each credit.

use poem_openapi::Object;
use serde::Serialize;

use rust_decimal::Decimal;

use crate::sandbox::{
    bank::{
        callbacks::drill::{Sample, Sampled},
        clock::ist,
        fixtures::Corporate,
        formats::rupees,
    },
    Sandbox,
};

use crate::api::cash_management::state::Credit;

/// The IFSC remitters pay virtual accounts at.
pub const COLLECTION_IFSC: &str = "ICIC0000104";

/// The kind of callback an MIS push is, at `GET /sandbox/callbacks`.
pub const MIS_CALLBACK: &str = "ecollection-mis";

/// The corporate with this CORPID, and its client code: `SBNK` + its 2-digit position in the
/// fixtures (`SANDCORP1` → `SBNK01`). A virtual account number is the client code + the payer code.
pub fn corporate<'a>(sandbox: &'a Sandbox, corp_id: &str) -> Option<(&'a Corporate, String)> {
    sandbox
        .fixtures
        .corporates
        .iter()
        .enumerate()
        .find(|(_, c)| c.corp_id == corp_id)
        .map(|(i, c)| (c, format!("SBNK{:02}", i + 1)))
}

/// The bank's e-collection MIS record for one credit: pushed to the corporate's callback URL and
/// listed by `POST /api/v1/ecollection/mis`.
#[derive(Object, Serialize, Debug, Clone)]
#[oai(rename_all = "PascalCase")]
#[serde(rename_all = "PascalCase")]
pub struct MisRecord {
    /// The corporate's client code (`SBNK01`).
    pub client_code: String,
    pub virtual_account_number: String,
    /// `NEFT`, `RTGS` or `IMPS`.
    pub mode: String,
    #[oai(rename = "UTR")]
    #[serde(rename = "UTR")]
    pub utr: String,
    pub sender_remark: String,
    /// The corporate's collection account the credit landed in.
    pub client_account_no: String,
    /// Rupees, 2 decimal places, as a string.
    pub amount: String,
    pub payer_name: String,
    pub payer_acc_number: String,
    #[oai(rename = "PayerBankIFSC")]
    #[serde(rename = "PayerBankIFSC")]
    pub payer_bank_ifsc: String,
    /// `YYYY-MM-DD HH:MM:SS`, IST.
    pub payer_payment_date: String,
    /// The statement entry (`TRANSACTIONID`) of the credit.
    pub bank_internal_transaction_number: String,
}

impl MisRecord {
    pub fn of(credit: &Credit) -> Self {
        Self {
            client_code: credit.client_code.clone(),
            virtual_account_number: credit.virtual_account.clone(),
            mode: credit.mode.clone(),
            utr: credit.utr.clone(),
            sender_remark: credit.remarks.clone(),
            client_account_no: credit.collection_account.clone(),
            amount: rupees(credit.amount).to_string(),
            payer_name: credit.remitter_name.clone(),
            payer_acc_number: credit.remitter_account.clone(),
            payer_bank_ifsc: credit.remitter_ifsc.clone(),
            payer_payment_date: credit
                .credited_at
                .with_timezone(&ist())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            bank_internal_transaction_number: credit.entry_id.clone(),
        }
    }
}

/// The MIS record's amount field (a tampered drill callback changes it).
pub const MIS_AMOUNT: &str = "Amount";

/// The MIS push a callback receiver drill sends: a NEFT credit of 10000.00 to the demo corporate's
/// virtual account `<client code>DRILL` at `ask.at`, UTR `DRILL<CASE>`; the earlier event
/// (out-of-order's second push) is an earlier credit of 2500.00 to the same account.
pub fn drill_callback(sandbox: &Sandbox, ask: &Sample<'_>) -> Sampled {
    let Some((index, corporate)) = sandbox.fixtures.corporates.iter().enumerate().next() else {
        return Sampled {
            reference: String::new(),
            body: serde_json::Value::Null,
        };
    };
    let client_code = format!("SBNK{:02}", index + 1);
    let case: String = ask
        .label
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let utr = format!(
        "DRILL{}{}",
        case.to_ascii_uppercase(),
        u8::from(!ask.interim) + 1
    );
    let amount = if ask.interim { 250_000 } else { 1_000_000 };
    let credit = Credit {
        utr: utr.clone(),
        virtual_account: format!("{client_code}DRILL"),
        client_code,
        corp_id: corporate.corp_id.clone(),
        collection_account: corporate
            .accounts
            .first()
            .map(|a| a.account_no.to_string())
            .unwrap_or_default(),
        mode: "NEFT".into(),
        amount: Decimal::new(amount, 2),
        remitter_name: "Asha Traders".into(),
        remitter_account: "50100012345678".into(),
        remitter_ifsc: "HDFC0000001".into(),
        remarks: format!("Drill {}", ask.label),
        credited_at: ask.at,
        entry_id: format!("S{utr}"),
    };
    Sampled {
        reference: utr,
        body: serde_json::to_value(MisRecord::of(&credit)).unwrap_or_default(),
    }
}
