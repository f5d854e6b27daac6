//! Auto Loan's bank types, shared by its operations: the application and its lifecycle (the rules
//! live here, once; the operation files only parse, call and answer), the loan it becomes (its
//! schedule and dues in [`loan`]), and the envelope every answer starts with.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::bank::{
    formats::{Mobile, Pan},
    lending::{self, Envelope},
    store::Settled,
};

use super::codes::{NOT_FOUND, OK, OUT_OF_ORDER};
pub mod loan;

pub use loan::Loan;

/// How long a sanction stays pending, and how long after disbursement the loan turns ACTIVE.
pub fn sanction_delay() -> Duration {
    Duration::hours(1)
}
pub fn activation_delay() -> Duration {
    Duration::days(1)
}
/// An OTP can be verified for 5 minutes; a verified mobile may ask for offers for 30 minutes.
pub fn otp_validity() -> Duration {
    Duration::minutes(5)
}
pub fn verification_validity() -> Duration {
    Duration::minutes(30)
}

/// The application's lifecycle state.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename = "AutoLoanStage")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Stage {
    /// An offer was made; choose the amount and tenure with `eligibility`.
    Offered,
    /// Amount and tenure accepted; send `documents`.
    Eligible,
    /// KYC and bank statement received; ask for `sanction` (more documents may still come).
    DocumentsReceived,
    /// Sanction asked for: it is granted 1 sandbox hour later.
    SanctionPending,
    /// Sanctioned; `disbursement` pays the dealer.
    Sanctioned,
    /// Paid to the dealer; the loan turns ACTIVE 1 sandbox day later.
    Disbursed,
    /// EMIs are running; `repayment` pays them (or forecloses).
    Active,
    /// Repaid in full.
    Closed,
    /// Declined at the offer, with reasons.
    Rejected,
}

/// An operation that moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Eligibility,
    Documents,
    Sanction,
    Disbursement,
    Repayment,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Self::Eligibility => "eligibility",
            Self::Documents => "documents",
            Self::Sanction => "sanction",
            Self::Disbursement => "disbursement",
            Self::Repayment => "repayment",
        }
    }
}

impl Stage {
    /// The operations allowed in this state.
    pub fn allowed(self) -> &'static [Step] {
        match self {
            Self::Offered => &[Step::Eligibility],
            Self::Eligible => &[Step::Eligibility, Step::Documents],
            Self::DocumentsReceived => &[Step::Documents, Step::Sanction],
            Self::Sanctioned => &[Step::Disbursement],
            Self::Active => &[Step::Repayment],
            Self::SanctionPending | Self::Disbursed | Self::Closed | Self::Rejected => &[],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Offered => "OFFERED",
            Self::Eligible => "ELIGIBLE",
            Self::DocumentsReceived => "DOCUMENTS_RECEIVED",
            Self::SanctionPending => "SANCTION_PENDING",
            Self::Sanctioned => "SANCTIONED",
            Self::Disbursed => "DISBURSED",
            Self::Active => "ACTIVE",
            Self::Closed => "CLOSED",
            Self::Rejected => "REJECTED",
        }
    }
}

#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[oai(rename = "AutoLoanVehicleType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VehicleType {
    New,
    Used,
}

/// Statement and KYC documents the bank takes.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[oai(rename = "AutoLoanDocumentType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentType {
    /// KYC.
    Pan,
    /// KYC.
    Aadhaar,
    /// KYC.
    Passport,
    /// Required: the last 6 months.
    BankStatement,
    SalarySlip,
    Itr,
    /// The dealer's proforma invoice for the vehicle.
    ProformaInvoice,
}

