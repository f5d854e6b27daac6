//! Steps 3, 4 and 7 for an encrypted app's business call: the body opened (or a `text/plain` body
//! refused for an app without encryption), the `X-ID-Fingerprint` checked, and the answer sealed in
//! the request's scheme. Steps 5 and 6 run in between ([`rehearse`]).

use bytes::Bytes;
use poem::{
    http::{header, HeaderValue, StatusCode},
    Body, Endpoint, Request, Response,
};

use crate::sandbox::{
    gateway::{
        apps::App,
        credentials::Caller,
        encryption::{
            self,
            fingerprint::{self, Signed},
            Echo, Scheme, FINGERPRINT_HEADER,
        },
        error::{GatewayErrorMarker, Rejection, BACKEND_ERROR},
        operations::Operation,
        request_log::KeptBody,
        scenario::Scenario,
    },
    Sandbox,
};

use crate::sandbox::gateway::{rehearsal::rehearse, trip::Trip};

/// Steps 3 to 7 for an authenticated call.
#[allow(clippy::too_many_arguments)]
pub(super) async fn pass<E: Endpoint>(
    inner: &E,
    sandbox: &Sandbox,
    operation: &Operation,
    caller: &Caller,
    mut request: Request,
    body: Bytes,
    scenario: Option<Scenario>,
    trip: &mut Trip,
) -> Result<Response, Rejection> {
    let app = &caller.app;
    let sealed = app.encrypted() && operation.is_business();
    let mut scheme = encryption::BODILESS;
    let mut echo = Echo {
        request_id: String::new(),
        service: operation.id.to_string(),
    };
    let mut opened = None;
    if sealed && operation.has_body {
        let open = encryption::open_request(&sandbox.bank_key, &body, operation.id)?;
        scheme = open.scheme;
        echo = open.echo;
        trip.entry.request = KeptBody::new(&open.plaintext, Some("application/json"));
        opened = Some(open.plaintext);
    } else if operation.is_business() && operation.has_body && is_text_plain(&request) {
        return Err(not_an_encrypted_app());
    }
    if let Some(fingerprint) = request.headers().get(FINGERPRINT_HEADER) {
        let signed = Signed {
            apikey: &app.credentials.apikey,
            plaintext: opened.as_deref().unwrap_or(&body),
            sealed: opened.as_ref().map(|_| &body[..]),
        };
        fingerprint::check(
            &sandbox.bank_key,
            fingerprint.to_str().unwrap_or_default(),
            signed,
        )?;
    }
    if sealed {
        trip.entry.encrypted = true;
    }
    if let Some(plaintext) = opened {
        let headers = request.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.remove(header::CONTENT_LENGTH);
        request.set_body(plaintext);
    }
    let response = rehearse(inner, request, scenario, sandbox.gateway.timeout).await?;
    if !sealed || response.extensions().get::<GatewayErrorMarker>().is_some() {
        return Ok(response);
    }
    seal(sandbox, app, response, scheme, &echo, &body, trip).await
}

/// Step 7: the business answer, sealed for the app in the request's scheme.
async fn seal(
    sandbox: &Sandbox,
    app: &App,
    response: Response,
    scheme: Scheme,
    echo: &Echo,
    body: &[u8],
    trip: &mut Trip,
) -> Result<Response, Rejection> {
    let (parts, answer) = response.into_parts();
    let answer = answer.into_bytes().await.unwrap_or_default();
    trip.entry.answer = KeptBody::new(&answer, Some("application/json"));
    let public_key = app.public_key().expect("encrypted apps have a key");
    let mut context = app.id.as_bytes().to_vec();
    context.extend_from_slice(body);
    let sealed = encryption::seal_answer(
        public_key,
        scheme,
        &answer,
        echo,
        sandbox.determinism.seed(),
        &context,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "could not encrypt an answer");
        Rejection::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            BACKEND_ERROR,
            "The sandbox could not encrypt the answer with the app's public key",
        )
    })?;
    let mut response = Response::from_parts(parts, Body::from(sealed.body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(sealed.content_type),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(response)
}

fn is_text_plain(request: &Request) -> bool {
    request
        .content_type()
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|mime| mime.type_() == "text" && mime.subtype() == "plain")
}

/// A `text/plain` body is scheme A, which only an encrypted app can send.
fn not_an_encrypted_app() -> Rejection {
    Rejection::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        415,
        "Content-Type text/plain carries scheme A (the whole JSON RSA-encrypted), and this app was created \
         without encryption: send the JSON as application/json, or create an app with `encryption: true` \
         and your RSA public key in `publicKeyPem` (POST /sandbox/apps)",
    )
}
