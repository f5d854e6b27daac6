//! Individuals as the bank's KYC and bureau systems see them. A PAN in `fixtures/` answers with its
//! fixture record; any other well-formed PAN answers with a synthetic person drawn from the PAN's hash,
//! whose bureau report is consistent with its score (low scores carry overdue accounts, not noise). The
//! magic digits `0000` (not in the ITD database) and `9999` (deactivated) are decided here, once, for every
//! family that looks a person up.

use chrono::{Duration, NaiveDate};
use fake::locales::Data;
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    determinism::{Determinism, Synthetic},
    fixtures::{CreditAccount, Enquiry, Fixtures},
    formats::{Mobile, Pan},
    locale::{EN_IN, FEMALE_FIRST_NAMES},
};

/// The Income Tax Department's status of a PAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanStatus {
    /// `E`: exists and is valid.
    Valid,
    /// `N`: no record in the ITD database (magic digits `0000`).
    NotFound,
    /// `D`: deactivated (magic digits `9999`).
    Deactivated,
}

impl PanStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "E",
            Self::NotFound => "N",
            Self::Deactivated => "D",
        }
    }
}

/// A PAN holder with their bureau data.
#[derive(Debug, Clone)]
pub struct Profile {
    pub pan_status: PanStatus,
    pub title: String,
    pub first_name: String,
    pub middle_name: String,
    /// The surname, or the whole name of a non-individual holder (company, trust, ...).
    pub last_name: String,
    // Held as the bureau holds them (a synthetic holder's are drawn from the PAN's stream, and so fix
    // every draw after them), though no answer shows them yet.
    #[allow(dead_code)]
    pub date_of_birth: NaiveDate,
    #[allow(dead_code)]
    pub mobile: Mobile,
    pub pan_last_updated: NaiveDate,
    pub monthly_income: Decimal,
    /// 300–900, or -1 for no credit history.
    pub cibil_score: i32,
    pub credit_accounts: Vec<CreditAccount>,
    pub enquiries: Vec<Enquiry>,
}

impl Profile {
    /// "First Middle Last", without double spaces.
    pub fn full_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| part.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Finds the holder of `pan`: the fixture record, else a synthetic one. `today` anchors synthetic dates.
pub fn profile(fixtures: &Fixtures, determinism: &Determinism, pan: &Pan) -> Profile {
    let status = match pan.digits() {
        "0000" => PanStatus::NotFound,
        "9999" => PanStatus::Deactivated,
        _ => PanStatus::Valid,
    };
    if let Some(person) = fixtures.person(pan) {
        return Profile {
            pan_status: status,
            title: person.title.clone(),
            first_name: person.first_name.clone(),
            middle_name: person.middle_name.clone(),
            last_name: person.last_name.clone(),
            date_of_birth: person.date_of_birth,
            mobile: person.mobile.clone(),
            pan_last_updated: person.pan_last_updated,
            monthly_income: person.monthly_income,
            cibil_score: person.cibil_score,
            credit_accounts: person.credit_accounts.clone(),
            enquiries: person.enquiries.clone(),
        };
    }
    synthetic(determinism, pan, status)
}

/// The fixed reference date synthetic histories are laid out from: stable across days and machines.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date")
}

fn synthetic(determinism: &Determinism, pan: &Pan, status: PanStatus) -> Profile {
    let mut s = determinism.stream("person", pan.as_str());
    let (title, first_name, middle_name, last_name) = holder_name(&mut s, pan);
    let date_of_birth = epoch() - Duration::days(s.between(21 * 365, 65 * 365));
    let mobile = Mobile::parse(&format!("9{:09}", s.between(0, 999_999_999)))
        .expect("synthetic mobile is well-formed");
    let pan_last_updated = epoch() - Duration::days(s.between(30, 3650));
    let monthly_income = Decimal::from(s.between(18, 400) * 1000);
    let cibil_score = if status == PanStatus::NotFound {
        -1
    } else {
        synthetic_score(&mut s)
    };
    let credit_accounts = synthetic_accounts(&mut s, cibil_score);
    let enquiries = synthetic_enquiries(&mut s, cibil_score);
    let blank = status == PanStatus::NotFound;
    let keep = |name: String| if blank { String::new() } else { name };
    Profile {
        pan_status: status,
        title: keep(title),
        first_name: keep(first_name),
        middle_name: keep(middle_name),
        last_name: keep(last_name),
        date_of_birth,
        mobile,
        pan_last_updated,
        monthly_income,
        cibil_score,
        credit_accounts,
        enquiries,
    }
}

