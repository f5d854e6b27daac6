//! `POST /api/v1/trade/remittance/transaction-order` [sandbank]: an outward remittance (SWIFT MT103
//! style). Debits the remitter's INR account at the day's rate plus charges, and the bank's nostro in
//! the currency, through the ledger; answers the UETR. Idempotent on `transactionRefNo`.

use crate::api::sample;
use std::sync::Arc;

use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    codes::Code,
    model::{
        market::{self, Currency},
        price, Charges, Remittance, RemittanceStatus,
    },
    state::TradeState,
    transaction_inquiry::RemittanceDetails,
};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Reply},
        clock::ist,
        formats::{
            AccountNo, Amount, Bic, CurrencyCode, ForeignAccount, HolderName, PurposeCode,
            SwiftReference, SwiftText,
        },
        ledger::{LedgerError, Transfer},
        magic::{is_invalid_account, magic_amount, MagicAmount},
        store::{Ctx, Full},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

/// The beneficiary name that sends a remittance to sanctions screening (case-sensitive).
pub const SANCTIONS_HOLD_NAME: &str = "Sanctioned Party";

/// The order.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct TransactionOrderRequest {
    /// The client's unique reference (1–35 letters, digits, `-/.`). Sending it again with the same
    /// details answers the original order and moves no money; with other details, `TR008`.
    pub transaction_ref_no: SwiftReference,
    /// The remitter's INR account with this bank.
    pub remitter_account_no: AccountNo,
    /// ISO 4217: `USD`, `EUR`, `GBP`, `AED`, `SGD`, `JPY` (others `TR001`).
    pub currency: CurrencyCode,
    /// In `currency`, as a decimal string; whole units for JPY. Paise/cents `.13` → `TR007`, `.51` →
    /// `TR005`, `.96` → 504/8013.
    pub amount: Amount,
    /// Beneficiary name. `Sanctioned Party` (exactly) sends the order to sanctions screening.
    pub beneficiary_name: HolderName,
    /// Account number or IBAN, 1–34 capital letters or digits. Ending `0000`: `TR010`.
    pub beneficiary_account_no: ForeignAccount,
    /// Beneficiary address, 1–140 characters.
    pub beneficiary_address: SwiftText,
    /// The beneficiary bank's SWIFT BIC (8 or 11); it must be in the sandbox's BIC directory
    /// (`TR002` otherwise).
    pub beneficiary_bic: Bic,
    /// RBI purpose code (`P0103`, `P1006`, `P1301`, `S0001`, ... see docs; unknown `TR003`).
    pub purpose_code: PurposeCode,
    pub charges: Charges,
    /// Remittance information for the beneficiary (SWIFT field 70), up to 140 characters.
    pub remittance_information: Option<SwiftText>,
}

impl poem_openapi::types::Example for TransactionOrderRequest {
    fn example() -> Self {
        Self {
            transaction_ref_no: sample("ORM20260401000001"),
            remitter_account_no: sample("000405000001"),
            currency: sample("USD"),
            amount: sample("1000.00"),
            beneficiary_name: sample("Acme Software Inc"),
            beneficiary_account_no: sample("026009593"),
            beneficiary_address: sample("100 Main Street, New York NY 10001, US"),
            beneficiary_bic: sample("CHASUS33"),
            purpose_code: sample("S1006"),
            charges: Charges::Sha,
            remittance_information: Some(sample("Invoice 2026-118")),
        }
    }
}

/// The order's fate (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct TransactionOrderResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `TR000` accepted; `TR001`–`TR011` declines (see docs).
    pub response_code: String,
    pub message: String,
    /// The remittance (absent when declined: a decline creates nothing and moves no money).
    #[oai(skip_serializing_if_is_none)]
    pub remittance: Option<RemittanceDetails>,
}

impl Answered for TransactionOrderResponse {
    const DESCRIPTION: &'static str =
        "Accepted, or a business decline (HTTP 200; read `responseCode`).";
}

fn reply(code: Code, remittance: Option<RemittanceDetails>) -> Answer<TransactionOrderResponse> {
    Answer(TransactionOrderResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        remittance,
    })
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: TransactionOrderRequest,
) -> Reply<TransactionOrderResponse> {
    let amount = request.amount.value();
    let magic = magic_amount(amount);
    if magic == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let (currency, beneficiary_bank) = match screen(sandbox, &request, magic)? {
        Ok(screened) => screened,
        Err(code) => return Ok(reply(code, None)),
    };
    let order = Order {
        fingerprint: format!("{request:?}"),
        uetr: market::uetr(
            &sandbox.determinism,
            &format!("{}|{}", app.id, request.transaction_ref_no),
        ),
        beneficiary_bank,
        currency,
        magic,
        request,
    };
    let outcome = sandbox.family(app, TradeState::new, |state, ctx| {
        let reference = order.request.transaction_ref_no.as_string();
        if state.remittances.get(reference).is_none() && !state.remittances.is_archived(reference) {
            // Room first: an order refused at the object bound moves nothing.
            state.remittances.make_room()?;
        }
        Ok::<_, Full>(place(sandbox, state, ctx, &order))
    })?;
    Ok(match outcome {
        Ok(details) => reply(Code::Success, Some(details)),
        Err(code) => reply(code, None),
    })
}

/// An order that passed screening, with what the transaction needs.
struct Order {
    request: TransactionOrderRequest,
    currency: &'static Currency,
    beneficiary_bank: String,
    fingerprint: String,
    uetr: String,
    magic: Option<MagicAmount>,
}

