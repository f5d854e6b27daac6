//! `POST /api/v1/composite-payment` [bank]: one path, four rails. The `x-priority` header names the
//! rails (`1000` UPI, `0100` IMPS, `0010` NEFT, `0001` RTGS; several = a fallback order) and the body
//! carries the field set of each rail named.
//!
//! The body is modelled as ONE object holding the union of the rails' fields, all optional in the
//! schema; after parsing, each rail named in `x-priority` takes its own typed view of it and a field
//! that rail needs but the body lacks is a 400/8017 naming that field. A `oneOf` was rejected: the
//! rails share field names (`amount`, `mobile`, `tranRefNo`), so a body would match several branches
//! and a parse failure could not name the field at fault.
//!
//! Rules: IMPS at most ₹5,00,000; RTGS at least ₹2,00,000; UPI at most ₹1,00,000; a beneficiary IFSC
//! whose branch is not enabled for the rail is refused by that rail. Those four refusals — and only
//! those — fall back to the next rail of a multi-rail `x-priority`. Everything else (duplicate, magic
//! amounts, invalid account, unknown bank, insufficient funds, corporate ids) is the answer, whatever
//! rails remain: another rail would not change it.
//!
//! Money: the debit account is the corporate's (`crpId`; IMPS carries no sender account and debits
//! the corporate's first account; NEFT/RTGS debit `senderAcctNo`, which must be one of the
//! corporate's). A beneficiary account of this bank (IFSC bank `ICIC` and an account in the ledger) is
//! credited; any other beneficiary is outside the ledger, so only the debit posts. IMPS, RTGS and UPI
//! settle at once; NEFT debits at once and delivers in the next half-hourly batch of the app's clock.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::sandbox::{
    bank::{
        answer::Answered,
        corporates::{self, CorporateIds},
        fixtures::Fixtures,
        formats::RailPriority,
        ledger::{LedgerError, Transfer},
        magic::{is_invalid_account, magic_amount, MagicAmount},
        rails::{next_neft_batch, Rail, IMPS_LIMIT, RTGS_MINIMUM, UPI_LIMIT},
        store::Ctx,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes::{self, Reason},
    composite_orders::{AccountOrder, Unfit, UpiOrder},
    composite_request::CompositePaymentRequest,
    model::{Payment, RailAnswer, Status},
    rails::{archived_duplicate, failed, missing, render},
    state::PaymentsState,
    upi,
};

impl Answered for RailAnswer {
    const DESCRIPTION: &'static str =
        "The rail's answer (HTTP 200 for a decline too): IMPS `ActCode`, NEFT/RTGS `STATUS`, UPI\n\
     `response`.";
}

/// One rail's verdict: final, or a refusal the next rail may take over.
enum Attempt {
    Done(Payment),
    Refused(Payment),
}

/// One validated order per rail named.
enum Order {
    Account(Rail, AccountOrder),
    Upi(UpiOrder),
}

impl Order {
    fn reference(&self) -> &str {
        match self {
            Self::Account(_, o) => &o.reference,
            Self::Upi(o) => &o.reference,
        }
    }

    fn rail(&self) -> Rail {
        match self {
            Self::Account(rail, _) => *rail,
            Self::Upi(_) => Rail::Upi,
        }
    }

    fn amount(&self) -> Decimal {
        match self {
            Self::Account(_, o) => o.amount,
            Self::Upi(o) => o.amount,
        }
    }
}

/// Reads each named rail's order from the body, then runs the payment (idempotently) inside the app's
/// transaction.
pub fn pay(
    sandbox: &Sandbox,
    app: &Arc<App>,
    priority: &RailPriority,
    request: &CompositePaymentRequest,
) -> Result<RailAnswer, Rejection> {
    let rails = priority.rails();
    let orders = rails
        .iter()
        .map(|rail| match rail {
            Rail::Upi => request.upi().map(Order::Upi),
            Rail::Imps => request.imps().map(|o| Order::Account(Rail::Imps, o)),
            Rail::Neft | Rail::Rtgs => request.cib(*rail).map(|o| Order::Account(*rail, o)),
        })
        .collect::<Result<Vec<_>, _>>();
    let orders = match orders {
        Ok(orders) => orders,
        Err(Unfit { field, rail }) => return Ok(missing(request, rail, field)),
    };
    // The account rails' tranRefNo identifies a multi-rail payment; UPI alone uses seq-no.
    let first = orders
        .iter()
        .find(|o| o.rail() != Rail::Upi)
        .unwrap_or(&orders[0]);
    let reference = first.reference().to_string();
    let amount = first.amount();
    let owned = |mut payment: Payment| {
        if let Order::Account(_, order) = first {
            payment.corp_id = Some(order.identity.crp_id.clone());
            payment.urn.clone_from(&order.identity.urn);
        }
        payment
    };
    sandbox.family(app, PaymentsState::new, |state, ctx| {
        if let Some(original) = state.payments.get(&reference) {
            return Ok(render(original, true));
        }
        let rail = orders[0].rail();
        if state.payments.is_archived(&reference) {
            let rrn = rail.reference(&sandbox.determinism, &app.id, &reference);
            return Ok(archived_duplicate(rail, &reference, amount, rrn));
        }
        // Room first: a payment refused at the object bound moves nothing.
        state.payments.make_room()?;
        if magic_amount(amount) == Some(MagicAmount::Timeout) {
            let rrn = rail.reference(&sandbox.determinism, &app.id, &reference);
            let mut payment = failed(rail, &reference, amount, rrn, Reason::Timeout);
            payment.message = "TIMEOUT: the beneficiary bank did not answer".into();
            state.record_payment(owned(payment))?;
            return Err(Rejection::backend_timeout());
        }
        let mut last = None;
        for order in &orders {
            let attempt = match order {
                Order::Account(rail, o) => account_rail(sandbox, app, ctx, *rail, o),
                Order::Upi(o) => upi_rail(sandbox, app, ctx, &reference, o),
            };
            match attempt {
                Attempt::Done(payment) => {
                    last = Some(payment);
                    break;
                }
                Attempt::Refused(payment) => last = Some(payment),
            }
        }
        let payment = owned(last.expect("at least one rail is named"));
        let answer = render(&payment, false);
        state.record_payment(payment)?;
        Ok(answer)
    })
}

