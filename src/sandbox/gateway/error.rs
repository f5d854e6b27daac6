//! The gateway envelope `{"success":false,"response":<code>,"errormessage":"..."}`, and
//! the one converter that turns every framework error (parse, auth, routing, body size) into it, so that no
//! plain-text error ever reaches a partner.

use poem::{error::ResponseError, http::StatusCode, IntoResponse, Response};
use poem_openapi::{
    error::{
        AuthorizationError, ContentTypeError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    },
    registry::{MetaHeader, MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::{ToJSON, Type},
    ApiResponse, Object,
};

/// The bank gateway's error body. Business declines never use it: they keep each family's own envelope.
///
/// No example on the schema: each response that answers it carries its own, so a 401 shows the 401
/// envelope rather than one example for every status.
#[derive(Object, Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    /// Always `false`.
    pub success: bool,
    /// The gateway code: `401`, `403`, `404`, `405`, `408`, `413`, `415`, `429`, `8020` (object bound),
    /// `8017` (schema validation),
    /// `8016` (decryption), `8013` (backend timeout), `8010` (backend error).
    pub response: u32,
    /// What went wrong, naming the field where one is at fault.
    pub errormessage: String,
}

/// A request the gateway refuses: an HTTP status and the envelope. Returned by handlers as the error side
/// of their `Result`, and by [`into_envelope`] for errors raised before a handler runs.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// The HTTP status.
    pub status: StatusCode,
    /// The envelope the client reads.
    pub body: GatewayError,
    /// Seconds for a `Retry-After` header, when the refusal says when to come back.
    pub retry_after: Option<u64>,
}

/// The gateway's schema-validation code.
pub const SCHEMA_VALIDATION: u32 = 8017;
/// Request decryption failed (encrypted apps).
pub const DECRYPTION_FAILED: u32 = 8016;
/// The `X-ID-Fingerprint` does not match the apikey and body.
pub const FINGERPRINT_MISMATCH: u32 = 8015;
/// The backend did not answer within the gateway's timeout.
pub const BACKEND_TIMEOUT: u32 = 8013;
/// The backend failed.
pub const BACKEND_ERROR: u32 = 8010;

/// Marks a response as a gateway error: the encryption layer leaves these plain, as the bank does.
#[derive(Debug, Clone, Copy)]
pub struct GatewayErrorMarker;

impl Rejection {
    /// A refusal with this status, gateway code and message.
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            body: GatewayError {
                success: false,
                response: code,
                errormessage: message.into(),
            },
            retry_after: None,
        }
    }

    /// The same refusal, telling the client to retry after `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 400 + 8017 naming the field at fault (`field` empty when the whole body is at fault).
    pub fn schema(field: &str, reason: impl std::fmt::Display) -> Self {
        let message = if field.is_empty() || field == "." {
            format!("Schema validation failed: {reason}")
        } else {
            format!("Schema validation failed: field `{field}`: {reason}")
        };
        Self::new(StatusCode::BAD_REQUEST, SCHEMA_VALIDATION, message)
    }

    /// 401: no valid credential.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 401, message)
    }

    /// 403: the app may not call this (disabled, or without the family's scope).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, 403, message)
    }

    /// 400 + 8016: an encrypted app's request could not be opened.
    pub fn decryption(reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            DECRYPTION_FAILED,
            format!("Request decryption failed: {reason}"),
        )
    }

    /// 404: no such path or object.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, 404, message)
    }

    /// 504 + 8013: the backend did not answer in time (magic amounts ending `.96`, scenarios).
    pub fn backend_timeout() -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            8013,
            "Backend read timeout: the bank did not answer in time",
        )
    }

    /// 408: the body did not arrive in time (a trickling or never-ending body).
    pub fn body_timeout(deadline: std::time::Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            408,
            format!(
                "Request body not received within {} ms (--body-timeout-ms)",
                deadline.as_millis()
            ),
        )
    }

    /// 429: the app's plan quota for today is spent.
    pub fn quota_spent(limit: u32) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            format!(
                "The app's daily quota of {limit} calls is spent; it resets at midnight IST on the app's clock"
            ),
        )
    }

    /// 500 + 8010, rehearsed with `x-sandbox-scenario: server-error`.
    pub fn rehearsed_backend_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            BACKEND_ERROR,
            "Backend error (x-sandbox-scenario: server-error)",
        )
    }

    /// 429, rehearsed with `x-sandbox-scenario: rate-limited`.
    pub fn rehearsed_rate_limit() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            429,
            "Too many requests (x-sandbox-scenario: rate-limited)",
        )
    }

    /// 415: the body is not JSON (`None`: no `Content-Type` at all).
    pub fn unsupported_media_type(content_type: Option<&str>) -> Self {
        let message = match content_type {
            Some(content_type) => {
                format!("Content-Type `{content_type}` is not supported: send application/json")
            }
            None => "Content-Type header is missing: send application/json".to_string(),
        };
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, 415, message)
    }

    /// 413: the body is over the 1 MiB limit.
    pub fn payload_too_large() -> Self {
        Self::payload_over(1)
    }

    /// 413: the body is over `mib` MiB (16 for a snapshot document, 1 for everything else).
    pub fn payload_over(mib: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            413,
            format!("Request body is larger than {mib} MiB"),
        )
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.body.response, self.body.errormessage)
    }
}

