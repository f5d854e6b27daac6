//! `POST /sandbox/apps`, `GET /sandbox/apps/me`, `DELETE /sandbox/apps/me`: partner apps, their plans,
//! scopes and encryption keys.

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Enum, Object};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::callback_encryption::{callback_sealing, CallbackEncryption};
use crate::{
    api::SchemaRule,
    sandbox::{
        bank::clock::ist,
        gateway::apps::{new_secret, App, AppSettings, Plan},
        gateway::credentials::Reach,
        gateway::error::{GatewayError, Rejection},
        gateway::keys::parse_public_key,
        gateway::scopes::{ScopeSet, SCOPES},
        Sandbox,
    },
};

/// A plan.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum PlanName {
    /// 10 000 business calls a day (the default).
    Sandbox,
    /// Unlimited.
    Premium,
}

/// A new app.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase", example)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAppRequest {
    /// A name to recognise the app by, 1–100 characters.
    pub name: String,
    pub plan: Option<PlanName>,
    /// An explicit daily limit of business calls, overriding the plan (1 – 1 000 000 000).
    pub daily_limit: Option<u32>,
    /// Where the sandbox posts asynchronous outcomes (`http://` or `https://`).
    pub callback_url: Option<String>,
    /// `true`: every business request and answer travels in the bank's encryption envelope.
    pub encryption: Option<bool>,
    /// The app's RSA public key (`-----BEGIN PUBLIC KEY-----`), required with `encryption: true`:
    /// answers (and callbacks) are encrypted under it. 4096-bit, like the bank's, lets scheme-A answers
    /// and whole-body callbacks fit one RSA block.
    pub public_key_pem: Option<String>,
    /// With `encryption: true`, how callbacks are sealed: `rsa` (whole body, needs a 4096-bit key) or
    /// `hybrid` (the envelope). Absent: whole-body RSA when the callback fits the key, else the envelope.
    pub callback_encryption: Option<CallbackEncryption>,
    /// The families the app may call; all of them when absent: `building-blocks`, `auto-loan`,
    /// `iwish`, `cash-management`, `payments`, `trade`, `offers`.
    pub scopes: Option<Vec<String>>,
}

impl poem_openapi::types::Example for CreateAppRequest {
    fn example() -> Self {
        Self {
            name: "Acme lending CI".into(),
            plan: None,
            daily_limit: Some(500),
            callback_url: Some("https://acme.example/bank/callbacks".into()),
            encryption: Some(false),
            public_key_pem: None,
            callback_encryption: None,
            scopes: Some(vec!["building-blocks".into(), "payments".into()]),
        }
    }
}

/// The new app and its credentials. The client secret is shown only here: keep it.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct AppCreated {
    pub id: String,
    pub name: String,
    /// Send as the `apikey` header.
    pub apikey: String,
    /// For `POST /oauth2/token`.
    pub client_id: String,
    /// For `POST /oauth2/token`; shown only once.
    pub client_secret: String,
    pub plan: String,
    /// Business calls a day; absent for unlimited.
    #[oai(rename = "dailyLimit")]
    pub daily_limit: Option<u32>,
    #[oai(rename = "callbackUrl")]
    pub callback_url: Option<String>,
    /// Keys the HMAC-SHA256 in every callback's `X-Sandbank-Signature` (`t=<unix seconds>,v1=<hex>`
    /// over `<t>.<raw body>`): verify callbacks with it. Also at `GET /sandbox/apps/me`.
    #[oai(rename = "callbackSecret")]
    pub callback_secret: String,
    pub encryption: bool,
    /// For encrypted apps: how callbacks are sealed (`rsa`, `hybrid`, or `auto`: whole-body RSA when the
    /// callback fits the key, else the envelope).
    #[oai(rename = "callbackEncryption")]
    pub callback_encryption: Option<String>,
    pub scopes: Vec<String>,
}

/// Today's usage of the plan, on the app's sandbox clock.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct Usage {
    /// The app's current day (IST).
    pub date: NaiveDate,
    /// Business calls counted today.
    pub used: u32,
    /// Absent for unlimited plans.
    pub limit: Option<u32>,
    pub remaining: Option<u32>,
    /// Seconds until the count starts again (the app's next midnight IST).
    pub resets_in_seconds: i64,
}

/// The calling app's settings and usage.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct AppView {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub plan: String,
    pub daily_limit: Option<u32>,
    pub callback_url: Option<String>,
    /// Keys the HMAC in every callback's `X-Sandbank-Signature`. Shown to the `apikey` and to tokens
    /// that reach the whole control plane; not to a token narrower than its app.
    pub callback_secret: Option<String>,
    pub encryption: bool,
    pub public_key_pem: Option<String>,
    /// For encrypted apps: `rsa`, `hybrid` or `auto`.
    pub callback_encryption: Option<String>,
    pub scopes: Vec<String>,
    /// `false` once `DELETE /sandbox/apps/me` disabled it.
    pub enabled: bool,
    /// The app's sandbox clock now (IST).
    pub clock: DateTime<FixedOffset>,
    pub usage: Usage,
}

