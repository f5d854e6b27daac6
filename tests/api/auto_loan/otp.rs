//! OTP send and verify: the sandbox OTP, expiry, and the verified mobile an offer needs.

use serde_json::json;

use super::{assert_failure, assert_success, Bank, DEMO_MOBILE, DEMO_PAN};

#[tokio::test]
async fn the_sandbox_otp_verifies_the_mobile_and_any_other_fails() {
    let bank = Bank::new().await;

    let sent = bank.post("otp", json!({ "mobile": DEMO_MOBILE })).await;
    let reference = sent.json["data"]["otpReference"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "654321" }),
        )
        .await;
    let right = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;
    let again = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;

    assert_success(&sent);
    assert_eq!(sent.json["data"]["maskedMobile"], "98XXXXX001");
    assert_eq!(sent.json["data"]["expiresInSeconds"], 300);
    assert!(reference.starts_with("OTP") && reference.len() == 13);
    assert_failure(&wrong, "AL101");
    assert_success(&right);
    assert_eq!(
        right.json["data"],
        json!({ "verified": true, "mobile": DEMO_MOBILE })
    );
    assert_failure(&again, "AL102");
}

#[tokio::test]
async fn an_otp_expires_after_five_minutes_and_unknown_references_fail() {
    let bank = Bank::new().await;
    let sent = bank.post("otp", json!({ "mobile": DEMO_MOBILE })).await;
    let reference = sent.json["data"]["otpReference"]
        .as_str()
        .unwrap()
        .to_string();

    bank.advance("PT6M").await;
    let late = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;
    let unknown = bank
        .post(
            "otp/verify",
            json!({ "otpReference": "OTP9999999999", "otp": "123456" }),
        )
        .await;
    let malformed = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "12345" }),
        )
        .await;

    assert_failure(&late, "AL102");
    assert_failure(&unknown, "AL102");
    assert!(malformed.assert_envelope(400, 8017).contains("`otp`"));
}

#[tokio::test]
async fn an_offer_needs_a_recently_verified_mobile() {
    let bank = Bank::new().await;
    let body = json!({ "pan": DEMO_PAN, "mobile": DEMO_MOBILE, "vehicleType": "NEW",
                       "onRoadPrice": "800000.00", "dealerCode": "DLR1001" });

    let unverified = bank.post("offer", body.clone()).await;
    bank.verify(DEMO_MOBILE).await;
    let verified = bank.post("offer", body.clone()).await;
    bank.advance("PT31M").await;
    let stale = bank.post("offer", body).await;

    assert_failure(&unverified, "AL103");
    assert!(unverified.json.get("data").is_none());
    assert_success(&verified);
    assert_failure(&stale, "AL103");
}
