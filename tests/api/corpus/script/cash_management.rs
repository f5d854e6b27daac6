//! Cash Management: CIB registration, balances and statement pages, then the payments
//! ([`super::cib_payments`]), then collections into virtual accounts with their MIS.

use serde_json::{json, Value};

use super::{super::recorder::Recorder, cib_payments};

pub const ACCOUNT: &str = "000405000001";

pub fn path(op: &str) -> String {
    format!("/api/Corporate/CIB/v1/{op}")
}

fn extended(mut body: Value, extra: Value) -> Value {
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// The demo CIB user's identity block plus `extra`.
pub fn identity(extra: Value) -> Value {
    let user = json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"
    });
    extended(user, extra)
}

/// `SANDUSER2`, who starts unregistered, plus `extra`.
pub fn second_user(extra: Value) -> Value {
    let user = json!({
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP2", "USERID": "SANDUSER2", "URN": "SANDURN0002"
    });
    extended(user, extra)
}

pub async fn chain(rec: &mut Recorder) {
    registration(rec).await;
    balances(rec).await;
    statements(rec).await;
    cib_payments::chain(rec).await;
    let number = virtual_accounts(rec).await;
    mis(rec, &number).await;
}

async fn registration(rec: &mut Recorder) {
    let named = |extra: Value| {
        let mut body = second_user(extra);
        body["AGGRNAME"] = json!("SANDBANK");
        body
    };
    let account = || second_user(json!({ "ACCOUNTNO": "000405000002" }));
    for (op, body, why) in [
        ("BalanceInquiry", account(), "an unregistered user"),
        ("RegistrationStatus", named(json!({})), "not yet registered"),
        (
            "Registration",
            named(json!({ "ALIASID": "sanduser2" })),
            "register the second user",
        ),
        ("RegistrationStatus", named(json!({})), "registered"),
        ("Registration", named(json!({})), "register again"),
        ("Deregistration", second_user(json!({})), "deregister"),
        ("BalanceInquiry", account(), "a deregistered user"),
        (
            "RegistrationStatus",
            named(json!({ "USERID": "NOSUCHUSER" })),
            "an unknown user",
        ),
        (
            "BalanceInquiry",
            identity(json!({ "CORPID": "NOSUCHCORP", "ACCOUNTNO": ACCOUNT })),
            "an unknown corporate",
        ),
        (
            "BalanceInquiry",
            identity(json!({ "URN": "" })),
            "an empty URN",
        ),
    ] {
        rec.post(&format!("CIB {op}: {why}"), &path(op), body).await;
    }
}

async fn balances(rec: &mut Recorder) {
    for (account, why) in [
        (ACCOUNT, "the demo account"),
        ("000405000002", "its second account"),
        ("000401000001", "another customer's account"),
        ("4054", "a malformed account"),
    ] {
        let body = identity(json!({ "ACCOUNTNO": account }));
        rec.post(
            &format!("CIB balance: {why}"),
            &path("BalanceInquiry"),
            body,
        )
        .await;
    }
}

async fn statements(rec: &mut Recorder) {
    let statement = |from: &str, to: &str| {
        identity(json!({ "ACCOUNTNO": ACCOUNT, "FROMDATE": from, "TODATE": to }))
    };
    let page = path("AccountStatement");
    let quarter = statement("01-01-2026", "01-04-2026");
    let first = rec
        .post("CIB statement: 90 days, first page", &page, quarter.clone())
        .await;
    let mut next = quarter;
    next["CONFLG"] = json!("Y");
    next["LASTTRID"] = json!(first.field("/LASTTRID"));
    rec.post("CIB statement: the next page", &page, next.clone())
        .await;
    next["LASTTRID"] = json!("NOPE");
    rec.post("CIB statement: an unknown cursor", &page, next)
        .await;
    for (from, to, why) in [
        ("2026-03-01", "31-03-2026", "an ISO date"),
        ("31-03-2026", "01-03-2026", "a reversed range"),
        ("01-01-2020", "31-01-2020", "a range without entries"),
    ] {
        rec.post(&format!("CIB statement: {why}"), &page, statement(from, to))
            .await;
    }
}

fn payer(code: &str) -> Value {
    json!({
        "corpId": "SANDCORP1", "payerCode": code, "payerName": "Asha Traders"
    })
}

/// Returns the new virtual account's number.
async fn virtual_accounts(rec: &mut Recorder) -> String {
    let va = "/api/v1/ecollection/virtual-accounts";
    let created = rec.post("a virtual account", va, payer("CORPUS01")).await;
    let unknown = json!({ "corpId": "NOSUCHCORP", "payerCode": "X1", "payerName": "X" });
    for (body, why) in [
        (payer("CORPUS01"), "the same payer again"),
        (payer("bad code!"), "a malformed payer code"),
        (unknown, "an unknown corporate"),
    ] {
        rec.post(&format!("virtual account: {why}"), va, body).await;
    }
    let number = created.field("/virtualAccountNumber");
    let credit = |va: &str, amount: &str, mode: &str, utr: Option<&str>| {
        let mut body = json!({
            "virtualAccountNumber": va, "amount": amount, "mode": mode, "remitterName": "Asha Traders",
            "remitterAccount": "50100012345678", "remitterIfsc": "HDFC0000001", "remarks": "Invoice 42"
        });
        if let Some(utr) = utr {
            body["utr"] = json!(utr);
        }
        body
    };
    let utr = Some("CORPUSUTR0001");
    for (body, why) in [
        (credit(&number, "25000.00", "NEFT", None), "a NEFT credit"),
        (credit(&number, "300000.00", "RTGS", None), "an RTGS credit"),
        (
            credit(&number, "1500.00", "IMPS", utr),
            "an IMPS credit with its UTR",
        ),
        (
            credit(&number, "1500.00", "IMPS", utr),
            "the same UTR again",
        ),
        (
            credit(&number, "100.00", "RTGS", None),
            "RTGS under two lakh",
        ),
        (
            credit("SBNK01NOSUCH", "100.00", "NEFT", None),
            "an unknown virtual account",
        ),
        (credit(&number, "100.00", "CHEQUE", None), "an unknown mode"),
    ] {
        let note = format!("collection: {why}");
        rec.post(&note, "/api/v1/ecollection/simulate-credit", body)
            .await;
    }
    number
}

async fn mis(rec: &mut Recorder, number: &str) {
    let range =
        |from: &str, to: &str| json!({ "corpId": "SANDCORP1", "fromDate": from, "toDate": to });
    let mut one = range("2026-04-01", "2026-12-31");
    one["virtualAccountNumber"] = json!(number);
    for (body, why) in [
        (range("2026-04-01", "2026-12-31"), "this year's credits"),
        (one, "one virtual account"),
        (range("2020-01-01", "2020-01-31"), "a range without credits"),
        (range("2026-12-31", "2026-01-01"), "a reversed range"),
    ] {
        rec.post(&format!("MIS: {why}"), "/api/v1/ecollection/mis", body)
            .await;
    }
}
