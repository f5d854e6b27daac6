//! `POST /api/Corporate/CIB/v1/RegistrationStatus` [bank]: is this corporate user registered for API
//! banking? `STATUS` is `Registered`, `Deregistered` or `Not Registered`.

use crate::api::sample;
use crate::sandbox::bank::formats::Text;
use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::cib::{cib_example, cib_request, CibIdentity, CibOutcome},
    state::CibState,
};

cib_request! {
    /// The identity block with `AGGRNAME`.
    #[derive(Object, Deserialize, Debug)]
    #[oai(example)]
    pub struct RegistrationStatusRequest {
        /// The aggregator's name, e.g. `SANDBANK`.
        #[oai(rename = "AGGRNAME")]
        #[serde(rename = "AGGRNAME")]
        pub aggr_name: Text<64>,
    }
}

impl poem_openapi::types::Example for RegistrationStatusRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::rehearsal_fields(), {
            aggr_name: sample("SANDBANK"),
        })
    }
}

/// The user's registration status.
#[derive(Object, Debug)]
pub struct RegistrationStatusResponse {
    /// `STATUS`: `Registered`, `Deregistered` or `Not Registered`.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    /// The alias the user registered with, if any.
    #[oai(rename = "ALIASID", skip_serializing_if_is_none)]
    pub alias_id: Option<String>,
}

impl Answered for RegistrationStatusResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: RegistrationStatusRequest,
) -> Answer<RegistrationStatusResponse> {
    let identity = &request.identity();
    let (outcome, alias_id) = match identity.corporate(sandbox, Some(&request.aggr_name)) {
        None => (CibOutcome::invalid_ids(), None),
        Some(corporate) => sandbox.family(app, CibState::new, |state, _| {
            let registration = state.registration(&identity.user_key());
            let alias = registration
                .filter(|r| r.registered)
                .and_then(|r| r.alias_id.clone());
            let outcome = match registration {
                Some(r) if r.registered => {
                    CibOutcome::success("Registered", "User is registered for API banking")
                }
                Some(_) => {
                    CibOutcome::success("Deregistered", "User was deregistered from API banking")
                }
                None if corporate.registered => CibOutcome::success(
                    "Registered",
                    "User is registered for API banking (onboarded by the bank)",
                ),
                None => {
                    CibOutcome::success("Not Registered", "User is not registered for API banking")
                }
            };
            (outcome, alias)
        }),
    };
    Answer(RegistrationStatusResponse { outcome, alias_id })
}
