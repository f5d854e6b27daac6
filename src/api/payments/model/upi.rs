//! What the merchant UPI operations share: known PSP handles, the simulated payer (magic VPAs),
//! merchants and their settlement accounts, date formats, and settling a collect (ledger credit +
//! the bank's callback). Their codes are in [`codes`](crate::api::payments::codes).

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use crate::sandbox::{
    bank::{
        callbacks::drill::{Sample, Sampled},
        clock::ist,
        fixtures::{Fixtures, Merchant},
        formats::{rupees, Mobile, Vpa},
        ledger::Transfer,
        store::{Callback, Ctx},
    },
    Sandbox,
};

use crate::api::payments::{
    codes,
    model::{sub_merchant, Decision, Status, UpiKind, UpiTxn},
};

/// The kind of callback a settled collect sends, at `GET /sandbox/callbacks`.
pub const CALLBACK_KIND: &str = "upi-collect";

/// The callback's amount field (a tampered drill callback changes it).
pub const CALLBACK_AMOUNT: &str = "PayerAmount";

/// The PSP handles the sandbox knows; any other handle is an invalid VPA (37).
pub const KNOWN_HANDLES: [&str; 5] = ["icici", "okicici", "ybl", "paytm", "upi"];

/// How long `success@icici` / `failure@icici` take to answer, and any other valid VPA.
pub const MAGIC_DELAY_SECONDS: i64 = 5;
pub const DEFAULT_DELAY_SECONDS: i64 = 30;

pub fn is_known_handle(vpa: &Vpa) -> bool {
    KNOWN_HANDLES.contains(&vpa.handle().to_ascii_lowercase().as_str())
}

/// What the payer behind a VPA does with a collect raised at `init`, due by `collect_by`.
pub fn plan(
    vpa: &Vpa,
    init: DateTime<Utc>,
    collect_by: DateTime<Utc>,
) -> Option<(DateTime<Utc>, Decision)> {
    let planned = match vpa.as_str().to_ascii_lowercase().as_str() {
        "success@icici" => (
            init + Duration::seconds(MAGIC_DELAY_SECONDS),
            Decision::Approve,
        ),
        "failure@icici" => (
            init + Duration::seconds(MAGIC_DELAY_SECONDS),
            Decision::Reject,
        ),
        "pending@icici" => return None,
        "expired@icici" => (collect_by, Decision::Expire),
        _ => (
            init + Duration::seconds(DEFAULT_DELAY_SECONDS),
            Decision::Approve,
        ),
    };
    Some(if planned.0 > collect_by {
        (collect_by, Decision::Expire)
    } else {
        planned
    })
}

/// A deterministic name and mobile for a payer VPA: a fixture person whose mobile is the VPA's name
/// (`9800000001@icici`), a fixture merchant's VPA, or synthetic.
pub fn payer_identity(sandbox: &Sandbox, vpa: &str) -> (String, String) {
    let local = vpa.split('@').next().unwrap_or_default();
    if let Some(person) = sandbox
        .fixtures
        .persons
        .iter()
        .find(|p| p.mobile.as_str() == local)
    {
        let name = format!("{} {}", person.first_name, person.last_name);
        return (name, person.mobile.to_string());
    }
    if let Some(merchant) = sandbox.fixtures.merchants.iter().find(|m| m.vpa == vpa) {
        return (merchant.merchant_name.clone(), "9000000000".into());
    }
    let mut s = sandbox
        .determinism
        .stream("upi-payer", &vpa.to_ascii_lowercase());
    let name = format!("{} {}", s.first_name(), s.last_name());
    let mobile = format!("9{:09}", s.between(0, 999_999_999));
    (name, mobile)
}

/// The account a UPI pay debits: the savings account of the fixture person with that mobile, else the
/// demo corporate's first account.
pub fn payer_account(fixtures: &Fixtures, mobile: &Mobile) -> String {
    fixtures
        .persons
        .iter()
        .find(|p| p.mobile == *mobile)
        .map(|p| p.savings_account.to_string())
        .or_else(|| {
            fixtures
                .corporates
                .first()
                .and_then(|c| c.accounts.first())
                .map(|a| a.account_no.to_string())
        })
        .unwrap_or_default()
}

/// A merchant's settlement account: `000406` + merchantId (demo `000406400000`), opened in the
/// ledger on first use. Settled collects credit it; refunds debit it.
pub fn settlement_account(ctx: &mut Ctx<'_>, merchant_id: &str, merchant_name: &str) -> String {
    let account = settlement_account_no(merchant_id);
    ctx.ledger.open(&account, merchant_name, "INR");
    account
}

pub fn settlement_account_no(merchant_id: &str) -> String {
    format!("000406{merchant_id}")
}

