//! What Cash Management's request schemas say beyond their fields (patterns, bounded texts, rules
//! across fields), added to the OpenAPI document.

use crate::api::SchemaRule;

use super::{account_statement, credit_simulate, transaction_inquiry, virtual_account_create};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    let text = crate::sandbox::bank::formats::text_schema;
    vec![
        account_statement::schema_rule(),
        transaction_inquiry::schema_rule(),
        credit_simulate::schema_rule(),
        SchemaRule {
            schema: "VirtualAccountRequest",
            rule: serde_json::json!({ "properties": {
                "payerName": text(100),
                "callbackUrl": { "pattern": virtual_account_create::CALLBACK_URL_PATTERN },
            } }),
        },
        SchemaRule {
            schema: "SimulateCreditRequest",
            rule: serde_json::json!({ "properties": { "remarks": text(100) } }),
        },
        SchemaRule {
            schema: "RegistrationRequest",
            rule: serde_json::json!({ "properties": {
                "ALIASID": { "pattern": "^[A-Za-z0-9_.-]{1,32}$" },
            } }),
        },
    ]
    .into_iter()
    // `AGGRNAME` as `cib::aggr_name` reads it, wherever a request has one.
    .chain(
        [
            "RegistrationRequest",
            "RegistrationStatusRequest",
            "TransactionRequest",
            "OtpCreateRequest",
            "TransactionOtpRequest",
        ]
        .map(|schema| SchemaRule {
            schema,
            rule: serde_json::json!({ "properties": { "AGGRNAME": text(64) } }),
        }),
    )
    .collect()
}