fn account_rail(
    sandbox: &Sandbox,
    app: &App,
    ctx: &mut Ctx<'_>,
    rail: Rail,
    order: &AccountOrder,
) -> Attempt {
    let rrn = rail.reference(&sandbox.determinism, &app.id, &order.reference);
    let fail = |reason: Reason| failed(rail, &order.reference, order.amount, rrn.clone(), reason);
    let Some(debit) = debit_account(&sandbox.fixtures, order) else {
        return Attempt::Done(fail(Reason::BadIdentity));
    };
    let bank_code = order.bene_ifsc.bank_code();
    if sandbox.fixtures.bank_name(bank_code).is_none() {
        return Attempt::Done(fail(Reason::InvalidIfsc));
    }
    if let Some((reason, message)) = rail_refusal(&sandbox.fixtures, rail, order) {
        let mut refused = fail(reason);
        refused.message = message;
        return Attempt::Refused(refused);
    }
    if is_invalid_account(order.bene_acc.as_str()) {
        return Attempt::Done(fail(Reason::InvalidAccount));
    }
    match magic_amount(order.amount) {
        Some(MagicAmount::InvalidAmount) => return Attempt::Done(fail(Reason::InvalidAmount)),
        Some(MagicAmount::InsufficientFunds) => return Attempt::Done(fail(Reason::Insufficient)),
        _ => {}
    }
    let internal = bank_code == "ICIC" && ctx.ledger.account(order.bene_acc.as_str()).is_some();
    let credit = internal.then(|| order.bene_acc.to_string());
    let bene_name = bene_name(sandbox, ctx, order, internal);
    let mut payment = Payment {
        bene_name,
        credit: credit.clone(),
        ..failed(
            rail,
            &order.reference,
            order.amount,
            rrn.clone(),
            Reason::Ok,
        )
    };
    if order.workflow {
        payment.status = Status::Pending;
        payment.message = "Pending For approval".into();
        return Attempt::Done(payment);
    }
    post(ctx, rail, &debit, order, payment)
}

/// Moves an accepted payment's money: the debit and the credit now; for NEFT the credit waits for
/// the next batch.
fn post(
    ctx: &mut Ctx<'_>,
    rail: Rail,
    debit: &str,
    order: &AccountOrder,
    mut payment: Payment,
) -> Attempt {
    let rrn = payment.rrn.clone();
    let fail = |reason: Reason| failed(rail, &order.reference, order.amount, rrn.clone(), reason);
    let credit = payment.credit.clone();
    // NEFT: the debit posts now, the credit at the batch.
    let now_credit = if rail == Rail::Neft {
        None
    } else {
        credit.as_deref()
    };
    let posted = ctx.ledger.transfer(Transfer {
        debit: Some(debit),
        credit: now_credit,
        amount: order.amount,
        at: ctx.now,
        remarks: &format!("{} DR {} {}", rail.name(), order.bene_acc, rrn),
        reference: &order.reference,
    });
    match posted {
        Ok(_) if rail == Rail::Neft => {
            let batch = next_neft_batch(ctx.now);
            payment.status = Status::Pending;
            payment.message = format!(
                "Accepted: settles in the NEFT batch of {} IST",
                batch
                    .with_timezone(&crate::sandbox::bank::clock::ist())
                    .format("%H:%M")
            );
            payment.due = Some(batch);
        }
        Ok(_) => payment.status = Status::Success,
        Err(LedgerError::InsufficientFunds { .. }) => {
            return Attempt::Done(fail(Reason::Insufficient))
        }
        Err(_) => return Attempt::Done(fail(Reason::InvalidAccount)),
    }
    Attempt::Done(payment)
}

