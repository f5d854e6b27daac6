//! OAuth2 client credentials and the JWTs: issuance three ways, bearer calls, RFC 6749 errors, every
//! attack on a token, and scopes.

use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    Engine,
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use poem::http::{Method, StatusCode};
use rsa::{pkcs8::EncodePublicKey, RsaPrivateKey};
use sandbank::{
    sandbox::gateway::{
        keys::parse_private_key,
        tokens::{Claims, TokenSettings, AUDIENCE, DEFAULT_ISSUER},
    },
    SandboxSettings,
};
use serde_json::json;

use crate::helpers::{spawn_app_with, Answer, TestApp};

const SECRET: &str = "test-secret-0123456789";
const JWT_KEY: &str = include_str!("keys/jwt-key.pem");
const PAN: &str = "/api/v0/panValidation";
const FORM: &str = "application/x-www-form-urlencoded";

fn hs256_app() -> TestApp {
    spawn_app_with(SandboxSettings {
        tokens: TokenSettings {
            secret: Some(SECRET.into()),
            ..TokenSettings::default()
        },
        ..SandboxSettings::default()
    })
}

fn rs256_app() -> TestApp {
    spawn_app_with(SandboxSettings {
        tokens: TokenSettings {
            rsa_private_pem: Some(JWT_KEY.into()),
            ..TokenSettings::default()
        },
        ..SandboxSettings::default()
    })
}

async fn token_form(app: &TestApp, body: &str, headers: &[(&str, &str)]) -> Answer {
    app.call(
        Method::POST,
        "/oauth2/token",
        headers,
        Some((FORM, body.as_bytes().to_vec())),
    )
    .await
}

async fn demo_token(app: &TestApp, scope: &str) -> String {
    let answer = token_form(
        app,
        &format!(
            "grant_type=client_credentials&client_id=sandbank-demo&client_secret=sandbank-demo-secret&scope={scope}"
        ),
        &[],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    answer.json["access_token"].as_str().unwrap().to_string()
}

async fn pan_with_bearer(app: &TestApp, token: &str) -> Answer {
    app.post_with(
        PAN,
        &[("authorization", &format!("Bearer {token}"))],
        json!({ "pan": "ABCPE1234F" }),
    )
    .await
}

fn claims(offset_iat: i64) -> Claims {
    let now = chrono::Utc::now().timestamp() + offset_iat;
    Claims {
        iss: DEFAULT_ISSUER.into(),
        sub: "sandbank-demo".into(),
        aud: AUDIENCE.into(),
        iat: now,
        nbf: now,
        exp: now + 3600,
        scope: "building-blocks".into(),
    }
}

fn hs256(claims: &Claims, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn a_token_is_issued_from_a_form_body_and_works_as_bearer() {
    let app = hs256_app();

    let answer = token_form(
        &app,
        "grant_type=client_credentials&client_id=sandbank-demo&client_secret=sandbank-demo-secret",
        &[],
    )
    .await;

    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json);
    assert_eq!(answer.json["token_type"], "Bearer");
    assert_eq!(answer.json["expires_in"], 3600);
    assert_eq!(
        answer.json["scope"],
        "building-blocks auto-loan iwish cash-management payments trade offers"
    );
    assert_eq!(answer.header("cache-control"), "no-store");
    let token = answer.json["access_token"].as_str().unwrap();
    let claims: Claims = jsonwebtoken::dangerous::insecure_decode(token)
        .unwrap()
        .claims;
    assert_eq!(claims.sub, "sandbank-demo");
    assert_eq!(claims.iss, "sandbank");
    assert_eq!(claims.aud, "sandbank-api");
    assert_eq!(claims.exp - claims.iat, 3600);

    let pan = pan_with_bearer(&app, token).await;
    assert_eq!(pan.status, StatusCode::OK, "{:?}", pan.json);
    assert_eq!(pan.json["data"]["PAN"], "ABCPE1234F");
}

#[tokio::test]
async fn a_token_is_issued_from_json_and_from_http_basic() {
    let app = hs256_app();
    let basic = format!(
        "Basic {}",
        STANDARD.encode("sandbank-demo:sandbank-demo-secret")
    );

    let json_body = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({ "grant_type": "client_credentials", "client_id": "sandbank-demo",
                    "client_secret": "sandbank-demo-secret", "scope": "payments" }),
        )
        .await;
    let with_basic = token_form(
        &app,
        "grant_type=client_credentials&scope=building-blocks",
        &[("authorization", &basic)],
    )
    .await;

    assert_eq!(json_body.status, StatusCode::OK, "{:?}", json_body.json);
    assert_eq!(json_body.json["scope"], "payments");
    assert_eq!(with_basic.status, StatusCode::OK, "{:?}", with_basic.json);
    assert_eq!(with_basic.json["scope"], "building-blocks");

    // Swagger UI repeats the client_id in the body next to Basic: accepted.
    let swagger_style = token_form(
        &app,
        "grant_type=client_credentials&client_id=sandbank-demo",
        &[("authorization", &basic)],
    )
    .await;
    let both_secrets = token_form(
        &app,
        "grant_type=client_credentials&client_id=sandbank-demo&client_secret=sandbank-demo-secret",
        &[("authorization", &basic)],
    )
    .await;
    assert_eq!(swagger_style.status, StatusCode::OK);
    assert_eq!(both_secrets.json["error"], "invalid_request");
}

