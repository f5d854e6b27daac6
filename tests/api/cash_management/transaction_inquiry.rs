//! `TransactionInquiry`: the payment as paid, `AGGRNAME` refused, another corporate's payment not found.

use serde_json::json;

use super::{
    assert_failure, cib, identity_with, inquire, pay, payment, registered_app, unregistered_with,
};

#[tokio::test]
async fn transaction_inquiry_refuses_aggrname_as_the_bank_does() {
    let app = registered_app().await;
    pay(&app, payment("INQ0001", "IFS", "10.00")).await;

    let answer = cib(
        &app,
        "TransactionInquiry",
        identity_with(json!({ "UNIQUEID": "INQ0001", "AGGRNAME": "SANDBANK" })),
    )
    .await;

    let message = answer.assert_envelope(400, 8017);
    assert!(message.contains("AGGRNAME"), "{message}");
}

#[tokio::test]
async fn transaction_inquiry_answers_the_payment() {
    let app = registered_app().await;
    let paid = pay(&app, payment("INQ0002", "IFS", "10.00")).await;

    let answer = inquire(&app, "INQ0002").await;
    let unknown = inquire(&app, "INQ9999").await;

    assert_eq!(
        answer,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "SUCCESS",
            "MESSAGE": "Transaction Successful",
            "UNIQUEID": "INQ0002",
            "UTRNUMBER": paid["UTRNUMBER"],
            "REQID": paid["REQID"]
        })
    );
    assert_failure(&unknown, "FAILURE", "999940");
}

#[tokio::test]
async fn another_corporates_payment_reads_as_not_found() {
    let app = registered_app().await;
    pay(&app, payment("INQ0003", "IFS", "10.00")).await;
    let other = unregistered_with(json!({ "AGGRNAME": "SANDBANK" }));
    cib(&app, "Registration", other.clone()).await;
    let mut inquiry = other;
    inquiry.as_object_mut().unwrap().remove("AGGRNAME");
    inquiry["UNIQUEID"] = json!("INQ0003");

    let answer = cib(&app, "TransactionInquiry", inquiry).await;

    assert_failure(&answer.json, "FAILURE", "999940");
}
