//! `POST /api/v1/ecollection/virtual-accounts` [sandbank]: a virtual account for one of a corporate's
//! payers. Its number is the corporate's client code + the payer code (`SBNK01` + `CUST0001`);
//! remitters pay it at `ICIC0000104`, and the money lands in the corporate's collection account.
//! Creating the same virtual account again answers the existing one.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::{Deserialize, Deserializer};

use crate::sandbox::{
    bank::{clock::ist, corporates::owns, formats::AccountNo, store::Full},
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

use super::{
    collections::{corp_id, corporate, short_text, COLLECTION_IFSC},
    state::{CibState, VirtualAccount},
};

/// The corporate, the payer and where to push the MIS.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct VirtualAccountRequest {
    /// The corporate's CIB `CORPID`, e.g. `SANDCORP1`.
    #[oai(validator(pattern = "^[A-Za-z0-9_-]{1,32}$"))]
    #[serde(deserialize_with = "corp_id")]
    pub corp_id: String,
    /// The corporate's code for this payer: 1 to 16 capital letters or digits.
    #[oai(validator(pattern = "^[A-Z0-9]{1,16}$"))]
    #[serde(deserialize_with = "payer_code")]
    pub payer_code: String,
    /// The payer's name, for the corporate's records (optional).
    #[oai(validator(max_length = 100))]
    #[serde(default, deserialize_with = "short_text::<_, 100>")]
    pub payer_name: Option<String>,
    /// The corporate account credits land in (default: the corporate's first account).
    #[serde(default)]
    pub collection_account: Option<AccountNo>,
    /// Where the MIS record of each credit is POSTed (default: the app's callback URL).
    #[oai(validator(max_length = 2048))]
    #[serde(default, deserialize_with = "callback_url")]
    pub callback_url: Option<String>,
}

fn payer_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let ok = (1..=16).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(raw)
    } else {
        Err(serde::de::Error::custom(format!(
            "must be 1 to 16 capital letters or digits, got `{raw}`"
        )))
    }
}

/// An http(s) URL without white space, up to 2048 characters: the schema's pattern and the check.
pub const CALLBACK_URL_PATTERN: &str = "^https?://[^ \\t\\n\\r\\x0B\\x0C]{0,2040}$";

fn callback_url<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let raw = Option::<String>::deserialize(deserializer)?;
    match raw {
        Some(url) if !crate::sandbox::bank::formats::matches(CALLBACK_URL_PATTERN, &url) => Err(
            serde::de::Error::custom(format!("must be an http:// or https:// URL, got `{url}`")),
        ),
        other => Ok(other),
    }
}

impl poem_openapi::types::Example for VirtualAccountRequest {
    fn example() -> Self {
        Self {
            corp_id: "SANDCORP1".into(),
            payer_code: "CUST0001".into(),
            payer_name: Some("Asha Traders".into()),
            collection_account: Some(AccountNo::parse("000405000001").expect("valid example")),
            callback_url: None,
        }
    }
}

/// The virtual account.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct VirtualAccountResponse {
    /// The number remitters pay to: client code + payer code.
    pub virtual_account_number: String,
    /// The IFSC remitters pay at.
    pub ifsc: String,
    /// The name remitters see: the corporate's.
    pub beneficiary_name: String,
    pub corp_id: String,
    pub payer_code: String,
    #[oai(skip_serializing_if_is_none)]
    pub payer_name: Option<String>,
    /// The corporate account credits land in.
    pub collection_account: String,
    /// Where MIS records are pushed; absent: the app's callback URL.
    #[oai(skip_serializing_if_is_none)]
    pub callback_url: Option<String>,
    /// `ACTIVE`.
    pub status: String,
    /// When it was created, by the app's sandbox clock (IST).
    pub created_at: DateTime<FixedOffset>,
}

#[derive(ApiResponse)]
pub enum VirtualAccountAnswer {
    /// The virtual account (created now, or the existing one for this corporate and payer code).
    #[oai(status = 200)]
    Ok(Json<VirtualAccountResponse>),
    /// No corporate with this `corpId`, or the collection account is not the corporate's
    /// (`response` 404).
    #[oai(status = 404)]
    NotFound(Json<GatewayError>),
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: VirtualAccountRequest,
) -> Result<VirtualAccountAnswer, Rejection> {
    let not_found = |message: String| {
        Ok(VirtualAccountAnswer::NotFound(Json(
            Rejection::not_found(message).body,
        )))
    };
    let Some((corporate, client_code)) = corporate(sandbox, &request.corp_id) else {
        return not_found(format!("No corporate with corpId {}", request.corp_id));
    };
    let collection_account = match &request.collection_account {
        Some(account) if owns(corporate, account.as_str()) => account.to_string(),
        Some(account) => {
            return not_found(format!(
                "Account {account} is not an account of corporate {}",
                corporate.corp_id
            ))
        }
        None => corporate
            .accounts
            .first()
            .map(|a| a.account_no.to_string())
            .unwrap_or_default(),
    };
    let number = format!("{client_code}{}", request.payer_code);
    let account = sandbox.family(app, CibState::new, |state, ctx| -> Result<_, Full> {
        let state = state.collections(ctx);
        if let Some(existing) = state.virtual_accounts.get(&number) {
            return Ok(existing.clone());
        }
        let account = VirtualAccount {
            number: number.clone(),
            corp_id: corporate.corp_id.clone(),
            payer_code: request.payer_code.clone(),
            payer_name: request.payer_name.clone(),
            collection_account,
            callback_url: request.callback_url.clone(),
            created_at: ctx.now,
        };
        state
            .virtual_accounts
            .insert(number.clone(), account.clone())?;
        Ok(account)
    })?;
    Ok(VirtualAccountAnswer::Ok(Json(VirtualAccountResponse {
        virtual_account_number: account.number,
        ifsc: COLLECTION_IFSC.into(),
        beneficiary_name: corporate.name.clone(),
        corp_id: account.corp_id,
        payer_code: account.payer_code,
        payer_name: account.payer_name,
        collection_account: account.collection_account,
        callback_url: account.callback_url,
        status: "ACTIVE".into(),
        created_at: account.created_at.with_timezone(&ist()),
    })))
}
