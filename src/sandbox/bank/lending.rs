//! Lending arithmetic shared by Building Blocks' eligibility check and the Auto Loan family, written
//! once: the reducing-balance EMI and its inverse, the amortisation schedule, the score premium and the
//! existing-obligations rule. All in `rust_decimal`, rounded to paise only where money is answered.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::sandbox::bank::{fixtures::CreditAccount, formats::rupees};

/// Account-number prefixes of the bank's own books opened by the lending and deposit families: iWish goal
/// accounts, auto-loan accounts (principal-outstanding memos) and the auto-loan pool.
pub const INTERNAL_BOOK_PREFIXES: [&str; 3] = ["000477", "000466", "000499"];

/// A goal account, loan account or the lending pool: the bank's own books, which customers cannot
/// debit, fund from or pay into directly.
pub fn is_internal_book(account_no: &str) -> bool {
    INTERNAL_BOOK_PREFIXES
        .iter()
        .any(|prefix| account_no.starts_with(prefix))
}

/// Auto loans decline below this CIBIL score.
pub const AUTO_LOAN_CUTOFF: i32 = 650;

/// The auto-loan base rate, percent a year, before the score premium.
pub fn auto_loan_base_roi() -> Decimal {
    Decimal::new(875, 2)
}

/// Rate premium for the score band, percentage points: 750+ none, 700–749 1.25, below 700 2.50.
pub fn score_premium(score: i32) -> Decimal {
    match score {
        750.. => Decimal::ZERO,
        700..=749 => Decimal::new(125, 2),
        _ => Decimal::new(250, 2),
    }
}

/// An existing account's monthly outgo as a percent of its outstanding balance: home loans 1%, cards
/// 5%, other loans 3%.
pub fn monthly_obligation_percent(account_type: &str) -> Decimal {
    match account_type {
        "HOME_LOAN" => Decimal::ONE,
        "CREDIT_CARD" => Decimal::from(5),
        _ => Decimal::from(3),
    }
}

/// The monthly outgo of a bureau report's existing accounts.
pub fn monthly_obligations(accounts: &[CreditAccount]) -> Decimal {
    accounts
        .iter()
        .map(|a| {
            a.current_balance * monthly_obligation_percent(&a.account_type) / Decimal::ONE_HUNDRED
        })
        .sum()
}

/// (1 + r)^n with r the monthly rate of `annual_roi` percent.
fn growth(annual_roi: Decimal, months: u32) -> Decimal {
    let r = annual_roi / Decimal::from(1200);
    (0..months).fold(Decimal::ONE, |acc, _| acc * (Decimal::ONE + r))
}

/// The principal that `emi` repays over `months` at `annual_roi` percent, reducing balance:
/// P = EMI × (1 − (1 + r)^−n) / r, with r the monthly rate.
pub fn principal_for_emi(emi: Decimal, annual_roi: Decimal, months: u32) -> Decimal {
    if annual_roi.is_zero() {
        return emi * Decimal::from(months);
    }
    let r = annual_roi / Decimal::from(1200);
    emi * (Decimal::ONE - Decimal::ONE / growth(annual_roi, months)) / r
}

/// The equated monthly instalment for `principal` over `months` at `annual_roi` percent, reducing
/// balance, rounded to paise: EMI = P × r × (1 + r)^n / ((1 + r)^n − 1).
pub fn emi(principal: Decimal, annual_roi: Decimal, months: u32) -> Decimal {
    if months == 0 {
        return rupees(principal);
    }
    if annual_roi.is_zero() {
        return rupees(principal / Decimal::from(months));
    }
    let r = annual_roi / Decimal::from(1200);
    let g = growth(annual_roi, months);
    rupees(principal * r * g / (g - Decimal::ONE))
}

/// One line of an amortisation schedule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Instalment {
    /// 1-based.
    pub number: u32,
    pub due_date: NaiveDate,
    /// The instalment: the EMI, or less for the last one, which clears the balance exactly.
    pub amount: Decimal,
    pub principal: Decimal,
    pub interest: Decimal,
    /// The principal outstanding after this instalment.
    pub closing_balance: Decimal,
}

