//! What `POST /sandbox/apps` accepts: the new app's settings, the bounds they are checked against
//! ([`check`]) and the same bounds stated in the OpenAPI document ([`schema_rule`]).

use poem_openapi::{Enum, Object};
use rsa::RsaPublicKey;
use serde::Deserialize;
use serde_json::{json, Value};

use super::callback_encryption::{callback_sealing, CallbackEncryption};
use crate::{
    api::SchemaRule,
    sandbox::gateway::{
        apps::Plan,
        encryption::CallbackSealing,
        error::Rejection,
        keys::parse_public_key,
        scopes::{ScopeSet, SCOPES},
    },
};

/// The longest app name, in characters.
const NAME_MAX: usize = 100;
/// The highest explicit daily limit.
const DAILY_LIMIT_MAX: u32 = 1_000_000_000;
/// The longest callback URL, in characters.
const CALLBACK_URL_MAX: usize = 2048;

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

/// A new app's settings, checked: what the app registry needs beyond fresh credentials.
pub struct Checked {
    pub name: String,
    pub plan: Plan,
    pub callback_url: Option<String>,
    pub scopes: ScopeSet,
    pub public_key: Option<(RsaPublicKey, String)>,
    pub callback_sealing: CallbackSealing,
}

/// What [`check`] accepts beyond the fields' types: no unknown field, the bounds it checks, and a
/// public key whenever `encryption` is true.
pub fn schema_rule() -> SchemaRule {
    SchemaRule {
        schema: "CreateAppRequest",
        rule: json!({
            "additionalProperties": false,
            "properties": field_bounds(),
            "allOf": encryption_rules(),
        }),
    }
}

/// Each field's own bounds: the ones [`check`] enforces.
fn field_bounds() -> Value {
    let scope_names: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
    json!({
        "name": { "minLength": 1, "maxLength": NAME_MAX, "pattern": "\\S" },
        "dailyLimit": { "minimum": 1, "maximum": DAILY_LIMIT_MAX },
        "callbackUrl": {
            "pattern": "^https?://",
            "maxLength": CALLBACK_URL_MAX,
        },
        "scopes": { "items": { "enum": scope_names } },
        // An RSA public key: no pattern can say that, so a format names it (conformance runs
        // teach their generator real keys for it).
        "publicKeyPem": { "format": "rsa-public-key-pem" },
    })
}

/// Across fields: a public key whenever `encryption` is true, and `callbackEncryption` only for an
/// encrypted app.
fn encryption_rules() -> Value {
    json!([
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
    ])
}

/// The request's settings within their bounds, in the order they are checked: the name, the plan,
/// the callback URL, the scopes, then the key and how callbacks are sealed.
pub fn check(request: CreateAppRequest) -> Result<Checked, Rejection> {
    check_name(&request.name)?;
    let plan = plan(request.daily_limit, request.plan)?;
    if let Some(url) = &request.callback_url {
        check_callback_url(url)?;
    }
    let scopes = scopes(request.scopes.as_deref())?;
    let public_key = public_key(request.encryption, request.public_key_pem)?;
    let callback_sealing = callback_sealing(
        request.callback_encryption,
        public_key.as_ref().map(|(key, _)| key),
    )?;
    Ok(Checked {
        name: request.name,
        plan,
        callback_url: request.callback_url,
        scopes,
        public_key,
        callback_sealing,
    })
}

fn check_name(name: &str) -> Result<(), Rejection> {
    let length = name.chars().count();
    if length == 0 || length > NAME_MAX || name.trim().is_empty() {
        return Err(Rejection::schema(
            "name",
            "must be 1 to 100 characters, not all blank",
        ));
    }
    Ok(())
}

/// An explicit daily limit overrides the plan.
fn plan(daily_limit: Option<u32>, plan: Option<PlanName>) -> Result<Plan, Rejection> {
    Ok(match (daily_limit, plan) {
        (Some(limit), _) if limit == 0 || limit > DAILY_LIMIT_MAX => {
            return Err(Rejection::schema(
                "dailyLimit",
                "must be between 1 and 1000000000",
            ))
        }
        (Some(limit), _) => Plan::Custom(limit),
        (None, Some(PlanName::Premium)) => Plan::Premium,
        (None, _) => Plan::Sandbox,
    })
}

fn check_callback_url(url: &str) -> Result<(), Rejection> {
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.chars().count() > CALLBACK_URL_MAX
    {
        return Err(Rejection::schema(
            "callbackUrl",
            "must be an http:// or https:// URL",
        ));
    }
    Ok(())
}

/// The families named (all of them when none are). Every app may grant `sandbox` to its tokens:
/// only the families are the app's own.
fn scopes(names: Option<&[String]>) -> Result<ScopeSet, Rejection> {
    let Some(names) = names else {
        return Ok(ScopeSet::all().families());
    };
    let scopes = ScopeSet::parse(names.iter().map(String::as_str)).map_err(|unknown| {
        let known: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
        Rejection::schema(
            "scopes",
            format!(
                "unknown scope {}: use {}",
                unknown.join(", "),
                known.join(", ")
            ),
        )
    })?;
    Ok(scopes.families())
}

/// The app's key, kept only for an encrypted app, which must send one. A key sent must be a key,
/// whether or not it is used yet.
fn public_key(
    encryption: Option<bool>,
    pem: Option<String>,
) -> Result<Option<(RsaPublicKey, String)>, Rejection> {
    let key = match pem {
        Some(pem) => {
            let key = parse_public_key(&pem).map_err(|e| Rejection::schema("publicKeyPem", e))?;
            Some((key, pem))
        }
        None => None,
    };
    match (encryption.unwrap_or(false), key) {
        (true, None) => Err(Rejection::schema(
            "publicKeyPem",
            "is required when `encryption` is true",
        )),
        (true, key) => Ok(key),
        (false, _) => Ok(None),
    }
}
