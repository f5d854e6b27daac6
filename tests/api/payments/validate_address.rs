//! VPA validation: known VPAs are named, unknown handles refused.

use serde_json::json;

use super::spawn_bank;

#[tokio::test]
async fn validate_address_names_known_vpas_and_refuses_unknown_handles() {
    let bank = spawn_bank();
    let check = |vpa: &str| {
        bank.app.post(
            "/api/v1/upi2/ValidateAddress",
            json!({"VirtualAddress": vpa}),
        )
    };

    let merchant = check("sandbankstore@icici").await;
    let person = check("9800000001@ybl").await;
    let synthetic = check("someone@paytm").await;
    let unknown = check("someone@nobank").await;
    let malformed = check("someone").await;

    assert_eq!(
        merchant.json,
        json!({"success": "true", "response": "0", "message": "VPA is available for transaction", "payeeName": "Sandbank Store"})
    );
    assert_eq!(person.json["payeeName"], "Rahul Eswaran");
    assert_eq!(synthetic.json["success"], "true");
    assert_eq!(
        synthetic.json["payeeName"],
        check("someone@paytm").await.json["payeeName"],
        "stable"
    );
    assert_eq!(unknown.json["success"], "false");
    assert_eq!(unknown.json["response"], "37");
    assert!(malformed
        .assert_envelope(400, 8017)
        .contains("`VirtualAddress`"));
}
