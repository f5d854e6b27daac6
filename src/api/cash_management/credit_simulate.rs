//! `POST /api/v1/ecollection/simulate-credit` [sandbank]: a remitter pays into a virtual account by
//! NEFT, RTGS or IMPS. The corporate's collection account is credited through the ledger at once, and
//! the bank's MIS record is pushed to the virtual account's callback URL (else the app's), kind
//! `ecollection-mis`, with retries; the partner's answer is read back by the MIS listing.

use crate::api::sample;
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset};
use poem_openapi::{payload::Json, ApiResponse, Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        clock::ist,
        formats::{AccountNo, Amount, CapsCode, HolderName, Ifsc, Money, Text},
        ledger::Transfer,
        rails::{IMPS_LIMIT, RTGS_MINIMUM},
        store::{Callback, Ctx, Full},
    },
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

use super::{
    model::collections::{corporate, MisRecord, MIS_CALLBACK},
    state::{CibState, Credit},
};

/// The rails' amount bounds ([`RTGS_MINIMUM`], [`IMPS_LIMIT`]), as the schema states them: the
/// amount as text (patterns) or as a number (bounds), by `mode`.
pub fn schema_rule() -> crate::api::SchemaRule {
    use serde_json::json;
    let amount = |text: &str, bound: serde_json::Value| {
        let mut number = json!({ "type": "number", "multipleOf": 0.01 });
        if let (Some(number), Some(bound)) = (number.as_object_mut(), bound.as_object()) {
            number.extend(bound.clone());
        }
        json!({ "anyOf": [{ "type": "string", "pattern": text }, number] })
    };
    let mode = |name: &str| json!({ "type": "string", "enum": [name] });
    crate::api::SchemaRule {
        schema: "SimulateCreditRequest",
        rule: json!({
            "oneOf": [
                { "required": ["mode"], "properties": { "mode": mode("NEFT") } },
                {
                    "required": ["mode"],
                    "properties": {
                        "mode": mode("RTGS"),
                        "amount": amount(
                            "^(?:[2-9][0-9]{5}|[1-9][0-9]{6,10})(?:\\.[0-9]{1,2})?$",
                            json!({ "minimum": 200_000 }),
                        ),
                    },
                },
                {
                    "required": ["mode"],
                    "properties": {
                        "mode": mode("IMPS"),
                        "amount": amount(
                            "^(?:(?:[1-9][0-9]{0,4}|[1-4][0-9]{5})(?:\\.[0-9]{1,2})?|0\\.(?:0[1-9]|[1-9][0-9]?)|500000(?:\\.00?)?)$",
                            json!({ "maximum": 500_000 }),
                        ),
                    },
                },
            ],
        }),
    }
}

/// The rail the remitter paid by.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)]
pub enum CreditMode {
    NEFT,
    RTGS,
    IMPS,
}

impl CreditMode {
    fn name(self) -> &'static str {
        match self {
            Self::NEFT => "NEFT",
            Self::RTGS => "RTGS",
            Self::IMPS => "IMPS",
        }
    }
}

/// The remitter's payment into a virtual account.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct SimulateCreditRequest {
    /// The virtual account paid into (from `POST /api/v1/ecollection/virtual-accounts`).
    pub virtual_account_number: CapsCode<1, 32>,
    /// Rupees as a string. RTGS: 2,00,000.00 and above; IMPS: at most 5,00,000.00.
    pub amount: Amount,
    pub mode: CreditMode,
    pub remitter_name: HolderName,
    pub remitter_account: AccountNo,
    /// The remitter's bank branch.
    pub remitter_ifsc: Ifsc,
    /// The rail's reference; sent again, the credit is not repeated. Absent: the sandbox derives one
    /// (NEFT 16 characters, RTGS 22, IMPS a 12-digit RRN).
    pub utr: Option<CapsCode<1, 22>>,
    /// The remitter's narration (optional, up to 100 characters).
    pub remarks: Option<Text<100>>,
}

impl poem_openapi::types::Example for SimulateCreditRequest {
    fn example() -> Self {
        Self {
            virtual_account_number: sample("SBNK01CUST0001"),
            amount: sample("25000.00"),
            mode: CreditMode::NEFT,
            remitter_name: sample("Asha Traders"),
            remitter_account: sample("50100012345678"),
            remitter_ifsc: sample("HDFC0000001"),
            utr: None,
            remarks: Some(sample("Invoice 42")),
        }
    }
}

/// The credit.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct SimulateCreditResponse {
    pub utr: String,
    pub virtual_account_number: String,
    /// The corporate account credited.
    pub collection_account: String,
    pub amount: Money,
    pub mode: String,
    /// The statement entry (`TRANSACTIONID`) of the credit.
    pub transaction_id: String,
    /// By the app's sandbox clock (IST).
    pub credited_at: DateTime<FixedOffset>,
    /// `true` when this UTR was credited before: nothing moved again and no MIS was pushed again.
    pub duplicate: bool,
    /// The MIS record pushed to the corporate (kind `ecollection-mis` at `GET /sandbox/callbacks`).
    pub mis_record: MisRecord,
}

