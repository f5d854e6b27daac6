//! Composite payments as partner code sends them: the demo corporate's IMPS and NEFT bodies, the rail
//! chosen by the `x-priority` header.

use serde_json::{json, Value};

use super::{Answer, TestApp, DEMO_KEY};

/// An IMPS to the demo beneficiary, with the demo corporate's ids.
pub fn imps(reference: &str, amount: &str) -> Value {
    json!({
        "localTxnDtTime": "20260401100000",
        "beneAccNo": "000405009999",
        "beneIFSC": "ICIC0000004",
        "amount": amount,
        "tranRefNo": reference,
        "paymentRef": "FTTransferP2A",
        "senderName": "Sandbank Demo Traders",
        "mobile": "9800000001",
        "retailerCode": "rcode",
        "passCode": "447c4524c9074b8c97e3a3c40ca7458d",
        "bcID": "IBCKer00055",
        "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1",
        "aggrId": "SANDAGGR1"
    })
}

/// A NEFT (or RTGS, by `x-priority`) from the demo corporate's account to the demo beneficiary.
pub fn neft(reference: &str, amount: &str) -> Value {
    json!({
        "tranRefNo": reference,
        "amount": amount,
        "senderAcctNo": "000405000001",
        "beneAccNo": "000405009999",
        "beneName": "Ravi Kumar",
        "beneIFSC": "ICIC0000004",
        "narration1": "Invoice 42",
        "narration2": "April",
        "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1",
        "aggrId": "SANDAGGR1",
        "aggrName": "SANDBANK",
        "urn": "SANDURN0001",
        "txnType": "RGS",
        "WORKFLOW_REQD": "N"
    })
}

/// `POST /api/v1/composite-payment` with the demo apikey and this `x-priority`.
pub async fn pay(app: &TestApp, priority: &str, body: Value) -> Answer {
    with_priority(app, "/api/v1/composite-payment", priority, body).await
}

/// `POST /api/v1/composite-status` with the demo apikey and this `x-priority`.
pub async fn status(app: &TestApp, priority: &str, body: Value) -> Answer {
    with_priority(app, "/api/v1/composite-status", priority, body).await
}

async fn with_priority(app: &TestApp, path: &str, priority: &str, body: Value) -> Answer {
    app.post_raw(
        path,
        Some(DEMO_KEY),
        "application/json",
        body.to_string().into_bytes(),
        &[("x-priority", priority)],
    )
    .await
}
