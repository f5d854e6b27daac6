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
//! An operation that creates what it answers returns [`Created<T>`] (201) instead. An operation that
//! answers more than one status of its own (a 404 of its own) keeps its own `ApiResponse` enum: these
//! types are only "200 (or 201) with this body".
//!
//! Where two operations answer the same body in different words (Transaction and Transaction with
//! OTP), the body's [`Answered`] text is the first's, and the other names a marker type that carries
//! its own words ([`Description`]) and answers [`Described<D>`].
//!
//! An operation whose 200 is not a JSON body of its own (a page, a PEM, the request log's readable
//! JSON) names a marker type that carries its payload type, its words and any headers it always
//! sends ([`Served`]), and answers [`Serve<S>`].
//!
//! A sandbox control that decides something pending (the payer's answer to a UPI collect, the
//! approver's to a CIB payment) answers [`Decided<D>`]: the thing decided, or 404 (no such thing) or
//! 409 (already decided), in its marker type's words ([`Decides`]).

use poem::{IntoResponse, Response};
use poem_openapi::{
    payload::Json,
    registry::{MetaHeader, MetaResponse, MetaResponses, Registry},
    types::{ToJSON, Type},
    ApiResponse, ResponseContent,
};

use crate::sandbox::gateway::error::{GatewayError, Rejection};

/// A body an operation answers with HTTP 200, and the Swagger text describing that answer.
pub trait Answered: ToJSON {
    /// The 200 response's description in the OpenAPI document.
    const DESCRIPTION: &'static str;
}

/// HTTP 200 with `T` as its JSON body.
pub struct Answer<T>(pub T);

/// What an operation's `#[OpenApi]` method returns: the 200 answer or a gateway error.
pub type Reply<T> = Result<Answer<T>, Rejection>;

/// One operation's words for a body that several operations answer (a marker type per operation).
pub trait Description {
    /// The body answered.
    type Body: ToJSON;
    /// The 200 response's description in the OpenAPI document.
    const DESCRIPTION: &'static str;
}

/// HTTP 200 with `D::Body` as its JSON body, described in `D`'s words.
pub struct Described<D: Description>(pub D::Body);

/// [`Reply`] for an operation that answers in its own words ([`Described`]).
pub type ReplyAs<D> = Result<Described<D>, Rejection>;

/// HTTP 201 with `T` as its JSON body: an operation that creates what it answers (an app, a
/// snapshot). `T`'s [`Answered`] text describes the 201.
pub struct Created<T>(pub T);

/// One operation's 200 answer whose payload is not a JSON body of its own (a page, a PEM, a
/// readable log): a marker type per operation, carrying the payload type, its words and the headers
/// it always sends.
pub trait Served {
    /// The payload answered (`Html<String>`, `PlainText<String>`, `Readable<T>`).
    type Payload: ResponseContent + IntoResponse;
    /// The 200 response's description in the OpenAPI document.
    const DESCRIPTION: &'static str;
    /// The headers sent with every such answer.
    const HEADERS: &'static [FixedHeader] = &[];
}

/// A header an answer always sends, with its value and its Swagger text.
pub struct FixedHeader {
    pub name: &'static str,
    pub value: &'static str,
    pub description: &'static str,
}

/// HTTP 200 with `S::Payload`, described in `S`'s words, with `S`'s headers.
pub struct Serve<S: Served>(pub S::Payload);

/// One sandbox decision on something pending: the body it answers and the words of its three
/// answers (a marker type per decision).
pub trait Decides {
    /// The thing after the decision.
    type Body: ToJSON;
    /// The 200 response's description.
    const DECIDED: &'static str;
    /// The 404's: nothing pending under that reference.
    const NOT_FOUND: &'static str;
    /// The 409's: already decided, nothing changed.
    const ALREADY_DECIDED: &'static str;
}

/// A decision's answer: 200 with the thing decided, 404 or 409 in the gateway's envelope.
pub enum Decided<D: Decides> {
    Done(D::Body),
    NotFound(GatewayError),
    Conflict(GatewayError),
}

