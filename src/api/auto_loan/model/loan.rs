//! A disbursed loan: its amortisation schedule, what has been paid against each instalment, and the
//! dues on a date — overdue amount and DPD from instalments whose due date passed unpaid, the next due
//! date, the principal outstanding and the foreclosure amount. Payments go to instalments in order,
//! interest before principal within each.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::lending::Instalment;

/// A disbursed loan: its schedule and what has been paid against each instalment.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Loan {
    pub account_no: String,
    pub amount: Decimal,
    pub utr: String,
    pub disbursed_at: DateTime<Utc>,
    pub dealer_account: String,
    pub dealer_ifsc: String,
    /// `true` when the dealer's account is in this bank's ledger (credited), else the money left.
    pub dealer_internal: bool,
    pub schedule: Vec<Instalment>,
    /// Paid against each instalment (interest first, then principal).
    pub paid: Vec<Decimal>,
}

/// Dues of a loan on a date.
#[derive(Debug, Clone, Default)]
pub struct Dues {
    pub overdue_amount: Decimal,
    pub dpd: u32,
    pub next_due_date: Option<NaiveDate>,
    pub principal_outstanding: Decimal,
    pub foreclosure_amount: Decimal,
    pub amount_paid: Decimal,
    pub instalments_paid: u32,
}

impl Loan {
    fn principal_paid(&self, index: usize, paid: Decimal) -> Decimal {
        let line = &self.schedule[index];
        (paid - line.interest)
            .max(Decimal::ZERO)
            .min(line.principal)
    }

    /// What is owed on `today`: instalments due before today and unpaid are overdue; DPD counts from
    /// the oldest of them.
    pub fn dues(&self, today: NaiveDate) -> Dues {
        let mut dues = Dues::default();
        for (i, line) in self.schedule.iter().enumerate() {
            let paid = self.paid[i];
            let unpaid = line.amount - paid;
            dues.amount_paid += paid;
            dues.principal_outstanding += line.principal - self.principal_paid(i, paid);
            if unpaid <= Decimal::ZERO {
                dues.instalments_paid += 1;
                continue;
            }
            if line.due_date < today {
                dues.overdue_amount += unpaid;
                if dues.dpd == 0 {
                    dues.dpd = u32::try_from((today - line.due_date).num_days()).unwrap_or(0);
                }
            } else if dues.next_due_date.is_none() {
                dues.next_due_date = Some(line.due_date);
            }
            dues.foreclosure_amount += if line.due_date <= today {
                unpaid
            } else {
                line.principal - self.principal_paid(i, paid)
            };
        }
        dues
    }

    /// Everything still owed on the schedule (what EMI payments may add up to).
    pub fn remaining(&self) -> Decimal {
        self.schedule
            .iter()
            .zip(&self.paid)
            .map(|(line, paid)| line.amount - paid)
            .sum()
    }

    /// Applies a payment to instalments in order; returns the principal it repaid.
    pub fn pay(&mut self, amount: Decimal) -> Decimal {
        let mut left = amount;
        let mut principal = Decimal::ZERO;
        for i in 0..self.schedule.len() {
            if left <= Decimal::ZERO {
                break;
            }
            let before = self.paid[i];
            let take = (self.schedule[i].amount - before).min(left);
            if take <= Decimal::ZERO {
                continue;
            }
            self.paid[i] = before + take;
            left -= take;
            principal += self.principal_paid(i, self.paid[i]) - self.principal_paid(i, before);
        }
        principal
    }

    /// Settles everything at `today`'s foreclosure amount; returns the principal it repaid.
    pub fn foreclose(&mut self, today: NaiveDate) -> Decimal {
        let outstanding = self.dues(today).principal_outstanding;
        for (line, paid) in self.schedule.iter().zip(self.paid.iter_mut()) {
            *paid = line.amount;
        }
        outstanding
    }

    pub fn is_repaid(&self) -> bool {
        self.remaining() <= Decimal::ZERO
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::sandbox::bank::lending;

    fn loan() -> Loan {
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let schedule = lending::schedule(Decimal::from(100_000), Decimal::from(12), 12, start);
        Loan {
            account_no: "000466000001".into(),
            amount: Decimal::from(100_000),
            utr: "SBNKN00000000001".into(),
            disbursed_at: Utc.with_ymd_and_hms(2026, 4, 1, 5, 0, 0).unwrap(),
            dealer_account: "000405000002".into(),
            dealer_ifsc: "ICIC0000004".into(),
            dealer_internal: true,
            paid: vec![Decimal::ZERO; schedule.len()],
            schedule,
        }
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn unpaid_instalments_become_overdue_after_their_due_date() {
        let loan = loan();

        let on_due_date = loan.dues(date(5, 1));
        let later = loan.dues(date(6, 11));

        assert_eq!(on_due_date.overdue_amount, Decimal::ZERO);
        assert_eq!(on_due_date.next_due_date, Some(date(5, 1)));
        assert_eq!(later.overdue_amount, Decimal::new(1_776_976, 2), "two EMIs");
        assert_eq!(later.dpd, 41, "from 1 May");
        assert_eq!(later.next_due_date, Some(date(7, 1)));
    }

    #[test]
    fn payments_go_to_interest_first_and_foreclosure_repays_the_rest() {
        let mut loan = loan();

        let principal = loan.pay(Decimal::from(500));
        let after_part = loan.dues(date(4, 2));
        let foreclosed = loan.foreclose(date(4, 2));

        assert_eq!(principal, Decimal::ZERO, "₹1,000 of interest is due first");
        assert_eq!(after_part.principal_outstanding, Decimal::from(100_000));
        assert_eq!(after_part.foreclosure_amount, Decimal::from(100_000));
        assert_eq!(foreclosed, Decimal::from(100_000));
        assert!(loan.is_repaid());
    }
}
