//! The bank's identifier formats as types that parse (`Pan::parse`), so a value that reaches a handler is
//! already valid. Each type documents itself in the OpenAPI schema (pattern, example) from the same
//! definition that parses it, and parses the same way from request bodies, path parameters and fixtures.
//!
//! Files: [`checked`] (`Checked<Rule>`: checked text, its schema inline on the field), [`ids`]
//! (identifiers: PAN, IFSC, account numbers, VPA, …), [`codes`] (CIB ids, `UNIQUEID`s, application
//! numbers, capital-letter codes), [`money`] (amounts in, money out), [`reference`] (a client's own
//! reference), [`dates`] (calendar and time patterns, the bank's dates), [`text`] (free text, file
//! names, callback URLs), [`numbers`] (bounded whole numbers).

/// The parts of poem-openapi's `Type` every format shares: required (unless the call says
/// `required: false`), its own raw value, one element. Written here once, for the formats' `Type`s,
/// the families' own inline newtypes and the scenario header.
macro_rules! type_plumbing {
    () => {
        $crate::sandbox::bank::formats::type_plumbing!(required: true);
    };
    (required: $required:literal) => {
        const IS_REQUIRED: bool = $required;
        type RawValueType = Self;
        type RawElementValueType = Self;

        fn as_raw_value(&self) -> Option<&Self::RawValueType> {
            Some(self)
        }

        fn raw_element_iter<'a>(
            &'a self,
        ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
            Box::new(self.as_raw_value().into_iter())
        }
    };
}

pub(crate) use type_plumbing;

/// The `Type` of a format declared once as a component (`#/components/schemas/<name>`) and
/// referenced everywhere else; `$schema` builds its schema. The rest is poem-openapi's plumbing,
/// written here once for every format.
macro_rules! component_type {
    ($name:ident, $schema:expr) => {
        impl poem_openapi::types::Type for $name {
            type_plumbing!();

            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
                poem_openapi::registry::MetaSchemaRef::Reference(Self::name().into_owned())
            }

            fn register(registry: &mut poem_openapi::registry::Registry) {
                registry.create_schema::<Self, _>(Self::name().into_owned(), |_| $schema);
            }
        }
    };
}

#[macro_use]
mod checked;
mod codes;
mod dates;
mod ids;
mod money;
mod numbers;
mod reference;
mod text;

pub use checked::{Checked, Rule};
pub use codes::{
    AliasId, ApplicationNo, CapsCode, CibId, CibLogin, FileSeqNum, ForeignAccount, Otp,
    OtpReference, PurposeCode, Sha256, UniqueId, UtrNumber,
};
pub use dates::{
    bank_date_pattern, collect_by_pattern, date_pattern, date_time_14_pattern, matches, BankDate,
    CollectByDate, DateTime14, BANK_DATE_FORMAT, TIME_PATTERN,
};
pub use ids::{AccountNo, Bic, CurrencyCode, HolderName, Ifsc, Mobile, Pan, RailPriority, Vpa};
pub use money::{rupees, Amount, Money, Percent};
pub use numbers::{ClaimPeriodDays, SiDay, TenureMonths};
pub use reference::{ClientRef, Reference, SwiftReference};
pub use text::{
    is_blank, text_schema, BulkFileName, CallbackUrl, DocumentFileName, FileContent, FreeText,
    GoalName, Inr, MaxChars, SwiftText, Text, YesNo, YesOrNo, CALLBACK_URL_PATTERN, NOT_BLANK,
};