impl<D: Decides> Decided<D> {
    /// 404: nothing pending under that reference.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(Rejection::not_found(message).body)
    }

    /// 409: already decided, nothing changed.
    pub fn already_decided(message: impl Into<String>) -> Self {
        let conflict = poem::http::StatusCode::CONFLICT;
        Self::Conflict(Rejection::new(conflict, 409, message).body)
    }
}

/// A 200 answer with `T` as its body, described as `description`.
fn ok_meta<T: ToJSON>(description: &'static str) -> MetaResponses {
    status_meta::<Json<T>>(200, description, &[])
}

/// A `status` answer with `C` as its content, described as `description`, with `headers`.
fn status_meta<C: ResponseContent>(
    status: u16,
    description: &'static str,
    headers: &[FixedHeader],
) -> MetaResponses {
    MetaResponses {
        responses: vec![MetaResponse {
            description,
            status: Some(status),
            status_range: None,
            content: C::media_types(),
            headers: headers
                .iter()
                .map(|header| MetaHeader {
                    // Upper-cased as poem-openapi's derive writes a response header's name; the
                    // document restores the spelling of the ones it knows.
                    name: header.name.to_uppercase(),
                    description: Some(header.description.to_string()),
                    required: <String as Type>::IS_REQUIRED,
                    deprecated: false,
                    schema: <String as Type>::schema_ref(),
                })
                .collect(),
        }],
    }
}

impl<T: Answered> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

impl<T: Answered> ApiResponse for Answer<T> {
    fn meta() -> MetaResponses {
        ok_meta::<T>(T::DESCRIPTION)
    }

    fn register(registry: &mut Registry) {
        <Json<T> as ResponseContent>::register(registry);
    }
}

impl<D: Description> IntoResponse for Described<D> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

impl<D: Description> ApiResponse for Described<D> {
    fn meta() -> MetaResponses {
        ok_meta::<D::Body>(D::DESCRIPTION)
    }

    fn register(registry: &mut Registry) {
        <Json<D::Body> as ResponseContent>::register(registry);
    }
}

impl<T: Answered> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        Json(self.0)
            .with_status(poem::http::StatusCode::CREATED)
            .into_response()
    }
}

impl<T: Answered> ApiResponse for Created<T> {
    fn meta() -> MetaResponses {
        status_meta::<Json<T>>(201, T::DESCRIPTION, &[])
    }

    fn register(registry: &mut Registry) {
        <Json<T> as ResponseContent>::register(registry);
    }
}

impl<S: Served> IntoResponse for Serve<S> {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        for header in S::HEADERS {
            response.headers_mut().insert(
                header.name,
                poem::http::HeaderValue::from_static(header.value),
            );
        }
        response
    }
}

impl<S: Served> ApiResponse for Serve<S> {
    fn meta() -> MetaResponses {
        status_meta::<S::Payload>(200, S::DESCRIPTION, S::HEADERS)
    }

    fn register(registry: &mut Registry) {
        <S::Payload as ResponseContent>::register(registry);
    }
}

impl<D: Decides> IntoResponse for Decided<D> {
    fn into_response(self) -> Response {
        match self {
            Self::Done(body) => Json(body).into_response(),
            Self::NotFound(error) => Json(error)
                .with_status(poem::http::StatusCode::NOT_FOUND)
                .into_response(),
            Self::Conflict(error) => Json(error)
                .with_status(poem::http::StatusCode::CONFLICT)
                .into_response(),
        }
    }
}

impl<D: Decides> ApiResponse for Decided<D> {
    fn meta() -> MetaResponses {
        let responses = [
            ok_meta::<D::Body>(D::DECIDED),
            status_meta::<Json<GatewayError>>(404, D::NOT_FOUND, &[]),
            status_meta::<Json<GatewayError>>(409, D::ALREADY_DECIDED, &[]),
        ];
        MetaResponses {
            responses: responses.into_iter().flat_map(|r| r.responses).collect(),
        }
    }

    fn register(registry: &mut Registry) {
        <Json<D::Body> as ResponseContent>::register(registry);
        <Json<GatewayError> as ResponseContent>::register(registry);
    }
}
