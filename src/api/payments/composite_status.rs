//! `POST /api/v1/composite-status` [bank]: the status of a composite payment, answered in the shape
//! of the rail that carried it (whatever `x-priority` the inquiry sends). A duplicate never changes
//! it: the status is always the original's.

use std::sync::Arc;

use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;

use crate::sandbox::{error::Rejection, state::App, Sandbox};

use super::{
    composite_payment::{reference, RailAnswer},
    rails::{self, Rail},
    state::PaymentsState,
};

/// The payment to look up: `tranRefNo` (IMPS, NEFT, RTGS) or `seq-no` (UPI).
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example)]
pub struct CompositeStatusRequest {
    /// The `tranRefNo` the payment was sent with.
    #[oai(rename = "tranRefNo")]
    #[serde(rename = "tranRefNo")]
    pub tran_ref_no: Option<String>,
    /// The `seq-no` of a UPI payment.
    #[oai(rename = "seq-no")]
    #[serde(rename = "seq-no")]
    pub seq_no: Option<String>,
}

impl poem_openapi::types::Example for CompositeStatusRequest {
    fn example() -> Self {
        Self {
            tran_ref_no: Some("IMPS20260401000001".into()),
            seq_no: None,
        }
    }
}

#[derive(ApiResponse)]
pub enum CompositeStatusAnswer {
    /// The original payment's answer as it stands now (a NEFT turns from `PENDING` to `SUCCESS` at
    /// its batch); an unknown reference answers the rail's not-found code (IMPS `25`, NEFT/RTGS
    /// `100025`, UPI `5003`).
    #[oai(status = 200)]
    Ok(Json<RailAnswer>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    priority: &str,
    request: CompositeStatusRequest,
) -> Result<CompositeStatusAnswer, Rejection> {
    let rails = Rail::from_priority(priority)?;
    let key = match (&request.tran_ref_no, &request.seq_no) {
        (Some(_), _) => reference(&request.tran_ref_no, "tranRefNo", rails[0])?,
        (None, Some(_)) => reference(&request.seq_no, "seq-no", rails[0])?,
        (None, None) => {
            return Err(Rejection::schema(
                "tranRefNo",
                "is required (or `seq-no` for a UPI payment)",
            ))
        }
    };
    let found = sandbox.family(app, PaymentsState::new, |state, _| {
        state.payments.get(&key).map(|p| rails::render(p, false))
    });
    Ok(CompositeStatusAnswer::Ok(Json(
        found.unwrap_or_else(|| rails::not_found(rails[0], &key)),
    )))
}
