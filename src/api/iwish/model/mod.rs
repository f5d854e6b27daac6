//! iWish's bank types, shared by its operations: the goal with its product rules (rate, penalty,
//! minimum deposit), its transactions and payout, how its money moves through the ledger (in
//! [`money`]), the IST dates it moves on, and the envelope every answer starts with.
//!
//! Interest: 6.50% a year on the goal account's balance, accrued daily (balance × rate × days / 365,
//! unrounded) and credited, rounded to paise, at each sandbox-clock month end (23:59:59 IST on the
//! month's last day) — so it compounds monthly. Closing before maturity credits what has accrued, then
//! takes the premature penalty: 1.00% a year off the rate for the whole holding (the interest × 1.00 /
//! 6.50). At maturity (00:00 IST on the maturity date) the last interest is credited and the whole
//! balance paid to the funding account, no penalty.

pub mod money;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use std::borrow::Cow;

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type},
};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::sandbox::bank::{
    clock::ist,
    lending::{self, Envelope},
    store::Settled,
};

use super::codes;

/// The sandbox RD rate, percent a year.
pub fn rate() -> Decimal {
    Decimal::new(650, 2)
}

/// The premature-closure penalty, percentage points off the rate.
pub fn penalty_rate() -> Decimal {
    Decimal::ONE
}

/// The least any deposit (initial, add-funds, standing instruction) may be.
pub fn minimum_deposit() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// Goals keep their last this many transactions.
const HISTORY_LIMIT: usize = 1000;

#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[oai(rename = "IwishCategory")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    Education,
    Travel,
    Vehicle,
    Home,
    Wedding,
    Gadget,
    Emergency,
    Other,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename = "IwishGoalStatus")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GoalStatus {
    /// Taking deposits and earning interest.
    Active,
    /// Closed before maturity by `/goal-closure`.
    Closed,
    /// Paid out at maturity.
    Matured,
}

impl GoalStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Closed => "CLOSED",
            Self::Matured => "MATURED",
        }
    }
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename = "IwishTxnType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnType {
    InitialDeposit,
    AddFunds,
    /// A standing-instruction debit (`FAILED` when the funding account lacked the funds).
    StandingInstruction,
    InterestCredit,
    PrematurePenalty,
    ClosurePayout,
    MaturityPayout,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename = "IwishTxnStatus")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxnStatus {
    Success,
    Failed,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[oai(rename = "IwishClosureType")]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClosureType {
    Premature,
    Maturity,
}

/// One line of a goal's transaction history.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Txn {
    /// The ledger entry on the goal account (empty for a failed standing instruction).
    pub id: String,
    pub at: DateTime<Utc>,
    pub kind: TxnType,
    pub amount: Decimal,
    /// The goal account's balance after it.
    pub balance_after: Decimal,
    pub status: TxnStatus,
    pub remarks: String,
}

#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct StandingInstruction {
    pub amount: Decimal,
    /// 1–28.
    pub day: u32,
}

/// What a closed or matured goal paid out.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Payout {
    pub closure_type: ClosureType,
    pub principal: Decimal,
    pub interest: Decimal,
    pub penalty: Decimal,
    pub net: Decimal,
    pub at: DateTime<Utc>,
    pub transaction_id: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Goal {
    pub id: String,
    pub account_no: String,
    pub name: String,
    pub category: Category,
    pub target_amount: Decimal,
    pub tenure_months: u32,
    pub funding_account: String,
    pub si: Option<StandingInstruction>,
    /// Bumped on every SI change, so queued instalments of an old instruction are skipped.
    pub(super) si_generation: u64,
    pub next_si_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub maturity_date: NaiveDate,
    pub status: GoalStatus,
    /// Deposits in, net.
    pub principal: Decimal,
    pub interest_credited: Decimal,
    /// Accrued since the last credit, unrounded.
    pub accrued: Decimal,
    pub(super) accrued_to: NaiveDate,
    pub history: Vec<Txn>,
    pub payout: Option<Payout>,
}

/// An active goal holds the partner's money; a closed or matured one has paid it all out.
impl Settled for Goal {
    fn is_settled(&self) -> bool {
        self.status != GoalStatus::Active
    }
}

impl Goal {
    /// The instant the goal matures: 00:00 IST on the maturity date.
    pub fn matures_at(&self) -> DateTime<Utc> {
        ist_midnight(self.maturity_date)
    }