#[tokio::test]
async fn the_token_endpoint_answers_rfc_6749_errors() {
    let app = hs256_app();
    let creds = "client_id=sandbank-demo&client_secret=sandbank-demo-secret";
    let cases = [
        (creds.to_string(), 400, "invalid_request"),
        (
            format!("grant_type=password&{creds}"),
            400,
            "unsupported_grant_type",
        ),
        (
            "grant_type=client_credentials&client_id=sandbank-demo&client_secret=wrong".into(),
            401,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials".into(),
            401,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials&client_id=nobody&client_secret=x".into(),
            401,
            "invalid_client",
        ),
        (
            format!("grant_type=client_credentials&{creds}&scope=mortgages"),
            400,
            "invalid_scope",
        ),
    ];
    for (body, status, error) in cases {
        let answer = token_form(&app, &body, &[]).await;

        assert_eq!(answer.status.as_u16(), status, "{body}: {:?}", answer.json);
        assert_eq!(answer.json["error"], error, "{body}");
        assert!(answer.json["error_description"].is_string());
    }
}

#[tokio::test]
async fn a_disabled_app_gets_invalid_grant_and_a_narrow_app_invalid_scope() {
    let app = hs256_app();
    let narrow = app
        .create_app(json!({ "name": "n", "scopes": ["payments"] }))
        .await;
    let doomed = app.create_app(json!({ "name": "d" })).await;
    app.call(
        Method::DELETE,
        "/sandbox/apps/me",
        &[("apikey", &doomed.apikey)],
        None,
    )
    .await;

    let too_wide = token_form(
        &app,
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=trade",
            narrow.client_id, narrow.client_secret
        ),
        &[],
    )
    .await;
    let disabled = token_form(
        &app,
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            doomed.client_id, doomed.client_secret
        ),
        &[],
    )
    .await;

    assert_eq!(too_wide.json["error"], "invalid_scope");
    assert_eq!(disabled.status, StatusCode::BAD_REQUEST);
    assert_eq!(disabled.json["error"], "invalid_grant");
}

#[tokio::test]
async fn a_token_without_the_family_scope_is_refused_with_403() {
    let app = hs256_app();
    let token = demo_token(&app, "payments").await;

    let answer = pan_with_bearer(&app, &token).await;
    let control = app
        .call(
            Method::GET,
            "/sandbox/apps/me",
            &[("authorization", &format!("Bearer {token}"))],
            None,
        )
        .await;

    let message = answer.assert_envelope(403, 403);
    assert!(message.contains("building-blocks"), "{message}");
    assert_eq!(control.status, StatusCode::OK);
}

