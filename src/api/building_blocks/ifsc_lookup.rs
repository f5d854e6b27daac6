//! `GET /api/v1/ifsc/{ifsc}` [sandbank]: a branch of the IFSC directory.

use poem_openapi::{payload::Json, ApiResponse};

use crate::sandbox::{
    bank::formats::Ifsc,
    gateway::error::{GatewayError, Rejection},
    Sandbox,
};

use super::{codes, model::BranchDetails};

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
            Rejection::not_found(codes::not_in_directory(ifsc)).body,
        )),
    }
}
