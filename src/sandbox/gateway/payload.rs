//! `BankJson<T>`: the request-body extractor every family uses. The schema comes from `T`'s poem-openapi
//! `Type` (so Swagger shows it); parsing goes through serde with the path of the failing field, so a 400
//! names the field (`field \`pan\`: ...`) where poem-openapi's own messages do not.

use poem::{Request, RequestBody, Result};
use poem_openapi::{
    error::ContentTypeError,
    impl_apirequest_for_payload,
    payload::{ParsePayload, Payload},
    registry::{MetaMediaType, MetaRequest, MetaSchemaRef, Registry},
    types::Type,
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
};
use serde::de::DeserializeOwned;

use crate::sandbox::gateway::error::Rejection;

/// A JSON request body, parsed and validated into `T`.
pub struct BankJson<T>(pub T);

impl<T: Type> Payload for BankJson<T> {
    const CONTENT_TYPE: &'static str = "application/json";

    fn check_content_type(content_type: &str) -> bool {
        matches!(content_type.parse::<mime::Mime>(), Ok(mime)
            if mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")))
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: DeserializeOwned + Send> ParsePayload for BankJson<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(_request: &Request, body: &mut RequestBody) -> Result<Self> {
        let bytes = body.take()?.into_bytes().await?;
        parse(&bytes).map(BankJson).map_err(Into::into)
    }
}

impl_apirequest_for_payload!(BankJson<T>, T: DeserializeOwned + Type + Send);

/// The deepest nesting of objects and arrays a body may have. No bank request nests past a few
/// levels; the gateway refuses deeper bodies as it would a threat (serde skips unknown fields
/// without counting their depth, so the check is its own).
pub const MAX_DEPTH: usize = 32;

/// The nesting depth of a JSON text: `[` and `{` outside strings.
fn depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for &b in bytes {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// An optional JSON request body: none at all (or only whitespace) is `None`, with or without a
/// `Content-Type`; anything else is parsed as [`BankJson`] parses it.
pub struct OptionalBankJson<T>(pub Option<T>);

impl<'a, T: DeserializeOwned + Type + Send> ApiExtractor<'a> for OptionalBankJson<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: <BankJson<T> as Payload>::CONTENT_TYPE,
                schema: T::schema_ref(),
            }],
            required: false,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> Result<Self> {
        let bytes = body.take()?.into_bytes().await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        match request.content_type() {
            Some(content_type) if BankJson::<T>::check_content_type(content_type) => parse(&bytes)
                .map(|value| Self(Some(value)))
                .map_err(Into::into),
            Some(content_type) => Err(ContentTypeError::NotSupported {
                content_type: content_type.to_string(),
            }
            .into()),
            None => Err(ContentTypeError::ExpectContentType.into()),
        }
    }
}

/// Parses a body into `T`, or a 400/8017 naming the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, Rejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::schema(
            "",
            "request body is empty: send a JSON object",
        ));
    }
    if depth(bytes) > MAX_DEPTH {
        return Err(Rejection::schema(
            "",
            format!("the JSON nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Rejection::schema("", format!("malformed JSON: {inner}"))
        } else {
            Rejection::schema(&path, strip_position(&inner.to_string()))
        }
    })?;
    deserializer
        .end()
        .map_err(|err| Rejection::schema("", format!("malformed JSON: {err}")))?;
    Ok(value)
}

/// serde_json appends " at line 1 column 12" to data errors; the field path already says where.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

/// Decodes an `application/x-www-form-urlencoded` body into its pairs, in order and repeats kept
/// (`+` is a space, `%XX` a byte; bytes that are not UTF-8 are replaced).
pub fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    // Pairs of strings cannot fail to deserialize: every body decodes.
    serde_urlencoded::from_bytes(bytes).unwrap_or_default()
}

/// A JSON answer written for people: fields in their declared order (poem-openapi's `Json` sorts them)
/// and pretty-printed. The schema still comes from `T`'s poem-openapi `Type`. Used by the request log,
/// which partners read with curl.
pub struct Readable<T>(pub T);

impl<T: Type> Payload for Readable<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: serde::Serialize + Type + Send> poem::IntoResponse for Readable<T> {
    fn into_response(self) -> poem::Response {
        match serde_json::to_vec_pretty(&self.0) {
            Ok(body) => poem::Response::builder()
                .content_type(<Self as Payload>::CONTENT_TYPE)
                .body(body),
            Err(e) => {
                tracing::error!(error = %e, "could not serialise an answer");
                poem::Response::builder()
                    .status(poem::http::StatusCode::INTERNAL_SERVER_ERROR)
                    .finish()
            }
        }
    }
}
