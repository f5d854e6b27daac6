//! Building Blocks: every operation, its magic values and its validation.

use serde_json::{json, Value};

mod apikey;
mod bureau_check;
mod eligibility_check;
mod ifsc_lookup;
mod name_enquiry;
mod pan_validation;

const DEMO_PAN: &str = "ABCPE1234F";

fn bureau_body(pan: &str) -> Value {
    json!({
        "pan": pan,
        "name": "Rahul Kumar Eswaran",
        "dateOfBirth": "1988-04-12",
        "mobile": "9800000001",
        "consent": "Y"
    })
}

fn name_enquiry_body(account: &str, ifsc: &str) -> Value {
    json!({
        "BeneAccNo": account,
        "BeneIFSC": ifsc,
        "TranRefNo": "NE20260401000001",
        "PaymentRef": "PENNYDROP",
        "RemName": "Sandbank Demo Traders",
        "RemMobile": "9800000001",
        "RetailerCode": "rcode",
        "PassCode": "447c4524c9074b8c97e3a3c40ca7458d",
        "TransactionDate": "20260401103000"
    })
}

fn eligibility_body(pan: &str, product: &str, income: &str, requested: &str) -> Value {
    json!({ "pan": pan, "product": product, "monthlyIncome": income, "requestedAmount": requested })
}
