//! `POST /api/v1/composite-status` [bank]: the status of a composite payment, answered in the shape
//! of the rail that carried it (whatever `x-priority` the inquiry sends). A duplicate never changes
//! it: the status is always the original's.
//!
//! Two forms name the payment: its reference (`tranRefNo`, or a UPI `seq-no`), or — as partner code
//! checks a NEFT/RTGS payment, `x-priority: 0010` — the CIB form: the corporate's identity block
//! (`AGGRID, CORPID, USERID, URN`, upper-case) and `UNIQUEID` (the payment's `tranRefNo`). The CIB
//! form answers only the corporate's own payments, with its `URN` and the bank's `REQID`.

use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Described, Description, ReplyAs},
        corporates::{self, CorporateIds},
        formats::ClientRef,
        rails::Rail,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes::Reason,
    composite_orders::{reference, Unfit},
    model::{RailAnswer, Status},
    rails,
    state::PaymentsState,
};

/// The payment to look up: `tranRefNo` (IMPS, NEFT, RTGS) or `seq-no` (UPI); or the CIB form, the
/// identity block and `UNIQUEID` (NEFT, RTGS).
#[derive(Object, Deserialize, Debug, Default)]
#[oai(skip_serializing_if_is_none, example)]
pub struct CompositeStatusRequest {
    /// The `tranRefNo` the payment was sent with.
    #[oai(rename = "tranRefNo")]
    #[serde(rename = "tranRefNo")]
    pub tran_ref_no: Option<ClientRef>,
    /// The `seq-no` of a UPI payment.
    #[oai(rename = "seq-no")]
    #[serde(rename = "seq-no")]
    pub seq_no: Option<ClientRef>,
    /// CIB form: the aggregator (demo `SANDAGGR1`).
    #[oai(rename = "AGGRID")]
    #[serde(rename = "AGGRID")]
    pub aggr_id: Option<String>,
    /// CIB form: the corporate (demo `SANDCORP1`).
    #[oai(rename = "CORPID")]
    #[serde(rename = "CORPID")]
    pub corp_id: Option<String>,
    /// CIB form: the corporate's user (demo `SANDUSER1`).
    #[oai(rename = "USERID")]
    #[serde(rename = "USERID")]
    pub user_id: Option<String>,
    /// CIB form: the corporate's URN (demo `SANDURN0001`).
    #[oai(rename = "URN")]
    #[serde(rename = "URN")]
    pub urn: Option<String>,
    /// CIB form: the payment's `tranRefNo`.
    #[oai(rename = "UNIQUEID")]
    #[serde(rename = "UNIQUEID")]
    pub unique_id: Option<ClientRef>,
}

impl poem_openapi::types::Example for CompositeStatusRequest {
    fn example() -> Self {
        Self {
            tran_ref_no: Some(ClientRef("IMPS20260401000001".into())),
            ..Self::default()
        }
    }
}

/// The status's words for its answer (the payment's own answer is described by the payment).
pub struct CompositeStatusText;

impl Description for CompositeStatusText {
    type Body = RailAnswer;
    const DESCRIPTION: &'static str = "The original payment's answer as it stands now (a NEFT turns from `PENDING` to `SUCCESS` at\n\
     its batch); an unknown reference answers the rail's not-found code (IMPS `25`, NEFT/RTGS\n\
     `100025`, UPI `5003`); the CIB form with ids of no corporate answers `9906`.";
}

/// The CIB form's identity block, checked.
struct CibForm {
    aggr_id: String,
    corp_id: String,
    user_id: String,
    urn: String,
}

impl CompositeStatusRequest {
    fn cib_form(&self) -> Result<CibForm, Rejection> {
        let id = |value: &Option<String>, field: &str| -> Result<String, Rejection> {
            let raw = value.as_deref().ok_or_else(|| {
                Rejection::schema(
                    field,
                    "is required with UNIQUEID (the CIB form of the inquiry)",
                )
            })?;
            let ok = (1..=32).contains(&raw.len())
                && raw
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
            if ok {
                Ok(raw.to_string())
            } else {
                let reason = format!("must be 1 to 32 letters, digits, _ or -, got `{raw}`");
                Err(Rejection::schema(field, reason))
            }
        };
        Ok(CibForm {
            aggr_id: id(&self.aggr_id, "AGGRID")?,
            corp_id: id(&self.corp_id, "CORPID")?,
            user_id: id(&self.user_id, "USERID")?,
            urn: id(&self.urn, "URN")?,
        })
    }
}

