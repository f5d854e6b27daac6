//! The two reference pages, with their assets embedded in the binary (machines running sandbank may
//! be offline): Swagger UI at `/docs` — filter box, authorisation kept across reloads, deep links to
//! each operation, request durations — and Redoc at `/redoc`.
//!
//! The JavaScript and CSS are the bundles poem-openapi embeds (Swagger UI 5, Redoc 2, both MIT
//! licensed). poem-openapi only writes them inline into one page together with the document; they are
//! taken out of that page once, so that the page stays small, each asset is cached and compressed on
//! its own, and the document is fetched from `/openapi.json` like any client would.

use bytes::Bytes;
use poem_openapi::OpenApiService;

use super::encoding::Asset;

/// Where the pages and their assets live.
pub const SWAGGER_PAGE: &str = "/docs";
pub const SWAGGER_JS: &str = "/docs/swagger-ui-bundle.js";
pub const SWAGGER_CSS: &str = "/docs/swagger-ui.css";
pub const REDOC_PAGE: &str = "/redoc";
pub const REDOC_JS: &str = "/redoc/redoc.standalone.js";

/// The assets change only with the binary: a day's caching spares reloads the megabytes.
const CACHE_ASSET: &str = "public, max-age=86400";
/// The pages are small and name the assets: always revalidated.
const CACHE_PAGE: &str = "no-cache";

const SWAGGER_HTML: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>sandbank — Swagger UI</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <style>body { margin: 0 } .topbar { display: none }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      filter: true,
      persistAuthorization: true,
      displayRequestDuration: true,
      displayOperationId: true,
      defaultModelsExpandDepth: 0,
      tryItOutEnabled: false,
    });
  </script>
</body>
</html>
"##;

const REDOC_HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>sandbank — API reference</title>
  <style>body { margin: 0; padding: 0 }</style>
</head>
<body>
  <redoc spec-url="/openapi.json" expand-responses="200,201" path-in-middle-panel></redoc>
  <script src="/redoc/redoc.standalone.js"></script>
</body>
</html>
"#;

/// The text between the first `open` and the next `close` in `page`.
fn between<'a>(page: &'a str, open: &str, close: &str) -> &'a str {
    let start = page.find(open).map_or_else(
        || panic!("poem-openapi's page has no `{open}`"),
        |at| at + open.len(),
    );
    let end = page[start..].find(close).map_or_else(
        || panic!("poem-openapi's page has no `{close}` after `{open}`"),
        |at| start + at,
    );
    &page[start..end]
}

/// Every page and asset, by path.
pub fn all() -> Vec<(&'static str, Asset)> {
    // An empty service: its pages carry the same bundles with a document of a few bytes.
    let empty = OpenApiService::new((), "", "");
    let swagger = empty.swagger_ui_html();
    let redoc = empty.redoc_html();
    let js = |text: &str| Bytes::copy_from_slice(text.as_bytes());
    vec![
        (
            SWAGGER_PAGE,
            Asset::new("text/html; charset=utf-8", CACHE_PAGE, SWAGGER_HTML.into()),
        ),
        (
            SWAGGER_JS,
            Asset::new(
                "text/javascript; charset=utf-8",
                CACHE_ASSET,
                js(between(&swagger, "<script charset=\"UTF-8\">", "</script>")),
            ),
        ),
        (
            SWAGGER_CSS,
            Asset::new(
                "text/css; charset=utf-8",
                CACHE_ASSET,
                js(between(&swagger, "<style charset=\"UTF-8\">", "</style>")),
            ),
        ),
        (
            REDOC_PAGE,
            Asset::new("text/html; charset=utf-8", CACHE_PAGE, REDOC_HTML.into()),
        ),
        (
            REDOC_JS,
            Asset::new(
                "text/javascript; charset=utf-8",
                CACHE_ASSET,
                js(between(&redoc, "<script charset=\"UTF-8\">", "</script>")),
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundles_come_out_whole() {
        let assets = all();
        let get = |path: &str| {
            String::from_utf8(
                assets
                    .iter()
                    .find(|(p, _)| *p == path)
                    .unwrap()
                    .1
                    .plain()
                    .to_vec(),
            )
            .unwrap()
        };

        let swagger = get(SWAGGER_JS);
        assert!(swagger.len() > 500_000, "{}", swagger.len());
        assert!(swagger.contains("SwaggerUIBundle"));
        assert!(get(SWAGGER_CSS).contains(".swagger-ui"));
        let redoc = get(REDOC_JS);
        assert!(redoc.len() > 500_000 && redoc.contains("Redoc"));
        assert!(get(SWAGGER_PAGE).contains(SWAGGER_JS) && get(REDOC_PAGE).contains(REDOC_JS));
    }
}
