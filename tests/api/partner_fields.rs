//! The bank's field rules, not stricter: bodies built the way published partner code builds them
//! (fields left out, amounts as JSON numbers, references as whole numbers, the CIB form of the status
//! inquiry) are served as the bank serves them.

use serde_json::{json, Value};

use crate::helpers::{cib::identity_with, spawn_app, Answer, LedgerApp, TestApp, DEMO_KEY};

async fn pay(app: &TestApp, priority: &str, body: &str) -> Answer {
    app.post_raw(
        "/api/v1/composite-payment",
        Some(DEMO_KEY),
        "application/json",
        body.as_bytes().to_vec(),
        &[("x-priority", priority)],
    )
    .await
}

async fn status(app: &TestApp, priority: &str, body: Value) -> Answer {
    app.post_raw(
        "/api/v1/composite-status",
        Some(DEMO_KEY),
        "application/json",
        body.to_string().into_bytes(),
        &[("x-priority", priority)],
    )
    .await
}

/// The bank's sample UPI packet: no `payee-name`, no `currency`, the amount a JSON number.
fn sample_upi_packet(seq: &str, amount: &str) -> String {
    format!(
        r#"{{"device-id":"400438400438400438400438","mobile":"9800000001","channel-code":"MICICI",
        "profile-id":"2996304","seq-no":"{seq}","account-provider":"74","use-default-acc":"D",
        "payee-va":"hen@icici","payer-va":"9800000001@icici","amount":{amount},"pre-approved":"P",
        "default-debit":"N","default-credit":"N","txn-type":"merchantToPersonPay","remarks":"none",
        "mcc":"6012","merchant-type":"ENTITY"}}"#
    )
}

/// A composite NEFT as PHP partner code sends it: no `narration2`, the amount a JSON number.
fn php_neft(reference: &str, amount: &str) -> String {
    format!(
        r#"{{"tranRefNo":"{reference}","amount":{amount},"senderAcctNo":"000405000001",
        "beneAccNo":"000405009999","beneIFSC":"ICIC0000004","beneName":"Ravi Kumar",
        "narration1":"Test Transfer","crpId":"SANDCORP1","crpUsr":"SANDUSER1","aggrName":"SANDBANK",
        "aggrId":"SANDAGGR1","urn":"SANDURN0001","txnType":"RGS","WORKFLOW_REQD":"N"}}"#
    )
}

fn cib_identity(unique_id: &str) -> Value {
    identity_with(json!({ "UNIQUEID": unique_id }))
}

#[tokio::test]
async fn the_banks_sample_upi_packet_pays_with_the_default_payee_name_and_currency() {
    let bank = LedgerApp::frozen().await;
    let payer = "000401000001";
    let before = bank.balance(payer).unwrap();

    let whole = pay(&bank.app, "1000", &sample_upi_packet("UPI-SAMPLE-1", "1")).await;
    let fraction = pay(&bank.app, "1000", &sample_upi_packet("UPI-SAMPLE-2", "5.5")).await;

    assert_eq!(whole.status, 200, "{:?}", whole.json);
    assert_eq!(whole.json["success"], "true", "{:?}", whole.json);
    assert_eq!(fraction.json["success"], "true", "{:?}", fraction.json);
    let paid = bank.balance(payer).unwrap();
    assert_eq!(
        (before - paid).to_string(),
        "6.50",
        "1 + 5.5 read as rupees"
    );
}

#[tokio::test]
async fn a_upi_currency_other_than_inr_and_a_blank_payee_name_are_still_refused() {
    let app = spawn_app();
    let with = |field: &str, value: &str| {
        let mut body: Value = serde_json::from_str(&sample_upi_packet("UPI-X", "1")).unwrap();
        body[field] = json!(value);
        body.to_string()
    };

    let usd = pay(&app, "1000", &with("currency", "USD")).await;
    let blank = pay(&app, "1000", &with("payee-name", "  ")).await;

    assert!(usd.assert_envelope(400, 8017).contains("currency"));
    assert!(blank.assert_envelope(400, 8017).contains("payee-name"));
}

#[tokio::test]
async fn numbers_are_read_from_their_text_never_rounded_through_a_float() {
    let app = spawn_app();

    let three_places = pay(&app, "1000", &sample_upi_packet("UPI-F-1", "1.005")).await;
    let float_noise = pay(
        &app,
        "1000",
        &sample_upi_packet("UPI-F-2", "0.10000000000000000001"),
    )
    .await;
    let negative = pay(&app, "1000", &sample_upi_packet("UPI-F-3", "-1")).await;

    for refused in [three_places, float_noise, negative] {
        assert!(
            refused.assert_envelope(400, 8017).contains("amount"),
            "{:?}",
            refused.json
        );
    }
}

