//! Who may call: OAuth2 tokens for the demo app (every way of asking, the RFC 6749 errors, bearer
//! calls in and out of scope, forged tokens), and apps of their own — a daily quota, one scope, disabled
//! — with the app settings refused.

use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::json;

use super::{
    super::recorder::{Call, Recorder},
    gateway::{freeze, pan, PAN},
};

const TOKEN: &str = "/oauth2/token";
const FORM: &str = "application/x-www-form-urlencoded";
const DEMO_CREDENTIALS: &str = "client_id=sandbank-demo&client_secret=sandbank-demo-secret";

fn form(body: &str) -> Call {
    Call::post(TOKEN).raw(FORM, body.as_bytes().to_vec())
}

fn bearer(token: &str) -> Call {
    Call::post(PAN).header("authorization", &format!("Bearer {token}"))
}

pub async fn tokens(rec: &mut Recorder) {
    let asked =
        format!("grant_type=client_credentials&{DEMO_CREDENTIALS}&scope=building-blocks iwish");
    let narrow = rec
        .send(form(&asked).note("a token from a form body"))
        .await;
    let narrow = narrow.field("/access_token");
    let basic = STANDARD.encode("sandbank-demo:sandbank-demo-secret");
    let with_basic =
        form("grant_type=client_credentials").header("authorization", &format!("Basic {basic}"));
    let wide = rec
        .send(with_basic.note("a token with HTTP Basic credentials"))
        .await;
    let wide = wide.field("/access_token");
    let as_json = json!({
        "grant_type": "client_credentials", "client_id": "sandbank-demo",
        "client_secret": "sandbank-demo-secret", "scope": "trade"
    });
    rec.send(
        Call::post(TOKEN)
            .json(as_json)
            .note("a token from a JSON body"),
    )
    .await;
    refused_tokens(rec).await;
    rec.send(
        bearer(&narrow)
            .json(pan())
            .note("a bearer call within the token's scopes"),
    )
    .await;
    rec.send(
        bearer(&wide)
            .json(pan())
            .note("a bearer call with every scope"),
    )
    .await;
    let trade = Call::post("/api/v1/trade/remittance/balance-inquiry")
        .header("authorization", &format!("Bearer {narrow}"))
        .json(json!({ "currency": "USD" }));
    rec.send(trade.note("a bearer call outside the token's scopes"))
        .await;
    let forged = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJzdWIiOiJzYW5kYmFuay1kZW1vIn0.";
    rec.send(bearer(forged).json(pan()).note("an alg:none token"))
        .await;
    rec.send(bearer("not.a.token").json(pan()).note("a malformed token"))
        .await;
    let basic = Call::post(PAN).header("authorization", "Basic c2FuZGJhbms=");
    rec.send(
        basic
            .json(pan())
            .note("Basic credentials on a business call"),
    )
    .await;
}

async fn refused_tokens(rec: &mut Recorder) {
    for (body, why) in [
        (DEMO_CREDENTIALS.to_string(), "no grant_type"),
        (
            format!("grant_type=password&{DEMO_CREDENTIALS}"),
            "an unsupported grant",
        ),
        (
            "grant_type=client_credentials&client_id=sandbank-demo&client_secret=wrong".into(),
            "a wrong secret",
        ),
        ("grant_type=client_credentials".into(), "no client"),
        (
            format!("grant_type=client_credentials&{DEMO_CREDENTIALS}&scope=mortgages"),
            "an unknown scope",
        ),
        ("%%%".into(), "a form that does not decode"),
    ] {
        rec.send(form(&body).note(format!("token refused: {why}")))
            .await;
    }
    let text = Call::post(TOKEN).raw("text/plain", b"grant_type=client_credentials".to_vec());
    rec.send(text.note("token: a content type it does not read"))
        .await;
}

fn create(body: serde_json::Value, note: &str) -> Call {
    Call::post("/sandbox/apps").json(body).note(note)
}

pub async fn apps(rec: &mut Recorder) {
    quota(rec).await;
    narrow_then_disabled(rec).await;
    refused_apps(rec).await;
}

async fn quota(rec: &mut Recorder) {
    let body = json!({ "name": "corpus quota", "dailyLimit": 2 });
    let created = rec.send(create(body, "an app with 2 calls a day")).await;
    let key = created.field("/apikey");
    freeze(rec, &key, "the quota app's").await;
    for n in 1..=3 {
        let note = format!("quota app: business call {n} of 2");
        rec.post_as(&key, &note, PAN, pan()).await;
    }
    let me = Call::get("/sandbox/apps/me").key(&key);
    rec.send(me.note("quota app: the usage, spent")).await;
    let tomorrow = Call::post("/sandbox/clock")
        .key(&key)
        .json(json!({ "advance": "P1D" }));
    rec.send(tomorrow.note("quota app: a new day on its clock"))
        .await;
    rec.post_as(&key, "quota app: counting again", PAN, pan())
        .await;
}

async fn narrow_then_disabled(rec: &mut Recorder) {
    let body = json!({
        "name": "corpus narrow", "plan": "premium", "scopes": ["building-blocks"],
        "callbackUrl": "https://partner.example/callbacks"
    });
    let narrow = rec.send(create(body, "a premium app with one scope")).await;
    let key = narrow.field("/apikey");
    let (client, secret) = (narrow.field("/client_id"), narrow.field("/client_secret"));
    freeze(rec, &key, "the narrow app's").await;
    rec.post_as(&key, "narrow app: within its scope", PAN, pan())
        .await;
    let goal = json!({ "goalId": "IW0000000001" });
    let note = "narrow app: outside its scope";
    rec.post_as(&key, note, "/api/v1/iwish/goal-view", goal)
        .await;
    let credentials =
        format!("grant_type=client_credentials&client_id={client}&client_secret={secret}");
    let wider = form(&format!("{credentials}&scope=trade"));
    rec.send(wider.note("narrow app: a token wider than its scopes"))
        .await;
    let disable = Call::new(poem::http::Method::DELETE, "/sandbox/apps/me").key(&key);
    rec.send(disable.note("narrow app: disabled")).await;
    rec.post_as(&key, "disabled app: refused", PAN, pan()).await;
    let me = Call::get("/sandbox/apps/me").key(&key);
    rec.send(me.note("disabled app: reads itself")).await;
    rec.send(form(&credentials).note("disabled app: no token"))
        .await;
}

async fn refused_apps(rec: &mut Recorder) {
    for (body, why) in [
        (json!({ "name": "" }), "an empty name"),
        (
            json!({ "name": "x", "dailyLimit": 0 }),
            "a zero daily limit",
        ),
        (
            json!({ "name": "x", "scopes": ["mortgages"] }),
            "an unknown scope",
        ),
        (
            json!({ "name": "x", "callbackUrl": "ftp://example.com" }),
            "a callback URL that is not http",
        ),
        (
            json!({ "name": "x", "encryption": true }),
            "encryption without a key",
        ),
        (
            json!({ "name": "x", "encryption": true, "publicKeyPem": "not a key" }),
            "a key that does not parse",
        ),
        (
            json!({ "name": "x", "callbackEncryption": "rsa" }),
            "callback encryption without encryption",
        ),
        (json!({ "name": "x", "colour": "blue" }), "an unknown field"),
    ] {
        rec.send(create(body, &format!("app refused: {why}"))).await;
    }
    let demo = Call::new(poem::http::Method::DELETE, "/sandbox/apps/me").demo();
    rec.send(demo.note("the demo app cannot be disabled")).await;
}
