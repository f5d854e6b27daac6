//! The bank's identifier formats as types that parse (`Pan::parse`), so a value that reaches a handler is
//! already valid. Each type documents itself in the OpenAPI schema (pattern, example) from the same
//! definition that parses it, and parses the same way from request bodies, path parameters and fixtures.
//!
//! Files: [`ids`] (identifiers: PAN, IFSC, account numbers, VPA, …), [`money`] (amounts in, money
//! out), [`reference`] (a client's own reference), [`dates`] (calendar and time patterns), [`text`]
//! (free text).

mod dates;
mod ids;
mod money;
mod reference;
mod text;

pub use dates::{date_pattern, matches, TIME_PATTERN};
pub use ids::{AccountNo, Bic, CurrencyCode, HolderName, Ifsc, Mobile, Pan, RailPriority, Vpa};
pub use money::{rupees, Amount, Money, Percent};
pub use reference::{check_reference, ClientRef};
pub use text::{is_blank, text_schema, NOT_BLANK};
