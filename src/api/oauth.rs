//! `POST /oauth2/token`: OAuth2 client credentials (RFC 6749 §4.4). The body is form-encoded or JSON;
//! the client authenticates in the body or with HTTP Basic. Errors use RFC 6749 §5.2 bodies
//! (`invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type`, `invalid_scope`),
//! not the gateway envelope: OAuth client libraries parse them.

use crate::sandbox::bank::store::outcome;
use poem::{
    http::{header, HeaderValue},
    web::headers::{authorization::Basic, Authorization, Header},
    Request, RequestBody,
};
use poem_openapi::{
    payload::Json,
    registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry},
    types::Type,
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, Object,
};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::sandbox::{
    gateway::{
        apps::App,
        error::OpenRejection,
        payload::form_pairs,
        scopes::{ScopeSet, SCOPES},
        tokens::TOKEN_TTL_SECS,
    },
    Sandbox,
};

use super::ApiTags;

family_api!(OAuthApi);

/// What [`issue`] accepts: only `client_credentials`, and scopes by name, separated by spaces (or
/// commas); the client may authenticate in the body or with HTTP Basic, so neither field is required.
pub fn schema_rules() -> Vec<super::SchemaRule> {
    let name = format!(
        "(?:{})",
        SCOPES
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join("|")
    );
    vec![super::SchemaRule {
        schema: "TokenRequest",
        rule: serde_json::json!({
            "required": ["grant_type"],
            "properties": {
                "grant_type": { "enum": ["client_credentials"] },
                "scope": { "pattern": format!("^\\s*[ ,]*(?:{name}(?:[ ,]+{name})*[ ,]*)?\\s*$") },
            },
        }),
    }]
}

/// A client-credentials token request.
#[derive(Object, Deserialize, Debug, Default)]
#[oai(skip_serializing_if_is_none, example)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: Option<String>,
    /// The app's client_id (or send it with HTTP Basic).
    pub client_id: Option<String>,
    /// The app's client_secret (or send it with HTTP Basic).
    pub client_secret: Option<String>,
    /// Space-separated family scopes; all the app's scopes when absent.
    pub scope: Option<String>,
}

impl poem_openapi::types::Example for TokenRequest {
    fn example() -> Self {
        Self {
            grant_type: Some("client_credentials".into()),
            client_id: Some("sandbank-demo".into()),
            client_secret: Some("sandbank-demo-secret".into()),
            scope: Some("building-blocks payments".into()),
        }
    }
}

/// The token.
#[derive(Object, Debug)]
pub struct TokenResponse {
    /// A JWT: send it as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds the token lives (3600).
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// An RFC 6749 §5.2 error.
#[derive(Object, Debug)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type` or
    /// `invalid_scope`.
    pub error: String,
    pub error_description: String,
}

#[derive(ApiResponse)]
pub enum TokenAnswer {
    /// The token (never cached).
    #[oai(status = 200)]
    Ok(
        Json<TokenResponse>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Pragma")] String,
    ),
    /// `invalid_request`, `invalid_grant` (the app is disabled), `unsupported_grant_type`,
    /// `invalid_scope`.
    #[oai(status = 400)]
    BadRequest(Json<OAuthError>),
    /// `invalid_client`: unknown client or wrong secret.
    #[oai(status = 401)]
    Unauthorized(Json<OAuthError>, #[oai(header = "WWW-Authenticate")] String),
}

impl TokenAnswer {
    fn bad(error: &str, description: impl Into<String>) -> Self {
        TokenAnswer::BadRequest(Json(OAuthError {
            error: error.into(),
            error_description: description.into(),
        }))
    }

