//! `POST /api/v1/CIBNEFTStatus` [bank]: where a NEFT payment stands, by its UTR — `PENDING` until its
//! half-hourly batch, then `SUCCESS` — for the corporate's NEFT payments, whether sent by
//! `Transaction` / `TransactionOTP` (`TXNTYPE: RGS`) or by the composite payment (`x-priority: 0010`).
//! A UTR of no NEFT payment of the corporate answers `FAILURE` 999941 (sandbank's code).

use crate::api::sample;
use crate::sandbox::bank::formats::UtrNumber;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::{
    api::payments,
    sandbox::{gateway::apps::App, Sandbox},
};

use crate::sandbox::bank::answer::{Answer, Answered};

use super::{
    codes,
    model::cib::{admitted, cib_example, cib_request, CibIdentity, CibOutcome},
    state::{CibState, PaymentStatus, TxnType},
    transaction::outcome,
};

cib_request! {
    /// The identity block and the NEFT payment's UTR.
    #[derive(Object, Deserialize, Debug)]
    #[oai(example)]
    pub struct NeftStatusRequest {
        /// The UTR the payment answered (`ICICN…`).
        #[oai(rename = "UTRNUMBER")]
        #[serde(rename = "UTRNUMBER")]
        pub utr_number: UtrNumber,
    }
}

impl poem_openapi::types::Example for NeftStatusRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            utr_number: sample("ICICN26091000001"),
        })
    }
}

/// The NEFT payment's status.
#[derive(Object, Debug)]
#[oai(example)]
pub struct NeftStatusResponse {
    /// `STATUS`: `PENDING` (waiting for its batch) or `SUCCESS`; `FAILURE` 999941 for a UTR of no
    /// NEFT payment of the corporate.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "UTRNUMBER")]
    pub utr_number: String,
    /// The payment's UNIQUEID (a composite payment's `tranRefNo`).
    #[oai(rename = "UNIQUEID", skip_serializing_if_is_none)]
    pub unique_id: Option<String>,
}

impl poem_openapi::types::Example for NeftStatusResponse {
    fn example() -> Self {
        Self {
            outcome: CibOutcome::success("SUCCESS", "Transaction Successful"),
            utr_number: "ICICN26091000001".into(),
            unique_id: Some("CIB20260401000001".into()),
        }
    }
}

impl Answered for NeftStatusResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_STATUS_ANSWER;
}

/// A composite NEFT's status in CIB words.
fn composite(status: &str, message: String) -> CibOutcome {
    match status {
        "SUCCESS" => outcome(&PaymentStatus::Success),
        _ => CibOutcome::success("PENDING", message),
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: NeftStatusRequest,
) -> Answer<NeftStatusResponse> {
    let identity = request.identity();
    let corporate = identity.corporate(sandbox, None);
    let utr = request.utr_number;
    let found = sandbox.family(app, CibState::new, |state, _| {
        admitted(state, &identity, corporate)?;
        let cib = state.payments.iter().map(|(_, p)| p).find(|p| {
            p.rail == TxnType::Neft
                && p.corp_id == identity.corp_id
                && p.utr.as_deref() == Some(utr.as_str())
        });
        Ok(cib.map(|p| (outcome(&p.status), p.unique_id.clone())))
    });
    // Not a CIB payment: perhaps a composite NEFT of the same corporate.
    let found = match found {
        Ok(None) => Ok(payments::neft_by_utr(sandbox, app, &identity.corp_id, &utr)
            .map(|neft| (composite(neft.status, neft.message), neft.reference))),
        other => other,
    };
    let (outcome, unique_id) = match found {
        Ok(Some((outcome, unique_id))) => (outcome, Some(unique_id)),
        Ok(None) => (
            CibOutcome::failure(
                "FAILURE",
                codes::NO_SUCH_UTR,
                format!("No NEFT payment with UTRNUMBER {utr} for this corporate"),
            ),
            None,
        ),
        Err(refused) => (refused, None),
    };
    Answer(NeftStatusResponse {
        outcome,
        utr_number: utr.into(),
        unique_id,
    })
}
