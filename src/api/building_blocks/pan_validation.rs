//! `POST /api/v0/panValidation` [bank]: the Income Tax Department's record for a PAN.

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::Pan,
        persons::{self, PanStatus},
    },
    Sandbox,
};

use super::{codes, model::PanRecord};

/// The PAN to verify.
#[derive(Object, Deserialize, Debug)]
#[oai(example)]
pub struct PanValidationRequest {
    /// The PAN, `AAAAA9999A`. Digits `0000` answer "not found", `9999` "deactivated".
    pub pan: Pan,
}

impl poem_openapi::types::Example for PanValidationRequest {
    fn example() -> Self {
        Self {
            pan: sample("ABCPE1234F"),
        }
    }
}

/// The bank's PAN validation answer.
#[derive(Object, Debug)]
pub struct PanValidationResponse {
    /// `1` the ITD returned a record, `0` it did not (see `errorCode`).
    pub status: u8,
    /// Empty on success; `PAN_NOT_FOUND` when the ITD has no such PAN.
    #[oai(rename = "errorCode")]
    pub error_code: String,
    pub data: PanRecord,
}

impl Answered for PanValidationResponse {
    const DESCRIPTION: &'static str = "The ITD's answer: `status` 1 with the record, or 0 with `errorCode` (HTTP 200 either way, as at\n\
     the bank).";
}

pub fn answer(sandbox: &Sandbox, request: PanValidationRequest) -> Answer<PanValidationResponse> {
    let holder = persons::profile(&sandbox.fixtures, &sandbox.determinism, &request.pan);
    let found = holder.pan_status != PanStatus::NotFound;
    Answer(PanValidationResponse {
        status: u8::from(found),
        error_code: if found { "" } else { codes::PAN_NOT_FOUND }.into(),
        data: PanRecord {
            return_code: if found {
                codes::RECORD_RETURNED
            } else {
                codes::NO_RECORD
            }
            .into(),
            pan: request.pan.to_string(),
            pan_status: holder.pan_status.code().into(),
            last_name: holder.last_name,
            first_name: holder.first_name,
            middle_name: holder.middle_name,
            pan_title: holder.title,
            last_update_date: if found {
                holder.pan_last_updated.format("%d/%m/%Y").to_string()
            } else {
                String::new()
            },
        },
    })
}
