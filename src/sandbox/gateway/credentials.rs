//! Credentials: the bank's `apikey` header, or `Authorization: Bearer <jwt>` from `POST /oauth2/token`,
//! resolved once by the gateway into a [`Caller`] before routing. Handlers take [`AppKey`], which
//! declares the security schemes in the spec (so Swagger UI's "Authorize" offers the apikey, a pasted
//! token, or the client-credentials flow) and hands them the calling [`App`].

use crate::sandbox::bank::store::outcome;
use std::sync::Arc;

use poem::{http::header, Request, RequestBody};
use poem_openapi::{
    registry::{MetaOAuthFlow, MetaOAuthFlows, MetaOAuthScope, MetaSecurityScheme, Registry},
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
};

use crate::sandbox::{
    gateway::{
        apps::App,
        error::Rejection,
        operations::Operation,
        scopes::{control_need, ControlNeed, Scope, ScopeSet, SCOPES},
    },
    Sandbox,
};

/// The calling app, for handlers: `auth.0` is the [`App`], `auth.1` what the caller may see of the
/// control plane. Accepts the `apikey` header or a bearer token wherever either is declared.
pub struct AppKey(pub Arc<App>, pub Reach);

/// What a caller may see of the app's control plane: everything (the `apikey`, a token with every
/// scope of its app or with `sandbox`), or only what belongs to the families of a narrower token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    All,
    Families(ScopeSet),
}

impl Reach {
    /// Whether a request-log entry or callback of this family (`None`: the control plane itself) is
    /// shown.
    pub fn sees(self, scope: Option<Scope>) -> bool {
        match self {
            Reach::All => true,
            Reach::Families(scopes) => scope.is_some_and(|s| scopes.contains(s)),
        }
    }
}

/// How the caller proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    ApiKey,
    Bearer,
}

impl Credential {
    pub fn name(self) -> &'static str {
        match self {
            Credential::ApiKey => "apikey",
            Credential::Bearer => "bearer",
        }
    }
}

/// An authenticated caller, attached to the request by the gateway.
#[derive(Debug, Clone)]
pub struct Caller {
    pub app: Arc<App>,
    pub credential: Credential,
    /// What this call may reach: the app's scopes, narrowed to the token's for a bearer call.
    pub scopes: ScopeSet,
}

impl Caller {
    pub fn reach(&self) -> Reach {
        let whole_app = self.app.scopes.families().is_subset_of(self.scopes);
        if self.credential == Credential::ApiKey
            || whole_app
            || self.scopes.contains(Scope::SANDBOX)
        {
            Reach::All
        } else {
            Reach::Families(self.scopes)
        }
    }
}

/// A refused call; `caller` is known when the credentials were good but the call is not allowed (403),
/// so that the refusal still shows in the app's request log.
#[derive(Debug)]
pub struct Refusal {
    pub caller: Option<Caller>,
    pub rejection: Rejection,
}

/// 401 to a call with neither credential.
pub const NO_CREDENTIALS: &str =
    "Authentication failed: send the `apikey` header or `Authorization: Bearer <token>`";

/// 403 to a disabled app.
pub const APP_DISABLED: &str = "This app is disabled (DELETE /sandbox/apps/me); create a new one";

/// Resolves the request's credentials and checks that they may call `operation`: 401 for missing or
/// bad credentials, 403 for a disabled app or a missing scope.
pub fn authenticate(
    sandbox: &Sandbox,
    request: &Request,
    operation: &Operation,
) -> Result<Caller, Refusal> {
    let caller = identify(sandbox, request).map_err(|rejection| Refusal {
        caller: None,
        rejection,
    })?;
    caller.app.touch();
    let refuse = |message: String| Refusal {
        caller: Some(caller.clone()),
        rejection: Rejection::forbidden(message),
    };
    if !caller.app.is_enabled() {
        return Err(refuse(APP_DISABLED.into()));
    }
    if operation.scope.is_none() {
        if let Err(needed) = may_control(&caller, operation.id) {
            return Err(refuse(format!(
                "The token lacks the `{needed}` scope this sandbox operation needs (granted: {}); \
                 the apikey, a token with all the app's scopes, or one with `sandbox` may call it",
                caller.scopes.to_oauth_string()
            )));
        }
    }
    if let Some(scope) = operation.scope {
        if !caller.scopes.contains(scope) {
            let granted = caller.scopes.to_oauth_string();
            return Err(refuse(format!(
                "The {} lacks the `{}` scope this API needs (granted: {})",
                match caller.credential {
                    Credential::ApiKey => "app",
                    Credential::Bearer => "token",
                },
                scope.name(),
                if granted.is_empty() { "none" } else { &granted },
            )));
        }
    }
    Ok(caller)
}