/// The merchant a path names, checked against the body's `merchantId` (and `subMerchantId`,
/// `terminalId` when given): `None` is the bank's 5001.
pub fn merchant<'a>(
    fixtures: &'a Fixtures,
    path_id: &str,
    body_id: &str,
    sub_merchant_id: Option<&str>,
    terminal_id: Option<&str>,
) -> Option<&'a Merchant> {
    fixtures.merchants.iter().find(|m| {
        m.merchant_id == path_id
            && m.merchant_id == body_id
            && sub_merchant_id.is_none_or(|s| s == m.sub_merchant_id)
            && terminal_id.is_none_or(|t| t == m.terminal_id)
    })
}

/// The merchant a UPI request is from: the path's merchant, the body's `merchantId`, its
/// `subMerchantId` (the merchant itself when it sends none) and its `terminalId` must all name it.
pub fn requesting_merchant<'a>(
    fixtures: &'a Fixtures,
    path_id: &str,
    request: &impl NamesMerchant,
) -> Option<&'a Merchant> {
    let (merchant_id, sub_merchant_id, terminal_id) = request.merchant_ids();
    merchant(
        fixtures,
        path_id,
        merchant_id,
        Some(sub_merchant(sub_merchant_id, merchant_id)),
        Some(terminal_id),
    )
}

/// A merchant UPI request: it names its merchant by `merchantId`, `subMerchantId` and `terminalId`.
pub trait NamesMerchant {
    /// The three ids, as the request sent them.
    fn merchant_ids(&self) -> (&str, &Option<String>, &str);
}

/// The bank's `response` code and message for a status.
pub fn status_code(status: Status) -> codes::UpiCode {
    match status {
        Status::Pending => codes::INITIATED,
        Status::Success => codes::SUCCESSFUL,
        Status::Failure => codes::DECLINED_BY_PAYER,
        Status::Expired => codes::COLLECT_EXPIRED,
    }
}

/// What a new collect or QR intent names: the rest of its record follows from it.
pub struct Raised<'a> {
    pub kind: UpiKind,
    pub merchant: &'a Merchant,
    pub bank_rrn: String,
    pub merchant_tran_id: String,
    pub bill_number: String,
    pub payer_va: String,
    /// The payer's name and mobile ([`payer_identity`]).
    pub payer: (String, String),
    pub amount: Decimal,
    pub at: DateTime<Utc>,
}

/// A collect or QR intent just raised: pending (`92`), nothing planned, nothing refunded, its
/// callback due at the merchant's own URL.
pub fn raised(new: Raised<'_>) -> UpiTxn {
    let (payer_name, payer_mobile) = new.payer;
    UpiTxn {
        kind: new.kind,
        bank_rrn: new.bank_rrn,
        merchant_id: new.merchant.merchant_id.clone(),
        merchant_name: new.merchant.merchant_name.clone(),
        sub_merchant_id: new.merchant.sub_merchant_id.clone(),
        terminal_id: new.merchant.terminal_id.clone(),
        merchant_tran_id: new.merchant_tran_id,
        bill_number: new.bill_number,
        payer_va: Some(new.payer_va),
        payer_name,
        payer_mobile,
        amount: new.amount,
        status: Status::Pending,
        response: codes::INITIATED.0.into(),
        message: codes::INITIATED.1.into(),
        init_at: new.at,
        completed_at: None,
        planned: None,
        refunded: Decimal::ZERO,
        callback_url: new.merchant.callback_url.clone(),
        callback: None,
    }
}

/// The bank's date-time in callbacks: IST `yyyyMMddHHmmss`.
pub fn bank_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ist()).format("%Y%m%d%H%M%S").to_string()
}

/// The callback body the bank POSTs to the merchant for `txn`, as it is now.
pub fn callback_body(txn: &UpiTxn) -> serde_json::Value {
    json!({
        "merchantId": txn.merchant_id,
        "subMerchantId": txn.sub_merchant_id,
        "terminalId": txn.terminal_id,
        "BankRRN": txn.bank_rrn,
        "merchantTranId": txn.merchant_tran_id,
        "PayerName": txn.payer_name,
        "PayerMobile": txn.payer_mobile,
        "PayerVA": txn.payer_va.clone().unwrap_or_default(),
        "PayerAmount": rupees(txn.amount).to_string(),
        "TxnStatus": txn.status.as_str(),
        "TxnInitDate": bank_time(txn.init_at),
        "TxnCompletionDate": txn.completed_at.map(bank_time).unwrap_or_default(),
    })
}

