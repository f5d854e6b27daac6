//! `POST /api/v1/ecollection/virtual-accounts` [sandbank]: a virtual account for one of a corporate's
//! payers. Its number is the corporate's client code + the payer code (`SBNK01` + `CUST0001`);
//! remitters pay it at `ICIC0000104`, and the money lands in the corporate's collection account.
//! Creating the same virtual account again answers the existing one.

use crate::api::sample;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use poem_openapi::{payload::Json, ApiResponse, Object};
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        clock::ist,
        corporates::owns,
        formats::{AccountNo, CallbackUrl, CapsCode, CibId, Text},
        store::Full,
    },
    gateway::{
        apps::App,
        error::{GatewayError, Rejection},
    },
    Sandbox,
};

use super::{
    model::collections::{corporate, COLLECTION_IFSC},
    state::{CibState, VirtualAccount},
};

/// The corporate, the payer and where to push the MIS.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct VirtualAccountRequest {
    /// The corporate's CIB `CORPID`, e.g. `SANDCORP1`.
    pub corp_id: CibId,
    /// The corporate's code for this payer: 1 to 16 capital letters or digits.
    pub payer_code: CapsCode<1, 16>,
    /// The payer's name, for the corporate's records (optional).
    pub payer_name: Option<Text<100>>,
    /// The corporate account credits land in (default: the corporate's first account).
    pub collection_account: Option<AccountNo>,
    /// Where the MIS record of each credit is POSTed (default: the app's callback URL).
    pub callback_url: Option<CallbackUrl>,
}

impl poem_openapi::types::Example for VirtualAccountRequest {
    fn example() -> Self {
        Self {
            corp_id: sample("SANDCORP1"),
            payer_code: sample("CUST0001"),
            payer_name: Some(sample("Asha Traders")),
            collection_account: Some(sample("000405000001")),
            callback_url: None,
        }
    }
}

/// The virtual account.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct VirtualAccountResponse {
    /// The number remitters pay to: client code + payer code.
    pub virtual_account_number: String,
    /// The IFSC remitters pay at.
    pub ifsc: String,
    /// The name remitters see: the corporate's.
    pub beneficiary_name: String,
    pub corp_id: String,
    pub payer_code: String,
    pub payer_name: Option<String>,
    /// The corporate account credits land in.
    pub collection_account: String,
    /// Where MIS records are pushed; absent: the app's callback URL.
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
            payer_code: request.payer_code.to_string(),
            payer_name: request.payer_name.clone().map(String::from),
            collection_account: collection_account.clone(),
            callback_url: request.callback_url.clone().map(String::from),
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
