//! Steps 5 and 6: the `x-sandbox-scenario` rehearsed, then the operation itself within the gateway's
//! timeout.

use std::time::Duration;

use poem::{
    http::{header, HeaderValue, StatusCode},
    Endpoint, IntoResponse, Request, Response,
};

use crate::sandbox::gateway::{
    error::{into_envelope, Rejection, BACKEND_TIMEOUT},
    scenario::{self, Scenario},
};

/// Step 5 and 6: the scenario, then the operation within the gateway's timeout.
pub(super) async fn rehearse<E: Endpoint>(
    inner: &E,
    request: Request,
    scenario: Option<Scenario>,
    timeout: Duration,
) -> Result<Response, Rejection> {
    match scenario {
        Some(Scenario::ServerError) => return Err(Rejection::rehearsed_backend_error()),
        Some(Scenario::RateLimited(wait)) => {
            let rejection = Rejection::rehearsed_rate_limit();
            let Some(secs) = wait else {
                return Err(rejection);
            };
            let mut response = rejection.into_response();
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return Ok(response);
        }
        Some(Scenario::Unauthorized) => {
            return Err(Rejection::unauthorized(
                "Authentication failed: the token has expired (x-sandbox-scenario: unauthorized)",
            ))
        }
        _ => {}
    }
    let backend = async {
        match scenario {
            Some(Scenario::Slow(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
            Some(Scenario::Timeout) => std::future::pending::<()>().await,
            _ => {}
        }
        call(inner, request).await
    };
    tokio::time::timeout(timeout, backend).await.map_err(|_| {
        Rejection::new(
            StatusCode::GATEWAY_TIMEOUT,
            BACKEND_TIMEOUT,
            format!(
                "Backend read timeout: no answer within the gateway's {} ms",
                timeout.as_millis()
            ),
        )
    })
}

pub(super) async fn call<E: Endpoint>(inner: &E, request: Request) -> Response {
    // Boxed, like `handle` in `GatewayEndpoint::call`: the operations' futures are large, and every
    // future that holds one inline is copied whole each time it moves.
    match Box::pin(inner.call(request)).await {
        Ok(output) => output.into_response(),
        Err(err) => into_envelope(err).await,
    }
}

pub(super) fn scenario_of(request: &Request) -> Result<Option<Scenario>, Rejection> {
    request
        .headers()
        .get(scenario::HEADER)
        .map(|value| Scenario::parse(value.to_str().unwrap_or_default()))
        .transpose()
}
