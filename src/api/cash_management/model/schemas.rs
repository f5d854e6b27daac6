//! What Cash Management's request schemas say beyond their fields (rules across fields), added to
//! the OpenAPI document; the fields' own rules are their types'.

use crate::api::SchemaRule;

use crate::api::cash_management::{account_statement, credit_simulate, transaction_inquiry};

/// What this family's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![
        account_statement::schema_rule(),
        transaction_inquiry::schema_rule(),
        credit_simulate::schema_rule(),
    ]
}
