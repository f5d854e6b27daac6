//! One app's iWish goals and the due queue that moves them along the sandbox clock: interest credited at
//! each month end, standing instructions on their day, the payout at maturity. The money movements
//! themselves are in [`money`](super::model::money).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    formats::rupees,
    ledger::Transfer,
    lending::is_internal_book,
    store::{Bounded, Ctx, Family, Full},
};

use super::{
    codes,
    model::{
        ist_date,
        money::{credit_interest, deposit, insufficient, pay_out, record, unknown_account},
        month_end_after, next_si_after, penalty_rate, rate, Category, ClosureType, Decline, Goal,
        GoalStatus, Payout, StandingInstruction, Txn, TxnStatus, TxnType,
    },
};

#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
enum Due {
    MonthEnd,
    StandingInstruction { generation: u64 },
    Maturity,
}

/// The iWish slot of an app's state.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct IwishBook {
    pub goals: Bounded<String, Goal>,
    #[serde(with = "crate::sandbox::bank::snapshot::pairs")]
    due: BTreeMap<(DateTime<Utc>, u64), (String, Due)>,
    seq: u64,
}

/// What a new goal needs.
pub struct NewGoal {
    pub name: String,
    pub category: Category,
    pub target_amount: Decimal,
    pub tenure_months: u32,
    pub initial_deposit: Decimal,
    pub funding_account: String,
    pub si: Option<StandingInstruction>,
}

