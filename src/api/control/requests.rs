//! `GET /sandbox/requests`: the calling app's recent requests and answers, newest first.

use poem_openapi::Object;
use serde::Serialize;

use crate::sandbox::{
    bank::answer::{Serve, Served},
    gateway::{
        apps::App,
        credentials::Reach,
        error::Rejection,
        payload::Readable,
        request_log::{valid_status_filter, Filter, LoggedRequest, CAPACITY},
    },
    Sandbox,
};

/// A page of the request log.
#[derive(Object, Serialize, Debug)]
pub struct RequestLogPage {
    /// The app whose log this is.
    pub app: String,
    /// How many requests the log keeps; older ones fall off.
    pub capacity: u32,
    /// Newest first.
    pub requests: Vec<LoggedRequest>,
}

/// The request log's answer: a page of it, readable.
pub struct RequestLog;

impl Served for RequestLog {
    type Payload = Readable<RequestLogPage>;
    const DESCRIPTION: &'static str =
        "The matching requests, newest first (pretty-printed, fields in reading order).";
}

/// The examples ask for the last successful IFSC lookup: one short entry.
pub fn limit_example() -> Option<u32> {
    Some(1)
}

pub fn path_example() -> Option<String> {
    Some("/api/v1/ifsc/".into())
}

pub fn status_example() -> Option<String> {
    Some("2xx".into())
}

/// The default page size.
pub const DEFAULT_LIMIT: u32 = 20;

pub fn list(
    sandbox: &Sandbox,
    app: &App,
    reach: Reach,
    limit: Option<u32>,
    path: Option<String>,
    status: Option<String>,
) -> Result<Serve<RequestLog>, Rejection> {
    if let Some(status) = &status {
        if !valid_status_filter(status) {
            return Err(Rejection::schema(
                "status",
                "must be a status like `404` or a class like `4xx`",
            ));
        }
    }
    let filter = Filter {
        limit: limit.unwrap_or(DEFAULT_LIMIT) as usize,
        path,
        status,
        families: match reach {
            Reach::All => None,
            Reach::Families(scopes) => Some(scopes),
        },
    };
    Ok(Serve(Readable(RequestLogPage {
        app: app.id.clone(),
        capacity: CAPACITY as u32,
        requests: sandbox.recent_requests(app, &filter),
    })))
}
