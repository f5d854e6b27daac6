//! The four rails behind the composite payment: their rules, their codes, and how a payment moves
//! money through the ledger.
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
        corporates::{self, CorporateIds},
        rails::{next_neft_batch, Rail, IMPS_LIMIT, RTGS_MINIMUM, UPI_LIMIT},
    },
    error::Rejection,
    fixtures::Fixtures,
    formats::RailPriority,
    ledger::{LedgerError, Transfer},
    magic::{is_invalid_account, magic_amount, MagicAmount},
    state::App,
    store::Ctx,
    Sandbox,
};

use super::{
    composite_payment::{
        AccountOrder, CibAnswer, CompositePaymentRequest, ImpsAnswer, RailAnswer, Unfit, UpiOrder,
        UpiPayAnswer,
    },
    model::{Payment, Status},
    state::PaymentsState,
    upi,
};

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
    use Reason::*;
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

/// Validates the body for every rail named, then runs the payment (idempotently) inside the app's
/// transaction.
pub fn pay(
    sandbox: &Sandbox,
    app: &Arc<App>,
    priority: &RailPriority,
    request: &CompositePaymentRequest,
) -> Result<RailAnswer, Rejection> {
    let rails = priority.rails();
    request.check_formats()?;
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
        Err(Unfit::Invalid(rejection)) => return Err(rejection),
        Err(Unfit::Missing { field, rail }) => return Ok(missing(request, rail, field)),
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
            payment.urn = order.identity.urn.clone();
        }
        payment
    };
    sandbox.family(app, PaymentsState::new, |state, ctx| {
        if let Some(original) = state.payments.get(&reference) {
            return Ok(render(original, true));
        }
        let rail = orders[0].rail();
        if state.payments.is_archived(&reference) {
            let rrn = rail_reference(sandbox, app, rail, &reference);
            return Ok(archived_duplicate(rail, &reference, amount, rrn));
        }
        // Room first: a payment refused at the object bound moves nothing.
        state.payments.make_room()?;
        if magic_amount(amount) == Some(MagicAmount::Timeout) {
            let rrn = rail_reference(sandbox, app, rail, &reference);
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

/// The bank's reference for a payment: a 12-digit BankRRN (IMPS, UPI), a 16-character NEFT UTR, a
/// 22-character RTGS UTR — stable for the app and the client's reference.
pub fn rail_reference(sandbox: &Sandbox, app: &App, rail: Rail, reference: &str) -> String {
    let key = format!("{}|{}", app.id, reference);
    let d = &sandbox.determinism;
    match rail {
        Rail::Imps => d.reference("imps-rrn", &key, 12),
        Rail::Upi => d.reference("upi-rrn", &key, 12),
        Rail::Neft => format!("ICICN{}", d.reference("neft-utr", &key, 11)),
        Rail::Rtgs => format!("ICICR5{}", d.reference("rtgs-utr", &key, 16)),
    }
}

fn failed(rail: Rail, reference: &str, amount: Decimal, rrn: String, reason: Reason) -> Payment {
    Payment {
        reference: reference.to_string(),
        rail,
        amount,
        status: Status::Failure,
        code: code(rail, reason).to_string(),
        message: message(reason).to_string(),
        rrn,
        bene_name: String::new(),
        credit: None,
        due: None,
        corp_id: None,
        urn: None,
    }
}

fn message(reason: Reason) -> &'static str {
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

fn account_rail(
    sandbox: &Sandbox,
    app: &App,
    ctx: &mut Ctx<'_>,
    rail: Rail,
    order: &AccountOrder,
) -> Attempt {
    let rrn = rail_reference(sandbox, app, rail, &order.reference);
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
    // NEFT: the debit posts now, the credit at the batch.
    let now_credit = if rail == Rail::Neft {
        None
    } else {
        credit.as_deref()
    };
    let posted = ctx.ledger.transfer(Transfer {
        debit: Some(&debit),
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
                    .with_timezone(&crate::sandbox::clock::ist())
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
    let rrn = rail_reference(sandbox, app, Rail::Upi, reference);
    let fail = |reason: Reason| failed(Rail::Upi, reference, order.amount, rrn.clone(), reason);
    if !upi::is_known_handle(&order.payee_va) {
        let mut failure = fail(Reason::InvalidAccount);
        failure.message = "INVALID VPA: the payee's handle is not a known PSP".into();
        return Attempt::Done(failure);
    }
    if order.amount > UPI_LIMIT {
        let mut refused = fail(Reason::InvalidAmount);
        refused.code = "5005".into();
        refused.message = "AMOUNT EXCEEDS THE UPI LIMIT OF 100000.00".into();
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

/// A payment in its rail's answer shape; `duplicate` answers a reused reference.
pub fn render(payment: &Payment, duplicate: bool) -> RailAnswer {
    let rail = payment.rail;
    let (code, message) = if duplicate && payment.code != code(rail, Reason::Duplicate) {
        (
            code(rail, Reason::Duplicate).to_string(),
            message(Reason::Duplicate).to_string(),
        )
    } else {
        (payment.code.clone(), payment.message.clone())
    };
    match rail {
        Rail::Imps => RailAnswer::Imps(ImpsAnswer {
            act_code: code,
            response: message,
            bank_rrn: payment.rrn.clone(),
            bene_name: payment.bene_name.clone(),
            tran_ref_no: payment.reference.clone(),
        }),
        Rail::Neft | Rail::Rtgs => {
            let status = if duplicate {
                "DUPLICATE"
            } else {
                payment.status.as_str()
            };
            let accepted = !duplicate && payment.status != Status::Failure;
            let parked = payment.status == Status::Pending && payment.due.is_none();
            RailAnswer::Cib(CibAnswer {
                response: if accepted { "SUCCESS" } else { "FAILURE" }.into(),
                status: status.into(),
                message,
                response_code: (!code.is_empty()).then_some(code),
                utr_number: (accepted && !parked).then(|| payment.rrn.clone()),
                unique_id: payment.reference.clone(),
                urn: None,
                req_id: None,
            })
        }
        Rail::Upi => RailAnswer::Upi(UpiPayAnswer {
            success: (!duplicate && payment.status == Status::Success).to_string(),
            response: code,
            message,
            bank_rrn: payment.rrn.clone(),
            seq_no: payment.reference.clone(),
            status: payment.status.as_str().into(),
        }),
    }
}

/// The duplicate answer for a reference whose payment was settled and archived at the object bound:
/// the duplicate code, without the original's details (only its reference is kept).
fn archived_duplicate(rail: Rail, reference: &str, amount: Decimal, rrn: String) -> RailAnswer {
    let mut payment = failed(rail, reference, amount, rrn, Reason::Duplicate);
    payment.message = format!(
        "{} (the original is settled and archived)",
        message(Reason::Duplicate)
    );
    render(&payment, true)
}

/// The not-found answer of a status inquiry, in the shape of `rail`.
pub fn not_found(rail: Rail, reference: &str) -> RailAnswer {
    unanswered(rail, reference, Reason::NotFound)
}

/// A status inquiry's refusal for `reason` (no such payment, unknown corporate), in `rail`'s shape.
/// The decline of a rail whose field the body lacks: nothing is recorded, nothing moves.
fn missing(request: &CompositePaymentRequest, rail: Rail, field: &str) -> RailAnswer {
    let reference = match rail {
        Rail::Upi => &request.seq_no,
        _ => &request.tran_ref_no,
    };
    let reference = reference.as_ref().map(|r| r.as_str()).unwrap_or_default();
    let mut payment = failed(
        rail,
        reference,
        Decimal::ZERO,
        String::new(),
        Reason::MissingField,
    );
    payment.message = format!(
        "MANDATORY FIELD MISSING: `{field}` is required for {}",
        rail.name()
    );
    render(&payment, false)
}

pub fn unanswered(rail: Rail, reference: &str, reason: Reason) -> RailAnswer {
    let payment = failed(rail, reference, Decimal::ZERO, String::new(), reason);
    render(&payment, false)
}