impl IwishBook {
    pub fn new(limit: usize) -> Self {
        Self {
            goals: Bounded::new("iWish goals", limit),
            due: BTreeMap::new(),
            seq: 0,
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn goal(&mut self, id: &str) -> Result<&mut Goal, Decline> {
        self.goals
            .get_mut(&id.to_string())
            .ok_or_else(|| Decline::new(codes::NOT_FOUND, format!("No goal {id} for this app")))
    }

    /// Makes room for one more goal (call it before any money moves); an evicted (closed or
    /// matured) goal takes its emptied ledger account along.
    pub fn room_for_goal(&mut self, ctx: &mut Ctx<'_>) -> Result<(), Full> {
        if let Some((_, evicted)) = self.goals.make_room()? {
            ctx.ledger.close_if_empty(&evicted.account_no);
        }
        Ok(())
    }

    fn schedule(&mut self, at: DateTime<Utc>, id: &str, due: Due) {
        let seq = self.next_seq();
        self.due.insert((at, seq), (id.to_string(), due));
    }

    /// Opens the goal account and moves the initial deposit into it; nothing is created when the
    /// funding account cannot pay.
    pub fn create(
        &mut self,
        ctx: &mut Ctx<'_>,
        id: String,
        account_no: String,
        new: NewGoal,
    ) -> Result<(), Decline> {
        let holder = ctx
            .ledger
            .account(&new.funding_account)
            .filter(|a| !is_internal_book(&a.account_no))
            .map(|a| a.holder.clone())
            .ok_or_else(|| unknown_account(&new.funding_account))?;
        let available = ctx.ledger.balance(&new.funding_account).unwrap_or_default();
        if available < new.initial_deposit {
            return Err(insufficient(&new.funding_account, new.initial_deposit));
        }
        ctx.ledger
            .open(&account_no, &format!("IWISH {holder}"), "INR");
        let today = ist_date(ctx.now);
        let mut goal = Goal {
            id: id.clone(),
            account_no,
            name: new.name,
            category: new.category,
            target_amount: new.target_amount,
            tenure_months: new.tenure_months,
            funding_account: new.funding_account.clone(),
            si: None,
            si_generation: 0,
            next_si_at: None,
            created_at: ctx.now,
            maturity_date: today + Months::new(new.tenure_months),
            status: GoalStatus::Active,
            principal: Decimal::ZERO,
            interest_credited: Decimal::ZERO,
            accrued: Decimal::ZERO,
            accrued_to: today,
            history: Vec::new(),
            payout: None,
        };
        deposit(
            ctx,
            &mut goal,
            &new.funding_account,
            new.initial_deposit,
            TxnType::InitialDeposit,
        )?;
        let matures_at = goal.matures_at();
        let month_end = month_end_after(today);
        self.goals
            .insert(id.clone(), goal)
            .expect("room was made at the start of the transaction");
        if month_end < matures_at {
            self.schedule(month_end, &id, Due::MonthEnd);
        }
        self.schedule(matures_at, &id, Due::Maturity);
        if let Some(si) = new.si {
            self.set_si(&id, Some(si), ctx.now);
        }
        Ok(())
    }

    /// Replaces (or cancels) a goal's standing instruction; the next instalment is the first `siDay`
    /// after `now`.
    pub fn set_si(&mut self, id: &str, si: Option<StandingInstruction>, now: DateTime<Utc>) {
        let Some(goal) = self.goals.get_mut(&id.to_string()) else {
            return;
        };
        goal.si = si;
        goal.si_generation += 1;
        goal.next_si_at = si
            .map(|si| next_si_after(now, si.day))
            .filter(|at| *at < goal.matures_at());
        let (generation, next) = (goal.si_generation, goal.next_si_at);
        if let Some(at) = next {
            self.schedule(at, id, Due::StandingInstruction { generation });
        }
    }

    /// Moves funds from `from` into the goal.
    pub fn add_funds(
        &mut self,
        ctx: &mut Ctx<'_>,
        id: &str,
        from: &str,
        amount: Decimal,
    ) -> Result<String, Decline> {
        let goal = self.goal(id)?;
        goal.expect_active()?;
        deposit(ctx, goal, from, amount, TxnType::AddFunds)
    }

    /// Closes a goal before maturity: credits the accrued interest, takes the penalty, pays the rest
    /// to the funding account.
    pub fn close(&mut self, ctx: &mut Ctx<'_>, id: &str) -> Result<Payout, Decline> {
        let goal = self.goal(id)?;
        goal.expect_active()?;
        let today = ist_date(ctx.now);
        let balance = ctx.ledger.balance(&goal.account_no).unwrap_or_default();
        goal.accrue_to(balance, today);
        credit_interest(ctx, goal);
        let interest = goal.interest_credited;
        let penalty = rupees(interest * penalty_rate() / rate());
        if penalty > Decimal::ZERO {
            let posting = ctx
                .ledger
                .transfer(Transfer {
                    debit: Some(&goal.account_no),
                    credit: None,
                    amount: penalty,
                    at: ctx.now,
                    remarks: "IWISH PREMATURE CLOSURE PENALTY",
                    reference: &goal.id,
                })
                .expect("the penalty is less than the interest credited");
            record(
                ctx,
                goal,
                posting.debit_entry,
                TxnType::PrematurePenalty,
                penalty,
            );
        }
        Ok(pay_out(ctx, goal, ClosureType::Premature, penalty))
    }
}

impl crate::sandbox::bank::snapshot::Kept for IwishBook {
    const NAME: &'static str = "iwish";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }
}

impl Family for IwishBook {
    fn visit_collections(
        &mut self,
        f: &mut dyn FnMut(&'static str, &mut dyn crate::sandbox::bank::rows::Collection),
    ) {
        f("goals", &mut self.goals);
    }

    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        while let Some(entry) = self.due.first_entry() {
            let (at, _) = *entry.key();
            if at > now {
                break;
            }
            let (id, due) = entry.remove();
            // Settle as of the instant the event fell due.
            ctx.now = at;
            let next = self.settle(ctx, &id, due);
            if let Some((at, due)) = next {
                self.schedule(at, &id, due);
            }
        }
        ctx.now = now;
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

impl IwishBook {
    /// Runs one due event; returns the event that follows it.
    fn settle(&mut self, ctx: &mut Ctx<'_>, id: &str, due: Due) -> Option<(DateTime<Utc>, Due)> {
        let goal = self.goals.get_mut(&id.to_string())?;
        if goal.status != GoalStatus::Active {
            return None;
        }
        let at = ctx.now;
        let balance = ctx.ledger.balance(&goal.account_no).unwrap_or_default();
        match due {
            Due::MonthEnd => {
                goal.accrue_to(balance, ist_date(at) + Duration::days(1));
                credit_interest(ctx, goal);
                let next = month_end_after(ist_date(at) + Duration::days(1));
                (next < goal.matures_at()).then_some((next, Due::MonthEnd))
            }
            Due::Maturity => {
                goal.accrue_to(balance, goal.maturity_date);
                credit_interest(ctx, goal);
                pay_out(ctx, goal, ClosureType::Maturity, Decimal::ZERO);
                None
            }
            Due::StandingInstruction { generation } => {
                if generation != goal.si_generation {
                    return None;
                }
                let si = goal.si?;
                let from = goal.funding_account.clone();
                if deposit(ctx, goal, &from, si.amount, TxnType::StandingInstruction).is_err() {
                    goal.record(Txn {
                        id: String::new(),
                        at,
                        kind: TxnType::StandingInstruction,
                        amount: si.amount,
                        balance_after: balance,
                        status: TxnStatus::Failed,
                        remarks: format!(
                            "Standing instruction failed: insufficient funds in {from}"
                        ),
                    });
                }
                let next = next_si_after(at, si.day);
                goal.next_si_at = (next < goal.matures_at()).then_some(next);
                goal.next_si_at
                    .map(|at| (at, Due::StandingInstruction { generation }))
            }
        }
    }
}