#[derive(ApiResponse)]
pub enum CreateAppAnswer {
    /// The app was created.
    #[oai(status = 201)]
    Created(Json<AppCreated>),
}

#[derive(ApiResponse)]
pub enum AppAnswer {
    /// The calling app.
    #[oai(status = 200)]
    Ok(Json<AppView>),
}

#[derive(ApiResponse)]
pub enum DisableAnswer {
    /// The app is disabled: its credentials answer 403 from now on.
    #[oai(status = 200)]
    Ok(Json<Box<AppView>>),
    /// The demo app cannot be disabled: every partner shares it (`response` 409).
    #[oai(status = 409)]
    Conflict(Json<GatewayError>),
}

/// What [`create`] accepts beyond the fields' types: no unknown field, the bounds it checks, and a
/// public key whenever `encryption` is true.
pub fn schema_rule() -> SchemaRule {
    let scope_names: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
    SchemaRule {
        schema: "CreateAppRequest",
        rule: serde_json::json!({
            "additionalProperties": false,
            "properties": {
                "name": { "minLength": 1, "maxLength": 100, "pattern": "\\S" },
                "dailyLimit": { "minimum": 1, "maximum": 1_000_000_000 },
                "callbackUrl": { "pattern": "^https?://", "maxLength": 2048 },
                "scopes": { "items": { "enum": scope_names } },
                // An RSA public key: no pattern can say that, so a format names it (conformance runs
                // teach their generator real keys for it).
                "publicKeyPem": { "format": "rsa-public-key-pem" },
            },
            "allOf": [
                { "anyOf": [
                    { "properties": { "encryption": { "type": "boolean", "nullable": true, "enum": [false, null] } } },
                    { "required": ["encryption", "publicKeyPem"], "properties": { "publicKeyPem": { "type": "string" } } },
                ] },
                { "anyOf": [
                    { "properties": { "callbackEncryption": { "type": "string", "nullable": true, "enum": [null] } } },
                    {
                        "required": ["encryption", "publicKeyPem"],
                        "properties": {
                            "encryption": { "type": "boolean", "enum": [true] },
                            "publicKeyPem": { "type": "string" },
                        },
                    },
                ] },
            ],
        }),
    }
}

pub fn create(
    sandbox: &Sandbox,
    admin_token: Option<&str>,
    source: &str,
    request: CreateAppRequest,
) -> Result<CreateAppAnswer, Rejection> {
    if let Some(expected) = &sandbox.gateway.admin_token {
        if !admin_token.is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected.as_bytes())))
        {
            return Err(Rejection::unauthorized(
                "Creating apps on this deployment needs the operator's `x-admin-token`",
            ));
        }
    }
    let name_length = request.name.chars().count();
    if name_length == 0 || name_length > 100 || request.name.trim().is_empty() {
        return Err(Rejection::schema(
            "name",
            "must be 1 to 100 characters, not all blank",
        ));
    }
    let plan = match (request.daily_limit, request.plan) {
        (Some(0), _) | (Some(1_000_000_001..), _) => {
            return Err(Rejection::schema(
                "dailyLimit",
                "must be between 1 and 1000000000",
            ))
        }
        (Some(limit), _) => Plan::Custom(limit),
        (None, Some(PlanName::Premium)) => Plan::Premium,
        (None, _) => Plan::Sandbox,
    };
    if let Some(url) = &request.callback_url {
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().count() > 2048
        {
            return Err(Rejection::schema(
                "callbackUrl",
                "must be an http:// or https:// URL",
            ));
        }
    }
    let scopes = match &request.scopes {
        None => ScopeSet::all(),
        Some(names) => ScopeSet::parse(names.iter().map(String::as_str)).map_err(|unknown| {
            let known: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
            Rejection::schema(
                "scopes",
                format!(
                    "unknown scope {}: use {}",
                    unknown.join(", "),
                    known.join(", ")
                ),
            )
        })?,
    }
    // Every app may grant `sandbox` to its tokens: only the families are the app's own.
    .families();
    // A key sent must be a key, whether or not it is used yet.
    let key = match request.public_key_pem {
        Some(pem) => {
            let key = parse_public_key(&pem).map_err(|e| Rejection::schema("publicKeyPem", e))?;
            Some((key, pem))
        }
        None => None,
    };
    let public_key = match (request.encryption.unwrap_or(false), key) {
        (true, None) => {
            return Err(Rejection::schema(
                "publicKeyPem",
                "is required when `encryption` is true",
            ))
        }
        (true, key) => key,
        (false, _) => None,
    };
    let callback_sealing = callback_sealing(
        request.callback_encryption,
        public_key.as_ref().map(|(key, _)| key),
    )?;
    admit_creation(sandbox, source)?;
    let id = sandbox.apps.next_id();
    let app = sandbox
        .apps
        .register_within(
            App::new(AppSettings {
                client_id: format!("{id}-client"),
                id,
                name: request.name,
                apikey: new_secret("sbk_"),
                client_secret: new_secret("sbs_"),
                callback_secret: new_secret("sbw_"),
                plan,
                callback_url: request.callback_url,
                scopes,
                public_key,
                callback_sealing,
            }),
            sandbox.app_limits.max_apps,
        )
        .ok_or_else(|| full(sandbox))?;
    Ok(CreateAppAnswer::Created(Json(AppCreated {
        id: app.id.clone(),
        name: app.name.clone(),
        apikey: app.apikey.clone(),
        client_id: app.client_id.clone(),
        client_secret: app.client_secret.clone(),
        plan: app.plan.name().into(),
        daily_limit: app.plan.daily_limit(),
        callback_url: app.callback_url.clone(),
        callback_secret: app.callback_secret.clone(),
        encryption: app.encrypted(),
        callback_encryption: sealing_name(&app),
        scopes: names(app.scopes),
    })))
}

