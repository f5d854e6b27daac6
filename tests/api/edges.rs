//! The edges a partner's browser meets: `/` leads to the docs, the docs pages and the document are
//! served (compressed when asked), a wrong method says what is allowed, an unknown path suggests the
//! closest one, and CORS lets a prototype in a browser call the sandbox.

use poem::http::{Method, StatusCode};
use sandbank::config::Cli;

use crate::helpers::{spawn_app, spawn_app_with, Answer, TestApp, DEMO_KEY};

fn decoded(answer: &Answer) -> Vec<u8> {
    match answer.header("content-encoding") {
        "br" => {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut &answer.bytes[..], &mut out).unwrap();
            out
        }
        "gzip" => {
            let mut out = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(&answer.bytes[..]),
                &mut out,
            )
            .unwrap();
            out
        }
        "" => answer.bytes.clone(),
        other => panic!("unexpected coding {other}"),
    }
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Answer {
    app.call(Method::GET, path, headers, None).await
}

#[tokio::test]
async fn the_root_leads_to_the_docs() {
    let app = spawn_app();

    let answer = get(&app, "/", &[]).await;

    assert!(answer.status.is_redirection(), "{}", answer.status);
    assert_eq!(answer.header("location"), "/docs");
}

#[tokio::test]
async fn swagger_ui_filters_keeps_authorisation_and_links_deep_and_redoc_is_beside_it() {
    let app = spawn_app();

    let swagger = get(&app, "/docs", &[]).await;
    let redoc = get(&app, "/redoc", &[]).await;
    let bundle = get(&app, "/docs/swagger-ui-bundle.js", &[]).await;
    let redoc_bundle = get(&app, "/redoc/redoc.standalone.js", &[]).await;

    let page = String::from_utf8(swagger.bytes).unwrap();
    for option in [
        "filter: true",
        "persistAuthorization: true",
        "deepLinking: true",
        "url: \"/openapi.json\"",
    ] {
        assert!(page.contains(option), "/docs lacks `{option}`:\n{page}");
    }
    let reference = String::from_utf8(redoc.bytes).unwrap();
    assert!(
        reference.contains("spec-url=\"/openapi.json\""),
        "{reference}"
    );
    assert!(
        reference.contains("/redoc/redoc.standalone.js"),
        "{reference}"
    );
    // Nothing is fetched from elsewhere: machines running sandbank may be offline.
    assert!(!page.contains("https://") && !reference.contains("https://"));
    for asset in [&bundle, &redoc_bundle] {
        assert_eq!(asset.status, StatusCode::OK);
        assert!(
            asset.content_type.starts_with("text/javascript"),
            "{}",
            asset.content_type
        );
        assert!(asset.bytes.len() > 500_000, "{}", asset.bytes.len());
    }
}

#[tokio::test]
async fn documents_pages_and_large_answers_are_compressed_when_asked() {
    let app = spawn_app();
    let plain = get(&app, "/openapi.json", &[]).await;

    for (path, coding) in [
        ("/openapi.json", "br"),
        ("/openapi.yaml", "gzip"),
        ("/docs/swagger-ui.css", "gzip"),
        ("/docs", "br"),
    ] {
        let answer = get(&app, path, &[("accept-encoding", coding)]).await;
        assert_eq!(answer.header("content-encoding"), coding, "{path}");
        assert_eq!(answer.header("vary"), "Accept-Encoding", "{path}");
        if path == "/openapi.json" {
            assert_eq!(
                decoded(&answer),
                plain.bytes,
                "{path} decodes to the document"
            );
            assert!(
                answer.bytes.len() * 5 < plain.bytes.len(),
                "{}",
                answer.bytes.len()
            );
        }
    }
    assert_eq!(
        plain.header("content-encoding"),
        "",
        "identity unless asked"
    );

    // A JSON answer: the request log, a few kilobytes once some calls are in it.
    for _ in 0..3 {
        app.get("/api/v1/ifsc/ICIC0000004").await;
    }
    let log = get(
        &app,
        "/sandbox/requests",
        &[
            ("apikey", DEMO_KEY),
            ("accept-encoding", "gzip, deflate, br"),
        ],
    )
    .await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(log.header("content-encoding"), "br");
    let body: serde_json::Value = serde_json::from_slice(&decoded(&log)).unwrap();
    assert_eq!(body["requests"].as_array().unwrap().len(), 3, "{body}");
    // Small answers are not worth a coding.
    let small = app
        .call(
            Method::GET,
            "/healthz",
            &[("accept-encoding", "gzip")],
            None,
        )
        .await;
    assert_eq!(small.header("content-encoding"), "");
    assert_eq!(small.json["status"], "ok");
}