/// The reducing-balance schedule: each month's interest is the opening balance × r rounded to paise,
/// the rest of the EMI repays principal; the last instalment repays whatever is left, so the principal
/// parts sum to `principal` exactly. Instalment `k` falls due `k` months after `start`.
pub fn schedule(
    principal: Decimal,
    annual_roi: Decimal,
    months: u32,
    start: NaiveDate,
) -> Vec<Instalment> {
    let emi = emi(principal, annual_roi, months);
    let r = annual_roi / Decimal::from(1200);
    let mut balance = rupees(principal);
    (1..=months)
        .map(|number| {
            let interest = rupees(balance * r);
            let principal_part = if number == months {
                balance
            } else {
                (emi - interest).min(balance)
            };
            balance -= principal_part;
            Instalment {
                number,
                due_date: start
                    .checked_add_months(Months::new(number))
                    .unwrap_or(start),
                amount: principal_part + interest,
                principal: principal_part,
                interest,
                closing_balance: balance,
            }
        })
        .collect()
}

/// Why a lending request was declined: the family's stable business code, the words for it, and what
/// the family adds to its envelope (`()` for iWish; Auto Loan names the application's state and next
/// steps).
#[derive(Debug, Clone)]
pub struct Decline<Detail = ()> {
    pub code: &'static str,
    pub message: String,
    pub detail: Detail,
}

impl<Detail: Default> Decline<Detail> {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: Detail::default(),
        }
    }
}

/// The envelope the lending families answer with: `status` (`SUCCESS` / `FAILURE`), a stable
/// `responseCode` and a `message`, then the operation's `data`; business declines are HTTP 200, as
/// the bank answers them. Each family keeps its own envelope type (its Swagger schema names its
/// codes) and says only how to assemble it.
pub trait Envelope: Sized {
    /// What a decline adds to the envelope.
    type Detail: Default;
    /// The family's success code.
    const OK: &'static str;

    fn assemble(status: &str, response_code: &str, message: String, detail: Self::Detail) -> Self;

    fn success(message: impl Into<String>) -> Self {
        Self::assemble("SUCCESS", Self::OK, message.into(), Self::Detail::default())
    }

    fn failure(decline: Decline<Self::Detail>) -> Self {
        Self::assemble("FAILURE", decline.code, decline.message, decline.detail)
    }

    /// The envelope and the data of a result.
    fn split<T>(result: Result<(String, T), Decline<Self::Detail>>) -> (Self, Option<T>) {
        match result {
            Ok((message, data)) => (Self::success(message), Some(data)),
            Err(decline) => (Self::failure(decline), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emi_matches_the_standard_table() {
        // ₹1,00,000 at 12% a year for 12 months: ₹8,884.88 a month (standard EMI tables).
        assert_eq!(
            emi(Decimal::from(100_000), Decimal::from(12), 12),
            Decimal::new(888_488, 2)
        );
        // ₹5,00,000 at 8.75% for 60 months: ₹10,318.62.
        assert_eq!(
            emi(Decimal::from(500_000), Decimal::new(875, 2), 60),
            Decimal::new(1_031_862, 2)
        );
    }

    #[test]
    fn principal_inverts_the_emi_formula() {
        // ₹10,000 a month for 12 months at 12% a year repays ₹1,12,550.77 (standard tables).
        let p = principal_for_emi(Decimal::from(10_000), Decimal::from(12), 12);
        assert_eq!(rupees(p), Decimal::new(11_255_077, 2));
    }

    #[test]
    fn the_schedule_repays_the_principal_exactly() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let lines = schedule(Decimal::from(100_000), Decimal::from(12), 12, start);

        assert_eq!(lines.len(), 12);
        assert_eq!(lines[0].interest, Decimal::from(1000));
        assert_eq!(lines[0].principal, Decimal::new(788_488, 2));
        assert_eq!(
            lines[0].due_date,
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        let repaid: Decimal = lines.iter().map(|l| l.principal).sum();
        assert_eq!(repaid, Decimal::from(100_000));
        assert_eq!(lines[11].closing_balance, Decimal::ZERO);
        assert!((lines[11].amount - Decimal::new(888_488, 2)).abs() < Decimal::ONE);
    }
}