/// Whether a caller may call a control-plane operation; the scope it lacks when not.
fn may_control(caller: &Caller, operation_id: &str) -> Result<(), &'static str> {
    let Reach::Families(scopes) = caller.reach() else {
        return Ok(());
    };
    match control_need(operation_id) {
        ControlNeed::Any | ControlNeed::Filtered => Ok(()),
        ControlNeed::Family(scope) if scopes.contains(scope) => Ok(()),
        ControlNeed::Family(scope) => Err(scope.name()),
        ControlNeed::Sandbox => Err(Scope::SANDBOX.name()),
    }
}

/// Who the request's credentials name (an apikey or a bearer token), before anything else is checked.
pub fn identify(sandbox: &Sandbox, request: &Request) -> Result<Caller, Rejection> {
    if let Some(key) = request.headers().get("apikey") {
        let found = match key.to_str() {
            Ok(key) => sandbox
                .app_by_apikey(key)
                .map_err(|_| outcome::unavailable())?,
            Err(_) => None,
        };
        let app = found.ok_or_else(|| {
            Rejection::unauthorized("Authentication failed: the `apikey` is not registered")
        })?;
        let scopes = app.scopes;
        return Ok(Caller {
            app,
            credential: Credential::ApiKey,
            scopes,
        });
    }
    let Some(authorization) = request.headers().get(header::AUTHORIZATION) else {
        return Err(Rejection::unauthorized(NO_CREDENTIALS));
    };
    let token = authorization
        .to_str()
        .ok()
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            Rejection::unauthorized(
                "Authentication failed: the Authorization header must be `Bearer <token>`",
            )
        })?;
    let claims = sandbox
        .tokens
        .verify(token)
        .map_err(|reason| Rejection::unauthorized(format!("Authentication failed: {reason}")))?;
    let found = sandbox
        .app_by_client_id(&claims.sub)
        .map_err(|_| outcome::unavailable())?;
    let app = found.ok_or_else(|| {
        Rejection::unauthorized("Authentication failed: the token's client is not registered")
    })?;
    let granted = ScopeSet::parse([claims.scope.as_str()]).unwrap_or_default();
    // Any app may grant `sandbox`; the families are the app's own.
    let grantable = app.scopes.bits() | ScopeSet::from_bits(0).with(Scope::SANDBOX).bits();
    let scopes = ScopeSet::from_bits(granted.bits() & grantable);
    Ok(Caller {
        app,
        credential: Credential::Bearer,
        scopes,
    })
}

/// The security schemes [`AppKey`] declares.
const SCHEMES: [&str; 3] = ["apikey", "bearer", "oauth2"];

impl<'a> ApiExtractor<'a> for AppKey {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        registry.create_security_scheme(
            "apikey",
            MetaSecurityScheme {
                ty: "apiKey",
                description: Some(
                    "The bank gateway's API key, sent as the `apikey` header on every business call. \
                     The demo app's key is `sandbank-demo-key`.",
                ),
                name: Some("apikey"),
                key_in: Some("header"),
                scheme: None,
                bearer_format: None,
                flows: None,
                openid_connect_url: None,
            },
        );
        registry.create_security_scheme(
            "bearer",
            MetaSecurityScheme {
                ty: "http",
                description: Some(
                    "`Authorization: Bearer <jwt>` with a token from `POST /oauth2/token`. A token \
                     lacking the family's scope (the operation's tag) is refused with 403.",
                ),
                name: None,
                key_in: None,
                scheme: Some("bearer"),
                bearer_format: Some("JWT"),
                flows: None,
                openid_connect_url: None,
            },
        );
        registry.create_security_scheme(
            "oauth2",
            MetaSecurityScheme {
                ty: "oauth2",
                description: Some(
                    "OAuth2 client credentials: Swagger UI fetches the token from `/oauth2/token` with \
                     the app's client_id and client_secret (the demo app: `sandbank-demo` / \
                     `sandbank-demo-secret`). Scopes are the family names.",
                ),
                name: None,
                key_in: None,
                scheme: None,
                bearer_format: None,
                flows: Some(MetaOAuthFlows {
                    implicit: None,
                    password: None,
                    client_credentials: Some(MetaOAuthFlow {
                        authorization_url: None,
                        token_url: Some("/oauth2/token"),
                        refresh_url: None,
                        scopes: SCOPES
                            .iter()
                            .map(|(name, description)| MetaOAuthScope {
                                name,
                                description: Some(description),
                            })
                            .collect(),
                    }),
                    authorization_code: None,
                }),
                openid_connect_url: None,
            },
        );
    }

    fn security_schemes() -> Vec<&'static str> {
        SCHEMES.to_vec()
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        // The gateway authenticated the call before routing (see `gateway`); an operation declaring
        // `AppKey` is never reached without a caller.
        request
            .extensions()
            .get::<Caller>()
            .map(|caller| AppKey(caller.app.clone(), caller.reach()))
            .ok_or_else(|| {
                Rejection::unauthorized("Authentication failed: the `apikey` header is missing")
                    .into()
            })
    }
}