    fn invalid_client(description: impl Into<String>) -> Self {
        TokenAnswer::Unauthorized(
            Json(OAuthError {
                error: "invalid_client".into(),
                error_description: description.into(),
            }),
            "Basic realm=\"sandbank\"".into(),
        )
    }
}

/// The request as read: the fields (form or JSON) and the HTTP Basic credentials, if sent. Reading
/// never fails here, so that every problem answers in RFC 6749 form.
pub struct TokenBody {
    fields: Result<TokenRequest, String>,
    basic: Option<Result<(String, String), String>>,
}

#[poem_openapi::OpenApi(tag = "ApiTags::OAuth2")]
impl OAuthApi {
    /// Get an access token
    ///
    /// OAuth2 client credentials (RFC 6749 §4.4): `grant_type=client_credentials` with the app's
    /// `client_id` and `client_secret` (in the body, or as HTTP Basic), form-encoded or JSON. Answers a
    /// JWT valid for one hour, to send as `Authorization: Bearer` wherever `apikey` works. Ask for
    /// fewer `scope`s than the app has to hand out a narrower token; a call to a family outside the
    /// token's scopes answers 403.
    #[oai(path = "/oauth2/token", method = "post", operation_id = "oauthToken")]
    async fn token(&self, body: TokenBody) -> Result<TokenAnswer, OpenRejection> {
        // The gateway's own refusals (body limit, scenarios) come before this; the error type only
        // documents them.
        Ok(issue(&self.sandbox, body))
    }
}

fn issue(sandbox: &Sandbox, body: TokenBody) -> TokenAnswer {
    let fields = match body.fields {
        Ok(fields) => fields,
        Err(reason) => return TokenAnswer::bad("invalid_request", reason),
    };
    match fields.grant_type.as_deref() {
        None => return TokenAnswer::bad("invalid_request", "`grant_type` is missing"),
        Some("client_credentials") => {}
        Some(other) => {
            return TokenAnswer::bad(
                "unsupported_grant_type",
                format!("only `client_credentials` is supported, not `{other}`"),
            )
        }
    }
    let (client_id, client_secret) =
        match credentials(body.basic, fields.client_id, fields.client_secret) {
            Ok(credentials) => credentials,
            Err(refused) => return refused,
        };
    let Some(app) = outcome::or_failed(sandbox.app_by_client_id(&client_id)).filter(|app| {
        bool::from(
            app.credentials
                .client_secret
                .as_bytes()
                .ct_eq(client_secret.as_bytes()),
        )
    }) else {
        return TokenAnswer::invalid_client("unknown client_id or wrong client_secret");
    };
    if !app.is_enabled() {
        return TokenAnswer::bad("invalid_grant", "the app is disabled");
    }
    let scopes = match granted(fields.scope.as_deref(), &app) {
        Ok(scopes) => scopes,
        Err(refused) => return refused,
    };
    match sandbox.tokens.issue(&app, scopes) {
        Ok(token) => TokenAnswer::Ok(
            Json(TokenResponse {
                access_token: token,
                token_type: "Bearer".into(),
                expires_in: TOKEN_TTL_SECS,
                scope: scopes.to_oauth_string(),
            }),
            "no-store".into(),
            "no-cache".into(),
        ),
        Err(e) => {
            tracing::error!(error = %e, "could not sign a token");
            TokenAnswer::bad("invalid_request", "the sandbox could not sign the token")
        }
    }
}

/// The client's id and secret: in the body or as HTTP Basic, not both (a body repeating Basic's
/// client_id is fine).
// The refusal is the answer itself, built at most once a request: boxing it would buy nothing.
#[allow(clippy::result_large_err)]
fn credentials(
    basic: Option<Result<(String, String), String>>,
    client_id: Option<String>,
    client_secret: Option<String>,
) -> Result<(String, String), TokenAnswer> {
    match (basic, client_id, client_secret) {
        (Some(Err(reason)), _, _) => Err(TokenAnswer::invalid_client(reason)),
        // Some clients (Swagger UI among them) repeat the client_id in the body next to Basic.
        (Some(Ok(basic)), None, None) => Ok(basic),
        (Some(Ok(basic)), Some(id), None) if id == basic.0 => Ok(basic),
        (Some(Ok(_)), _, _) => Err(TokenAnswer::bad(
            "invalid_request",
            "authenticate the client one way: HTTP Basic or the body, not both",
        )),
        (None, Some(id), Some(secret)) => Ok((id, secret)),
        (None, _, _) => Err(TokenAnswer::invalid_client(
            "send `client_id` and `client_secret`, in the body or as HTTP Basic",
        )),
    }
}

/// The scopes the token carries: the app's, or the narrower set asked for.
#[allow(clippy::result_large_err)]
fn granted(scope: Option<&str>, app: &App) -> Result<ScopeSet, TokenAnswer> {
    let scopes = match scope.map(str::trim) {
        None | Some("") => app.scopes,
        Some(requested) => match ScopeSet::parse([requested]) {
            Err(unknown) => {
                let known: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
                return Err(TokenAnswer::bad(
                    "invalid_scope",
                    format!(
                        "unknown scope {}: use {}",
                        unknown.join(", "),
                        known.join(" ")
                    ),
                ));
            }
            Ok(set) if !set.families().is_subset_of(app.scopes) => {
                return Err(TokenAnswer::bad(
                    "invalid_scope",
                    format!(
                        "the app may only be granted: {} (and sandbox)",
                        app.scopes.to_oauth_string()
                    ),
                ))
            }
            Ok(set) => set,
        },
    };
    Ok(scopes)
}

const FORM: &str = "application/x-www-form-urlencoded";
const TOKEN_FORM: &str = "TokenForm";
const JSON: &str = "application/json";

impl<'a> ApiExtractor<'a> for TokenBody {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        TokenRequest::register(registry);
        // The form body's schema: TokenRequest's fields under a name of its own (see request_meta).
        if let Some(json) = registry.schemas.get("TokenRequest").cloned() {
            registry.schemas.insert(
                TOKEN_FORM.to_string(),
                MetaSchema {
                    title: Some("TokenForm".to_string()),
                    description: Some(
                        "A client-credentials token request, form-encoded (RFC 6749).",
                    ),
                    ..json
                },
            );
        }
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: Some("Form-encoded (RFC 6749) or JSON."),
            // The same fields either way, but the form's schema has a name of its own: generated
            // clients tell the two bodies apart by type, and with one shared type cannot choose the
            // encoding.
            content: vec![
                MetaMediaType {
                    content_type: FORM,
                    schema: MetaSchemaRef::Reference(TOKEN_FORM.to_string()),
                },
                MetaMediaType {
                    content_type: JSON,
                    schema: TokenRequest::schema_ref(),
                },
            ],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let bytes = match body.take() {
            Ok(body) => body.into_vec().await.unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        let content_type = request.content_type().unwrap_or_default();
        let fields = if content_type.starts_with(FORM) {
            Ok(from_form(&bytes))
        } else if content_type.starts_with(JSON) || content_type.ends_with("+json") {
            serde_json::from_slice::<TokenRequest>(&bytes)
                .map_err(|e| format!("the JSON body does not parse: {e}"))
        } else {
            Err(format!(
                "send the body as {FORM} or {JSON}, not `{content_type}`"
            ))
        };
        let basic = request
            .headers()
            .get(header::AUTHORIZATION)
            .filter(|v| v.to_str().is_ok_and(|v| v.starts_with("Basic ")))
            .map(parse_basic);
        Ok(TokenBody { fields, basic })
    }
}

fn from_form(bytes: &[u8]) -> TokenRequest {
    let mut request = TokenRequest::default();
    for (key, value) in form_pairs(bytes) {
        let slot = match key.as_str() {
            "grant_type" => &mut request.grant_type,
            "client_id" => &mut request.client_id,
            "client_secret" => &mut request.client_secret,
            "scope" => &mut request.scope,
            _ => continue,
        };
        *slot = Some(value);
    }
    request
}

/// `Basic base64(client_id:client_secret)`, each part form-encoded (RFC 6749 §2.3.1).
fn parse_basic(value: &HeaderValue) -> Result<(String, String), String> {
    let basic = Authorization::<Basic>::decode(&mut std::iter::once(value)).map_err(|_| {
        "the HTTP Basic credentials are not base64(client_id:client_secret)".to_string()
    })?;
    let (id, secret) = (basic.username(), basic.password());
    let unescape = |part: &str| {
        form_pairs(format!("x={part}").as_bytes())
            .pop()
            .map(|(_, value)| value)
            .unwrap_or_default()
    };
    Ok((unescape(id), unescape(secret)))
}