/// Settles a pending collect or QR payment as `decision` says, at `at`: an approval credits the
/// merchant's settlement account; every outcome queues the bank's callback to the merchant.
pub fn settle(txn: &mut UpiTxn, decision: Decision, at: DateTime<Utc>, ctx: &mut Ctx<'_>) {
    txn.status = match decision {
        Decision::Approve => {
            let account = settlement_account(ctx, &txn.merchant_id, &txn.merchant_name);
            let credited = ctx.ledger.transfer(Transfer {
                debit: None,
                credit: Some(&account),
                amount: txn.amount,
                at,
                remarks: &format!("UPI CR {} {}", txn.merchant_tran_id, txn.bank_rrn),
                reference: &txn.bank_rrn,
            });
            if credited.is_ok() {
                Status::Success
            } else {
                Status::Failure
            }
        }
        Decision::Reject => Status::Failure,
        Decision::Expire => Status::Expired,
    };
    let (response, message) = status_code(txn.status);
    txn.response = response.into();
    txn.message = message.into();
    txn.completed_at = Some(at);
    txn.planned = None;
    let body = callback_body(txn);
    txn.callback = Some(body.clone());
    ctx.effects.callbacks.push(Callback {
        kind: CALLBACK_KIND,
        url: txn.callback_url.clone(),
        body,
        reference: txn.bank_rrn.clone(),
    });
}

/// The collect callback a callback receiver drill sends: `success@icici` paying the demo merchant
/// 499.00, with `merchantTranId` `DRILL-<CASE>` (`DRILL-OUT-OF-ORDER`) so the partner can tell drill
/// traffic from its own, and the BankRRN that pair derives. `SUCCESS` completed at `ask.at` (raised
/// 5 s before); the interim one is `PENDING`, raised at `ask.at`.
pub fn drill_callback(sandbox: &Sandbox, app_id: &str, ask: &Sample<'_>) -> Sampled {
    let merchants = &sandbox.fixtures.merchants;
    let merchant = merchants.iter().find(|m| m.merchant_id == "400000");
    let Some(merchant) = merchant.or(merchants.first()) else {
        return Sampled {
            reference: String::new(),
            body: serde_json::Value::Null,
        };
    };
    let tran_id = format!("DRILL-{}", ask.label.to_ascii_uppercase());
    let rrn = bank_rrn(sandbox, app_id, &merchant.merchant_id, &tran_id);
    let (status, init_at, completed_at) = if ask.interim {
        (Status::Pending, ask.at, None)
    } else {
        let init = ask.at - Duration::seconds(MAGIC_DELAY_SECONDS);
        (Status::Success, init, Some(ask.at))
    };
    let (response, message) = status_code(status);
    let txn = UpiTxn {
        status,
        response: response.into(),
        message: message.into(),
        completed_at,
        callback_url: None,
        ..raised(Raised {
            kind: UpiKind::Collect,
            merchant,
            bank_rrn: rrn.clone(),
            merchant_tran_id: tran_id,
            bill_number: "DRILL".into(),
            payer_va: "success@icici".into(),
            payer: payer_identity(sandbox, "success@icici"),
            amount: Decimal::new(49_900, 2),
            at: init_at,
        })
    };
    Sampled {
        reference: rrn,
        body: callback_body(&txn),
    }
}

/// Refunds are bounded by what was collected minus earlier refunds.
pub fn refundable(txn: &UpiTxn) -> Decimal {
    txn.amount - txn.refunded
}

/// The BankRRN of a merchant-side UPI transaction: 12 digits, stable for the app, the merchant and
/// its `merchantTranId`.
pub fn bank_rrn(sandbox: &Sandbox, app_id: &str, merchant_id: &str, tran_id: &str) -> String {
    sandbox.determinism.app_reference(
        "upi-merchant-rrn",
        app_id,
        format_args!("{merchant_id}|{tran_id}"),
        12,
    )
}

/// The demo merchant, in the examples' paths.
pub fn merchant_example() -> String {
    "400000".into()
}

/// The walk-through approves the collect `CollectPay3`'s example asks for (its BankRRN for the demo
/// app and `COLLECT-1042`) ...
pub fn approved_example() -> String {
    "163435879754".into()
}

/// ... and rejects the QR intent `QR3`'s example creates (its refId, for `QR-1042`).
pub fn rejected_example() -> String {
    "591709144244".into()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn magic_payers_plan_their_answer_within_the_collect_window() {
        let init = Utc.with_ymd_and_hms(2026, 4, 1, 4, 30, 0).unwrap();
        let by = init + Duration::minutes(30);
        let vpa = |s: &str| Vpa::parse(s).unwrap();
        let after = |s| init + Duration::seconds(s);
        assert_eq!(
            plan(&vpa("success@icici"), init, by),
            Some((after(5), Decision::Approve))
        );
        assert_eq!(
            plan(&vpa("failure@icici"), init, by),
            Some((after(5), Decision::Reject))
        );
        assert_eq!(plan(&vpa("pending@icici"), init, by), None);
        assert_eq!(
            plan(&vpa("expired@icici"), init, by),
            Some((by, Decision::Expire))
        );
        assert_eq!(
            plan(&vpa("a.b@ybl"), init, by),
            Some((after(30), Decision::Approve))
        );
        let soon = init + Duration::seconds(10);
        assert_eq!(
            plan(&vpa("a.b@ybl"), init, soon),
            Some((soon, Decision::Expire))
        );
    }
}