#[tokio::test]
async fn neft_without_narration2_and_its_cib_form_status_follow_the_batch() {
    let bank = LedgerApp::frozen().await;

    let paid = pay(&bank.app, "0010", &php_neft("NEFT-PHP-1", "5")).await;
    let pending = status(&bank.app, "0010", cib_identity("NEFT-PHP-1")).await;
    bank.advance("PT31M").await;
    let settled = status(&bank.app, "0010", cib_identity("NEFT-PHP-1")).await;
    let again = status(&bank.app, "0010", cib_identity("NEFT-PHP-1")).await;

    assert_eq!(paid.status, 200, "{:?}", paid.json);
    assert_eq!(paid.json["STATUS"], "PENDING", "{:?}", paid.json);
    assert_eq!(pending.json["STATUS"], "PENDING", "{:?}", pending.json);
    assert_eq!(settled.json["STATUS"], "SUCCESS", "{:?}", settled.json);
    assert_eq!(settled.json["RESPONSE"], "SUCCESS");
    assert_eq!(settled.json["UNIQUEID"], "NEFT-PHP-1");
    assert_eq!(settled.json["URN"], "SANDURN0001");
    assert_eq!(settled.json["UTRNUMBER"], paid.json["UTRNUMBER"]);
    let req_id = settled.json["REQID"].as_str().expect("REQID");
    assert!(req_id.len() == 9 && req_id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(settled.bytes, again.bytes, "same request, same bytes");
    assert_eq!(
        bank.balance("000405000001").unwrap().to_string(),
        "999995.00"
    );
}

#[tokio::test]
async fn the_cib_form_answers_only_the_corporates_own_payments() {
    let bank = LedgerApp::frozen().await;
    pay(&bank.app, "0010", &php_neft("NEFT-OWN-1", "10")).await;
    let mut other = cib_identity("NEFT-OWN-1");
    other["CORPID"] = json!("SANDCORP2");
    other["USERID"] = json!("SANDUSER2");
    other["URN"] = json!("SANDURN0002");
    let mut stranger = cib_identity("NEFT-OWN-1");
    stranger["CORPID"] = json!("NOSUCHCORP");
    let mut incomplete = cib_identity("NEFT-OWN-1");
    incomplete.as_object_mut().unwrap().remove("CORPID");

    let another_corporate = status(&bank.app, "0010", other).await;
    let unknown_ids = status(&bank.app, "0010", stranger).await;
    let unknown_payment = status(&bank.app, "0001", cib_identity("NEFT-NONE")).await;
    let missing = status(&bank.app, "0010", incomplete).await;

    assert_eq!(another_corporate.json["STATUS"], "FAILURE");
    assert_eq!(another_corporate.json["RESPONSECODE"], "100025");
    assert_eq!(
        unknown_ids.json["RESPONSECODE"], "9906",
        "{:?}",
        unknown_ids.json
    );
    assert_eq!(unknown_payment.json["RESPONSECODE"], "100025");
    assert_eq!(unknown_payment.json["UNIQUEID"], "NEFT-NONE");
    assert!(missing.assert_envelope(400, 8017).contains("CORPID"));
}

#[tokio::test]
async fn a_tran_ref_no_sent_as_a_timestamp_number_is_its_digits() {
    let app = spawn_app();
    let body = json!({
        "localTxnDtTime": "20260401100000", "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004",
        "amount": 100, "tranRefNo": 1712345678u64, "paymentRef": "FTTransferP2A",
        "senderName": "Sellit", "mobile": "9800000001", "retailerCode": "rcode",
        "passCode": "f2af31d8bf5947f1bf1192574bc2a115", "bcID": "IBCCUD01001",
        "crpId": "SANDCORP1", "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1"
    });

    let paid = pay(&app, "0100", &body.to_string()).await;
    let found = status(&app, "0100", json!({ "tranRefNo": "1712345678" })).await;

    assert_eq!(paid.json["ActCode"], "0", "{:?}", paid.json);
    assert_eq!(paid.json["TranRefNo"], "1712345678");
    assert_eq!(found.json, paid.json);
}

/// A merchant UPI body as the bank's SDK builds it: no `subMerchantId`.
fn merchant_body(extra: Value) -> Value {
    let mut body = json!({ "merchantId": "400000", "terminalId": "5411" });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[tokio::test]
async fn merchant_upi_without_sub_merchant_id_is_the_merchant_itself() {
    let app = spawn_app();
    app.freeze_clock().await;
    let upi = |op: &'static str, body: Value| {
        let app = &app;
        async move {
            app.post(&format!("/api/MerchantAPI/UPI/v0/{op}/400000"), body)
                .await
        }
    };

    let qr = upi(
        "QR3",
        merchant_body(json!({"amount": 250, "merchantTranId": "SDK-QR-1", "billNumber": "B1"})),
    )
    .await;
    let collect = upi(
        "CollectPay3",
        merchant_body(json!({
            "payerVa": "pending@icici", "amount": "12.50", "note": "Order 7",
            "collectByDate": "02/04/2026 06:30 PM", "merchantName": "Sandbank Store",
            "subMerchantName": "Sandbank Store", "merchantTranId": "SDK-CP-1", "billNumber": "B2"
        })),
    )
    .await;
    let status = upi(
        "TransactionStatus3",
        merchant_body(json!({"merchantTranId": "SDK-CP-1"})),
    )
    .await;
    let wrong_sub = upi(
        "TransactionStatus3",
        merchant_body(json!({"merchantTranId": "SDK-CP-1", "subMerchantId": "999999"})),
    )
    .await;

    assert_eq!(qr.json["response"], "0", "{:?}", qr.json);
    assert_eq!(qr.json["subMerchantId"], "400000");
    assert_eq!(collect.json["response"], "92", "{:?}", collect.json);
    assert_eq!(collect.json["subMerchantId"], "400000");
    assert_eq!(status.json["status"], "PENDING", "{:?}", status.json);
    assert_eq!(wrong_sub.json["response"], "5001", "{:?}", wrong_sub.json);
}

#[tokio::test]
async fn the_spec_declares_amounts_and_references_as_text_or_numbers() {
    let app = spawn_app();

    let spec = app.get_without_key("/openapi.json").await.json;

    let schemas = &spec["components"]["schemas"];
    let payment = &schemas["CompositePaymentRequest"]["properties"];
    // Through the shared schema a field refers to (an optional one: the reference, or `null`).
    let types = |field: &Value| -> Vec<String> {
        let mut field = field.clone();
        loop {
            let reference = field["$ref"]
                .as_str()
                .or_else(|| field["anyOf"][0]["$ref"].as_str())
                .or_else(|| field["allOf"][0]["$ref"].as_str())
                .map(|r| r.trim_start_matches("#/components/schemas/").to_string());
            match reference {
                Some(name) => field = schemas[name.as_str()].clone(),
                None => break,
            }
        }
        field["anyOf"]
            .as_array()
            .unwrap_or_else(|| panic!("anyOf in {field}"))
            .iter()
            .map(|branch| branch["type"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(types(&payment["amount"]), ["string", "number"]);
    assert_eq!(types(&payment["tranRefNo"]), ["string", "integer"]);
    assert_eq!(
        types(&schemas["QrRequest"]["properties"]["amount"]),
        ["string", "number"]
    );
    let qr_required = schemas["QrRequest"]["required"].as_array().unwrap();
    assert!(
        !qr_required.contains(&json!("subMerchantId")),
        "{qr_required:?}"
    );
}

#[tokio::test]
async fn qr3_with_signed_intent_flag_y_answers_a_signed_qr_the_bank_key_verifies() {
    use base64::Engine;
    use rsa::{pkcs8::DecodePublicKey, signature::Verifier};
    let app = spawn_app();
    app.freeze_clock().await;
    let qr = |tran_id: &str, flag: Option<&str>| {
        let mut body =
            merchant_body(json!({"amount": 99, "merchantTranId": tran_id, "billNumber": "B9"}));
        body["validatePayerAccFlag"] = json!("N");
        if let Some(flag) = flag {
            body["signedIntentFlag"] = json!(flag);
        }
        let app = &app;
        async move { app.post("/api/MerchantAPI/UPI/v0/QR3/400000", body).await }
    };

    let signed = qr("SIGNED-1", Some("Y")).await;
    let plain = qr("SIGNED-2", Some("N")).await;
    let bad_flag = qr("SIGNED-3", Some("YES")).await;
    let pem = app.get_without_key("/sandbox/keys/bank.pem").await;

    let intent = signed.json["qrString"].as_str().unwrap();
    let signed_qr = signed.json["SignedQR"].as_str().expect("SignedQR");
    let sign = signed_qr
        .strip_prefix(&format!("{intent}&sign="))
        .unwrap_or_else(|| panic!("{signed_qr} extends {intent}"));
    let sign = sign
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let signature = base64::engine::general_purpose::STANDARD
        .decode(sign)
        .unwrap();
    let text = String::from_utf8(pem.bytes).unwrap();
    let public = text.split("-----BEGIN CERTIFICATE-----").next().unwrap();
    let key = rsa::RsaPublicKey::from_public_key_pem(public).unwrap();
    let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
    let signature = rsa::pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
    assert!(verifier.verify(intent.as_bytes(), &signature).is_ok());
    assert!(plain.json.get("SignedQR").is_none(), "{:?}", plain.json);
    assert_eq!(plain.json["response"], "0");
    assert!(bad_flag
        .assert_envelope(400, 8017)
        .contains("signedIntentFlag"));
}