/// What [`answer`] reads: `tranRefNo`, else `seq-no`, else the CIB form (identity block and
/// `UNIQUEID`), its ids as CIB writes them.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::{api::SchemaRule, sandbox::bank::formats::ClientRef};
    let id = serde_json::json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$" });
    let mut cib = SchemaRule::present::<ClientRef>("UNIQUEID");
    for field in ["AGGRID", "CORPID", "USERID", "URN"] {
        cib["required"]
            .as_array_mut()
            .expect("a list")
            .push(field.into());
        cib["properties"][field] = id.clone();
    }
    SchemaRule {
        schema: "CompositeStatusRequest",
        // The ids are read only in the CIB form: their pattern is that branch's.
        rule: serde_json::json!({
            "anyOf": [
                SchemaRule::present::<ClientRef>("tranRefNo"),
                SchemaRule::present::<ClientRef>("seq-no"),
                cib,
            ],
        }),
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    rails: &[Rail],
    request: CompositeStatusRequest,
) -> ReplyAs<CompositeStatusText> {
    let key = match (&request.tran_ref_no, &request.seq_no, &request.unique_id) {
        (Some(_), _, _) => reference(&request.tran_ref_no, "tranRefNo", rails[0])
            .map_err(Unfit::into_rejection)?,
        (None, Some(_), _) => {
            reference(&request.seq_no, "seq-no", rails[0]).map_err(Unfit::into_rejection)?
        }
        (None, None, Some(_)) => return cib_answer(sandbox, app, rails, &request),
        (None, None, None) => {
            return Err(Rejection::schema(
                "tranRefNo",
                "is required (or `seq-no` for a UPI payment, or the CIB identity block with `UNIQUEID`)",
            ))
        }
    };
    let found = sandbox.family(app, PaymentsState::new, |state, _| {
        state.payments.get(&key).map(|p| rails::render(p, false))
    });
    Ok(Described(
        found.unwrap_or_else(|| rails::not_found(rails[0], &key)),
    ))
}

/// The CIB form: the corporate's own payment by its `UNIQUEID`, with `URN` and `REQID`.
fn cib_answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    rails: &[Rail],
    request: &CompositeStatusRequest,
) -> ReplyAs<CompositeStatusText> {
    let rail = match rails[0] {
        Rail::Rtgs => Rail::Rtgs,
        _ => Rail::Neft,
    };
    let form = request.cib_form()?;
    let key = reference(&request.unique_id, "UNIQUEID", rail).map_err(Unfit::into_rejection)?;
    let ids = CorporateIds {
        aggr_id: &form.aggr_id,
        corp_id: &form.corp_id,
        user_id: &form.user_id,
        urn: Some(&form.urn),
        aggr_name: None,
    };
    if corporates::find(&sandbox.fixtures, &ids).is_none() {
        let refused = rails::unanswered(rail, &key, Reason::BadIdentity);
        return Ok(Described(refused));
    }
    let found = sandbox.family(app, PaymentsState::new, |state, _| {
        state
            .payments
            .get(&key)
            .filter(|p| p.corp_id.as_deref() == Some(form.corp_id.as_str()))
            .map(|p| rails::render(p, false))
    });
    let mut answer = found.unwrap_or_else(|| rails::not_found(rail, &key));
    if let RailAnswer::Cib(cib) = &mut answer {
        cib.urn = Some(form.urn.clone());
        cib.req_id = Some(
            sandbox
                .determinism
                .app_reference("cib-reqid", &app.id, &key, 9),
        );
    }
    Ok(Described(answer))
}

/// A NEFT payment the bank accepted, as the NEFT status by UTR (`CIBNEFTStatus`, in Cash Management)
/// reads it: the same NEFT whichever API sent it.
#[derive(Debug, Clone)]
pub struct NeftByUtr {
    /// The client's reference (`tranRefNo`).
    pub reference: String,
    /// `PENDING` until its batch, then `SUCCESS`.
    pub status: &'static str,
    pub message: String,
}

/// The corporate's accepted composite NEFT payment with this UTR, if any (a scan of the app's own,
/// bounded, payments).
pub fn neft_by_utr(
    sandbox: &Sandbox,
    app: &Arc<App>,
    corp_id: &str,
    utr: &str,
) -> Option<NeftByUtr> {
    sandbox.family(app, PaymentsState::new, |state, _| {
        state
            .payments
            .iter()
            .map(|(_, payment)| payment)
            .find(|p| {
                p.rail == Rail::Neft
                    && p.rrn == utr
                    && p.corp_id.as_deref() == Some(corp_id)
                    && (p.status == Status::Success || p.due.is_some())
            })
            .map(|p| NeftByUtr {
                reference: p.reference.clone(),
                status: p.status.as_str(),
                message: p.message.clone(),
            })
    })
}