/// The checks that need no state: currency, minor units, purpose code, BIC directory, beneficiary
/// account, magic `.13`. Answers the currency and the beneficiary bank's name, or the decline.
fn screen(
    sandbox: &Sandbox,
    request: &TransactionOrderRequest,
    magic: Option<MagicAmount>,
) -> Result<Result<(&'static Currency, String), Code>, Rejection> {
    let amount = request.amount.value();
    let Some(currency) = market::currency(request.currency.as_str()) else {
        return Ok(Err(Code::CurrencyNotSupported));
    };
    if currency.round(amount) != amount {
        return Err(Rejection::schema(
            "amount",
            format!("{} has no minor units: send whole units", currency.code),
        ));
    }
    if market::purpose(&request.purpose_code).is_none() {
        return Ok(Err(Code::PurposeCodeUnknown));
    }
    let Some(bank) = sandbox.fixtures.bic(&request.beneficiary_bic) else {
        return Ok(Err(Code::BicNotFound));
    };
    if is_invalid_account(&request.beneficiary_account_no) {
        return Ok(Err(Code::InvalidBeneficiaryAccount));
    }
    if magic == Some(MagicAmount::InvalidAmount) {
        return Ok(Err(Code::InvalidAmount));
    }
    Ok(Ok((currency, format!("{}, {}", bank.bank_name, bank.city))))
}

/// Inside the app's transaction: the idempotent replay, the balances, both ledger legs, the record.
fn place(
    sandbox: &Sandbox,
    state: &mut TradeState,
    ctx: &mut Ctx<'_>,
    order: &Order,
) -> Result<RemittanceDetails, Code> {
    let request = &order.request;
    if let Some(replayed) = replay(state, order) {
        return replayed;
    }
    let remitter = request.remitter_account_no.as_str();
    if ctx
        .ledger
        .account(remitter)
        .is_none_or(|a| a.currency != "INR")
    {
        return Err(Code::AccountNotFound);
    }
    if order.magic == Some(MagicAmount::InsufficientFunds) {
        return Err(Code::InsufficientFunds);
    }
    let (currency, amount) = (order.currency, request.amount.value());
    let today = ctx.now.with_timezone(&ist()).date_naive();
    let rate = currency.rate_on(&sandbox.determinism, today);
    let priced = price(currency, amount, rate, request.charges)?;
    let held = request.beneficiary_name.as_str() == SANCTIONS_HOLD_NAME;
    let nostro = currency.ensure_nostro(ctx.ledger, ctx.now);
    if !held && ctx.ledger.balance(&nostro).unwrap_or_default() < amount {
        return Err(Code::NostroInsufficient);
    }
    let nostro = (!held).then_some(nostro.as_str());
    debit(ctx, order, priced.total_debit, nostro)?;
    let status = if held {
        RemittanceStatus::OnHold
    } else {
        RemittanceStatus::Accepted
    };
    let remittance = Remittance {
        fingerprint: order.fingerprint.clone(),
        reference: request.transaction_ref_no.to_string(),
        uetr: order.uetr.clone(),
        status,
        history: vec![(status, ctx.now)],
        remitter_account: remitter.to_string(),
        currency: currency.code.into(),
        amount,
        rate,
        inr_amount: priced.inr_amount,
        commission: priced.commission,
        gst: priced.gst,
        correspondent_charge: currency.correspondent_charge,
        charges_inr: priced.charges_inr,
        total_debit: priced.total_debit,
        beneficiary_amount: priced.beneficiary_amount,
        charges: request.charges.code().into(),
        beneficiary_name: request.beneficiary_name.to_string(),
        beneficiary_account: request.beneficiary_account_no.to_string(),
        beneficiary_bic: request.beneficiary_bic.to_string(),
        beneficiary_bank: order.beneficiary_bank.clone(),
        purpose_code: request.purpose_code.to_string(),
        value_date: today,
    };
    let details = RemittanceDetails::of(&remittance);
    state
        .accept(remittance, ctx.now)
        .expect("room was made before the money moved");
    Ok(details)
}

/// The answer to an order whose reference was used before: the same order answers as the first time;
/// another order, or one whose remittance was settled and archived (only its reference is kept, so a
/// replay cannot be told apart), is a duplicate.
fn replay(state: &TradeState, order: &Order) -> Option<Result<RemittanceDetails, Code>> {
    let reference = order.request.transaction_ref_no.as_string();
    if let Some(existing) = state.remittances.get(reference) {
        return Some(if existing.fingerprint == order.fingerprint {
            Ok(RemittanceDetails::of(existing))
        } else {
            Err(Code::DuplicateReference)
        });
    }
    state
        .remittances
        .is_archived(reference)
        .then_some(Err(Code::DuplicateReference))
}

/// Debits the remitter the whole cost and, unless the remittance is held, the nostro the amount sent.
fn debit(
    ctx: &mut Ctx<'_>,
    order: &Order,
    total_debit: Decimal,
    nostro: Option<&str>,
) -> Result<(), Code> {
    let request = &order.request;
    let amount = request.amount.value();
    let reference = request.transaction_ref_no.as_str();
    let remarks = format!(
        "Outward remittance {} {amount} {}",
        order.currency.code, order.uetr
    );
    ctx.ledger
        .transfer(Transfer {
            debit: Some(request.remitter_account_no.as_str()),
            credit: None,
            amount: total_debit,
            at: ctx.now,
            remarks: &remarks,
            reference,
        })
        .map_err(|err| match err {
            LedgerError::InsufficientFunds { .. } => Code::InsufficientFunds,
            LedgerError::UnknownAccount(_) => Code::AccountNotFound,
            LedgerError::InvalidAmount => Code::InvalidAmount,
        })?;
    if let Some(nostro) = nostro {
        ctx.ledger
            .transfer(Transfer {
                debit: Some(nostro),
                credit: None,
                amount,
                at: ctx.now,
                remarks: &remarks,
                reference,
            })
            .expect("the nostro balance was checked in this transaction");
    }
    Ok(())
}