impl std::error::Error for Rejection {}

impl ResponseError for Rejection {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        envelope_response(self)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        envelope_response(&self)
    }
}

fn envelope_response(rejection: &Rejection) -> Response {
    let mut builder = Response::builder()
        .status(rejection.status)
        .content_type("application/json; charset=utf-8")
        .extension(GatewayErrorMarker);
    if let Some(seconds) = rejection.retry_after {
        builder = builder.header(poem::http::header::RETRY_AFTER, seconds);
    }
    builder.body(rejection.body.to_json_string())
}

/// The gateway errors any authenticated JSON operation can answer, documented once for every
/// operation: the status and what causes it. The example each shows is built by the gateway's own
/// constructors, in the document (`crate::document::examples::documented_errors`).
pub const DOCUMENTED: &[(u16, &str)] = &[
    (400, "Schema validation failed (`response` 8017): malformed JSON, a wrong type, a missing field or a bad format; the message names the field."),
    (401, "Missing or unknown `apikey`, or a bad bearer token: expired, not yet valid, wrong signature, algorithm, issuer or audience, malformed; or `x-sandbox-scenario: unauthorized` (`response` 401)."),
    (403, "The token lacks the family's scope, or the app is disabled (`response` 403)."),
    (408, "The request body did not arrive within the server's body deadline (`response` 408)."),
    (413, "Request body over 1 MiB (16 MiB for a snapshot document; `response` 413)."),
    (415, "`Content-Type` is not `application/json` (`response` 415)."),
    (429, "The app's daily plan quota is spent, or `x-sandbox-scenario: rate-limited` (`response` 429); `Retry-After` says when to retry. Or, for an operation that creates an object, the app's object bound is reached and nothing open can make room (`response` 8020): nothing changed; let pending objects settle or reset the app."),
    (500, "Backend error: only with `x-sandbox-scenario: server-error` (`response` 8010)."),
    (504, "Backend timeout: `x-sandbox-scenario: timeout`, or a magic amount ending `.96` (`response` 8013)."),
];

/// The gateway errors an operation without credentials can still answer: the body limit and the
/// rehearsal scenarios, which the gateway applies before the operation reads anything.
const DOCUMENTED_OPEN: &[u16] = &[408, 413, 429, 500, 504];

impl ApiResponse for Rejection {
    fn meta() -> MetaResponses {
        documented(|_| true)
    }

    fn register(registry: &mut Registry) {
        GatewayError::register(registry);
    }
}

/// A [`Rejection`] from an operation that answers its own errors in another shape (the OAuth2 token
/// endpoint's RFC 6749 body): documents only what the gateway answers in front of it.
pub struct OpenRejection(pub Rejection);

