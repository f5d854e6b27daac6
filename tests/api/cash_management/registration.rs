//! Registration, its status and deregistration: the demo user starts registered, every other operation
//! needs a registered user, and the identity fields are validated.

use poem::http::StatusCode;
use serde_json::{json, Value};

use super::{
    assert_failure, cib, identity, identity_with, payment, registered_app, unregistered,
    unregistered_with, DEMO_ACCOUNT,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn registration_registers_the_unregistered_demo_user() {
    let app = spawn_app();

    let answer = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK", "ALIASID": "sanduser2" })),
    )
    .await;
    let again = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "Registered",
            "MESSAGE": "Registration successful: the user may now call the CIB APIs",
            "CORPID": "SANDCORP2",
            "USERID": "SANDUSER2",
            "AGGRID": "SANDAGGR1",
            "URN": "SANDURN0002",
            "ALIASID": "sanduser2"
        })
    );
    assert_eq!(again.json["STATUS"], "Registered");
    assert_eq!(
        again.json["MESSAGE"],
        "User is already registered for API banking"
    );
}

#[tokio::test]
async fn the_demo_user_starts_registered_and_calls_without_registering() {
    let app = spawn_app();

    let status = cib(
        &app,
        "RegistrationStatus",
        identity_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let balance = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;
    let register = cib(
        &app,
        "Registration",
        identity_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;

    assert_eq!(status.json["STATUS"], "Registered", "{:?}", status.json);
    assert_eq!(
        status.json["MESSAGE"],
        "User is registered for API banking (onboarded by the bank)"
    );
    assert_eq!(balance.json["RESPONSE"], "SUCCESS", "{:?}", balance.json);
    assert_eq!(balance.json["EFFECTIVEBAL"], "1000000.00");
    assert_eq!(
        register.json["MESSAGE"],
        "User is already registered for API banking"
    );
}

#[tokio::test]
async fn registration_status_follows_the_lifecycle() {
    let app = spawn_app();
    let status_body = unregistered_with(json!({ "AGGRNAME": "SANDBANK" }));

    let before = cib(&app, "RegistrationStatus", status_body.clone()).await;
    cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK", "ALIASID": "ops" })),
    )
    .await;
    let registered = cib(&app, "RegistrationStatus", status_body.clone()).await;
    let deregistered = cib(&app, "Deregistration", unregistered()).await;
    let after = cib(&app, "RegistrationStatus", status_body.clone()).await;

    assert_eq!(before.json["RESPONSE"], "SUCCESS");
    assert_eq!(before.json["STATUS"], "Not Registered");
    assert_eq!(registered.json["STATUS"], "Registered");
    assert_eq!(registered.json["ALIASID"], "ops");
    assert_eq!(
        deregistered.json,
        json!({
            "RESPONSE": "SUCCESS",
            "STATUS": "Deregistered",
            "MESSAGE": "User deregistered from API banking"
        })
    );
    assert_eq!(after.json["STATUS"], "Deregistered");
}

#[tokio::test]
async fn a_deregistered_or_never_registered_user_gets_9907() {
    let app = registered_app().await;
    cib(&app, "Deregistration", identity()).await;

    let balance = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT })),
    )
    .await;
    let deregister_again = cib(&app, "Deregistration", identity()).await;

    assert_failure(&balance.json, "FAILURE", "9907");
    assert_failure(&deregister_again.json, "FAILURE", "9907");
}

#[tokio::test]
async fn every_operation_but_registration_needs_a_registered_user() {
    let app = spawn_app();
    app.freeze_clock().await;
    let account = "000405000003";
    let mut transaction = payment("U1", "IFS", "10.00");
    for (field, value) in unregistered().as_object().unwrap() {
        transaction[field] = value.clone();
    }
    transaction["DEBITACC"] = json!(account);

    let answers = [
        cib(
            &app,
            "BalanceInquiry",
            unregistered_with(json!({ "ACCOUNTNO": account })),
        )
        .await,
        cib(
            &app,
            "AccountStatement",
            unregistered_with(
                json!({ "ACCOUNTNO": account, "FROMDATE": "01-03-2026", "TODATE": "31-03-2026" }),
            ),
        )
        .await,
        cib(&app, "Transaction", transaction).await,
        cib(
            &app,
            "TransactionInquiry",
            unregistered_with(json!({ "UNIQUEID": "U1" })),
        )
        .await,
        cib(&app, "Deregistration", unregistered()).await,
    ];

    for answer in &answers {
        assert_eq!(answer.status, StatusCode::OK);
        assert_failure(&answer.json, "FAILURE", "9907");
    }
}

#[tokio::test]
async fn ids_not_in_the_banks_records_get_9906() {
    let app = spawn_app();
    let mut wrong_urn = identity_with(json!({ "AGGRNAME": "SANDBANK" }));
    wrong_urn["URN"] = json!("SANDURN0002");
    let wrong_name = identity_with(json!({ "AGGRNAME": "PARTNERCO" }));
    let mut unknown_corp = identity_with(json!({ "AGGRNAME": "SANDBANK" }));
    unknown_corp["CORPID"] = json!("NOSUCHCORP");

    for body in [wrong_urn, wrong_name, unknown_corp] {
        let answer = cib(&app, "Registration", body.clone()).await;
        assert_failure(&answer.json, "FAILURE", "9906");
        let status = cib(&app, "RegistrationStatus", body).await;
        assert_failure(&status.json, "FAILURE", "9906");
    }
    let mut unknown = identity();
    unknown["USERID"] = json!("SOMEONE");
    let balance = cib(
        &app,
        "BalanceInquiry",
        identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT, "USERID": "SOMEONE" })),
    )
    .await;
    assert_failure(&balance.json, "FAILURE", "9906");
    assert_failure(
        &cib(&app, "Deregistration", unknown).await.json,
        "FAILURE",
        "9906",
    );
}

#[tokio::test]
async fn registrations_are_per_user() {
    let app = spawn_app();
    let third = json!({
        "AGGRID": "SANDAGGR2", "AGGRNAME": "PARTNERCO", "CORPID": "SANDCORP3",
        "USERID": "SANDUSER3", "URN": "SANDURN0003"
    });

    let registered = cib(
        &app,
        "Registration",
        unregistered_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    cib(&app, "Deregistration", identity()).await;
    let demo = cib(
        &app,
        "RegistrationStatus",
        identity_with(json!({ "AGGRNAME": "SANDBANK" })),
    )
    .await;
    let other = cib(&app, "RegistrationStatus", third).await;

    assert_eq!(registered.json["STATUS"], "Registered");
    assert_eq!(demo.json["STATUS"], "Deregistered");
    assert_eq!(
        other.json["STATUS"], "Registered",
        "another user is untouched"
    );
}

#[tokio::test]
async fn identity_fields_are_validated_naming_the_field() {
    let app = spawn_app();
    let body = |field: &str, value: Option<Value>| {
        let mut body = identity_with(json!({ "ACCOUNTNO": DEMO_ACCOUNT }));
        match value {
            Some(value) => body[field] = value,
            None => {
                body.as_object_mut().unwrap().remove(field);
            }
        }
        body
    };

    for field in ["AGGRID", "CORPID", "USERID", "URN"] {
        for value in [Some(json!("bad id!")), Some(json!(5)), None] {
            let answer = cib(&app, "BalanceInquiry", body(field, value.clone())).await;
            let message = answer.assert_envelope(400, 8017);
            assert!(message.contains(field), "{field}={value:?}: {message}");
        }
    }
}
