//! The rails' answers: a failed payment in the words of its rail ([`codes`](crate::api::payments::codes)), and a
//! payment rendered in the shape of the rail that carried it (the composite payment, its status
//! inquiry).

use rust_decimal::Decimal;

use crate::sandbox::bank::{corporates::CibOutcome, rails::Rail};

use crate::api::payments::{
    codes::{self, code, message, Reason},
    composite_request::CompositePaymentRequest,
    model::{CibAnswer, ImpsAnswer, Payment, RailAnswer, Status, UpiPayAnswer},
};

pub fn failed(
    rail: Rail,
    reference: &str,
    amount: Decimal,
    rrn: String,
    reason: Reason,
) -> Payment {
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
                outcome: CibOutcome {
                    response: if accepted { "SUCCESS" } else { "FAILURE" }.into(),
                    status: status.into(),
                    message,
                    response_code: (!code.is_empty()).then_some(code),
                },
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

/// The not-found answer of a status inquiry, in the shape of `rail`.
pub fn not_found(rail: Rail, reference: &str) -> RailAnswer {
    unanswered(rail, reference, Reason::NotFound)
}

/// A status inquiry's refusal for `reason` (no such payment, unknown corporate), in `rail`'s shape.
pub fn unanswered(rail: Rail, reference: &str, reason: Reason) -> RailAnswer {
    let payment = failed(rail, reference, Decimal::ZERO, String::new(), reason);
    render(&payment, false)
}

/// The duplicate answer for a reference whose payment was settled and archived at the object bound:
/// the duplicate code, without the original's details (only its reference is kept).
pub fn archived_duplicate(rail: Rail, reference: &str, amount: Decimal, rrn: String) -> RailAnswer {
    let mut payment = failed(rail, reference, amount, rrn, Reason::Duplicate);
    payment.message = codes::archived_duplicate_message();
    render(&payment, true)
}

/// The decline of a rail whose field the body lacks: nothing is recorded, nothing moves.
pub fn missing(request: &CompositePaymentRequest, rail: Rail, field: &str) -> RailAnswer {
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
    payment.message = codes::missing_field_message(field, rail);
    render(&payment, false)
}
