//! What every CIB operation shares: the identity block (`AGGRID, CORPID, USERID, URN`, + `AGGRNAME`
//! where the bank asks for it), the answer envelope (`RESPONSE, STATUS, MESSAGE, RESPONSECODE`), the
//! bank's business codes and its `DD-MM-YYYY` dates.

use chrono::{DateTime, Utc};

pub use crate::sandbox::bank::corporates::CibOutcome;

use crate::sandbox::{
    bank::{
        clock::ist,
        corporates::{self, CorporateIds},
        fixtures::Corporate,
    },
    Sandbox,
};

use crate::api::cash_management::{codes, state::CibState};

/// The OTP `Create` "sends" the corporate user: the sandbox sends no SMS, so it is always this.
pub const SANDBOX_OTP: &str = "123456";

/// How long an OTP from `Create` stays valid, in minutes of the app's sandbox clock.
pub const OTP_VALIDITY_MINUTES: i64 = 15;

/// The 200 description of a CIB answer: a decline is answered 200 too.
pub const CIB_ANSWER: &str =
    "The bank's answer (HTTP 200 for a decline too; read `RESPONSE` and `RESPONSECODE`).";
/// The same, for an answer that also carries the operation's `STATUS`.
pub const CIB_STATUS_ANSWER: &str =
    "The bank's answer (HTTP 200 for a decline too; read `RESPONSE`, `STATUS` and `RESPONSECODE`).";

/// The answers every CIB operation may give before its own.
impl CibOutcome {
    pub fn invalid_ids() -> Self {
        Self::failure(
            "FAILURE",
            codes::INVALID_IDS,
            "Invalid AGGRID, CORPID, USERID or URN",
        )
    }

    pub fn not_registered() -> Self {
        Self::failure(
            "FAILURE",
            codes::NOT_REGISTERED,
            "User is not registered for API banking: call Registration first",
        )
    }

    /// A UNIQUEID seen before: never paid twice.
    pub fn duplicate() -> Self {
        Self::failure(
            "DUPLICATE",
            codes::DUPLICATE,
            "Duplicate UNIQUEID: this payment was received before and is not paid again",
        )
    }
}

/// The identity block on every CIB call, as the handlers use it.
#[derive(Debug, Clone)]
pub struct CibIdentity {
    pub aggr_id: String,
    pub corp_id: String,
    pub user_id: String,
    pub urn: String,
}

/// Declares a CIB request body: the identity block (`AGGRID, CORPID, USERID, URN`) followed by the
/// operation's own fields, and `identity()` to read the block. The identity fields are written out in
/// each struct, not `#[serde(flatten)]`ed, so that a 400/8017 names the failing field.
macro_rules! cib_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            /// The aggregator (partner) id the bank issued, e.g. `SANDAGGR1`.
            #[oai(rename = "AGGRID")]
            #[serde(rename = "AGGRID")]
            pub aggr_id: $crate::sandbox::bank::formats::CibId,
            /// The corporate's id, e.g. `SANDCORP1`.
            #[oai(rename = "CORPID")]
            #[serde(rename = "CORPID")]
            pub corp_id: $crate::sandbox::bank::formats::CibId,
            /// The corporate user's id, e.g. `SANDUSER1`.
            #[oai(rename = "USERID")]
            #[serde(rename = "USERID")]
            pub user_id: $crate::sandbox::bank::formats::CibId,
            /// The unique registration number the bank issued for this aggregator and corporate,
            /// e.g. `SANDURN0001`.
            #[oai(rename = "URN")]
            #[serde(rename = "URN")]
            pub urn: $crate::sandbox::bank::formats::CibId,
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $name {
            /// The identity block.
            #[allow(dead_code, reason = "TransactionOTP's request is read through the Transaction it becomes")]
            pub fn identity(&self) -> $crate::api::cash_management::model::cib::CibIdentity {
                $crate::api::cash_management::model::cib::CibIdentity {
                    aggr_id: self.aggr_id.to_string(),
                    corp_id: self.corp_id.to_string(),
                    user_id: self.user_id.to_string(),
                    urn: self.urn.to_string(),
                }
            }
        }
    };
}

pub(crate) use cib_request;

/// A CIB request's example: `identity` ([`CibIdentity::demo_fields`] or
/// [`CibIdentity::rehearsal_fields`]) in the identity block, then the operation's own fields.
macro_rules! cib_example {
    ($identity:expr, { $($field:ident : $value:expr),* $(,)? }) => {{
        let [aggr_id, corp_id, user_id, urn] = $identity;
        Self {
            aggr_id: $crate::api::sample(aggr_id),
            corp_id: $crate::api::sample(corp_id),
            user_id: $crate::api::sample(user_id),
            urn: $crate::api::sample(urn),
            $($field: $value,)*
        }
    }};
}

pub(crate) use cib_example;

impl CibIdentity {
    /// The demo corporate's `AGGRID, CORPID, USERID, URN`, for examples.
    pub fn demo_fields() -> [String; 4] {
        ["SANDAGGR1", "SANDCORP1", "SANDUSER1", "SANDURN0001"].map(String::from)
    }

    /// The demo user who starts unregistered, for the registration examples: the walk-through
    /// registers and deregisters them, and the demo user stays registered for the payments.
    pub fn rehearsal_fields() -> [String; 4] {
        ["SANDAGGR1", "SANDCORP2", "SANDUSER2", "SANDURN0002"].map(String::from)
    }

    /// The fixture corporate this identity names, if every id (and `AGGRNAME`, when sent) matches.
    pub fn corporate<'a>(
        &self,
        sandbox: &'a Sandbox,
        aggr_name: Option<&str>,
    ) -> Option<&'a Corporate> {
        let ids = CorporateIds {
            aggr_id: &self.aggr_id,
            corp_id: &self.corp_id,
            user_id: &self.user_id,
            urn: Some(&self.urn),
            aggr_name,
        };
        corporates::find(&sandbox.fixtures, &ids)
    }

    /// The key registrations are kept under.
    pub fn user_key(&self) -> String {
        format!("{}|{}", self.corp_id, self.user_id)
    }
}

/// The gate every operation but Registration passes: a known identity, then a registered user.
pub fn admitted(
    state: &CibState,
    identity: &CibIdentity,
    corporate: Option<&Corporate>,
) -> Result<(), CibOutcome> {
    let Some(corporate) = corporate else {
        return Err(CibOutcome::invalid_ids());
    };
    if !state.is_registered(&identity.user_key(), corporate.registered) {
        return Err(CibOutcome::not_registered());
    }
    Ok(())
}

/// The bank's dates: `DD-MM-YYYY`.
pub const DATE_FORMAT: &str = crate::sandbox::bank::formats::BANK_DATE_FORMAT;

/// An instant as the bank prints dates: `DD-MM-YYYY` in IST.
pub fn ist_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&ist()).format(DATE_FORMAT).to_string()
}

/// An instant as the bank prints timestamps: `DD-MM-YYYY HH:MM:SS` in IST.
pub fn ist_timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&ist())
        .format("%d-%m-%Y %H:%M:%S")
        .to_string()
}
