//! The bank's API families, one module each, combined into one OpenAPI service, plus the sandbox's
//! control plane and OAuth2 token endpoint.

/// Declares a family's `#[OpenApi]` handle: the sandbox its operations answer from, built by [`apis`].
macro_rules! family_api {
    ($name:ident) => {
        pub(crate) struct $name {
            sandbox: std::sync::Arc<crate::sandbox::Sandbox>,
        }

        impl $name {
            pub(crate) fn new(sandbox: std::sync::Arc<crate::sandbox::Sandbox>) -> Self {
                Self { sandbox }
            }
        }
    };
}

/// Declares a lending family's answer (Auto Loan, iWish): the family's envelope `$envelope`, then
/// the operation's `data` (absent on a decline); `$schema` names it in the document, `$description`
/// describes its 200. `of` makes it from a step's result.
macro_rules! enveloped_answer {
    ($name:ident, schema $schema:tt, $envelope:ty, data $data:ty, $description:expr) => {
        #[derive(poem_openapi::Object, Debug)]
        #[oai(rename = $schema)]
        pub struct $name {
            #[oai(flatten)]
            pub outcome: $envelope,
            #[oai(skip_serializing_if_is_none)]
            pub data: Option<$data>,
        }

        impl $crate::sandbox::bank::answer::Answered for $name {
            const DESCRIPTION: &'static str = $description;
        }

        impl $name {
            /// The envelope of `result` and, on success, its data.
            #[allow(dead_code)] // an operation that cannot decline builds its answer directly
            pub fn of(
                result: Result<
                    (String, $data),
                    $crate::sandbox::bank::lending::Decline<
                        <$envelope as $crate::sandbox::bank::lending::Envelope>::Detail,
                    >,
                >,
            ) -> Self {
                let (outcome, data) =
                    <$envelope as $crate::sandbox::bank::lending::Envelope>::split(result);
                Self { outcome, data }
            }
        }
    };
}

pub(crate) mod auto_loan;
pub mod building_blocks;
pub(crate) mod cash_management;
pub(crate) mod control;
pub(crate) mod iwish;
pub(crate) mod oauth;
pub(crate) mod offers;
pub(crate) mod payments;
pub(crate) mod trade;

use std::sync::Arc;

use poem_openapi::{ExtraHeader, LicenseObject, OpenApi, OpenApiService, ServerObject, Tags};

use crate::sandbox::{
    gateway::{operations::Operations, scenario},
    Sandbox,
};

/// One tag per family: Swagger UI groups operations by these, with the description shown under each.
/// A family's OAuth2 scope is derived from its tag (see `sandbox::gateway::scopes`).
#[derive(Tags)]
pub enum ApiTags {
    /// Building Blocks: CIBIL credit score check, PAN verification, IFSC and bank-account checks — the
    /// identity and bureau checks every onboarding flow starts with. OAuth2 scope `building-blocks`.
    #[oai(rename = "Building Blocks")]
    BuildingBlocks,
    /// Auto Loan: OTP, offer, eligibility, documents, sanction, disbursement, status and dues — one
    /// application's lifecycle.
    #[oai(rename = "Auto Loan")]
    AutoLoan,
    /// iWish: goal-based flexible recurring deposits — create, fund, edit, view, history, close.
    #[oai(rename = "iWish")]
    Iwish,
    /// Cash Management: Corporate Internet Banking (registration, balance, statement, payments,
    /// transaction inquiry) and virtual-account collections.
    #[oai(rename = "Cash Management")]
    CashManagement,
    /// Payments & UPI: IMPS / NEFT / RTGS composite payments and status, UPI collect, QR, refunds,
    /// callbacks, VPA validation.
    #[oai(rename = "Payments & UPI")]
    Payments,
    /// Trade: outward remittances (SWIFT) and electronic bank guarantees.
    Trade,
    /// Banking Offers: pre-approved loan, card and paylater offers, their validation and blocking.
    #[oai(rename = "Banking Offers")]
    Offers,
    /// Sandbox control plane: health, apps, the per-app sandbox clock, the request log, callbacks
    /// sent, the go-live readiness report, reset, and the bank's public key. Outside the bank's API, for partners' tests; calls here
    /// never count against the quota.
    Sandbox,
    /// OAuth2 client credentials: tokens to send as `Authorization: Bearer` instead of `apikey`.
    OAuth2,
}

impl ApiTags {
    /// Every tag, in the order Swagger UI and Redoc list them (the document's `tags`).
    pub const ALL: [ApiTags; 9] = [
        ApiTags::BuildingBlocks,
        ApiTags::AutoLoan,
        ApiTags::Iwish,
        ApiTags::CashManagement,
        ApiTags::Payments,
        ApiTags::Trade,
        ApiTags::Offers,
        ApiTags::Sandbox,
        ApiTags::OAuth2,
    ];
}