#[derive(ApiResponse)]
pub enum SimulateCreditAnswer {
    /// The credit, posted to the corporate's collection account.
    #[oai(status = 200)]
    Ok(Json<Box<SimulateCreditResponse>>),
    /// No such virtual account in the app (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: SimulateCreditRequest,
) -> Result<SimulateCreditAnswer, Rejection> {
    let amount = request.amount.value();
    within_the_rail(request.mode, amount)?;
    let number = request.virtual_account_number.clone();
    let credited = sandbox.family(app, CibState::new, |state, ctx| -> Result<_, Full> {
        let state = state.collections(ctx);
        let Some(account) = state.virtual_accounts.get(number.as_string()).cloned() else {
            return Ok(None);
        };
        let utr = request.utr.clone().map_or_else(
            || derived_utr(sandbox, ctx, &request, state.next_credit_seq()),
            String::from,
        );
        if let Some(existing) = state.credits.get(&utr) {
            return Ok(Some((existing.clone(), true)));
        }
        // Room first: a credit refused at the object bound moves nothing.
        state.credits.make_room()?;
        let remarks = request
            .remarks
            .clone()
            .map(String::from)
            .unwrap_or_default();
        let narration = super::codes::rail_narration(
            request.mode.name(),
            &utr,
            &request.remitter_name,
            &account.number,
        );
        let Ok(posting) = ctx.ledger.transfer(Transfer {
            debit: None,
            credit: Some(&account.collection_account),
            amount,
            at: ctx.now,
            remarks: &narration,
            reference: &utr,
        }) else {
            return Ok(None);
        };
        let client_code = corporate(sandbox, &account.corp_id)
            .map(|(_, code)| code)
            .unwrap_or_default();
        let credit = Credit {
            utr: utr.clone(),
            virtual_account: account.number.clone(),
            client_code,
            corp_id: account.corp_id.clone(),
            collection_account: account.collection_account.clone(),
            mode: request.mode.name().into(),
            amount,
            remitter_name: request.remitter_name.to_string(),
            remitter_account: request.remitter_account.to_string(),
            remitter_ifsc: request.remitter_ifsc.to_string(),
            remarks,
            credited_at: ctx.now,
            entry_id: posting.credit_entry.unwrap_or_default(),
        };
        ctx.effects.callbacks.push(Callback {
            kind: MIS_CALLBACK,
            url: account.callback_url.clone(),
            body: serde_json::to_value(MisRecord::of(&credit)).unwrap_or_default(),
            reference: utr.clone(),
        });
        state.credits.insert(utr, credit.clone())?;
        Ok(Some((credit, false)))
    })?;
    let Some((credit, duplicate)) = credited else {
        return Ok(SimulateCreditAnswer::NotFound(Json(
            Rejection::not_found(format!("No virtual account {number}")).body,
        )));
    };
    Ok(SimulateCreditAnswer::Ok(Json(Box::new(response(
        &credit, duplicate,
    )))))
}

/// The rails' amount bounds: RTGS from ₹2,00,000, IMPS up to ₹5,00,000 (NEFT has none).
fn within_the_rail(mode: CreditMode, amount: Decimal) -> Result<(), Rejection> {
    match mode {
        CreditMode::RTGS if amount < RTGS_MINIMUM => Err(Rejection::schema(
            "amount",
            "RTGS credits are 200000.00 and above",
        )),
        CreditMode::IMPS if amount > IMPS_LIMIT => Err(Rejection::schema(
            "amount",
            "IMPS credits are at most 500000.00",
        )),
        _ => Ok(()),
    }
}

/// A credit as the simulator answers it (`duplicate`: the UTR was credited before).
fn response(credit: &Credit, duplicate: bool) -> SimulateCreditResponse {
    SimulateCreditResponse {
        utr: credit.utr.clone(),
        virtual_account_number: credit.virtual_account.clone(),
        collection_account: credit.collection_account.clone(),
        amount: credit.amount.into(),
        mode: credit.mode.clone(),
        transaction_id: credit.entry_id.clone(),
        credited_at: credit.credited_at.with_timezone(&ist()),
        duplicate,
        mis_record: MisRecord::of(credit),
    }
}

/// A UTR in the remitter bank's style, stable for the app, the virtual account and the credit's
/// position in the app's sequence of credits.
fn derived_utr(
    sandbox: &Sandbox,
    ctx: &Ctx<'_>,
    request: &SimulateCreditRequest,
    seq: u64,
) -> String {
    let input = format!("{}|{}|{seq}", ctx.app.id, request.virtual_account_number);
    let bank = request.remitter_ifsc.bank_code();
    let local = ctx.now.with_timezone(&ist());
    let d = &sandbox.determinism;
    match request.mode {
        CreditMode::NEFT => format!(
            "{bank}N{}{:03}{}",
            local.format("%y"),
            local.ordinal(),
            d.reference("ecollection-neft", &input, 6)
        ),
        CreditMode::RTGS => format!(
            "{bank}R5{}{}",
            local.format("%Y%m%d"),
            d.reference("ecollection-rtgs", &input, 8)
        ),
        CreditMode::IMPS => d.reference("ecollection-imps", &input, 12),
    }
}
