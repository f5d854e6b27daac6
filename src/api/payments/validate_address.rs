//! `POST /api/v1/upi2/ValidateAddress` [bank]: is this VPA valid, and whose is it? A VPA whose handle
//! is not a known PSP (`@icici @okicici @ybl @paytm @upi`) is invalid (`37`). Names: a fixture
//! merchant's VPA answers the merchant, `<fixture mobile>@<handle>` the person, any other VPA a
//! synthetic name derived from it.

use crate::api::sample;
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::Vpa,
    },
    Sandbox,
};

use super::{codes, upi};

#[derive(Object, Deserialize, Debug)]
#[oai(example)]
pub struct ValidateAddressRequest {
    /// The VPA to check, `name@handle`.
    #[oai(rename = "VirtualAddress")]
    #[serde(rename = "VirtualAddress")]
    pub virtual_address: Vpa,
}

impl poem_openapi::types::Example for ValidateAddressRequest {
    fn example() -> Self {
        Self {
            virtual_address: sample("sandbankstore@icici"),
        }
    }
}

#[derive(Object, Debug)]
pub struct ValidateAddressResponse {
    /// `"true"` for a valid VPA.
    pub success: String,
    /// `0` valid, `37` invalid VPA.
    pub response: String,
    pub message: String,
    /// The VPA holder's name (empty when invalid).
    #[oai(rename = "payeeName")]
    pub payee_name: String,
}

impl Answered for ValidateAddressResponse {
    const DESCRIPTION: &'static str =
        "The bank's answer (HTTP 200 for an invalid VPA too; read `response`).";
}

pub fn answer(
    sandbox: &Sandbox,
    request: ValidateAddressRequest,
) -> Answer<ValidateAddressResponse> {
    let vpa = request.virtual_address;
    let answer = if upi::is_known_handle(&vpa) {
        ValidateAddressResponse {
            success: "true".into(),
            response: codes::VPA_AVAILABLE.0.into(),
            message: codes::VPA_AVAILABLE.1.into(),
            payee_name: upi::payer_identity(sandbox, vpa.as_str()).0,
        }
    } else {
        ValidateAddressResponse {
            success: "false".into(),
            response: codes::INVALID_VPA.0.into(),
            message: codes::INVALID_VPA.1.into(),
            payee_name: String::new(),
        }
    };
    Answer(answer)
}
