//! `GET /sandbox/readiness` (JSON, or JUnit XML with `?format=junit`) and `GET /sandbox/readiness.html`:
//! the calling app's go-live readiness report, graded from its own requests by
//! [`crate::sandbox::gateway::readiness`].

mod html;
mod junit;
mod report;
mod view;

use crate::sandbox::bank::store::outcome;
use std::sync::Arc;

use poem::{IntoResponse, Response};
use poem_openapi::{
    payload::{Html, Payload},
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
    ApiResponse, Enum,
};

use crate::sandbox::{
    bank::answer::{FixedHeader, Serve, Served},
    gateway::{apps::App, error::Rejection, payload::Readable},
    Sandbox,
};

pub use junit::NotYetAs;
pub use report::ReadinessReport;

/// An example that stands on a parameter itself, where Swagger UI's "Try it out" takes it from
/// (poem-openapi writes a parameter's `example` into its schema instead).
pub struct ParameterExample {
    pub operation_id: &'static str,
    pub name: &'static str,
    pub example: &'static str,
}

/// The page takes the key as its own parameter (browsers open it with a view token instead): it
/// shows the demo app's key (`--demo-apikey`'s default), so that "Try it out" sends it.
pub fn page_apikey_example() -> ParameterExample {
    ParameterExample {
        operation_id: "sandboxReadinessPage",
        name: "apikey",
        example: "sandbank-demo-key",
    }
}

/// The report's format.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[oai(rename_all = "lowercase")]
pub enum ReportFormat {
    #[default]
    Json,
    /// JUnit XML: one testsuite per family, one testcase per item.
    Junit,
}

/// The report, as JSON or as JUnit XML.
pub enum ReportAnswer {
    Json(Readable<ReadinessReport>),
    Junit(String),
}

const JUNIT_TYPE: &str = "application/xml; charset=utf-8";

impl ApiResponse for ReportAnswer {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The report: JSON, or JUnit XML with `format=junit` (a testsuite per \
                              family, a testcase per item: done wrong fails, not yet is skipped \
                              unless `notYet=failure`).",
                status: Some(200),
                status_range: None,
                content: vec![
                    MetaMediaType {
                        content_type: <Readable<ReadinessReport> as Payload>::CONTENT_TYPE,
                        schema: ReadinessReport::schema_ref(),
                    },
                    MetaMediaType {
                        content_type: JUNIT_TYPE,
                        schema: String::schema_ref(),
                    },
                ],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        ReadinessReport::register(registry);
    }
}

impl IntoResponse for ReportAnswer {
    fn into_response(self) -> Response {
        match self {
            ReportAnswer::Json(json) => json.into_response(),
            ReportAnswer::Junit(xml) => Response::builder().content_type(JUNIT_TYPE).body(xml),
        }
    }
}

/// The page, with headers that keep its view token in the address bar only.
pub struct ReadinessPage;

impl Served for ReadinessPage {
    type Payload = Html<String>;
    const DESCRIPTION: &'static str = "The report as a page (`text/html`).";
    const HEADERS: &'static [FixedHeader] = &[
        FixedHeader {
            name: "Referrer-Policy",
            value: "no-referrer",
            description: "`no-referrer`: links off the page do not carry its view token.",
        },
        FixedHeader {
            name: "Content-Security-Policy",
            value:
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
            description: "No script, no remote resources.",
        },
        FixedHeader {
            name: "Cache-Control",
            value: "no-store",
            description: "`no-store`.",
        },
    ];
}

/// `GET /sandbox/readiness`.
pub fn report(app: &App, format: Option<ReportFormat>, not_yet: Option<NotYetAs>) -> ReportAnswer {
    let report = report::build(app, page_link(app));
    match format.unwrap_or_default() {
        ReportFormat::Json => ReportAnswer::Json(Readable(report)),
        ReportFormat::Junit => {
            ReportAnswer::Junit(junit::render(&report, not_yet.unwrap_or_default()))
        }
    }
}

/// `GET /sandbox/readiness.html`: the app is the `apikey` header's, else the view token's.
pub fn page(
    sandbox: &Sandbox,
    apikey: Option<&str>,
    view: Option<&str>,
) -> Result<Serve<ReadinessPage>, Rejection> {
    let app: Arc<App> = match (apikey, view) {
        (Some(key), _) => outcome::or_failed(sandbox.app_by_apikey(key)).ok_or_else(|| {
            Rejection::unauthorized("Authentication failed: the `apikey` is not registered")
        })?,
        (None, Some(token)) => view::verify(sandbox, token)
            .map_err(|why| Rejection::unauthorized(format!("Authentication failed: {why}")))?,
        (None, None) => return Err(Rejection::unauthorized(
            "Authentication failed: open the `html` link of GET /sandbox/readiness (it carries a \
                 view token), or send the `apikey` header",
        )),
    };
    if !app.is_enabled() {
        return Err(Rejection::forbidden("This app is disabled"));
    }
    let report = report::build(&app, page_link(&app));
    Ok(Serve(Html(html::render(&report))))
}

fn page_link(app: &App) -> String {
    format!("/sandbox/readiness.html?view={}", view::issue(app))
}