#[tokio::test]
async fn every_attack_on_a_token_is_a_401() {
    let app = hs256_app();
    let mut expired = claims(-7200);
    expired.exp = expired.iat + 3600;
    let not_yet = claims(3600);
    let mut wrong_iss = claims(0);
    wrong_iss.iss = "https://evil.example".into();
    let mut wrong_aud = claims(0);
    wrong_aud.aud = "another-api".into();
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(0)).unwrap())
    );
    let good = hs256(&claims(0), SECRET.as_bytes());
    let mut tampered: Vec<&str> = good.split('.').collect();
    let elevated = URL_SAFE_NO_PAD.encode(
        serde_json::to_vec(&Claims {
            scope: "building-blocks payments trade".into(),
            ..claims(0)
        })
        .unwrap(),
    );
    tampered[1] = &elevated;
    let cases = [
        ("expired", hs256(&expired, SECRET.as_bytes()), "expired"),
        (
            "not yet valid",
            hs256(&not_yet, SECRET.as_bytes()),
            "not valid yet",
        ),
        (
            "wrong secret",
            hs256(&claims(0), b"another-secret-0123456"),
            "signature",
        ),
        ("tampered claims", tampered.join("."), "signature"),
        ("alg none", none, ""),
        (
            "wrong issuer",
            hs256(&wrong_iss, SECRET.as_bytes()),
            "issuer",
        ),
        (
            "wrong audience",
            hs256(&wrong_aud, SECRET.as_bytes()),
            "audience",
        ),
        ("malformed", "not.a.jwt".to_string(), "malformed"),
        ("garbage", "%%%".to_string(), ""),
    ];
    assert_eq!(pan_with_bearer(&app, &good).await.status, StatusCode::OK);
    for (label, token, reason) in cases {
        let answer = pan_with_bearer(&app, &token).await;

        let message = answer.assert_envelope(401, 401);
        assert!(message.contains(reason), "{label}: {message}");
    }
    let basic = app
        .post_with(
            PAN,
            &[("authorization", "Basic c2FuZGJhbmstZGVtbzpzZWNyZXQ=")],
            json!({ "pan": "ABCPE1234F" }),
        )
        .await;
    basic.assert_envelope(401, 401);
}

#[tokio::test]
async fn rs256_tokens_work_and_the_hs256_confusion_attack_fails() {
    let app = rs256_app();
    let key: RsaPrivateKey = parse_private_key(JWT_KEY).unwrap();
    let public_pem = key
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();

    let token = demo_token(&app, "building-blocks").await;
    let header = jsonwebtoken::decode_header(&token).unwrap();
    let genuine = pan_with_bearer(&app, &token).await;
    // The classic confusion: sign HS256 with the RS256 public key as the HMAC secret.
    let forged = hs256(&claims(0), public_pem.as_bytes());
    let confused = pan_with_bearer(&app, &forged).await;

    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(genuine.status, StatusCode::OK, "{:?}", genuine.json);
    confused.assert_envelope(401, 401);
}

#[tokio::test]
async fn tokens_of_another_server_secret_are_refused() {
    let issuer = hs256_app();
    let other = spawn_app_with(SandboxSettings::default()); // random secret
    let token = demo_token(&issuer, "building-blocks").await;

    pan_with_bearer(&other, &token)
        .await
        .assert_envelope(401, 401);
}

#[tokio::test]
async fn a_token_of_an_app_disabled_after_issuance_is_refused_with_403() {
    let app = hs256_app();
    let me = app.create_app(json!({ "name": "short-lived" })).await;
    let token = app
        .post_with(
            "/oauth2/token",
            &[],
            json!({ "grant_type": "client_credentials", "client_id": me.client_id,
                    "client_secret": me.client_secret }),
        )
        .await;
    let token = token.json["access_token"].as_str().unwrap().to_string();
    assert_eq!(pan_with_bearer(&app, &token).await.status, StatusCode::OK);

    app.call(
        Method::DELETE,
        "/sandbox/apps/me",
        &[("apikey", &me.apikey)],
        None,
    )
    .await;
    let after = pan_with_bearer(&app, &token).await;

    let message = after.assert_envelope(403, 403);
    assert!(message.contains("disabled"), "{message}");
}