#[tokio::test]
async fn a_wrong_method_answers_405_with_allow_and_options_lists_the_methods() {
    let app = spawn_app();

    let patch = app
        .call(
            Method::PATCH,
            "/api/v1/bureau-check",
            &[("apikey", DEMO_KEY)],
            None,
        )
        .await;
    let trace = app
        .call(Method::TRACE, "/api/v1/ifsc/ICIC0000004", &[], None)
        .await;
    let options = app
        .call(Method::OPTIONS, "/sandbox/apps/me", &[], None)
        .await;
    let post_docs = app.call(Method::POST, "/docs", &[], None).await;

    let message = patch.assert_envelope(405, 405);
    assert_eq!(patch.header("allow"), "POST, OPTIONS");
    assert!(
        message.contains("PATCH") && message.contains("POST"),
        "{message}"
    );
    trace.assert_envelope(405, 405);
    assert_eq!(trace.header("allow"), "GET, HEAD, OPTIONS");
    assert_eq!(options.status, StatusCode::NO_CONTENT);
    assert_eq!(options.header("allow"), "GET, DELETE, HEAD, OPTIONS");
    post_docs.assert_envelope(405, 405);
    assert_eq!(post_docs.header("allow"), "GET, HEAD, OPTIONS");
}

#[tokio::test]
async fn head_is_get_without_the_body_and_passes_the_gateway() {
    let app = spawn_app();

    let with_key = app
        .call(
            Method::HEAD,
            "/sandbox/apps/me",
            &[("apikey", DEMO_KEY)],
            None,
        )
        .await;
    let without = app.call(Method::HEAD, "/sandbox/apps/me", &[], None).await;

    assert_eq!(with_key.status, StatusCode::OK);
    assert!(with_key.bytes.is_empty());
    assert_eq!(without.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unknown_path_names_the_closest_known_one_and_points_to_the_docs() {
    let app = spawn_app();

    for (path, suggestion) in [
        ("/api/v2/bureau-check", "POST /api/v1/bureau-check"),
        ("/api/v1/bureau-check/", "POST /api/v1/bureau-check"),
        ("/api/v1/panValidation", "POST /api/v0/panValidation"),
        ("/api/v1/ifsc-lookup/ICIC0000004", "GET /api/v1/ifsc/{ifsc}"),
        ("/sandbox/app/me", "GET /sandbox/apps/me"),
        ("/doc", "GET /docs"),
        ("/openapi.yml", "GET /openapi.yaml"),
    ] {
        let answer = get(&app, path, &[("apikey", DEMO_KEY)]).await;

        let message = answer.assert_envelope(404, 404);
        assert!(
            message.contains(&format!("Did you mean {suggestion}?")),
            "{path}: {message}"
        );
        assert!(message.contains("/docs"), "{message}");
        assert_eq!(answer.header("link"), "</docs>; rel=\"help\"");
    }
    let far = get(&app, "/favicon.ico", &[]).await;
    let message = far.assert_envelope(404, 404);
    assert!(!message.contains("Did you mean"), "{message}");
    assert!(message.contains("/docs"), "{message}");
}

#[tokio::test]
async fn any_origin_may_call_by_default_and_preflights_are_answered() {
    let app = spawn_app();
    let origin = "http://localhost:5173";

    let preflight = app
        .call(
            Method::OPTIONS,
            "/api/v1/bureau-check",
            &[
                ("origin", origin),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "apikey, content-type, x-sandbox-scenario",
                ),
            ],
            None,
        )
        .await;
    let call = app
        .call(
            Method::GET,
            "/api/v1/ifsc/ICIC0000004",
            &[("origin", origin), ("apikey", DEMO_KEY)],
            None,
        )
        .await;

    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), origin);
    assert!(preflight
        .header("access-control-allow-methods")
        .contains("POST"));
    let allowed = preflight
        .header("access-control-allow-headers")
        .to_ascii_lowercase();
    assert!(
        allowed.contains("apikey") && allowed.contains("x-sandbox-scenario"),
        "{allowed}"
    );
    assert_eq!(call.status, StatusCode::OK);
    assert_eq!(call.header("access-control-allow-origin"), origin);
    let exposed = call
        .header("access-control-expose-headers")
        .to_ascii_lowercase();
    assert!(exposed.contains("x-ratelimit-remaining"), "{exposed}");
}

#[tokio::test]
async fn cors_origin_restricts_the_origins_a_browser_may_call_from() {
    let cli = <Cli as clap::Parser>::try_parse_from([
        "sandbank",
        "--cors-origin",
        "https://app.example.com,https://staging.example.com",
    ])
    .unwrap();
    let settings = cli.serve.sandbox_settings();
    assert_eq!(
        settings.gateway.cors_origins,
        ["https://app.example.com", "https://staging.example.com"]
    );
    let app = spawn_app_with(settings);
    let ifsc = |origin: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::GET,
                "/api/v1/ifsc/ICIC0000004",
                &[("origin", origin), ("apikey", DEMO_KEY)],
                None,
            )
            .await
        }
    };

    let allowed = ifsc("https://staging.example.com").await;
    let refused = ifsc("https://evil.example.net").await;
    let no_origin = app.get("/api/v1/ifsc/ICIC0000004").await;

    assert_eq!(allowed.status, StatusCode::OK);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        "https://staging.example.com"
    );
    refused.assert_envelope(403, 403);
    assert_eq!(refused.header("access-control-allow-origin"), "");
    assert_eq!(
        no_origin.status,
        StatusCode::OK,
        "servers and curl send no Origin"
    );
}
