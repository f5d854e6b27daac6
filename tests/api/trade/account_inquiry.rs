//! Account inquiry reads the ledger.

use serde_json::json;

use super::{decimal_of, order_body, Bank, REMITTER};

#[tokio::test]
async fn account_inquiry_reads_the_ledger() {
    let bank = Bank::start().await;
    bank.order(order_body("ORM-ACC", "USD", "100.00", "SHA"))
        .await;

    let demo = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": REMITTER }),
        )
        .await;
    let person = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": "000401000001" }),
        )
        .await;
    let unknown = bank
        .call(
            "remittance/account-inquiry",
            json!({ "accountNo": "000401999999" }),
        )
        .await;
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/account-inquiry",
            json!({ "accountNo": "12AB" }),
        )
        .await;

    assert_eq!(demo["accountName"], "Sandbank Demo Traders Pvt Ltd");
    assert_eq!(demo["currency"], "INR");
    assert_eq!(demo["accountStatus"], "ACTIVE");
    assert_eq!(
        decimal_of(&demo["availableBalance"]),
        bank.balance(REMITTER)
    );
    assert_eq!(person["accountName"], "Rahul Kumar Eswaran");
    assert_eq!(person["availableBalance"], "250000.00");
    assert_eq!(
        unknown,
        json!({ "status": "FAILURE", "responseCode": "TR004", "message": "Account not found" })
    );
    assert!(bad.assert_envelope(400, 8017).contains("`accountNo`"));
}
