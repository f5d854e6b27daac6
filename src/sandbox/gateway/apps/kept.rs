//! An app as a store keeps it: its settings as plain values (names, PEM, RFC 3339 instant), so a
//! database store writes them in columns without knowing the gateway's types, and puts the app back
//! at start-up. Its clock and state are kept by the store apart; its request log, readiness report and
//! quota count are not kept.

use chrono::{DateTime, Utc};

use crate::sandbox::gateway::{
    apps::{App, AppSettings, Credentials, Plan},
    encryption::CallbackSealing,
    keys::parse_public_key,
    scopes::ScopeSet,
};

/// What a store keeps of a created app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptApp {
    pub id: String,
    pub name: String,
    pub credentials: Credentials,
    /// `sandbox`, `premium` or `custom`.
    pub plan: String,
    /// The custom plan's calls a day.
    pub daily_limit: Option<u32>,
    pub callback_url: Option<String>,
    /// Scope names, space-separated.
    pub scopes: String,
    pub public_key_pem: Option<String>,
    /// `auto`, `rsa` or `hybrid`.
    pub callback_sealing: String,
    pub created_at: DateTime<Utc>,
    pub enabled: bool,
}

/// An `apps` row as a database store reads it, column by column in the order of [`KeptApp`]'s
/// fields (`id` … `enabled`): so every store reads a kept app one way.
pub trait AppColumns {
    /// The store's error.
    type Error;
    /// Column `at` as text (`None`: SQL NULL).
    fn text(&self, at: usize) -> Result<Option<String>, Self::Error>;
    /// Column `at` as a whole number (`None`: SQL NULL).
    fn number(&self, at: usize) -> Result<Option<i64>, Self::Error>;
    /// Column `at` as a truth value.
    fn flag(&self, at: usize) -> Result<bool, Self::Error>;
    /// The error for a column whose value is not what sandbank writes.
    fn bad(&self, at: usize, what: String) -> Self::Error;
}

impl KeptApp {
    /// The kept app `row` holds.
    pub fn read<R: AppColumns>(row: &R) -> Result<Self, R::Error> {
        let text = |at| row.text(at)?.ok_or_else(|| row.bad(at, "NULL".into()));
        let created_at = text(12)?;
        let created_at = DateTime::parse_from_rfc3339(&created_at)
            .map_err(|e| row.bad(12, format!("created_at `{created_at}`: {e}")))?
            .with_timezone(&Utc);
        let daily_limit = match row.number(7)? {
            Some(limit) => {
                Some(u32::try_from(limit).map_err(|e| row.bad(7, format!("daily_limit: {e}")))?)
            }
            None => None,
        };
        Ok(KeptApp {
            id: text(0)?,
            name: text(1)?,
            credentials: Credentials {
                apikey: text(2)?,
                client_id: text(3)?,
                client_secret: text(4)?,
                callback_secret: text(5)?,
            },
            plan: text(6)?,
            daily_limit,
            callback_url: row.text(8)?,
            scopes: text(9)?,
            public_key_pem: row.text(10)?,
            callback_sealing: text(11)?,
            created_at,
            enabled: row.flag(13)?,
        })
    }
}

impl App {
    /// What a store keeps of this app.
    pub fn kept(&self) -> KeptApp {
        KeptApp {
            id: self.id.clone(),
            name: self.name.clone(),
            credentials: self.credentials.clone(),
            plan: self.plan.name().into(),
            daily_limit: match self.plan {
                Plan::Custom(limit) => Some(limit),
                Plan::Sandbox | Plan::Premium => None,
            },
            callback_url: self.callback_url.clone(),
            scopes: self.scopes.to_oauth_string(),
            public_key_pem: self.public_key_pem().map(str::to_string),
            callback_sealing: self.callback_sealing.name().into(),
            created_at: self.created_at,
            enabled: self.is_enabled(),
        }
    }

    /// The app a store kept, as it was (with a fresh clock, quota and log: the store puts the clock
    /// back apart). The message says which value is not one this sandbank writes.
    pub fn from_kept(kept: KeptApp) -> Result<App, String> {
        let id = kept.id;
        let bad =
            |what: &str, value: &str| format!("app {id}: {what} `{value}` is not one of ours");
        let plan = match (kept.plan.as_str(), kept.daily_limit) {
            ("sandbox", None) => Plan::Sandbox,
            ("premium", None) => Plan::Premium,
            ("custom", Some(limit)) if limit > 0 => Plan::Custom(limit),
            (plan, _) => return Err(bad("plan", plan)),
        };
        let scopes = ScopeSet::parse([kept.scopes.as_str()])
            .map_err(|unknown| bad("scope", &unknown.join(" ")))?;
        let callback_sealing = [
            CallbackSealing::Auto,
            CallbackSealing::WholeBody,
            CallbackSealing::Hybrid,
        ]
        .into_iter()
        .find(|sealing| sealing.name() == kept.callback_sealing)
        .ok_or_else(|| bad("callback sealing", &kept.callback_sealing))?;
        let public_key = match kept.public_key_pem {
            Some(pem) => Some((
                parse_public_key(&pem).map_err(|e| format!("app {id}: public key: {e}"))?,
                pem,
            )),
            None => None,
        };
        let mut app = App::new(AppSettings {
            id: id.clone(),
            name: kept.name,
            credentials: kept.credentials,
            plan,
            callback_url: kept.callback_url,
            scopes,
            public_key,
            callback_sealing,
        });
        app.created_at = kept.created_at;
        if !kept.enabled {
            app.disable();
        }
        Ok(app)
    }
}
