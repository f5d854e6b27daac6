//! Nostro balances as documented.

use serde_json::json;

use super::Bank;

#[tokio::test]
async fn every_nostro_opens_with_its_documented_balance() {
    let bank = Bank::start().await;
    let expected = [
        ("USD", "000409884001", "5000000.00", "CHASUS33"),
        ("EUR", "000409897801", "3000000.00", "DEUTDEFF"),
        ("GBP", "000409882601", "2000000.00", "BARCGB22"),
        ("AED", "000409878401", "10000000.00", "EBILAEAD"),
        ("SGD", "000409870201", "3000000.00", "DBSSSGSG"),
        ("JPY", "000409839201", "500000000.00", "BOTKJPJT"),
    ];

    for (currency, account, balance, bic) in expected {
        let answer = bank
            .call(
                "remittance/balance-inquiry",
                json!({ "currency": currency }),
            )
            .await;
        assert_eq!(answer["responseCode"], "TR000");
        assert_eq!(answer["accountType"], "NOSTRO");
        assert_eq!(answer["accountNo"], account);
        assert_eq!(answer["availableBalance"], balance, "{currency}");
        assert_eq!(answer["correspondentBic"], bic);
        assert_eq!(answer["asOf"], "2026-04-01T10:00:00+05:30");
    }
    let chf = bank
        .call("remittance/balance-inquiry", json!({ "currency": "CHF" }))
        .await;
    assert_eq!(
        chf,
        json!({ "status": "FAILURE", "responseCode": "TR001", "message": "Currency not supported" })
    );
    let bad = bank
        .app
        .post(
            "/api/v1/trade/remittance/balance-inquiry",
            json!({ "currency": "US" }),
        )
        .await;
    assert!(bad.assert_envelope(400, 8017).contains("`currency`"));
}
