//! Credentials: the bank's `apikey` header, declared as a poem-openapi security scheme so that it shows in
//! the spec and in Swagger UI's "Authorize", and resolved to the calling [`App`].

use std::sync::Arc;

use poem::Request;
use poem_openapi::{auth::ApiKey, SecurityScheme};

use super::{error::Rejection, state::App, Sandbox};

/// The bank gateway's API key, sent as the `apikey` header on every business call. The demo app's key is
/// `sandbank-demo-key`.
#[derive(SecurityScheme)]
#[oai(
    rename = "apikey",
    ty = "api_key",
    key_name = "apikey",
    key_in = "header",
    checker = "resolve_app"
)]
pub struct AppKey(pub Arc<App>);

async fn resolve_app(request: &Request, key: ApiKey) -> poem::Result<Arc<App>> {
    let sandbox = request
        .data::<Arc<Sandbox>>()
        .expect("the sandbox is attached to every request");
    let app = sandbox.apps.by_apikey(&key.key).ok_or_else(|| {
        Rejection::unauthorized("Authentication failed: the `apikey` is not registered")
    })?;
    tracing::Span::current().record("app", app.id.as_str());
    Ok(app)
}
