//! Lending arithmetic shared by the families that price credit (Building Blocks eligibility, Auto Loan,
//! Banking Offers): the score-band rate premium and the reducing-balance principal for an EMI.

use rust_decimal::Decimal;

/// Rate premium for the score band, percentage points.
pub fn score_premium(score: i32) -> Decimal {
    match score {
        750.. => Decimal::ZERO,
        700..=749 => Decimal::new(125, 2),
        _ => Decimal::new(250, 2),
    }
}

/// The principal that `emi` repays over `months` at `annual_roi` percent, reducing balance:
/// P = EMI × (1 − (1 + r)^−n) / r, with r the monthly rate.
pub fn principal_for_emi(emi: Decimal, annual_roi: Decimal, months: u32) -> Decimal {
    let r = annual_roi / Decimal::from(1200);
    let growth = (0..months).fold(Decimal::ONE, |acc, _| acc * (Decimal::ONE + r));
    emi * (Decimal::ONE - Decimal::ONE / growth) / r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::formats::rupees;

    #[test]
    fn principal_inverts_the_emi_formula() {
        // ₹10,000 a month for 12 months at 12% a year repays ₹1,12,550.77 (standard tables).
        let p = principal_for_emi(Decimal::from(10_000), Decimal::from(12), 12);
        assert_eq!(rupees(p), Decimal::new(11_255_077, 2));
    }
}