/// Every family's API, in the order their paths are written.
pub(crate) type Apis = (
    building_blocks::BuildingBlocksApi,
    auto_loan::AutoLoanApi,
    iwish::IwishApi,
    cash_management::CashManagementApi,
    cash_management::CibSandboxApi,
    payments::PaymentsApi,
    trade::TradeApi,
    offers::OffersApi,
    control::ControlApi,
    oauth::OAuthApi,
);

/// The families that keep state, as snapshots name them.
pub fn kept_families() -> Vec<crate::sandbox::bank::snapshot::FamilyCodec> {
    use crate::sandbox::bank::snapshot::FamilyCodec;
    vec![
        FamilyCodec::of::<auto_loan::state::AutoLoanBook>(),
        FamilyCodec::of::<cash_management::state::CibState>(),
        FamilyCodec::of::<iwish::state::IwishBook>(),
        FamilyCodec::of::<offers::state::OffersState>(),
        FamilyCodec::of::<payments::state::PaymentsState>(),
        FamilyCodec::of::<trade::state::TradeState>(),
    ]
}

pub(crate) fn apis(sandbox: Arc<Sandbox>) -> Apis {
    (
        building_blocks::BuildingBlocksApi::new(sandbox.clone()),
        auto_loan::AutoLoanApi::new(sandbox.clone()),
        iwish::IwishApi::new(sandbox.clone()),
        cash_management::CashManagementApi::new(sandbox.clone()),
        cash_management::CibSandboxApi::new(sandbox.clone()),
        payments::PaymentsApi::new(sandbox.clone()),
        trade::TradeApi::new(sandbox.clone()),
        offers::OffersApi::new(sandbox.clone()),
        control::ControlApi::new(sandbox.clone()),
        oauth::OAuthApi::new(sandbox),
    )
}

/// A value of a request field's type for an OpenAPI example, from the JSON a partner would send
/// (`"000405009999"`, `30`): parsed as a request body is, so an example cannot show what the sandbox
/// refuses. A wrong one panics when the document is built, which every test does.
pub(crate) fn sample<T: serde::de::DeserializeOwned>(json: impl Into<serde_json::Value>) -> T {
    serde_json::from_value(json.into()).expect("valid example")
}

/// A request example with a name, for an operation the docs' walk-through calls more than once (an
/// application needs a KYC document and a bank statement): Swagger UI lists them by summary, in order.
pub(crate) struct NamedExample {
    pub name: &'static str,
    pub summary: &'static str,
    pub value: serde_json::Value,
}

impl NamedExample {
    /// Request bodies under their names and summaries, in order.
    pub fn all<T: poem_openapi::types::ToJSON, const N: usize>(
        examples: [(&'static str, &'static str, T); N],
    ) -> Vec<NamedExample> {
        examples
            .into_iter()
            .map(|(name, summary, request)| NamedExample {
                name,
                summary,
                value: request.to_json().unwrap_or_default(),
            })
            .collect()
    }
}

/// The operations with more than one request example, by operationId; every other operation's
/// example is its request body schema's.
pub(crate) fn named_request_examples() -> Vec<(&'static str, Vec<NamedExample>)> {
    vec![
        ("autoLoanDocuments", auto_loan::document_examples()),
        ("cibTransaction", cash_management::transaction_examples()),
    ]
}

/// What a request schema says beyond its fields, which poem-openapi's derive cannot write: exactly one
/// of several fields (`oneOf`), a field required with another, no unknown fields. Each family declares
/// its rules beside the type and the check that enforces them; the document's transform merges them
/// into the named component schema.
pub(crate) struct SchemaRule {
    pub schema: &'static str,
    /// JSON Schema keywords to set on the schema (`oneOf`, `anyOf`, `additionalProperties`, ...), or
    /// under `properties` to tighten one field.
    pub rule: serde_json::Value,
}

impl SchemaRule {
    /// `field` is present and not `null`: required, and of its type(s) — the field's own schema
    /// says the rest.
    pub fn present<T: poem_openapi::types::Type>(field: &str) -> serde_json::Value {
        let schema = serde_json::to_value(T::schema_ref()).unwrap_or_default();
        let types = |schema: &serde_json::Value| -> Vec<serde_json::Value> {
            match schema.get("type") {
                Some(ty) => vec![serde_json::json!({ "type": ty })],
                None => schema
                    .get("anyOf")
                    .and_then(serde_json::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|branch| Some(serde_json::json!({ "type": branch.get("type")? })))
                    .collect(),
            }
        };
        let kind = match schema.get("$ref") {
            Some(_) => schema.clone(),
            None => match types(&schema).as_slice() {
                [one] => one.clone(),
                many => serde_json::json!({ "anyOf": many }),
            },
        };
        serde_json::json!({ "required": [field], "properties": { field: kind } })
    }
}

