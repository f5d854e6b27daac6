//! The answer most operations give: HTTP 200 with one JSON body, or one of the gateway's documented
//! errors. Written once here instead of a single-variant `ApiResponse` enum per operation.
//!
//! # How a family uses it
//!
//! 1. The operation's body type says how Swagger describes its 200 answer, once, beside the type:
//!
//!    ```text
//!    impl Answered for PanValidationResponse {
//!        const DESCRIPTION: &'static str = "The ITD's answer: …";
//!    }
//!    ```
//!
//!    The text is what the enum variant's `///` doc used to be, with its lines joined by `\n` (as
//!    poem-openapi joins doc lines), so the OpenAPI document does not change.
//! 2. The operation's logic returns [`Answer<T>`] (`Answer(PanValidationResponse { … })`).
//! 3. The `#[OpenApi]` method returns [`Reply<T>`], i.e. `Result<Answer<T>, Rejection>`: the 200 and,
//!    from [`Rejection`], every gateway error in front of the operation.
//!
//! An operation that answers more than one status of its own (a 404 of its own, a 201) keeps its own
//! `ApiResponse` enum: this type is only "200 with this body".

use poem::{IntoResponse, Response};
use poem_openapi::{
    payload::Json,
    registry::{MetaResponse, MetaResponses, Registry},
    types::ToJSON,
    ApiResponse, ResponseContent,
};

use super::error::Rejection;

/// A body an operation answers with HTTP 200, and the Swagger text describing that answer.
pub trait Answered: ToJSON {
    /// The 200 response's description in the OpenAPI document.
    const DESCRIPTION: &'static str;
}

/// HTTP 200 with `T` as its JSON body.
pub struct Answer<T>(pub T);

/// What an operation's `#[OpenApi]` method returns: the 200 answer or a gateway error.
pub type Reply<T> = Result<Answer<T>, Rejection>;

impl<T: Answered> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

impl<T: Answered> ApiResponse for Answer<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: T::DESCRIPTION,
                status: Some(200),
                status_range: None,
                content: <Json<T> as ResponseContent>::media_types(),
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        <Json<T> as ResponseContent>::register(registry);
    }
}
