//! IFSC lookup: a branch, unknown and malformed codes.

use poem::http::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn ifsc_lookup_answers_the_branch() {
    let app = spawn_app();

    let answer = app.get("/api/v1/ifsc/ICIC0000004").await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["bank"], "ICICI Bank");
    assert_eq!(answer.json["branch"], "Mumbai Nariman Point");
    assert_eq!(answer.json["city"], "Mumbai");
    assert_eq!(answer.json["state"], "Maharashtra");
    for rail in ["neft", "rtgs", "imps", "upi"] {
        assert_eq!(answer.json[rail], true, "{rail}");
    }
}

#[tokio::test]
async fn unknown_ifsc_is_404_and_malformed_is_8017() {
    let app = spawn_app();

    let unknown = app.get("/api/v1/ifsc/ICIC0999999").await;
    let malformed = app.get("/api/v1/ifsc/icic0000004").await;

    assert!(unknown.assert_envelope(404, 404).contains("ICIC0999999"));
    let message = malformed.assert_envelope(400, 8017);
    assert!(message.contains("IFSC must be 11 characters"), "{message}");
}
