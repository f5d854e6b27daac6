//! Every Building Blocks operation needs a known apikey.

use serde_json::json;

use super::{bureau_body, eligibility_body, name_enquiry_body, DEMO_PAN};
use crate::helpers::spawn_app;

#[tokio::test]
async fn every_operation_needs_a_known_apikey() {
    let app = spawn_app();
    let calls = [
        ("/api/v0/panValidation", json!({ "pan": DEMO_PAN })),
        ("/api/v1/bureau-check", bureau_body(DEMO_PAN)),
        (
            "/api/v1/eligibility-check",
            eligibility_body(DEMO_PAN, "AUTO_LOAN", "1000", "1000"),
        ),
        (
            "/api/v1/composite-validation",
            name_enquiry_body("000405009999", "ICIC0000004"),
        ),
    ];
    for (path, body) in calls {
        for key in [None, Some("not-a-key")] {
            let headers = [("x-priority", "0100")];

            let answer = app
                .post_raw(
                    path,
                    key,
                    "application/json",
                    body.to_string().into_bytes(),
                    &headers,
                )
                .await;

            let message = answer.assert_envelope(401, 401);
            assert!(message.contains("apikey"), "{path}: {message}");
        }
    }
    app.get_without_key("/api/v1/ifsc/ICIC0000004")
        .await
        .assert_envelope(401, 401);
}
