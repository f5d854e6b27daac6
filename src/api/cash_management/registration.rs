//! `POST /api/Corporate/CIB/v1/Registration` [bank]: a corporate user signs up for API banking. Every
//! other CIB operation (but RegistrationStatus) answers 9907 while the user is not registered; a
//! fixture corporate user registers at once (`STATUS: Registered`). Most fixture users start
//! registered, as partners going live find them (onboarding was done by hand): the demo's
//! `SANDUSER2` starts unregistered, for rehearsing this flow.

use crate::api::sample;
use crate::sandbox::bank::formats::{AliasId, Text};
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::cib::{cib_example, cib_request, CibIdentity, CibOutcome},
    state::{CibState, Registration},
};

cib_request! {
    /// The identity block with `AGGRNAME`, and an optional alias.
    #[derive(Object, Deserialize, Debug)]
    #[oai(skip_serializing_if_is_none, example)]
    pub struct RegistrationRequest {
        /// The aggregator's name, e.g. `SANDBANK`.
        #[oai(rename = "AGGRNAME")]
        #[serde(rename = "AGGRNAME")]
        pub aggr_name: Text<64>,
        /// An alias the corporate user logs in with (optional; 1 to 32 letters, digits, `_`, `.`, `-`).
        #[oai(rename = "ALIASID")]
        #[serde(rename = "ALIASID", default)]
        pub alias_id: Option<AliasId>,
    }
}

impl poem_openapi::types::Example for RegistrationRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::rehearsal_fields(), {
            aggr_name: sample("SANDBANK"),
            alias_id: Some(sample("sanduser2")),
        })
    }
}

/// The registration's outcome.
#[derive(Object, Debug)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationResponse {
    /// `STATUS` is `Registered` on success.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "CORPID")]
    pub corp_id: Option<String>,
    #[oai(rename = "USERID")]
    pub user_id: Option<String>,
    #[oai(rename = "AGGRID")]
    pub aggr_id: Option<String>,
    #[oai(rename = "URN")]
    pub urn: Option<String>,
    #[oai(rename = "ALIASID")]
    pub alias_id: Option<String>,
}

impl Answered for RegistrationResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: RegistrationRequest,
) -> Answer<RegistrationResponse> {
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, Some(&request.aggr_name));
    let outcome = if let Some(corporate) = corporate {
        sandbox.family(app, CibState::new, |state, _| {
            let already = state.is_registered(&identity.user_key(), corporate.registered);
            state.set_registration(
                identity.user_key(),
                Registration {
                    alias_id: request.alias_id.clone().map(String::from),
                    registered: true,
                },
            );
            let message = if already {
                "User is already registered for API banking"
            } else {
                "Registration successful: the user may now call the CIB APIs"
            };
            CibOutcome::success("Registered", message)
        })
    } else {
        CibOutcome::invalid_ids()
    };
    let echo = |value: &str| outcome.is_success().then(|| value.to_string());
    Answer(RegistrationResponse {
        corp_id: echo(&identity.corp_id),
        user_id: echo(&identity.user_id),
        aggr_id: echo(&identity.aggr_id),
        urn: echo(&identity.urn),
        alias_id: outcome
            .is_success()
            .then(|| request.alias_id.clone().map(String::from))
            .flatten(),
        outcome,
    })
}