    /// Refuses changes to a closed or matured goal.
    pub fn expect_active(&self) -> Result<(), Decline> {
        if self.status == GoalStatus::Active {
            Ok(())
        } else {
            Err(Decline::new(
                codes::GOAL_CLOSED,
                format!(
                    "Goal {} is {}: it takes no more changes",
                    self.id,
                    self.status.name()
                ),
            ))
        }
    }

    /// Accrues interest on the current balance for the days before `date`.
    pub(super) fn accrue_to(&mut self, balance: Decimal, date: NaiveDate) {
        let days = (date - self.accrued_to).num_days();
        if days > 0 {
            self.accrued += balance * rate() * Decimal::from(days) / Decimal::from(36_500);
            self.accrued_to = date;
        }
    }

    /// Interest accrued and not yet credited, as of the start of `today` (for answers; changes nothing).
    pub fn accrued_as_of(&self, balance: Decimal, today: NaiveDate) -> Decimal {
        let days = (today - self.accrued_to).num_days().max(0);
        self.accrued + balance * rate() * Decimal::from(days) / Decimal::from(36_500)
    }

    pub(super) fn record(&mut self, txn: Txn) {
        self.history.push(txn);
        if self.history.len() > HISTORY_LIMIT {
            self.history.remove(0);
        }
    }
}

/// The first instant of an IST date.
pub fn ist_midnight(date: NaiveDate) -> DateTime<Utc> {
    ist()
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .expect("IST has no gaps")
        .with_timezone(&Utc)
}

pub fn ist_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ist()).date_naive()
}

/// 23:59:59 IST on the last day of `date`'s month.
pub fn month_end_after(date: NaiveDate) -> DateTime<Utc> {
    let first = NaiveDate::from_ymd_opt(date.year(), date.month(), 1).expect("valid date");
    let next = first + Months::new(1);
    ist_midnight(next) - Duration::seconds(1)
}

/// The first `day`-of-month 06:00 IST strictly after `after`.
pub fn next_si_after(after: DateTime<Utc>, day: u32) -> DateTime<Utc> {
    let today = ist_date(after);
    let mut month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("valid date");
    loop {
        let date = month.with_day(day).expect("SI days are 1–28");
        let at = ist_midnight(date) + Duration::hours(6);
        if at > after {
            return at;
        }
        month = month + Months::new(1);
    }
}

/// Why an iWish request was declined.
pub type Decline = lending::Decline;

/// The envelope fields every iWish answer starts with.
#[derive(Object, Debug, Clone)]
#[oai(rename = "IwishOutcome")]
#[oai(rename_all = "camelCase")]
pub struct Outcome {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `IW000` on success, else a stable code: `IW101` tenure outside 6–120 months, `IW102` deposit
    /// below ₹100, `IW201` goal not found, `IW202` goal closed or matured, `IW301` insufficient funds,
    /// `IW302` funding account not of this bank.
    pub response_code: String,
    /// The outcome in words (naming the field for product-rule declines).
    pub message: String,
}

impl Envelope for Outcome {
    type Detail = ();
    const OK: &'static str = codes::OK;

    fn assemble(status: &str, response_code: &str, message: String, (): ()) -> Self {
        Self {
            status: status.into(),
            response_code: response_code.into(),
            message,
        }
    }
}

/// A goal id, `IW` + 10 digits: one definition for the schema (`pattern`) and the parser, so a bad one
/// is a 400/8017 naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalId(String);

impl GoalId {
    pub const PATTERN: &'static str = "^IW[0-9]{10}$";

    pub fn parse(raw: String) -> Result<Self, String> {
        if raw.len() == 12 && raw.starts_with("IW") && raw[2..].bytes().all(|b| b.is_ascii_digit())
        {
            Ok(Self(raw))
        } else {
            Err(format!("must be IW followed by 10 digits, got `{raw}`"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for GoalId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(raw).map_err(serde::de::Error::custom)
    }
}

/// Inline in the schema, as a plain string with the pattern (no component of its own).
impl Type for GoalId {
    crate::sandbox::bank::formats::type_plumbing!();

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("string")
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            pattern: Some(Self::PATTERN.to_string()),
            ..MetaSchema::new("string")
        }))
    }
}

impl ParseFromJSON for GoalId {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(raw)) => Self::parse(raw).map_err(ParseError::custom),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl ToJSON for GoalId {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}
