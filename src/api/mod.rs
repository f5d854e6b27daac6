//! The bank's API families, one module each, combined into one OpenAPI service.

pub mod auto_loan;
pub mod building_blocks;
pub mod cash_management;
pub mod control;
pub mod iwish;
pub mod offers;
pub mod payments;
pub mod trade;

use std::sync::Arc;

use poem_openapi::{OpenApiService, Tags};

use crate::sandbox::Sandbox;

/// One tag per family: Swagger UI groups operations by these, with the description shown under each.
#[derive(Tags)]
pub enum ApiTags {
    /// Building Blocks: CIBIL credit score check, PAN verification, IFSC and bank-account checks — the
    /// identity and bureau checks every onboarding flow starts with.
    #[oai(rename = "Building Blocks")]
    BuildingBlocks,
    /// Auto Loan: OTP, offer, eligibility, documents, sanction, disbursement, status and dues — one
    /// application's lifecycle.
    #[oai(rename = "Auto Loan")]
    AutoLoan,
    /// iWish: goal-based flexible recurring deposits — create, fund, edit, view, history, close.
    #[oai(rename = "iWish")]
    Iwish,
    /// Cash Management: Corporate Internet Banking (registration, balance, statement, payments,
    /// transaction inquiry) and virtual-account collections.
    #[oai(rename = "Cash Management")]
    CashManagement,
    /// Payments & UPI: IMPS / NEFT / RTGS composite payments and status, UPI collect, QR, refunds,
    /// callbacks, VPA validation.
    #[oai(rename = "Payments & UPI")]
    Payments,
    /// Trade: outward remittances (SWIFT) and electronic bank guarantees.
    Trade,
    /// Banking Offers: pre-approved loan, card and paylater offers, their validation and blocking.
    #[oai(rename = "Banking Offers")]
    Offers,
    /// Sandbox control plane: health, the per-app sandbox clock, callbacks sent. Outside the bank's
    /// API, for partners' tests.
    Sandbox,
}

/// Every family's API, in the order Swagger UI lists them.
pub type Apis = (
    building_blocks::BuildingBlocksApi,
    auto_loan::AutoLoanApi,
    iwish::IwishApi,
    cash_management::CashManagementApi,
    payments::PaymentsApi,
    trade::TradeApi,
    offers::OffersApi,
    control::ControlApi,
);

pub fn apis(sandbox: Arc<Sandbox>) -> Apis {
    (
        building_blocks::BuildingBlocksApi::new(sandbox.clone()),
        auto_loan::AutoLoanApi::new(sandbox.clone()),
        iwish::IwishApi::new(sandbox.clone()),
        cash_management::CashManagementApi::new(sandbox.clone()),
        payments::PaymentsApi::new(sandbox.clone()),
        trade::TradeApi::new(sandbox.clone()),
        offers::OffersApi::new(sandbox.clone()),
        control::ControlApi::new(sandbox),
    )
}

const DESCRIPTION: &str = "\
A sandbox of the bank's API Banking catalogue: the same paths, fields and codes as the bank, with \
deterministic answers, magic test values and per-app state.\n\n\
**Credentials.** Send the header `apikey: sandbank-demo-key` (the demo app) on every business call — use \
**Authorize** above.\n\n\
**Errors.** Gateway errors (credentials, schema validation, body size) answer \
`{\"success\":false,\"response\":<code>,\"errormessage\":\"...\"}`; business declines keep each family's own \
envelope with HTTP 200, as the bank does.\n\n\
**Money** is sent and answered as decimal strings (`\"1500.50\"`), never floats.";

/// The OpenAPI service: the handlers and the document generated from them.
pub fn api_service(sandbox: Arc<Sandbox>) -> OpenApiService<Apis, ()> {
    OpenApiService::new(apis(sandbox), "sandbank", env!("CARGO_PKG_VERSION"))
        .description(DESCRIPTION)
}
