//! An encrypted app (a 4096-bit key): the hybrid envelope with 16-, 24- and 32-byte session keys and
//! both IV placements, scheme A with a short and a long answer, `X-ID-Fingerprint`, and every kind of
//! body that does not open. Requests are built with seeded padding, so recording twice writes the same
//! bytes; the answers are the sandbox's own deterministic sealing.

use serde_json::{json, Value};

use super::{
    super::{
        crypto::APP_PUBLIC_KEY,
        recorder::{Call, Recorder},
    },
    gateway::{freeze, pan, PAN},
};

const KEY_16: &[u8] = b"4716093852617340";
const KEY_24: &[u8] = b"abcdefghijklmnopqrstuvwx";
const KEY_32: &[u8] = b"Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8L0";
const NOT_A_FINGERPRINT: &str = "bm90IGEgZmluZ2VycHJpbnQ=";

fn cib(extra: Value) -> Value {
    let mut body = json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// A call carrying `plain` in the hybrid envelope under `session`.
fn hybrid(
    rec: &Recorder,
    key: &str,
    path: &str,
    plain: &Value,
    session: &[u8],
    iv_in_field: bool,
) -> Call {
    let text = plain.to_string().into_bytes();
    let body = rec.harness.keys.envelope(&text, session, iv_in_field);
    Call::post(path)
        .key(key)
        .sealed("application/json", body, plain)
}

/// A call carrying `plain` in scheme A.
fn scheme_a(rec: &Recorder, key: &str, path: &str, plain: &Value) -> Call {
    let body = rec.harness.keys.scheme_a(plain.to_string().as_bytes());
    Call::post(path).key(key).sealed("text/plain", body, plain)
}

pub async fn app(rec: &mut Recorder) {
    let settings =
        json!({ "name": "corpus encrypted", "encryption": true, "publicKeyPem": APP_PUBLIC_KEY });
    let create = Call::post("/sandbox/apps").json(settings);
    let created = rec
        .send(create.note("an encrypted app with a 4096-bit key"))
        .await;
    let key = created.field("/apikey");
    freeze(rec, &key, "the encrypted app's").await;
    let me = Call::get("/sandbox/apps/me").key(&key);
    rec.send(me.note("encrypted app: its settings")).await;
    envelopes(rec, &key).await;
    whole_bodies(rec, &key).await;
    refusals(rec, &key).await;
    let log = Call::get("/sandbox/requests?limit=4").key(&key);
    rec.send(log.note("encrypted app: the log shows what was opened"))
        .await;
}

async fn envelopes(rec: &mut Recorder, key: &str) {
    let bureau = json!({
        "pan": "ABCPE1234F", "name": "Rahul Kumar Eswaran", "dateOfBirth": "1988-04-12",
        "mobile": "9800000001", "consent": "Y"
    });
    let balance = cib(json!({ "ACCOUNTNO": "000405000001" }));
    let goal = json!({ "goalId": "IW0000000001" });
    for (path, plain, session, iv_in_field, why) in [
        (
            PAN,
            pan(),
            KEY_16,
            true,
            "PAN, a 16-byte key, the IV in its field",
        ),
        (
            PAN,
            pan(),
            KEY_16,
            true,
            "the same envelope again: the same bytes back",
        ),
        (
            "/api/v1/bureau-check",
            bureau,
            KEY_32,
            false,
            "a bureau report, a 32-byte key, the IV prepended",
        ),
        (
            "/api/Corporate/CIB/v1/BalanceInquiry",
            balance,
            KEY_24,
            false,
            "a CIB balance, a 24-byte key",
        ),
        (
            "/api/v1/iwish/goal-view",
            goal,
            KEY_32,
            true,
            "a business decline travels encrypted",
        ),
        (
            PAN,
            json!({ "pan": "ABC" }),
            KEY_16,
            true,
            "a schema error inside: answered in plain JSON",
        ),
    ] {
        let call = hybrid(rec, key, path, &plain, session, iv_in_field);
        rec.send(call.note(format!("encrypted app, hybrid: {why}")))
            .await;
    }
    let signed = hybrid(rec, key, PAN, &pan(), KEY_16, false).fingerprint();
    let note = "encrypted app, hybrid with X-ID-Fingerprint over the plaintext";
    rec.send(signed.note(note)).await;
    let text = pan().to_string().into_bytes();
    let body = rec.harness.keys.envelope(&text, KEY_16, false);
    let labelled = Call::post(PAN).key(key).sealed("text/plain", body, &pan());
    rec.send(labelled.note("encrypted app: the envelope labelled text/plain"))
        .await;
}

async fn whole_bodies(rec: &mut Recorder, key: &str) {
    let statement = cib(
        json!({ "ACCOUNTNO": "000405000002", "FROMDATE": "01-03-2026", "TODATE": "31-03-2026" }),
    );
    let vpa = json!({ "VirtualAddress": "sandbankstore@icici" });
    for (path, plain, why) in [
        (PAN, pan(), "PAN: the answer fits one block"),
        (
            "/api/Corporate/CIB/v1/AccountStatement",
            statement,
            "a statement: too long for one block, answered in the envelope",
        ),
        ("/api/v1/upi2/ValidateAddress", vpa, "a VPA check"),
    ] {
        let call = scheme_a(rec, key, path, &plain);
        rec.send(call.note(format!("encrypted app, scheme A: {why}")))
            .await;
    }
    let signed = scheme_a(rec, key, PAN, &pan()).fingerprint();
    rec.send(signed.note("encrypted app, scheme A with X-ID-Fingerprint"))
        .await;
    let bodiless = Call::get("/api/v1/ifsc/ICIC0000004").key(key);
    let note = "encrypted app: a bodiless call, answered in the envelope";
    rec.send(bodiless.note(note)).await;
}

async fn refusals(rec: &mut Recorder, key: &str) {
    let bad: [(&str, &[u8], &str); 6] = [
        (
            "application/json",
            br#"{"pan":"ABCPE1234F"}"#,
            "plain JSON instead of the envelope",
        ),
        (
            "application/json",
            br#"{"requestId":"R","encryptedKey":"%%%","encryptedData":"AAAA","iv":""}"#,
            "an envelope whose key is not base64",
        ),
        (
            "application/json",
            br#"{"requestId":"R","encryptedKey":"","encryptedData":"","iv":""}"#,
            "an envelope with empty fields",
        ),
        (
            "text/plain",
            b"%%% not base64",
            "scheme A that is not base64",
        ),
        (
            "text/plain",
            b"c2hvcnQ=",
            "scheme A shorter than one RSA block",
        ),
        (
            "application/xml",
            b"<pan/>",
            "a content type it does not read",
        ),
    ];
    for (content_type, body, why) in bad {
        let call = Call::post(PAN).key(key).raw(content_type, body.to_vec());
        rec.send(call.note(format!("encrypted app refused: {why}")))
            .await;
    }
    let garbled =
        hybrid(rec, key, PAN, &pan(), KEY_16, true).header("x-id-fingerprint", NOT_A_FINGERPRINT);
    let note = "encrypted app refused: a fingerprint that does not decrypt";
    rec.send(garbled.note(note)).await;
}