pub fn show(app: &App, reach: Reach) -> AppAnswer {
    let mut view = view(app);
    if reach == Reach::All {
        view.callback_secret = Some(app.callback_secret.clone());
    }
    AppAnswer::Ok(Json(view))
}

pub fn disable(app: &App) -> DisableAnswer {
    if app.id == "demo" {
        let refusal = Rejection::new(
            StatusCode::CONFLICT,
            409,
            "The demo app is shared by every partner and cannot be disabled: create your own app",
        );
        return DisableAnswer::Conflict(Json(refusal.body));
    }
    app.disable();
    DisableAnswer::Ok(Json(Box::new(view(app))))
}

fn view(app: &App) -> AppView {
    let now = app.clock.now();
    let standing = app.quota.standing(&app.clock);
    AppView {
        id: app.id.clone(),
        name: app.name.clone(),
        client_id: app.client_id.clone(),
        plan: app.plan.name().into(),
        daily_limit: app.plan.daily_limit(),
        callback_url: app.callback_url.clone(),
        callback_secret: None,
        encryption: app.encrypted(),
        public_key_pem: app.public_key_pem.clone(),
        callback_encryption: sealing_name(app),
        scopes: names(app.scopes),
        enabled: app.is_enabled(),
        clock: now.with_timezone(&ist()),
        usage: Usage {
            date: now.with_timezone(&ist()).date_naive(),
            used: app.quota.used(now),
            limit: standing.map(|s| s.limit),
            remaining: standing.map(|s| s.remaining),
            resets_in_seconds: crate::sandbox::gateway::quota::seconds_to_midnight(now),
        },
    }
}

fn sealing_name(app: &App) -> Option<String> {
    app.encrypted()
        .then(|| app.callback_sealing.name().to_string())
}

fn names(scopes: ScopeSet) -> Vec<String> {
    scopes.names().into_iter().map(String::from).collect()
}

/// `POST /sandbox/apps` from `source`: within its creations this minute, and room for one more app
/// (idle apps are expired first when the sandbox is full).
fn admit_creation(sandbox: &Sandbox, source: &str) -> Result<(), Rejection> {
    let per_minute = sandbox.app_limits.creations_per_minute;
    sandbox
        .creations
        .admit(source, per_minute)
        .map_err(|wait| {
            Rejection::new(
                StatusCode::TOO_MANY_REQUESTS,
                429,
                format!(
                    "Too many apps created from {source}: at most {per_minute} a minute \
                 (--app-creation-rate); retry in {wait} s"
                ),
            )
            .retry_after(wait)
        })?;
    if sandbox.apps.len() >= sandbox.app_limits.max_apps && sandbox.expire_idle_apps() == 0 {
        return Err(full(sandbox));
    }
    Ok(())
}

fn full(sandbox: &Sandbox) -> Rejection {
    Rejection::new(
        StatusCode::TOO_MANY_REQUESTS,
        429,
        format!(
            "The sandbox holds its maximum of {} apps (--max-apps): reuse an app (POST \
             /sandbox/reset clears one) or disable those you no longer need",
            sandbox.app_limits.max_apps
        ),
    )
    .retry_after(60)
}
