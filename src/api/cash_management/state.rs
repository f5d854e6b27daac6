//! Cash Management's slice of an app's state: CIB registrations, the OTPs `Create` sent, payments
//! (with the NEFT batch queue) and the collections family's virtual accounts and credits. All money
//! moves through the app's ledger.

use std::{any::Any, collections::BTreeMap};

use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    clock::ist,
    determinism::Determinism,
    ledger::{LedgerError, Transfer},
    magic::{magic_amount, MagicAmount},
    rails::next_neft_batch,
    store::{Bounded, Ctx, Family, Settled},
};

use super::codes;

/// The demo corporate's virtual account, there from the app's first collections call.
pub const DEMO_VIRTUAL_ACCOUNT: &str = "SBNK01CUST0001";

/// The rail a CIB payment travels on (`TXNTYPE`): `TPA` within the bank, `RGS` NEFT, `RTG` RTGS, `IFS` IMPS.
#[derive(
    poem_openapi::Enum, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize,
)]
pub enum TxnType {
    /// Transfer within the bank: an account of this bank is credited at once.
    #[oai(rename = "TPA")]
    #[serde(rename = "TPA")]
    Tpa,
    /// NEFT: settles in the next half-hourly batch.
    #[oai(rename = "RGS")]
    #[serde(rename = "RGS")]
    Neft,
    /// RTGS: ₹2,00,000 and above, at once.
    #[oai(rename = "RTG")]
    #[serde(rename = "RTG")]
    Rtgs,
    /// IMPS: up to ₹5,00,000, at once.
    #[oai(rename = "IFS")]
    #[serde(rename = "IFS")]
    Imps,
}

impl TxnType {
    /// The rail's name in statement remarks.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tpa => "TPA",
            Self::Neft => "NEFT",
            Self::Rtgs => "RTGS",
            Self::Imps => "IMPS",
        }
    }
}

/// Where a payment is in its life.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PaymentStatus {
    /// `WORKFLOW_REQD` Y: waiting in the corporate's approval workflow; nothing debited yet.
    AwaitingApproval,
    /// NEFT accepted and debited, waiting for its batch.
    InBatch {
        due: DateTime<Utc>,
    },
    Success,
    Failure {
        code: String,
        message: String,
    },
}

/// A CIB payment, kept under its UNIQUEID.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Payment {
    pub corp_id: String,
    pub unique_id: String,
    pub urn: String,
    pub debit_acc: String,
    pub credit_acc: String,
    pub amount: Decimal,
    pub rail: TxnType,
    pub payee_name: String,
    pub remarks: String,
    pub req_id: String,
    /// Assigned when the payment is executed (debited).
    pub utr: Option<String>,
    pub status: PaymentStatus,
}

impl Settled for Payment {
    fn is_settled(&self) -> bool {
        matches!(
            self.status,
            PaymentStatus::Success | PaymentStatus::Failure { .. }
        )
    }
}

/// A corporate user's API-banking registration.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Registration {
    pub alias_id: Option<String>,
    pub registered: bool,
}

/// An OTP `Create` sent for a UNIQUEID: when (by the app's clock), for which amount if one was named,
/// and whether a payment has used it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OtpIssue {
    pub sent_at: DateTime<Utc>,
    pub amount: Option<Decimal>,
    pub used: bool,
}

impl Settled for OtpIssue {
    /// Always: an OTP carries no money, and one forgotten at the bound answers as an expired one
    /// would (Create sends a fresh one).
    fn is_settled(&self) -> bool {
        true
    }
}

/// A bulk payment file as uploaded: its payments are CIB payments (`UNIQUEID`s in file order).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BulkUpload {
    pub unique_id: String,
    /// `CORPID|USERID` of the uploader.
    pub user_key: String,
    pub payments: Vec<String>,
}

impl Settled for BulkUpload {
    fn is_settled(&self) -> bool {
        true
    }
}

/// A virtual account: money paid into it lands in the corporate's collection account.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct VirtualAccount {
    pub number: String,
    pub corp_id: String,
    pub payer_code: String,
    pub payer_name: Option<String>,
    pub collection_account: String,
    pub callback_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Money paid in lands through it: never evicted (new ones are refused at the bound).
impl Settled for VirtualAccount {
    fn is_settled(&self) -> bool {
        false
    }
}

