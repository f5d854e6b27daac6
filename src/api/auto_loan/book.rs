//! One app's Auto Loan book: OTPs, applications and their loans, and the due queue that moves pending
//! sanctions and fresh disbursements along the sandbox clock. The lifecycle rules live here, once; the
//! operation files only parse, call and answer.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use poem_openapi::Enum;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    clock::ist,
    formats::{Mobile, Pan},
    ledger::{LedgerError, Transfer},
    store::{Bounded, Ctx, Family, Full, Settled},
};

pub use super::loan::Loan;
use super::outcome::Decline;

/// The bank's auto-loan pool: every disbursement is debited here and every repayment credited here.
pub const POOL_ACCOUNT: &str = "000499000001";
const POOL_HOLDER: &str = "SANDBANK AUTO LOAN POOL";
/// ₹100 crore of lending capital, credited from outside when the pool is first needed (and again
/// whenever it runs short).
const POOL_CAPITAL: i64 = 1_000_000_000;

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
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename = "AutoLoanVehicleType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VehicleType {
    New,
    Used,
}

/// Statement and KYC documents the bank takes.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Copy)]
pub struct Verified(pub DateTime<Utc>);

impl Settled for Verified {
    fn is_settled(&self) -> bool {
        true
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub document_type: DocumentType,
    pub file_name: String,
    pub sha256: String,
    pub received_at: DateTime<Utc>,
}

/// The chosen amount and tenure, priced.
#[derive(Debug, Clone)]
pub struct Terms {
    pub loan_amount: Decimal,
    pub tenure_months: u32,
    pub roi: Decimal,
    pub emi: Decimal,
    pub processing_fee: Decimal,
}

#[derive(Debug, Clone)]
pub struct Sanction {
    pub letter_no: String,
    pub asked_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone, Copy)]
enum Due {
    Sanction,
    Activation,
}

/// The Auto Loan slot of an app's state.
pub struct AutoLoanBook {
    pub otps: Bounded<String, Otp>,
    pub verified: Bounded<String, Verified>,
    pub applications: Bounded<String, Application>,
    /// Loan account → application number, for the applications held (an entry leaves with its
    /// application).
    pub loans: std::collections::HashMap<String, String>,
    due: BTreeMap<(DateTime<Utc>, u64), (String, Due)>,
    seq: u64,
}

impl AutoLoanBook {
    pub fn new(limit: usize) -> Self {
        Self {
            otps: Bounded::forgetful("OTPs", limit),
            verified: Bounded::forgetful("OTP verifications", limit),
            applications: Bounded::new("loan applications", limit),
            loans: std::collections::HashMap::new(),
            due: BTreeMap::new(),
            seq: 0,
        }
    }

    /// A fresh number for generated ids.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn application(&mut self, no: &str) -> Result<&mut Application, Decline> {
        self.applications
            .get_mut(&no.to_string())
            .ok_or_else(|| Decline::not_found(format!("No application {no} for this app")))
    }

    /// The application a loan account belongs to.
    pub fn by_loan_account(&mut self, account_no: &str) -> Result<&mut Application, Decline> {
        let no = self.loans.get(account_no).cloned().ok_or_else(|| {
            Decline::not_found(format!("No loan account {account_no} for this app"))
        })?;
        self.application(&no)
    }

    /// Makes room for one more application; an evicted (closed or rejected) one takes its loan
    /// account's index entry and its emptied ledger account along.
    pub fn room_for_application(&mut self, ctx: &mut Ctx<'_>) -> Result<(), Full> {
        if let Some((_, evicted)) = self.applications.make_room()? {
            if let Some(loan) = evicted.loan {
                self.loans.remove(&loan.account_no);
                ctx.ledger.close_if_empty(&loan.account_no);
            }
        }
        Ok(())
    }

    pub fn schedule_sanction(&mut self, no: &str, at: DateTime<Utc>) {
        let seq = self.next_seq();
        self.due.insert((at, seq), (no.to_string(), Due::Sanction));
    }

    pub fn schedule_activation(&mut self, no: &str, at: DateTime<Utc>) {
        let seq = self.next_seq();
        self.due
            .insert((at, seq), (no.to_string(), Due::Activation));
    }
}

impl Family for AutoLoanBook {
    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        while let Some(entry) = self.due.first_entry() {
            let (at, _) = *entry.key();
            if at > ctx.now {
                break;
            }
            let (no, due) = entry.remove();
            let Some(application) = self.applications.get_mut(&no) else {
                continue;
            };
            match (due, application.stage) {
                (Due::Sanction, Stage::SanctionPending) => {
                    application.move_to(Stage::Sanctioned, at)
                }
                (Due::Activation, Stage::Disbursed) => application.move_to(Stage::Active, at),
                _ => {}
            }
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Makes sure the pool can pay `amount`: opened on first use, and topped up with another ₹100 crore of
/// capital credited from outside whenever it runs short, so a disbursement never fails for want of the
/// bank's own funds.
pub fn ensure_pool(ctx: &mut Ctx<'_>, amount: Decimal) -> Result<(), LedgerError> {
    ctx.ledger.open(POOL_ACCOUNT, POOL_HOLDER, "INR");
    while ctx.ledger.balance(POOL_ACCOUNT).unwrap_or_default() < amount {
        ctx.ledger.transfer(Transfer {
            debit: None,
            credit: Some(POOL_ACCOUNT),
            amount: Decimal::from(POOL_CAPITAL),
            at: ctx.now,
            remarks: "LENDING POOL CAPITAL",
            reference: "POOL-CAPITAL",
        })?;
    }
    Ok(())
}

/// The app's date (IST) of an instant.
pub fn ist_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ist()).date_naive()
}