/// (title, first, middle, last). The surname starts with the PAN's 5th letter, as real PANs do; a
/// non-individual holder gets an organisation name in `last`.
fn holder_name(s: &mut Synthetic, pan: &Pan) -> (String, String, String, String) {
    let initial = pan.as_str().chars().nth(4).unwrap_or('A');
    let matching: Vec<&str> = EN_IN::NAME_LAST_NAME
        .iter()
        .copied()
        .filter(|name| name.starts_with(initial))
        .collect();
    let surname = if matching.is_empty() {
        s.last_name()
    } else {
        s.pick(&matching).to_string()
    };
    let first = s.first_name();
    let middle = if s.chance(0.3) {
        s.first_name()
    } else {
        String::new()
    };
    let organisation = match pan.holder_type() {
        'P' => None,
        'C' => Some(format!("{surname} Industries Private Limited")),
        'H' => Some(format!("{first} {surname} HUF")),
        'F' => Some(format!("{surname} and Associates")),
        'T' => Some(format!("{surname} Charitable Trust")),
        'A' | 'B' => Some(format!("{surname} Welfare Association")),
        'L' => Some(format!("{surname} Nagar Municipal Council")),
        'G' => Some(format!("Office of the {surname} District Collector")),
        _ => Some(format!("{surname} Foundation")),
    };
    if let Some(name) = organisation {
        return ("M/s".into(), String::new(), String::new(), name);
    }
    let title = if FEMALE_FIRST_NAMES.contains(&first.as_str()) {
        if s.chance(0.5) {
            "Smt"
        } else {
            "Kumari"
        }
    } else {
        "Shri"
    };
    (title.into(), first, middle, surname)
}

fn synthetic_score(s: &mut Synthetic) -> i32 {
    let band = s.between(1, 100);
    let score = match band {
        1..=5 => return -1,
        6..=13 => s.between(350, 599),
        14..=33 => s.between(600, 699),
        34..=63 => s.between(700, 749),
        _ => s.between(750, 900),
    };
    i32::try_from(score).unwrap_or(750)
}

const ACCOUNT_TYPES: &[&str] = &[
    "AUTO_LOAN",
    "HOME_LOAN",
    "PERSONAL_LOAN",
    "CREDIT_CARD",
    "GOLD_LOAN",
    "CONSUMER_DURABLE",
    "TWO_WHEELER_LOAN",
];

const LENDERS: &[&str] = &[
    "State Bank of India",
    "HDFC Bank",
    "ICICI Bank",
    "Axis Bank",
    "Kotak Mahindra Bank",
    "Bajaj Finance",
    "Punjab National Bank",
    "Bank of Baroda",
    "IDFC FIRST Bank",
    "Tata Capital",
];

/// Days past due for the `index`-th account of a report with `score`: the report's delinquency follows
/// the score band (750+ clean; 700s at most one slightly late; 600s one or two 30–90 days; below 600 at
/// least two 60–180 days).
fn delinquency(s: &mut Synthetic, score: i32, index: usize) -> u32 {
    let dpd = match score {
        750.. => 0,
        700..=749 if index == 0 && s.chance(0.5) => s.between(1, 30),
        600..=699 if index == 0 || (index == 1 && s.chance(0.5)) => s.between(30, 90),
        ..=599 if index < 2 => s.between(60, 180),
        ..=599 if s.chance(0.4) => s.between(30, 120),
        _ => 0,
    };
    u32::try_from(dpd).unwrap_or(0)
}

fn synthetic_accounts(s: &mut Synthetic, score: i32) -> Vec<CreditAccount> {
    if score < 0 {
        return Vec::new();
    }
    let count = s.between(if score < 600 { 2 } else { 1 }, 5);
    (0..count as usize)
        .map(|index| {
            let account_type = s.pick(ACCOUNT_TYPES).to_string();
            let lender = s.pick(LENDERS).to_string();
            let thousands = if account_type == "CREDIT_CARD" {
                s.between(50, 500)
            } else {
                s.between(50, 2000)
            };
            let sanctioned_amount = Decimal::from(thousands * 1000);
            let current_balance =
                sanctioned_amount * Decimal::from(s.between(10, 95)) / Decimal::ONE_HUNDRED;
            let dpd = delinquency(s, score, index);
            let overdue_amount = if dpd == 0 {
                Decimal::ZERO
            } else {
                (current_balance * Decimal::from(s.between(3, 20)) / Decimal::ONE_HUNDRED)
                    .round_dp(0)
            };
            CreditAccount {
                account_type,
                lender,
                sanctioned_amount,
                current_balance: current_balance.round_dp(0),
                overdue_amount,
                dpd,
                opened_on: epoch() - Duration::days(s.between(200, 2500)),
            }
        })
        .collect()
}

fn synthetic_enquiries(s: &mut Synthetic, score: i32) -> Vec<Enquiry> {
    let count = match score {
        ..=-1 => 0,
        750.. => s.between(0, 2),
        700..=749 => s.between(1, 3),
        600..=699 => s.between(2, 5),
        _ => s.between(4, 8),
    };
    let mut enquiries: Vec<Enquiry> = (0..count)
        .map(|_| Enquiry {
            days_ago: u32::try_from(s.between(1, 180)).unwrap_or(1),
            lender: s.pick(LENDERS).to_string(),
            purpose: s.pick(ACCOUNT_TYPES).to_string(),
            amount: Decimal::from(s.between(20, 1500) * 1000),
        })
        .collect();
    enquiries.sort_by_key(|e| e.days_ago);
    enquiries
}
