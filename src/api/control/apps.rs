//! `POST /sandbox/apps`, `GET /sandbox/apps/me`, `DELETE /sandbox/apps/me`: partner apps, their plans,
//! scopes and encryption keys.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Object};
use subtle::ConstantTimeEq;

use super::app_settings::{self, Checked, CreateAppRequest};
use crate::sandbox::{
    bank::{
        answer::{Answer, Answered, Created},
        clock::ist,
        store::outcome,
    },
    gateway::{
        apps::{App, AppSettings, Credentials},
        credentials::Reach,
        error::{GatewayError, Rejection},
        scopes::ScopeSet,
    },
    Sandbox,
};

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

impl Answered for AppCreated {
    const DESCRIPTION: &'static str = "The app was created.";
}

impl Answered for AppView {
    const DESCRIPTION: &'static str = "The calling app.";
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

pub fn create(
    sandbox: &Sandbox,
    admin_token: Option<&str>,
    source: &str,
    request: CreateAppRequest,
) -> Result<Created<AppCreated>, Rejection> {
    check_admin_token(sandbox, admin_token)?;
    let settings = app_settings::check(request)?;
    admit_creation(sandbox, source)?;
    let app = register(sandbox, settings)?;
    Ok(Created(created(&app)))
}

/// On a deployment started with `--admin-token`, only its operator creates apps.
fn check_admin_token(sandbox: &Sandbox, given: Option<&str>) -> Result<(), Rejection> {
    if let Some(expected) = &sandbox.gateway.admin_token {
        if !given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected.as_bytes()))) {
            return Err(Rejection::unauthorized(
                "Creating apps on this deployment needs the operator's `x-admin-token`",
            ));
        }
    }
    Ok(())
}

/// The app with fresh credentials, registered if the sandbox still has room, and kept by the store
/// before it is answered: one the store could not keep is unregistered again (503), before anyone
/// knows its keys.
fn register(sandbox: &Sandbox, settings: Checked) -> Result<Arc<App>, Rejection> {
    let app = register_within(sandbox, settings)?;
    // Kept, then in step with the store's clock for it (a process sharing the store may set it).
    let kept = sandbox
        .store
        .keep_app(&app.kept())
        .and_then(|()| sandbox.store.restore_clock(&app));
    if let Err(error) = kept {
        sandbox.apps.unregister(&app);
        outcome::failed(&error);
        return Err(outcome::unavailable());
    }
    Ok(app)
}

fn register_within(sandbox: &Sandbox, settings: Checked) -> Result<Arc<App>, Rejection> {
    let id = match sandbox.store.next_app_number() {
        Ok(Some(number)) => sandbox.apps.id_for(number),
        Ok(None) => sandbox.apps.next_id(),
        Err(error) => {
            outcome::failed(&error);
            return Err(outcome::unavailable());
        }
    };
    sandbox
        .apps
        .register_within(
            App::new(AppSettings {
                credentials: Credentials::issued(&id),
                id,
                name: settings.name,
                plan: settings.plan,
                callback_url: settings.callback_url,
                scopes: settings.scopes,
                public_key: settings.public_key,
                callback_sealing: settings.callback_sealing,
            }),
            sandbox.app_limits.max_apps,
        )
        .ok_or_else(|| full(sandbox))
}

fn created(app: &App) -> AppCreated {
    AppCreated {
        id: app.id.clone(),
        name: app.name.clone(),
        apikey: app.credentials.apikey.clone(),
        client_id: app.credentials.client_id.clone(),
        client_secret: app.credentials.client_secret.clone(),
        plan: app.plan.name().into(),
        daily_limit: app.plan.daily_limit(),
        callback_url: app.callback_url.clone(),
        callback_secret: app.credentials.callback_secret.clone(),
        encryption: app.encrypted(),
        callback_encryption: sealing_name(app),
        scopes: names(app.scopes),
    }
}

pub fn show(sandbox: &Sandbox, app: &App, reach: Reach) -> Answer<AppView> {
    let mut view = view(sandbox, app);
    if reach == Reach::All {
        view.callback_secret = Some(app.credentials.callback_secret.clone());
    }
    Answer(view)
}

/// Disables `app` once the store has kept it disabled (else the request answers 503 and the app
/// stays enabled).
pub fn disable(sandbox: &Sandbox, app: &App) -> DisableAnswer {
    if app.id == "demo" {
        let refusal = Rejection::new(
            StatusCode::CONFLICT,
            409,
            "The demo app is shared by every partner and cannot be disabled: create your own app",
        );
        return DisableAnswer::Conflict(Json(refusal.body));
    }
    let mut kept = app.kept();
    kept.enabled = false;
    if let Err(error) = sandbox.store.keep_app(&kept) {
        outcome::failed(&error);
    } else {
        app.disable();
    }
    DisableAnswer::Ok(Json(Box::new(view(sandbox, app))))
}

fn view(sandbox: &Sandbox, app: &App) -> AppView {
    let now = app.clock.now();
    let used = sandbox.calls_today(app);
    let standing = app.quota.standing_at(used, now);
    AppView {
        id: app.id.clone(),
        name: app.name.clone(),
        client_id: app.credentials.client_id.clone(),
        plan: app.plan.name().into(),
        daily_limit: app.plan.daily_limit(),
        callback_url: app.callback_url.clone(),
        callback_secret: None,
        encryption: app.encrypted(),
        public_key_pem: app.public_key_pem().map(str::to_string),
        callback_encryption: sealing_name(app),
        scopes: names(app.scopes),
        enabled: app.is_enabled(),
        clock: now.with_timezone(&ist()),
        usage: Usage {
            date: now.with_timezone(&ist()).date_naive(),
            used,
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