/// The corporate's account this order debits: the identity must match a fixture corporate, and a
/// named `senderAcctNo` must be one of its accounts (IMPS names none: the first account).
fn debit_account(fixtures: &Fixtures, order: &AccountOrder) -> Option<String> {
    let id = &order.identity;
    let ids = CorporateIds {
        aggr_id: &id.aggr_id,
        corp_id: &id.crp_id,
        user_id: &id.crp_usr,
        urn: id.urn.as_deref(),
        aggr_name: id.aggr_name.as_deref(),
    };
    let corporate = corporates::find(fixtures, &ids)?;
    let account = match &order.sender_account {
        Some(sender) => corporates::account(corporate, sender.as_str()),
        None => corporate.accounts.first(),
    };
    account.map(|a| a.account_no.to_string())
}

/// A refusal that is the rail's own (its amount limits, a branch not enabled for it): the next rail
/// of a multi-rail priority may take the payment over.
fn rail_refusal(fixtures: &Fixtures, rail: Rail, order: &AccountOrder) -> Option<(Reason, String)> {
    let enabled = fixtures
        .branch(&order.bene_ifsc)
        .is_none_or(|b| match rail {
            Rail::Imps => b.imps,
            Rail::Neft => b.neft,
            Rail::Rtgs => b.rtgs,
            Rail::Upi => b.upi,
        });
    if !enabled {
        return Some((
            Reason::InvalidIfsc,
            format!("IFSC NOT ENABLED FOR {}", rail.name()),
        ));
    }
    if rail == Rail::Imps && order.amount > IMPS_LIMIT {
        let message = "AMOUNT EXCEEDS THE IMPS LIMIT OF 500000.00";
        return Some((Reason::InvalidAmount, message.into()));
    }
    if rail == Rail::Rtgs && order.amount < RTGS_MINIMUM {
        let message = "AMOUNT BELOW THE RTGS MINIMUM OF 200000.00";
        return Some((Reason::InvalidAmount, message.into()));
    }
    None
}

fn bene_name(sandbox: &Sandbox, ctx: &Ctx<'_>, order: &AccountOrder, internal: bool) -> String {
    if internal {
        if let Some(account) = ctx.ledger.account(order.bene_acc.as_str()) {
            return account.holder.clone();
        }
    }
    let bank_code = order.bene_ifsc.bank_code();
    match sandbox.fixtures.directory_account(&order.bene_acc) {
        Some(account) if account.ifsc.bank_code() == bank_code => account.holder_name.clone(),
        _ => {
            // The same synthetic holder the name enquiry (composite-validation) answers.
            let key = format!("{bank_code}|{}", order.bene_acc);
            let mut s = sandbox.determinism.stream("account-holder", &key);
            format!("{} {}", s.first_name(), s.last_name())
        }
    }
}

fn upi_rail(
    sandbox: &Sandbox,
    app: &App,
    ctx: &mut Ctx<'_>,
    reference: &str,
    order: &UpiOrder,
) -> Attempt {
    let rrn = Rail::Upi.reference(&sandbox.determinism, &app.id, reference);
    let fail = |reason: Reason| failed(Rail::Upi, reference, order.amount, rrn.clone(), reason);
    if !upi::is_known_handle(&order.payee_va) {
        let mut failure = fail(Reason::InvalidAccount);
        failure.message = codes::UNKNOWN_PAYEE_PSP.into();
        return Attempt::Done(failure);
    }
    if order.amount > UPI_LIMIT {
        let mut refused = fail(Reason::InvalidAmount);
        refused.code = codes::UPI_ABOVE_LIMIT.0.into();
        refused.message = codes::UPI_ABOVE_LIMIT.1.into();
        return Attempt::Refused(refused);
    }
    match magic_amount(order.amount) {
        Some(MagicAmount::InvalidAmount) => return Attempt::Done(fail(Reason::InvalidAmount)),
        Some(MagicAmount::InsufficientFunds) => return Attempt::Done(fail(Reason::Insufficient)),
        _ => {}
    }
    let debit = upi::payer_account(&sandbox.fixtures, &order.mobile);
    let merchant = sandbox
        .fixtures
        .merchants
        .iter()
        .find(|m| m.vpa == order.payee_va.as_str());
    let credit = merchant.map(|m| upi::settlement_account(ctx, &m.merchant_id, &m.merchant_name));
    let posted = ctx.ledger.transfer(Transfer {
        debit: Some(&debit),
        credit: credit.as_deref(),
        amount: order.amount,
        at: ctx.now,
        remarks: &format!("UPI DR {} {}", order.payee_va, rrn),
        reference,
    });
    match posted {
        Ok(_) => Attempt::Done(Payment {
            status: Status::Success,
            bene_name: order
                .payee_name
                .clone()
                .unwrap_or_else(|| upi::payer_identity(sandbox, order.payee_va.as_str()).0),
            ..fail(Reason::Ok)
        }),
        Err(LedgerError::InsufficientFunds { .. }) => Attempt::Done(fail(Reason::Insufficient)),
        Err(_) => Attempt::Done(fail(Reason::InvalidAccount)),
    }
}
