//! The OpenAPI document: served live, exported to `specs/`, valid OpenAPI 3, and complete.

use openapiv3::{OpenAPI, ReferenceOr};

use crate::helpers::spawn_app;

const COMMITTED_JSON: &str = include_str!("../../specs/openapi.json");
const COMMITTED_YAML: &str = include_str!("../../specs/openapi.yaml");

#[tokio::test]
async fn the_served_document_matches_the_committed_specs() {
    let app = spawn_app();

    let json = app.get_without_key("/openapi.json").await;
    let yaml = app.get_without_key("/openapi.yaml").await;

    let hint = "specs/ is stale: run `cargo run -- spec --out specs` and commit";
    assert_eq!(
        String::from_utf8(json.bytes).unwrap(),
        COMMITTED_JSON,
        "{hint}"
    );
    assert_eq!(
        String::from_utf8(yaml.bytes).unwrap(),
        COMMITTED_YAML,
        "{hint}"
    );
}

#[test]
fn the_exported_documents_match_the_committed_specs() {
    let (json, yaml) = sandbank::spec_documents().unwrap();

    assert_eq!(json, COMMITTED_JSON, "run `cargo run -- spec --out specs`");
    assert_eq!(yaml, COMMITTED_YAML, "run `cargo run -- spec --out specs`");
}

#[test]
fn the_document_is_valid_openapi_3_and_documents_every_operation() {
    let spec: OpenAPI = serde_json::from_str(COMMITTED_JSON).expect("parses as OpenAPI 3");

    assert!(spec.openapi.starts_with("3."), "{}", spec.openapi);
    let schemes = spec.components.as_ref().unwrap().security_schemes.clone();
    assert!(
        schemes.contains_key("apikey"),
        "the apikey scheme is declared"
    );
    let tags: Vec<&str> = spec.tags.iter().map(|t| t.name.as_str()).collect();
    assert!(tags.contains(&"Building Blocks"), "{tags:?}");
    assert!(
        spec.tags.iter().all(|t| t.description.is_some()),
        "every tag is described"
    );

    let mut operations = 0;
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            panic!("{path} is a reference")
        };
        for (method, op) in item.iter() {
            operations += 1;
            let at = format!("{method} {path}");
            assert!(
                op.summary.is_some() && op.description.is_some(),
                "{at} lacks summary/description"
            );
            assert!(!op.tags.is_empty(), "{at} has no tag");
            assert!(op.operation_id.is_some(), "{at} has no operationId");
            let codes: Vec<String> = op
                .responses
                .responses
                .keys()
                .map(|c| c.to_string())
                .collect();
            assert!(
                codes.iter().any(|c| c.starts_with('2')),
                "{at} documents no success: {codes:?}"
            );
            // An operation without its own `security` takes the document's.
            let security = op.security.as_ref().or(spec.security.as_ref());
            let secured = security.is_some_and(|s| !s.is_empty());
            let mut expected = vec![];
            if op.request_body.is_some() {
                expected.push("400");
            }
            if secured {
                expected.push("401");
            }
            for code in expected {
                assert!(
                    codes.iter().any(|c| c == code),
                    "{at} does not document {code}: {codes:?}"
                );
            }
            let public = [
                "/healthz",
                "/sandbox/apps",
                "/oauth2/token",
                "/sandbox/keys/bank.pem",
                "/sandbox/keys/bank.cer",
                "/sandbox/magic-values",
                // Opened by browsers with the report's view token, or the `apikey` header.
                "/sandbox/readiness.html",
            ];
            assert_eq!(
                !secured,
                public.contains(&path.as_str()),
                "{at}: only the public operations go without security"
            );
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                let media = body.content.get("application/json").expect("JSON body");
                let ReferenceOr::Reference { reference } = media.schema.as_ref().unwrap() else {
                    panic!("{at}: inline body schema")
                };
                let name = reference.trim_start_matches("#/components/schemas/");
                let ReferenceOr::Item(schema) = &spec.components.as_ref().unwrap().schemas[name]
                else {
                    panic!("{name}")
                };
                assert!(
                    schema.schema_data.example.is_some(),
                    "{at}: request body has no example"
                );
            }
        }
    }
    assert!(operations >= 7, "{operations} operations");
}

/// The gateway derives each operation's OAuth2 scope from its tag: every bank operation must get one,
/// so that a new family cannot slip through without scope checks (or quota, or encryption), and no
/// control-plane operation (`/sandbox/`, `/healthz`, `/oauth2/`) gets one.
#[test]
fn every_bank_operation_needs_a_family_scope() {
    for operation in sandbank::api::operations().iter() {
        let is_control = sandbank::sandbox::gateway::operations::CONTROL_PREFIXES
            .iter()
            .any(|prefix| operation.path.starts_with(prefix));
        assert_eq!(
            operation.scope.is_none(),
            is_control,
            "{} {} ({}): scope {:?} — tag bank operations with their family",
            operation.method,
            operation.path,
            operation.id,
            operation.scope.map(|s| s.name())
        );
    }
}