/// Every family's schema rules.
pub(crate) fn schema_rules() -> Vec<SchemaRule> {
    [
        building_blocks::schema_rules(),
        auto_loan::schema_rules(),
        iwish::schema_rules(),
        trade::schema_rules(),
        offers::schema_rules(),
        payments::schema_rules(),
        cash_management::schema_rules(),
        control::schema_rules(),
        oauth::schema_rules(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The gateway's table of operations, from the same metadata as the spec.
pub fn operations() -> Operations {
    Operations::from_meta(Apis::meta())
}

const DESCRIPTION: &str = "\
A sandbox of the bank's API Banking catalogue: the same paths, fields and codes as the bank, with \
deterministic answers, magic test values and per-app state.\n\n\
**Credentials.** Send the header `apikey: sandbank-demo-key` (the demo app) on every business call — use \
**Authorize** above — or `Authorization: Bearer <jwt>` from `POST /oauth2/token` (client credentials; the \
demo app's are `sandbank-demo` / `sandbank-demo-secret`). Token scopes are the family names; a token \
lacking the family's scope answers 403.\n\n\
**Quotas.** Each app's plan allows a number of business calls per day of its sandbox clock (Sandbox \
10 000, Premium unlimited). `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` \
(seconds) come on every answer to a limited app; past the quota, 429 with `Retry-After`.\n\n\
**Scenarios.** The header `x-sandbox-scenario` (`timeout`, `server-error`, `slow:<ms>`, \
`rate-limited`, `unauthorized`) rehearses failure handling on any call; `GET /sandbox/readiness` reports \
which failures the app's integration has handled, and how.\n\n\
**Encryption.** Apps created with `encryption: true` send business calls in either of the bank's \
schemes — the hybrid envelope (an AES-128/192/256-CBC session key under RSA PKCS#1 v1.5) or scheme A \
(`text/plain`, the whole JSON under RSA) — and are answered in the scheme they used, with the sandbox \
bank's 4096-bit key at `GET /sandbox/keys/bank.pem` (certificate: `bank.cer`). `X-ID-Fingerprint` is \
checked over the plaintext JSON. Gateway errors stay plain.\n\n\
**Errors.** Gateway errors (credentials, schema validation, body size) answer \
`{\"success\":false,\"response\":<code>,\"errormessage\":\"...\"}`; business declines keep each family's own \
envelope with HTTP 200, as the bank does.\n\n\
**Money** is answered as decimal strings (`\"1500.50\"`). Requests may send amounts as strings or JSON \
numbers (`1500.5`), as partner code written for the bank does; a number is read from its decimal text, \
never through a float.";

/// The OpenAPI service: the handlers and the document generated from them. The gateway's headers —
/// `x-sandbox-scenario` on every request, `X-RateLimit-*` on every answer — are declared here once for
/// every operation, since the gateway (not the handlers) reads and writes them.
pub(crate) fn api_service(sandbox: Arc<Sandbox>) -> OpenApiService<Apis, ()> {
    OpenApiService::new(apis(sandbox), "sandbank", env!("CARGO_PKG_VERSION"))
        // No `.summary(..)`: `info.summary` is OpenAPI 3.1, and the document is 3.0.
        .description(DESCRIPTION)
        .extra_request_header::<scenario::ScenarioHeader, _>(
            ExtraHeader::new(scenario::HEADER).description(scenario::DESCRIPTION),
        )
        .extra_response_header::<Option<u32>, _>(ExtraHeader::new("X-RateLimit-Limit").description(
            "The app's daily quota of business calls (absent for unlimited plans and unauthenticated calls).",
        ))
        .extra_response_header::<Option<u32>, _>(
            ExtraHeader::new("X-RateLimit-Remaining")
                .description("Business calls left today on the app's sandbox clock."),
        )
        .extra_response_header::<Option<u64>, _>(
            ExtraHeader::new("X-RateLimit-Reset")
                .description("Seconds until the quota resets (the app's next midnight IST)."),
        )
        .license(LicenseObject::new("MIT").url("https://opensource.org/licenses/MIT"))
        // Relative: Swagger UI's "Try it out" and generated clients call the server that served the
        // document, wherever it runs.
        .server(ServerObject::new("/").description("this sandbank"))
}
