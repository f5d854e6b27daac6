//! `GET /api/v1/ifsc/{ifsc}` [sandbank]: a branch of the IFSC directory.

use poem_openapi::{payload::Json, ApiResponse, Object};

use crate::sandbox::{error::GatewayError, formats::Ifsc, Sandbox};

/// A branch and the payment rails it takes.
#[derive(Object, Debug)]
pub struct BranchDetails {
    pub ifsc: String,
    pub bank: String,
    pub branch: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub neft: bool,
    pub rtgs: bool,
    pub imps: bool,
    pub upi: bool,
}

#[derive(ApiResponse)]
pub enum IfscLookupAnswer {
    /// The branch.
    #[oai(status = 200)]
    Ok(Json<BranchDetails>),
    /// No branch has this IFSC (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

pub fn answer(sandbox: &Sandbox, ifsc: &Ifsc) -> IfscLookupAnswer {
    match sandbox.fixtures.branch(ifsc) {
        Some(b) => IfscLookupAnswer::Ok(Json(BranchDetails {
            ifsc: b.ifsc.to_string(),
            bank: b.bank.clone(),
            branch: b.branch.clone(),
            address: b.address.clone(),
            city: b.city.clone(),
            state: b.state.clone(),
            neft: b.neft,
            rtgs: b.rtgs,
            imps: b.imps,
            upi: b.upi,
        })),
        None => IfscLookupAnswer::NotFound(Json(
            crate::sandbox::error::Rejection::not_found(format!(
                "IFSC {ifsc} is not in the directory"
            ))
            .body,
        )),
    }
}
