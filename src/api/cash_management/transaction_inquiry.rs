//! `POST /api/Corporate/CIB/v1/TransactionInquiry` [bank]: where a payment stands, by its UNIQUEID —
//! the same `STATUS`, `MESSAGE` and `UTRNUMBER` the payment itself answered, updated as it moves on
//! (approval, the NEFT batch). As at the bank, `AGGRNAME` is not part of this request: sending it is
//! a schema error (400/8017).

use crate::api::sample;
use crate::sandbox::bank::formats::UniqueId;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::apps::App,
    Sandbox,
};

use super::{
    codes,
    model::cib::{admitted, cib_example, cib_request, CibIdentity, CibOutcome},
    state::CibState,
    transaction::outcome,
};

cib_request! {
    /// The identity block (without `AGGRNAME`) and the payment's UNIQUEID.
    #[derive(Object, Deserialize, Debug)]
    #[oai(example)]
    #[serde(deny_unknown_fields)]
    pub struct TransactionInquiryRequest {
        /// The UNIQUEID the payment was sent with.
        #[oai(rename = "UNIQUEID")]
        #[serde(rename = "UNIQUEID")]
        pub unique_id: UniqueId,
    }
}

/// The inquiry refuses fields it does not know (serde's `deny_unknown_fields`), and says so.
pub fn schema_rule() -> crate::api::SchemaRule {
    crate::api::SchemaRule {
        schema: "TransactionInquiryRequest",
        rule: serde_json::json!({ "additionalProperties": false }),
    }
}

impl poem_openapi::types::Example for TransactionInquiryRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            unique_id: sample("CIB20260401000001"),
        })
    }
}

/// The payment as it stands.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct TransactionInquiryResponse {
    /// The payment's `STATUS` (`SUCCESS`, `PENDING`, `FAILURE`) and `MESSAGE`; its `RESPONSECODE`
    /// when it failed. An unknown UNIQUEID answers `FAILURE` 999940.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
    #[oai(rename = "UTRNUMBER")]
    pub utr_number: Option<String>,
    #[oai(rename = "REQID")]
    pub req_id: Option<String>,
}

impl Answered for TransactionInquiryResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_STATUS_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: TransactionInquiryRequest,
) -> Answer<TransactionInquiryResponse> {
    let identity = request.identity();
    let corporate = identity.corporate(sandbox, None);
    let unique_id = request.unique_id;
    let response = sandbox.family(app, CibState::new, |state, _| {
        let found = admitted(state, &identity, corporate).and_then(|()| {
            state
                .payments
                .get(unique_id.as_string())
                .filter(|p| p.corp_id == identity.corp_id)
                .ok_or_else(|| {
                    CibOutcome::failure(
                        "FAILURE",
                        codes::NO_SUCH_TRANSACTION,
                        format!("No transaction with UNIQUEID {unique_id}"),
                    )
                })
        });
        match found {
            Ok(payment) => TransactionInquiryResponse {
                outcome: outcome(&payment.status),
                unique_id: unique_id.to_string(),
                utr_number: payment.utr.clone(),
                req_id: Some(payment.req_id.clone()),
            },
            Err(outcome) => TransactionInquiryResponse {
                outcome,
                unique_id: unique_id.to_string(),
                utr_number: None,
                req_id: None,
            },
        }
    });
    Answer(response)
}
