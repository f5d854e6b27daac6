//! `POST /api/Corporate/CIB/v1/Deregistration` [bank]: a corporate user leaves API banking; their next
//! calls answer 9907 until they register again.

use std::sync::Arc;

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::cib::{admitted, cib_example, cib_request, CibIdentity, CibOutcome},
    state::{CibState, Registration},
};

cib_request! {
    /// The identity block.
    #[derive(Object, Deserialize, Debug)]
    #[oai(example)]
    pub struct DeregistrationRequest {
    }
}

impl poem_openapi::types::Example for DeregistrationRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::rehearsal_fields(), {})
    }
}

/// The deregistration's outcome.
#[derive(Object, Debug)]
pub struct DeregistrationResponse {
    /// `STATUS` is `Deregistered` on success.
    #[oai(flatten)]
    pub outcome: CibOutcome,
}

impl Answered for DeregistrationResponse {
    const DESCRIPTION: &'static str = super::model::cib::CIB_ANSWER;
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: DeregistrationRequest,
) -> Answer<DeregistrationResponse> {
    let identity = &request.identity();
    let corporate = identity.corporate(sandbox, None);
    let outcome = sandbox.family(app, CibState::new, |state, _| {
        if let Err(refused) = admitted(state, identity, corporate) {
            return refused;
        }
        state.set_registration(
            identity.user_key(),
            Registration {
                alias_id: None,
                registered: false,
            },
        );
        CibOutcome::success("Deregistered", "User deregistered from API banking")
    });
    Answer(DeregistrationResponse { outcome })
}
