//! `POST /api/v1/offers/pre-approved` [sandbank]: the customer's pre-approved offers, found by exactly
//! one of `customerId`, `mobile`, `accountNo` or `applicationNo`.

use poem_openapi::Object;
use serde::Deserialize;

use super::{
    common::{self, Code, Offer},
    rules::{self, CustomerOffers, OffersState, StoredOffer},
};
use crate::sandbox::{
    answer::{Answer, Answered, Reply},
    clock::ist,
    error::Rejection,
    fixtures::Person,
    formats::{AccountNo, Mobile},
    persons,
    state::App,
    Sandbox,
};

/// Whose offers: send exactly one of the four keys.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct PreApprovedRequest {
    /// The bank's customer id, e.g. `CUST000001`.
    #[oai(validator(pattern = "^[A-Z0-9]{4,20}$"))]
    #[serde(default, deserialize_with = "common::optional_customer_id")]
    pub customer_id: Option<String>,
    /// The customer's registered mobile number.
    #[serde(default)]
    pub mobile: Option<Mobile>,
    /// The customer's savings account with the bank.
    #[serde(default)]
    pub account_no: Option<AccountNo>,
    /// A loan application number: the sandbox holds no applications for offers yet, so any
    /// well-formed number answers `OF002` application not found.
    #[oai(validator(pattern = "^[A-Z0-9]{4,30}$"))]
    #[serde(default, deserialize_with = "common::optional_identifier")]
    pub application_no: Option<String>,
}

/// Exactly one of the four keys, as [`answer`] checks.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::api::SchemaRule;
    let text = |field: &str| serde_json::json!({ "required": [field], "properties": { field: { "type": "string" } } });
    SchemaRule {
        schema: "PreApprovedRequest",
        rule: serde_json::json!({
            "oneOf": [
                text("customerId"),
                SchemaRule::present::<Mobile>("mobile"),
                SchemaRule::present::<AccountNo>("accountNo"),
                text("applicationNo"),
            ],
        }),
    }
}

impl poem_openapi::types::Example for PreApprovedRequest {
    fn example() -> Self {
        Self {
            customer_id: Some("CUST000001".into()),
            mobile: None,
            account_no: None,
            application_no: None,
        }
    }
}

/// The offers (the family's envelope: `status`, `responseCode`, `message`).
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct PreApprovedResponse {
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    /// `OF000` success, `OF001` customer not found, `OF002` application not found.
    pub response_code: String,
    pub message: String,
    /// The customer the key found (absent when none).
    #[oai(skip_serializing_if_is_none)]
    pub customer_id: Option<String>,
    /// Personal loan, auto loan, credit card and paylater offers, as the customer's bureau profile
    /// earns them: possibly fewer, or none for a low score.
    pub offers: Vec<Offer>,
}

impl Answered for PreApprovedResponse {
    const DESCRIPTION: &'static str =
        "The offers, or a business decline (HTTP 200; read `responseCode`).";
}

enum Key<'a> {
    Customer(&'a str),
    Mobile(&'a Mobile),
    Account(&'a AccountNo),
    Application,
}

fn key(request: &PreApprovedRequest) -> Result<Key<'_>, Rejection> {
    let keys = [
        (
            "customerId",
            request.customer_id.as_deref().map(Key::Customer),
        ),
        ("mobile", request.mobile.as_ref().map(Key::Mobile)),
        ("accountNo", request.account_no.as_ref().map(Key::Account)),
        (
            "applicationNo",
            request.application_no.as_ref().map(|_| Key::Application),
        ),
    ];
    let mut sent = keys
        .into_iter()
        .filter_map(|(name, k)| k.map(|k| (name, k)));
    let Some((_, first)) = sent.next() else {
        return Err(Rejection::schema(
            "customerId",
            "send exactly one of customerId, mobile, accountNo, applicationNo",
        ));
    };
    if let Some((name, _)) = sent.next() {
        return Err(Rejection::schema(
            name,
            "send exactly one of customerId, mobile, accountNo, applicationNo",
        ));
    }
    Ok(first)
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: PreApprovedRequest,
) -> Reply<PreApprovedResponse> {
    let persons = &sandbox.fixtures.persons;
    let person: Option<&Person> = match key(&request)? {
        Key::Customer(id) => common::customer(&sandbox.fixtures, id),
        Key::Mobile(mobile) => persons.iter().find(|p| &p.mobile == mobile),
        Key::Account(account) => persons.iter().find(|p| &p.savings_account == account),
        Key::Application => return Ok(declined(Code::ApplicationNotFound)),
    };
    let Some(person) = person else {
        return Ok(declined(Code::CustomerNotFound));
    };
    let profile = persons::profile(&sandbox.fixtures, &sandbox.determinism, &person.pan);
    let offers = sandbox.family(app, OffersState::new, |state, ctx| {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        if !state.customers.contains_key(&person.customer_id) {
            let offers = rules::terms_for(&profile)
                .into_iter()
                .map(|terms| StoredOffer {
                    offer_id: format!(
                        "OF{}{}",
                        terms.product.code(),
                        sandbox.determinism.reference(
                            "offer-id",
                            &format!("{}|{}|{}", app.id, person.customer_id, terms.product.code()),
                            12,
                        )
                    ),
                    terms,
                    valid_till: rules::valid_till(today),
                    blocked: None,
                })
                .collect();
            state
                .customers
                .insert(person.customer_id.clone(), CustomerOffers { offers });
        }
        state
            .customers
            .get(&person.customer_id)
            .map(|c| {
                c.offers
                    .iter()
                    .map(|o| Offer::from_stored(o, today))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    Ok(Answer(PreApprovedResponse {
        status: Code::Success.status().into(),
        response_code: Code::Success.code().into(),
        message: if offers.is_empty() {
            "No pre-approved offers for this customer".into()
        } else {
            Code::Success.message().into()
        },
        customer_id: Some(person.customer_id.clone()),
        offers,
    }))
}

fn declined(code: Code) -> Answer<PreApprovedResponse> {
    Answer(PreApprovedResponse {
        status: code.status().into(),
        response_code: code.code().into(),
        message: code.message().into(),
        customer_id: None,
        offers: Vec::new(),
    })
}
