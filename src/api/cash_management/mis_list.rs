//! `POST /api/v1/ecollection/mis` [sandbank]: a corporate's virtual-account credits between two dates,
//! each with its MIS push's delivery and the corporate's answer. The corporate answers a push with
//! any 2xx: a JSON body `{"status":"REJECT"}` rejects the record, anything else accepts it. A
//! rejection is recorded, not reversed: the money was credited when the remitter paid.

use crate::api::sample;
use crate::sandbox::bank::formats::CibId;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;

use crate::sandbox::{
    bank::{callbacks::Attempt, clock::ist},
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

use super::{
    model::collections::{corporate, MisRecord},
    state::CibState,
};

/// The corporate and the dates (credit dates in IST), optionally one virtual account.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct MisRequest {
    /// The corporate's CIB `CORPID`.
    pub corp_id: CibId,
    /// First credit date, `YYYY-MM-DD`.
    pub from_date: NaiveDate,
    /// Last credit date, `YYYY-MM-DD`, not before `fromDate`.
    pub to_date: NaiveDate,
    /// Only this virtual account's credits (optional).
    pub virtual_account_number: Option<String>,
}

impl poem_openapi::types::Example for MisRequest {
    fn example() -> Self {
        Self {
            corp_id: sample("SANDCORP1"),
            from_date: sample("2026-04-01"),
            to_date: sample("2026-04-30"),
            virtual_account_number: None,
        }
    }
}

/// One credit's MIS record and what became of its push.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct MisEntry {
    #[oai(flatten)]
    pub record: MisRecord,
    /// `QUEUED` (not sent yet), `DELIVERED` (the corporate answered 2xx) or `FAILED` (the latest
    /// attempt got no 2xx; retries back off, see `GET /sandbox/callbacks`).
    pub delivery_status: String,
    /// `ACCEPT` or `REJECT` once delivered: the corporate's JSON `{"status":"REJECT"}` rejects,
    /// any other 2xx answer accepts.
    pub client_decision: Option<String>,
    /// Delivery attempts made so far.
    pub attempts: u32,
    /// The corporate's HTTP status on the latest attempt.
    pub last_http_status: Option<u16>,
    /// When the latest attempt was made (IST).
    pub last_attempt_at: Option<DateTime<FixedOffset>>,
}

/// The credits, oldest first.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct MisResponse {
    pub corp_id: String,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub records: Vec<MisEntry>,
}

#[derive(ApiResponse)]
pub enum MisAnswer {
    /// The corporate's credits in the range (possibly none).
    #[oai(status = 200)]
    Ok(Json<MisResponse>),
    /// No corporate with this `corpId` (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: MisRequest,
) -> Result<MisAnswer, Rejection> {
    // A range that ends before it starts holds no credit: an empty list, not a refusal.
    if corporate(sandbox, &request.corp_id).is_none() {
        return Ok(MisAnswer::NotFound(Json(
            Rejection::not_found(format!("No corporate with corpId {}", request.corp_id)).body,
        )));
    }
    let records: Vec<MisRecord> = sandbox.family(app, CibState::new, |state, _| {
        state
            .credits
            .iter()
            .map(|(_, credit)| credit)
            .filter(|c| c.corp_id == request.corp_id)
            .filter(|c| {
                let date = c.credited_at.with_timezone(&ist()).date_naive();
                date >= request.from_date && date <= request.to_date
            })
            .filter(|c| {
                request
                    .virtual_account_number
                    .as_ref()
                    .is_none_or(|va| &c.virtual_account == va)
            })
            .map(MisRecord::of)
            .collect()
    });
    // The partner's answers are read after the state transaction: no lock is held across both.
    let records = records
        .into_iter()
        .map(|record| {
            let latest = sandbox.callbacks.latest(&app.id, &record.utr);
            entry(record, latest)
        })
        .collect();
    Ok(MisAnswer::Ok(Json(MisResponse {
        corp_id: request.corp_id.into(),
        from_date: request.from_date,
        to_date: request.to_date,
        records,
    })))
}

fn entry(record: MisRecord, latest: Option<Attempt>) -> MisEntry {
    let Some(attempt) = latest else {
        return MisEntry {
            record,
            delivery_status: "QUEUED".into(),
            client_decision: None,
            attempts: 0,
            last_http_status: None,
            last_attempt_at: None,
        };
    };
    let delivered = attempt.delivered();
    MisEntry {
        record,
        delivery_status: if delivered { "DELIVERED" } else { "FAILED" }.into(),
        client_decision: delivered.then(|| decision(attempt.response_body.as_deref()).into()),
        attempts: attempt.attempt,
        last_http_status: attempt.status,
        last_attempt_at: Some(attempt.at.with_timezone(&ist())),
    }
}

/// `REJECT` when the corporate's body is JSON whose `status` is `REJECT`/`REJECTED` (any case);
/// `ACCEPT` otherwise.
fn decision(body: Option<&str>) -> &'static str {
    let status = body
        .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .and_then(|v| {
            v.get("status")
                .and_then(|s| s.as_str())
                .map(str::to_ascii_uppercase)
        });
    match status.as_deref() {
        Some("REJECT" | "REJECTED") => "REJECT",
        _ => "ACCEPT",
    }
}

#[cfg(test)]
mod tests {
    use super::decision;

    #[test]
    fn the_corporates_body_decides() {
        assert_eq!(decision(Some(r#"{"status":"REJECT"}"#)), "REJECT");
        assert_eq!(decision(Some(r#"{"status":"rejected"}"#)), "REJECT");
        assert_eq!(decision(Some(r#"{"status":"ACCEPT"}"#)), "ACCEPT");
        assert_eq!(decision(Some("OK")), "ACCEPT");
        assert_eq!(decision(None), "ACCEPT");
    }
}
