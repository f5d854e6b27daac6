//! Building Blocks' bank types, shared by its operations: the ITD record, the bureau report's
//! accounts and enquiries, the products the eligibility check decides on and their rules, the IMPS
//! name enquiry's formats, and a branch of the IFSC directory. The requests and answers live in their
//! operation files.

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::bank::{formats::Money, lending};

// PAN validation

/// The ITD record, in the bank's field names.
#[derive(Object, Debug)]
#[oai(rename_all = "PascalCase")]
pub struct PanRecord {
    /// ITD return code: `1` record returned, `0` none.
    #[oai(rename = "Returncode")]
    pub return_code: String,
    #[oai(rename = "PAN")]
    pub pan: String,
    /// `E` exists and valid, `N` not in the ITD database, `D` deactivated.
    #[oai(rename = "PANStatus")]
    pub pan_status: String,
    /// Surname, or the whole name of a non-individual holder.
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// `Shri`, `Smt`, `Kumari`, or `M/s` for a non-individual.
    #[oai(rename = "PANtitle")]
    pub pan_title: String,
    /// Date of the ITD record's last update, `dd/mm/yyyy`.
    #[oai(rename = "Lastupdatedate")]
    pub last_update_date: String,
}

// Bureau check

/// Bureau consent: the only accepted value is `Y`.
#[derive(Enum, Deserialize, Debug, Clone, Copy)]
pub enum Consent {
    Y,
}

/// A loan or card on the report.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct BureauAccount {
    /// `AUTO_LOAN`, `HOME_LOAN`, `PERSONAL_LOAN`, `CREDIT_CARD`, `GOLD_LOAN`, `CONSUMER_DURABLE`,
    /// `TWO_WHEELER_LOAN`.
    #[oai(rename = "type")]
    pub account_type: String,
    pub lender: String,
    pub sanctioned_amount: Money,
    pub current_balance: Money,
    pub overdue_amount: Money,
    /// Days past due (0 = current).
    pub dpd: u32,
    pub opened_on: NaiveDate,
}

/// A credit enquiry by a lender.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct BureauEnquiry {
    pub date: NaiveDate,
    pub lender: String,
    pub purpose: String,
    pub amount: Money,
}

// Eligibility check

// A product the eligibility check decides on (no `///`: it would become Swagger text).
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Product {
    AutoLoan,
    PersonalLoan,
    CreditCard,
}

/// What a product takes: the score cut-off, the base rate, the tenure its maximum is figured over
/// and the cap.
pub struct ProductRules {
    pub cutoff: i32,
    pub base_roi: Decimal,
    /// `None` for cards: their limit is income-based.
    pub tenure_months: Option<u32>,
    pub cap: Decimal,
}

/// The product's rules.
pub fn rules(product: Product) -> ProductRules {
    match product {
        Product::AutoLoan => ProductRules {
            cutoff: lending::AUTO_LOAN_CUTOFF,
            base_roi: lending::auto_loan_base_roi(),
            tenure_months: Some(60),
            cap: Decimal::from(15_000_000),
        },
        Product::PersonalLoan => ProductRules {
            cutoff: 700,
            base_roi: Decimal::new(1050, 2),
            tenure_months: Some(48),
            cap: Decimal::from(4_000_000),
        },
        Product::CreditCard => ProductRules {
            cutoff: 680,
            base_roi: Decimal::new(3600, 2),
            tenure_months: None,
            cap: Decimal::from(1_000_000),
        },
    }
}

// Name enquiry

/// The `x-priority` the example sends: IMPS.
pub fn priority_example() -> String {
    "0100".into()
}

// IFSC lookup

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
