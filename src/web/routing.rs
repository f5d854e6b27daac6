//! Answers for requests no operation takes: 405 with `Allow` for a known path and another method (and
//! `OPTIONS`, answered with `Allow`), and a 404 that names the closest known path and points to the
//! docs — in the gateway's envelope, as every error.

use poem::{
    http::{header, Method, StatusCode},
    IntoResponse, Response,
};

use crate::sandbox::gateway::{error::Rejection, operations::Operations};

use super::pages;

/// The site's own paths: pages, their assets and the documents.
pub const PAGES: &[&str] = &[
    pages::SWAGGER_PAGE,
    pages::SWAGGER_JS,
    pages::SWAGGER_CSS,
    pages::REDOC_PAGE,
    pages::REDOC_JS,
    "/openapi.json",
    "/openapi.yaml",
];

/// The paths a request may have meant.
pub struct Known {
    operations: Operations,
}

impl Known {
    pub fn new(operations: Operations) -> Self {
        Self { operations }
    }

    pub fn methods_at(&self, path: &str) -> Vec<Method> {
        self.operations.methods_at(path)
    }

    /// The operation or page nearest `path`, as `METHOD /template`, when one is near enough to be
    /// a likely typo (a wrong version, a trailing slash, a misspelt word).
    pub fn closest(&self, method: &Method, path: &str) -> Option<String> {
        let wanted = path.to_ascii_lowercase();
        let operations = self.operations.iter().map(|op| {
            let filled = fill(&op.path, path).to_ascii_lowercase();
            let same_method = u8::from(op.method != method);
            (
                strsim::levenshtein(&wanted, &filled),
                same_method,
                format!("{} {}", op.method, op.path),
            )
        });
        let pages = PAGES.iter().map(|page| {
            (
                strsim::levenshtein(&wanted, page),
                u8::from(method != Method::GET),
                format!("GET {page}"),
            )
        });
        let (distance, _, best) = operations.chain(pages).min()?;
        (distance <= (path.len() / 3).max(3)).then_some(best)
    }

    /// 404 naming the closest known path, pointing to the docs.
    pub fn not_found(&self, method: &Method, path: &str) -> Response {
        let shown: String = path.chars().take(200).collect();
        let hint = match self.closest(method, path) {
            Some(best) => format!(" Did you mean {best}?"),
            None => String::new(),
        };
        let message = format!(
            "No such API: {method} {shown}.{hint} Every operation is listed at /docs (and /openapi.json)."
        );
        let (name, value) = super::docs_link();
        let mut response = Rejection::not_found(message).into_response();
        response
            .headers_mut()
            .insert(name, value.parse().expect("a valid header"));
        response
    }
}

/// The template with its `{parameters}` filled from the request's segments at the same places, so
/// that only the literal parts count in the distance.
fn fill(template: &str, path: &str) -> String {
    let given: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    template
        .trim_start_matches('/')
        .split('/')
        .enumerate()
        .map(|(i, segment)| {
            if segment.starts_with('{') {
                given
                    .get(i)
                    .filter(|g| !g.is_empty())
                    .copied()
                    .unwrap_or(segment)
            } else {
                segment
            }
        })
        .fold(String::new(), |mut out, segment| {
            out.push('/');
            out.push_str(segment);
            out
        })
}

/// 405 for another method on a known path, with `Allow`; `OPTIONS` answers 204 with `Allow`.
pub fn method_not_allowed(method: &Method, methods: &[Method]) -> Response {
    let mut allowed: Vec<&str> = methods.iter().map(Method::as_str).collect();
    if allowed.contains(&"GET") {
        allowed.push("HEAD");
    }
    allowed.push("OPTIONS");
    let allow = allowed.join(", ");
    if method == Method::OPTIONS {
        return Response::builder()
            .status(StatusCode::NO_CONTENT)
            .header(header::ALLOW, allow)
            .finish();
    }
    let mut response = Rejection::new(
        StatusCode::METHOD_NOT_ALLOWED,
        405,
        format!("Method {method} is not allowed on this path: use {allow}"),
    )
    .into_response();
    response.headers_mut().insert(
        header::ALLOW,
        allow.parse().expect("methods are a valid header"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_take_the_requests_segments() {
        assert_eq!(
            fill("/api/v1/ifsc/{ifsc}", "/api/v2/ifsc/ICIC0000004"),
            "/api/v1/ifsc/ICIC0000004"
        );
        assert_eq!(
            fill("/sandbox/cib/{id}/approve", "/x"),
            "/sandbox/cib/{id}/approve"
        );
    }
}