impl From<OpenRejection> for poem::Error {
    fn from(rejection: OpenRejection) -> Self {
        rejection.0.into()
    }
}

impl ApiResponse for OpenRejection {
    fn meta() -> MetaResponses {
        documented(|status| DOCUMENTED_OPEN.contains(&status))
    }

    fn register(registry: &mut Registry) {
        GatewayError::register(registry);
    }
}

fn documented(include: impl Fn(u16) -> bool) -> MetaResponses {
    MetaResponses {
        responses: DOCUMENTED
            .iter()
            .copied()
            .filter(|(status, _)| include(*status))
            .map(|(status, description)| MetaResponse {
                description,
                status: Some(status),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/json; charset=utf-8",
                    schema: GatewayError::schema_ref(),
                }],
                headers: if status == 429 {
                    vec![MetaHeader {
                        name: "Retry-After".into(),
                        description: Some(
                            "Seconds until the quota resets (the app's next midnight IST).".into(),
                        ),
                        required: true,
                        deprecated: false,
                        schema: u64::schema_ref(),
                    }]
                } else {
                    vec![]
                },
            })
            .collect(),
    }
}

/// Converts any error escaping the routes into the envelope: installed once with `catch_all_error`.
pub async fn into_envelope(err: poem::Error) -> Response {
    rejection_for(&err).into_response()
}

fn rejection_for(err: &poem::Error) -> Rejection {
    if let Some(rejection) = err.downcast_ref::<Rejection>() {
        return rejection.clone();
    }
    if let Some(e) = err.downcast_ref::<ParseParamError>() {
        return Rejection::schema(e.name, parameter_reason(&e.reason));
    }
    if let Some(e) = err.downcast_ref::<ParsePathError>() {
        // poem-openapi names path parameters by position (`param0`); every sandbank path has at most
        // one, and its parser's message says what it is ("IFSC must be ...").
        return Rejection::schema("", parameter_reason(&e.reason));
    }
    if let Some(e) = err.downcast_ref::<ParseRequestPayloadError>() {
        return Rejection::schema("", &e.reason);
    }
    if let Some(e) = err.downcast_ref::<ContentTypeError>() {
        return Rejection::unsupported_media_type(match e {
            ContentTypeError::NotSupported { content_type } => Some(content_type),
            ContentTypeError::ExpectContentType => None,
        });
    }
    if err.is::<AuthorizationError>() {
        return Rejection::unauthorized("Authentication failed: the `apikey` header is missing");
    }
    match err.status() {
        StatusCode::NOT_FOUND => Rejection::not_found("No such API: check the path"),
        StatusCode::METHOD_NOT_ALLOWED => Rejection::new(
            StatusCode::METHOD_NOT_ALLOWED,
            405,
            "Method not allowed on this path",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => Rejection::payload_too_large(),
        StatusCode::BAD_REQUEST => Rejection::schema("", err.to_string()),
        status if status.is_client_error() => {
            Rejection::new(status, u32::from(status.as_u16()), err.to_string())
        }
        status => {
            // Nothing a client sends should reach here; keep the envelope and log loudly.
            tracing::error!(%status, error = %err, "unexpected server error");
            Rejection::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                8010,
                "Internal error in the sandbox",
            )
        }
    }
}

/// A handler that panicked: the envelope (500, `8010`) instead of a dropped connection, logged as an
/// error. Installed once around every route with `CatchPanic`; conformance runs treat it as a failure.
pub fn panic_envelope(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %message, "handler panicked");
    Rejection::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        8010,
        "Internal error in the sandbox",
    )
    .into_response()
}

/// poem-openapi's parameter messages, in the words of the rest of the gateway.
fn parameter_reason(reason: &str) -> &str {
    if reason.contains("expects an input value") {
        return "is required";
    }
    // `failed to parse "Ifsc": must be ...` → `must be ...`
    match reason.split_once("\": ") {
        Some((head, rest)) if head.starts_with("failed to parse \"") => rest,
        _ => reason,
    }
}