impl DocumentType {
    fn is_kyc(self) -> bool {
        matches!(self, Self::Pan | Self::Aadhaar | Self::Passport)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Otp {
    pub mobile: Mobile,
    pub sent_at: DateTime<Utc>,
    pub verified: bool,
}

impl Settled for Otp {
    fn is_settled(&self) -> bool {
        true
    }
}

/// When a mobile last passed OTP verification.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Verified(pub DateTime<Utc>);

impl Settled for Verified {
    fn is_settled(&self) -> bool {
        true
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub id: String,
    pub document_type: DocumentType,
    pub file_name: String,
    pub sha256: String,
    pub received_at: DateTime<Utc>,
}

/// The chosen amount and tenure, priced.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    pub loan_amount: Decimal,
    pub tenure_months: u32,
    pub roi: Decimal,
    pub emi: Decimal,
    pub processing_fee: Decimal,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Sanction {
    pub letter_no: String,
    pub asked_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Application {
    pub no: String,
    pub pan: Pan,
    pub applicant: String,
    pub mobile: Mobile,
    pub vehicle_type: VehicleType,
    pub on_road_price: Decimal,
    pub dealer_code: String,
    pub cibil_score: i32,
    pub offer_amount: Decimal,
    pub max_tenure_months: u32,
    pub roi: Decimal,
    pub reasons: Vec<String>,
    pub stage: Stage,
    pub terms: Option<Terms>,
    pub documents: Vec<Document>,
    pub sanction: Option<Sanction>,
    pub loan: Option<Loan>,
    /// Every state it has been in, with when.
    pub history: Vec<(Stage, DateTime<Utc>)>,
}

/// An application is open (an offer, a sanction, a loan to repay) until it is closed or rejected.
impl Settled for Application {
    fn is_settled(&self) -> bool {
        matches!(self.stage, Stage::Closed | Stage::Rejected)
    }
}

impl Application {
    /// Refuses `step` unless the current state allows it.
    pub fn expect(&self, step: Step) -> Result<(), Decline> {
        if self.stage.allowed().contains(&step) {
            Ok(())
        } else {
            Err(Decline::out_of_order(self, step))
        }
    }

    pub fn move_to(&mut self, stage: Stage, at: DateTime<Utc>) {
        self.stage = stage;
        self.history.push((stage, at));
    }

    /// KYC and a bank statement are in.
    pub fn documents_complete(&self) -> bool {
        self.documents.iter().any(|d| d.document_type.is_kyc())
            && self
                .documents
                .iter()
                .any(|d| d.document_type == DocumentType::BankStatement)
    }

    /// The document types still needed before sanction.
    pub fn pending_documents(&self) -> Vec<String> {
        let mut pending = Vec::new();
        if !self.documents.iter().any(|d| d.document_type.is_kyc()) {
            pending.push("KYC (PAN, AADHAAR or PASSPORT)".to_string());
        }
        if !self
            .documents
            .iter()
            .any(|d| d.document_type == DocumentType::BankStatement)
        {
            pending.push("BANK_STATEMENT".to_string());
        }
        pending
    }
}

/// What an Auto Loan decline adds to the envelope: on `AL202`, where the application stands and what
/// it accepts now.
#[derive(Debug, Clone, Default)]
pub struct NextSteps {
    pub current_state: Option<Stage>,
    pub allowed_next_steps: Option<Vec<String>>,
}

/// Why an Auto Loan request was declined.
pub type Decline = lending::Decline<NextSteps>;

impl Decline {
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(NOT_FOUND, message)
    }

    /// `step` is not allowed in the application's state.
    pub fn out_of_order(application: &Application, step: Step) -> Self {
        let allowed: Vec<String> = application
            .stage
            .allowed()
            .iter()
            .map(|s| s.name().to_string())
            .collect();
        let next = if allowed.is_empty() {
            match application.stage {
                Stage::SanctionPending => {
                    "none: the sanction is granted 1 sandbox hour after it was asked for"
                        .to_string()
                }
                Stage::Disbursed => {
                    "none: the loan turns ACTIVE 1 sandbox day after disbursement".to_string()
                }
                _ => "none: the application is final".to_string(),
            }
        } else {
            allowed.join(", ")
        };
        Self {
            code: OUT_OF_ORDER,
            message: format!(
                "Application {} is {}: {} is not allowed now; allowed next steps: {next}",
                application.no,
                application.stage.name(),
                step.name()
            ),
            detail: NextSteps {
                current_state: Some(application.stage),
                allowed_next_steps: Some(allowed),
            },
        }
    }
}

/// The envelope fields every Auto Loan answer starts with.
#[derive(Object, Debug, Clone)]
#[oai(rename = "AutoLoanOutcome")]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct Outcome {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `AL000` on success, else a stable code: `AL101` wrong OTP, `AL102` OTP unknown or expired,
    /// `AL103` mobile not OTP-verified, `AL201` application not found, `AL202` step out of order,
    /// `AL203` offer declined, `AL204` dealer not empanelled, `AL301` document unreadable, `AL302` 20 documents already received, `AL401`
    /// invalid dealer account, `AL402` invalid dealer IFSC, `AL501` insufficient funds, `AL502` debit
    /// account not of this bank, `AL503` repayment above what is owed.
    pub response_code: String,
    /// The outcome in words.
    pub message: String,
    pub current_state: Option<Stage>,
    /// On `AL202`: the operations the application accepts now (empty while it waits on the clock).
    pub allowed_next_steps: Option<Vec<String>>,
}

impl Envelope for Outcome {
    type Detail = NextSteps;
    const OK: &'static str = OK;

    fn assemble(status: &str, response_code: &str, message: String, detail: NextSteps) -> Self {
        Self {
            status: status.into(),
            response_code: response_code.into(),
            message,
            current_state: detail.current_state,
            allowed_next_steps: detail.allowed_next_steps,
        }
    }
}
