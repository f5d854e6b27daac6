//! How a store failure reaches the answer without every handler carrying it: the request runs inside
//! [`watch`] ([`Watched`] puts every operation there), a store that could not commit calls [`failed`],
//! and the request then answers 503 with the bank's envelope instead of what the handler built — so a
//! transaction that was not kept is never acknowledged. Outside a request (the background ticker) a
//! failure is only logged.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
};

use poem::{http::StatusCode, Endpoint, IntoResponse, Request, Response};

use crate::sandbox::{
    bank::store::StoreError,
    gateway::{credentials::Caller, error::Rejection},
    Sandbox,
};

tokio::task_local! {
    static FAILED: Arc<AtomicBool>;
}

/// Notes that the current request's state was not kept.
pub fn failed(error: &StoreError) {
    tracing::error!(%error, "store");
    let _ = FAILED.try_with(|flag| flag.store(true, Ordering::Relaxed));
}

/// Runs a request; answers whether a store failed while it ran.
pub async fn watch<F: Future>(request: F) -> (F::Output, bool) {
    let flag = Arc::new(AtomicBool::new(false));
    let output = FAILED.scope(flag.clone(), request).await;
    (output, flag.load(Ordering::Relaxed))
}

/// What a lookup found, a store that did not answer counting as [`failed`] (inside a handler, the
/// request then answers 503).
pub fn or_failed<T>(found: Result<Option<T>, StoreError>) -> Option<T> {
    found.unwrap_or_else(|error| {
        failed(&error);
        None
    })
}

/// The answer to a request whose state could not be kept: nothing it did was committed.
pub fn unavailable() -> Rejection {
    Rejection::new(
        StatusCode::SERVICE_UNAVAILABLE,
        crate::sandbox::gateway::error::BACKEND_ERROR,
        "Backend error: the sandbox's database could not keep this request's changes; nothing was \
         changed. Retry shortly",
    )
    .retry_after(1)
}

/// The operations, each request served by the store ([`crate::sandbox::bank::store::Store::serve`]:
/// reading ahead what it needs, awaiting what it commits) inside [`watch`], so that a commit that
/// fails answers 503 too. A store that cannot fail (memory) is passed straight through: its requests
/// pay for neither.
pub struct Watched<E> {
    inner: E,
    sandbox: Arc<Sandbox>,
    may_fail: bool,
}

impl<E> Watched<E> {
    /// `inner` watched for `sandbox`'s store.
    pub fn new(inner: E, sandbox: Arc<Sandbox>) -> Self {
        let may_fail = sandbox.store.may_fail();
        Self {
            inner,
            sandbox,
            may_fail,
        }
    }
}

impl<E: Endpoint> Endpoint for Watched<E> {
    type Output = Response;

    async fn call(&self, request: Request) -> poem::Result<Response> {
        if !self.may_fail {
            return self
                .inner
                .call(request)
                .await
                .map(IntoResponse::into_response);
        }
        let app_id = request
            .extensions()
            .get::<Caller>()
            .map(|caller| caller.app.id.clone());
        let mut answer = None;
        let call = async { answer = Some(self.inner.call(request).await) };
        let serving = match &app_id {
            Some(app_id) => self.sandbox.store.serve(app_id, Box::pin(call)),
            None => Box::pin(call),
        };
        let ((), failed) = watch(serving).await;
        if failed {
            return Ok(unavailable().into_response());
        }
        answer
            .expect("served to the end")
            .map(IntoResponse::into_response)
    }
}
