//! The HTTP edges around the bank's API, for partners and their browsers:
//!
//! - the OpenAPI document (`/openapi.json`, `/openapi.yaml`) and the reference pages (Swagger UI at
//!   `/docs`, Redoc at `/redoc`), built on their first request and served compressed ([`pages`],
//!   [`encoding`]); `GET /` leads to `/docs`;
//! - a wrong method answers 405 with `Allow`, `OPTIONS` answers `Allow`, and an unknown path answers
//!   a 404 naming the closest known one ([`routing`]);
//! - CORS for any origin by default (a sandbox is called from prototypes in browsers), or only the
//!   `--cors-origin`s given, preflights answered.

pub mod encoding;
pub mod pages;
pub mod routing;

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use poem::{
    error::{MethodNotAllowedError, NotFoundError},
    http::{header, Method},
    middleware::Cors,
    web::Redirect,
    Endpoint, IntoResponse, Request, Response, Result,
};

use crate::{document::Document, sandbox::gateway::operations::Operations, Sandbox};

use encoding::Asset;
use routing::Known;

/// Headers a browser may read from answers: the quota's.
const EXPOSED: &[&str] = &[
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
];

/// CORS: every origin when `origins` is empty, else only those.
pub fn cors(origins: &[String]) -> Cors {
    let cors = Cors::new()
        .expose_headers(EXPOSED.iter().copied())
        .max_age(86_400);
    origins
        .iter()
        .fold(cors, |cors, origin| cors.allow_origin(origin.as_str()))
}

/// The OpenAPI document, built on its first request: building it at start-up was most of start-up's
/// work, and most runs never ask for it.
pub struct Docs {
    sandbox: Arc<Sandbox>,
    document: OnceLock<(Asset, Asset)>,
}

impl Docs {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self {
            sandbox,
            document: OnceLock::new(),
        }
    }

    fn document(&self) -> &(Asset, Asset) {
        self.document.get_or_init(|| {
            let document = Document::build(self.sandbox.clone());
            (
                Asset::new(
                    "application/json; charset=utf-8",
                    "no-cache",
                    Bytes::from(document.json),
                ),
                Asset::new(
                    "application/yaml; charset=utf-8",
                    "no-cache",
                    Bytes::from(document.yaml),
                ),
            )
        })
    }
}

/// Everything in front of the API's routes: documents, pages, `/`, and the answers for requests no
/// operation takes.
pub struct Site<E> {
    api: E,
    docs: Docs,
    pages: OnceLock<Vec<(&'static str, Asset)>>,
    known: Known,
}

impl<E: Endpoint> Site<E> {
    pub fn new(api: E, sandbox: Arc<Sandbox>, operations: Operations) -> Self {
        Self {
            api,
            docs: Docs::new(sandbox),
            pages: OnceLock::new(),
            known: Known::new(operations),
        }
    }

    fn page(&self, path: &str) -> Option<&Asset> {
        let path = match path {
            "/docs/" | "/docs/index.html" => pages::SWAGGER_PAGE,
            "/redoc/" => pages::REDOC_PAGE,
            other => other,
        };
        match path {
            "/openapi.json" => return Some(&self.docs.document().0),
            "/openapi.yaml" => return Some(&self.docs.document().1),
            _ => {}
        }
        if !routing::PAGES.contains(&path) {
            return None;
        }
        self.pages
            .get_or_init(pages::all)
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, asset)| asset)
    }
}

impl<E: Endpoint> Endpoint for Site<E> {
    type Output = Response;

    async fn call(&self, request: Request) -> Result<Response> {
        let path = request.uri().path().to_string();
        let readable = matches!(*request.method(), Method::GET | Method::HEAD);
        if path == "/" {
            return Ok(if readable {
                Redirect::temporary(pages::SWAGGER_PAGE).into_response()
            } else {
                routing::method_not_allowed(request.method(), &[Method::GET])
            });
        }
        if let Some(asset) = self.page(&path) {
            return Ok(if readable {
                asset.respond(&request)
            } else {
                routing::method_not_allowed(request.method(), &[Method::GET])
            });
        }
        let method = request.method().clone();
        match self.api.call(request).await {
            Ok(output) => Ok(output.into_response()),
            Err(err) if err.is::<MethodNotAllowedError>() => Ok(routing::method_not_allowed(
                &method,
                &self.known.methods_at(&path),
            )),
            Err(err) if err.is::<NotFoundError>() => {
                Ok(self.known.not_found(&method, &path).into_response())
            }
            Err(err) => Err(err),
        }
    }
}

/// `Link` to the docs on answers that send the reader there.
pub fn docs_link() -> (header::HeaderName, &'static str) {
    (header::LINK, "</docs>; rel=\"help\"")
}
