//! CIB bulk payments as published partner code sends them: `Create` for the file's UNIQUE_ID, the
//! file (base64) with the OTP, then the file's status by `ReverseMis`.

use base64::Engine;
use serde_json::{json, Value};

use super::otp_create;
use crate::helpers::{
    cib::{cib, identity_with},
    spawn_app, Answer, LedgerApp, TestApp,
};

/// A salary file as partner code writes it (CRLF between records, two payments).
const FILE: &str = "FHR|3|04/01/2026|SALARY|35.50|INR|000405000001|0011^\r\n\
MDR|000405000001|0011|SALARY|35.50|INR|Salary Batch|ICIC0000011|WIB^\r\n\
MCW|000405000002|0011|Asha Rao|10.50|INR|Salary|WIB|ICIC0000011^\r\n\
MCO|000405009999|0011|Ravi Kumar|25.00|INR|Salary|NFT|HDFC0000001^";

fn upload(unique_id: &str, file: &str, otp: Option<&str>) -> Value {
    let mut body = json!({
        "FILE_DESCRIPTION": "Salary Payment",
        "AGGR_ID": "SANDAGGR1",
        "URN": "SANDURN0001",
        "AGGR_NAME": "SANDBANK",
        "USER_ID": "SANDUSER1",
        "CORP_ID": "SANDCORP1",
        "UNIQUE_ID": unique_id,
        "FILE_NAME": "SALARY_20260401.txt",
        "FILE_CONTENT": base64::engine::general_purpose::STANDARD.encode(file)
    });
    if let Some(otp) = otp {
        body["AGOTP"] = json!(otp);
    }
    body
}

async fn bulk(app: &TestApp, body: Value) -> Answer {
    app.post("/api/v1/cibbulkpayment/bulkPayment", body).await
}

async fn reverse_mis(app: &TestApp, user_id: &str, unique_id: &str, seq: &Value) -> Answer {
    app.post(
        "/api/v1/ReverseMis",
        identity_with(json!({
            "USERID": user_id, "UNIQUEID": unique_id, "FILESEQNUM": seq, "ISENCRYPTED": "N"
        })),
    )
    .await
}

#[track_caller]
fn assert_code(answer: &Answer, code: &str) {
    assert_eq!(answer.status, 200, "{:?}", answer.json);
    assert_eq!(answer.json["RESPONSE"], "FAILURE", "{:?}", answer.json);
    assert_eq!(answer.json["RESPONSECODE"], code, "{:?}", answer.json);
}

#[tokio::test]
async fn a_bulk_file_pays_each_record_and_reverse_mis_follows_the_neft_batch() {
    let bank = LedgerApp::frozen().await;
    let (debit, credit) = ("000405000001", "000405000002");
    let (debit_before, credit_before) =
        (bank.balance(debit).unwrap(), bank.balance(credit).unwrap());

    otp_create(&bank.app, "BULK-1", Some("35.50")).await;
    let uploaded = bulk(&bank.app, upload("BULK-1", FILE, Some("123456"))).await;
    let seq = uploaded.json["FILE_SEQUENCE_NUM"].clone();
    let pending = reverse_mis(&bank.app, "SANDUSER1", "BULK-1", &seq).await;
    bank.advance("PT31M").await;
    let done = reverse_mis(&bank.app, "SANDCORP1.SANDUSER1", "BULK-1", &seq).await;
    let second = format!("{}-2", seq.as_str().unwrap());
    let neft = cib(
        &bank.app,
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": second })),
    )
    .await;
    let again = bulk(&bank.app, upload("BULK-1", FILE, Some("123456"))).await;

    assert_eq!(uploaded.json["RESPONSE"], "SUCCESS", "{:?}", uploaded.json);
    let seq = seq.as_str().expect("FILE_SEQUENCE_NUM");
    assert!(
        seq.len() == 9 && seq.bytes().all(|b| b.is_ascii_digit()),
        "{seq}"
    );
    assert!(uploaded.json["MESSAGE"]
        .as_str()
        .unwrap()
        .contains(&format!("File Sequence No: [{seq}]")));
    assert_eq!(pending.json["STATUS"], "PENDING", "{:?}", pending.json);
    assert_eq!(
        pending.json["MESSAGE"],
        "2 payments: 1 successful, 1 pending, 0 failed"
    );
    assert_eq!(done.json["STATUS"], "SUCCESS", "{:?}", done.json);
    assert_eq!(done.json["RESPONSE"], "SUCCESS");
    assert_eq!(neft.json["STATUS"], "SUCCESS", "{:?}", neft.json);
    assert!(neft.json["UTRNUMBER"]
        .as_str()
        .unwrap()
        .starts_with("ICICN"));
    assert_code(&again, "999936");
    assert_eq!(
        (debit_before - bank.balance(debit).unwrap()).to_string(),
        "35.50"
    );
    assert_eq!(
        (bank.balance(credit).unwrap() - credit_before).to_string(),
        "10.50"
    );
}

#[tokio::test]
async fn bulk_files_need_the_otp_a_sound_file_and_the_corporates_account() {
    let app = spawn_app();
    app.freeze_clock().await;
    otp_create(&app, "BULK-2", Some("35.50")).await;
    otp_create(&app, "BULK-3", Some("99.00")).await;
    let theirs = FILE.replace("000405000001", "000405000003");

    let no_otp = bulk(&app, upload("BULK-2", FILE, None)).await;
    let no_create = bulk(&app, upload("BULK-9", FILE, Some("123456"))).await;
    let other_total = bulk(&app, upload("BULK-3", FILE, Some("123456"))).await;
    let bad_count = bulk(
        &app,
        upload("BULK-2", &FILE.replace("FHR|3|", "FHR|5|"), Some("123456")),
    )
    .await;
    let not_base64 = {
        let mut body = upload("BULK-2", FILE, Some("123456"));
        body["FILE_CONTENT"] = json!("not base64 at all!");
        bulk(&app, body).await
    };
    // Base64's alphabet, but not base64 of a file: the bank's check of the file, a decline.
    let not_a_file = {
        let mut body = upload("BULK-2", FILE, Some("123456"));
        body["FILE_CONTENT"] = json!("0");
        bulk(&app, body).await
    };
    let long_description = {
        let mut body = upload("BULK-2", FILE, Some("123456"));
        body["FILE_DESCRIPTION"] = json!("x".repeat(101));
        bulk(&app, body).await
    };
    let other_account = bulk(&app, upload("BULK-2", &theirs, Some("123456"))).await;
    let unknown_file = reverse_mis(&app, "SANDUSER1", "BULK-2", &json!("123")).await;
    let then_right = bulk(&app, upload("BULK-2", FILE, Some("123456"))).await;

    assert_code(&no_otp, "99274");
    assert_code(&no_create, "99274");
    assert_code(&other_total, "994006");
    assert_code(&bad_count, "995109");
    assert!(
        bad_count.json["MESSAGE"]
            .as_str()
            .is_some_and(|m| m.contains("record 1 (FHR)")),
        "{}",
        bad_count.json
    );
    assert!(not_base64
        .assert_envelope(400, 8017)
        .contains("FILE_CONTENT"));
    assert_code(&not_a_file, "995109");
    assert!(long_description
        .assert_envelope(400, 8017)
        .contains("FILE_DESCRIPTION"));
    assert_code(&other_account, "9906");
    assert_code(&unknown_file, "999942");
    assert_eq!(
        then_right.json["RESPONSE"], "SUCCESS",
        "refusals changed nothing"
    );
}
