//! Documents: KYC and a bank statement complete an application; at most twenty are kept.

use serde_json::json;

use super::{assert_failure, assert_success, Bank, SHA};

#[tokio::test]
async fn documents_complete_with_kyc_and_a_bank_statement() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;
    let doc = |kind: &str, sha: &str| json!({ "applicationNo": no, "documentType": kind, "fileName": "file.pdf", "sha256": sha });

    let invoice = bank.post("documents", doc("PROFORMA_INVOICE", SHA)).await;
    let unreadable = bank
        .post("documents", doc("AADHAAR", &"0".repeat(64)))
        .await;
    let aadhaar = bank
        .post("documents", doc("AADHAAR", &SHA.to_uppercase()))
        .await;
    let statement = bank.post("documents", doc("BANK_STATEMENT", SHA)).await;
    let short = bank.post("documents", doc("PAN", "abc")).await;
    let not_hex = bank.post("documents", doc("PAN", &"g".repeat(64))).await;
    let bad_type = bank.post("documents", doc("SELFIE", SHA)).await;

    assert_success(&invoice);
    assert_eq!(invoice.json["data"]["documentId"], format!("{no}-D01"));
    assert_eq!(invoice.json["data"]["state"], "ELIGIBLE");
    assert_eq!(
        invoice.json["data"]["pendingDocuments"],
        json!(["KYC (PAN, AADHAAR or PASSPORT)", "BANK_STATEMENT"])
    );
    assert_failure(&unreadable, "AL301");
    assert_eq!(
        aadhaar.json["data"]["pendingDocuments"],
        json!(["BANK_STATEMENT"])
    );
    assert_eq!(statement.json["data"]["state"], "DOCUMENTS_RECEIVED");
    assert_eq!(statement.json["data"]["pendingDocuments"], json!([]));
    assert!(short.assert_envelope(400, 8017).contains("`sha256`"));
    assert!(not_hex.assert_envelope(400, 8017).contains("`sha256`"));
    assert!(bad_type
        .assert_envelope(400, 8017)
        .contains("`documentType`"));
    let status = bank.status(&no).await;
    assert_eq!(status["documents"].as_array().unwrap().len(), 3);
    assert_eq!(
        status["documents"][1]["sha256"], SHA,
        "stored in lower case"
    );
}

#[tokio::test]
async fn an_application_keeps_at_most_twenty_documents() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;
    let doc = json!({ "applicationNo": no, "documentType": "SALARY_SLIP", "fileName": "slip.pdf", "sha256": SHA });

    for _ in 0..20 {
        assert_success(&bank.post("documents", doc.clone()).await);
    }
    let extra = bank.post("documents", doc).await;

    assert_failure(&extra, "AL302");
}