/// A remitter's credit into a virtual account, and its MIS record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Credit {
    pub utr: String,
    pub virtual_account: String,
    pub client_code: String,
    pub corp_id: String,
    pub collection_account: String,
    pub mode: String,
    pub amount: Decimal,
    pub remitter_name: String,
    pub remitter_account: String,
    pub remitter_ifsc: String,
    pub remarks: String,
    pub credited_at: DateTime<Utc>,
    pub entry_id: String,
}

/// Never evicted: the MIS report lists every credit, and a repeated UTR answers the original
/// credit. New credits are refused at the bound.
impl Settled for Credit {
    fn is_settled(&self) -> bool {
        false
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct CibState {
    /// By `corpId|userId`: only the fixtures' corporate users can register, so this stays small.
    registrations: BTreeMap<String, Registration>,
    pub payments: Bounded<String, Payment>,
    /// OTPs sent by `Create`, by `CORPID|USERID|UNIQUEID`.
    pub otps: Bounded<String, OtpIssue>,
    /// Bulk payment files, by `FILE_SEQUENCE_NUM`.
    pub bulk_uploads: Bounded<String, BulkUpload>,
    /// NEFT payments by batch time: `advance` settles the due ones without scanning the rest.
    #[serde(with = "crate::sandbox::bank::snapshot::pairs")]
    neft_due: BTreeMap<(DateTime<Utc>, String), ()>,
    /// Collections: virtual accounts by number, credits by UTR.
    pub virtual_accounts: Bounded<String, VirtualAccount>,
    pub credits: Bounded<String, Credit>,
    /// How many credits the app has simulated (derived UTRs number them).
    credit_seq: u64,
    /// Whether the demo virtual account exists yet (it is opened on the app's first collections call).
    demo_account_opened: bool,
}

impl CibState {
    pub fn new(limit: usize) -> Self {
        Self {
            registrations: BTreeMap::new(),
            payments: Bounded::new("CIB payments", limit),
            otps: Bounded::forgetful("CIB OTPs", limit),
            bulk_uploads: Bounded::new("CIB bulk files", limit),
            neft_due: BTreeMap::new(),
            virtual_accounts: Bounded::new("virtual accounts", limit),
            credits: Bounded::new("e-collection credits", limit),
            credit_seq: 0,
            demo_account_opened: false,
        }
    }

    /// The app's collections, with the demo corporate's virtual account [`DEMO_VIRTUAL_ACCOUNT`]
    /// (payer code `CUST0001`, collecting into `000405000001`) opened on first use, so partners and
    /// the documented examples can simulate a credit straight away.
    pub fn collections(&mut self, ctx: &Ctx<'_>) -> &mut Self {
        if !self.demo_account_opened {
            self.demo_account_opened = true;
            // The app's first virtual account: there is room unless the bound is zero.
            let _ = self.virtual_accounts.insert(
                DEMO_VIRTUAL_ACCOUNT.into(),
                VirtualAccount {
                    number: DEMO_VIRTUAL_ACCOUNT.into(),
                    corp_id: "SANDCORP1".into(),
                    payer_code: "CUST0001".into(),
                    payer_name: Some("Asha Traders".into()),
                    collection_account: "000405000001".into(),
                    callback_url: None,
                    created_at: ctx.now,
                },
            );
        }
        self
    }

    /// The next number in the app's sequence of simulated credits.
    pub fn next_credit_seq(&mut self) -> u64 {
        self.credit_seq += 1;
        self.credit_seq
    }

    /// Whether the user is registered in this app: as it last registered or deregistered here, else
    /// as the fixtures start it (`by_default`).
    pub fn is_registered(&self, user_key: &str, by_default: bool) -> bool {
        self.registrations
            .get(user_key)
            .map_or(by_default, |r| r.registered)
    }

    pub fn registration(&self, user_key: &str) -> Option<&Registration> {
        self.registrations.get(user_key)
    }

    pub fn set_registration(&mut self, user_key: String, registration: Registration) {
        self.registrations.insert(user_key, registration);
    }

    /// Executes an accepted payment: debits it (crediting an account of this bank for TPA) and
    /// assigns its UTR. NEFT then waits for its batch; the other rails are done.
    pub fn execute(&mut self, unique_id: &str, ctx: &mut Ctx<'_>, determinism: &Determinism) {
        let key = unique_id.to_string();
        let Some(payment) = self.payments.get_mut(&key) else {
            return;
        };
        if magic_amount(payment.amount) == Some(MagicAmount::InsufficientFunds) {
            payment.status = insufficient_funds();
            return;
        }
        let utr = utr(payment.rail, ctx, determinism, unique_id);
        let internal_credit =
            payment.rail == TxnType::Tpa && ctx.ledger.account(&payment.credit_acc).is_some();
        let remarks = codes::rail_narration(
            payment.rail.label(),
            &utr,
            &payment.payee_name,
            &payment.remarks,
        );
        let transfer = Transfer {
            debit: Some(&payment.debit_acc),
            credit: internal_credit.then_some(payment.credit_acc.as_str()),
            amount: payment.amount,
            at: ctx.now,
            remarks: &remarks,
            reference: unique_id,
        };
        payment.status = match ctx.ledger.transfer(transfer) {
            Ok(_) if payment.rail == TxnType::Neft => {
                let due = next_neft_batch(ctx.now);
                self.neft_due.insert((due, key.clone()), ());
                PaymentStatus::InBatch { due }
            }
            Ok(_) => PaymentStatus::Success,
            Err(LedgerError::InsufficientFunds { .. }) => insufficient_funds(),
            Err(LedgerError::UnknownAccount(account)) => PaymentStatus::Failure {
                code: codes::INVALID_IDS.into(),
                message: format!("Account {account} is not an account of this bank"),
            },
            Err(LedgerError::InvalidAmount) => PaymentStatus::Failure {
                code: codes::RULE_VIOLATED.into(),
                message: "Invalid amount".into(),
            },
        };
        if matches!(
            payment.status,
            PaymentStatus::Success | PaymentStatus::InBatch { .. }
        ) {
            payment.utr = Some(utr);
        }
    }
}

fn insufficient_funds() -> PaymentStatus {
    PaymentStatus::Failure {
        code: codes::INSUFFICIENT_FUNDS.into(),
        message: "Insufficient balance in the debit account".into(),
    }
}

impl crate::sandbox::bank::snapshot::Kept for CibState {
    const NAME: &'static str = "cash_management";

    fn fresh(object_limit: usize) -> Self {
        Self::new(object_limit)
    }
}

impl Family for CibState {
    fn visit_collections(
        &mut self,
        f: &mut dyn FnMut(&'static str, &mut dyn crate::sandbox::bank::rows::Collection),
    ) {
        f("payments", &mut self.payments);
        f("otps", &mut self.otps);
        f("bulk_uploads", &mut self.bulk_uploads);
        f("virtual_accounts", &mut self.virtual_accounts);
        f("credits", &mut self.credits);
    }

    fn advance(&mut self, ctx: &mut Ctx<'_>) {
        while let Some(entry) = self.neft_due.first_entry() {
            if entry.key().0 > ctx.now {
                break;
            }
            let (_, unique_id) = entry.remove_entry().0;
            if let Some(payment) = self.payments.get_mut(&unique_id) {
                if matches!(payment.status, PaymentStatus::InBatch { .. }) {
                    payment.status = PaymentStatus::Success;
                }
            }
        }
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The rail's reference for a payment, stable for the app, the UNIQUEID and the execution date:
/// NEFT `ICICN` + YY + day of year + 6 digits (16), RTGS `ICICR5` + YYYYMMDD + 8 digits (22),
/// IMPS a 12-digit RRN (Y + day of year + hour + 6 digits), TPA `ICICT` + YY + day of year + 6 digits.
fn utr(rail: TxnType, ctx: &Ctx<'_>, determinism: &Determinism, unique_id: &str) -> String {
    let input = format!("{}|{}", ctx.app.id, unique_id);
    let local = ctx.now.with_timezone(&ist());
    let yy = local.format("%y");
    let day = local.ordinal();
    match rail {
        TxnType::Neft => format!(
            "ICICN{yy}{day:03}{}",
            determinism.reference("cib-neft-utr", &input, 6)
        ),
        TxnType::Rtgs => format!(
            "ICICR5{}{}",
            local.format("%Y%m%d"),
            determinism.reference("cib-rtgs-utr", &input, 8)
        ),
        TxnType::Imps => format!(
            "{}{day:03}{}{}",
            local.year() % 10,
            local.format("%H"),
            determinism.reference("cib-imps-rrn", &input, 6)
        ),
        TxnType::Tpa => format!(
            "ICICT{yy}{day:03}{}",
            determinism.reference("cib-tpa-ref", &input, 6)
        ),
    }
}
