//! The payment rails' rules, whichever API moves the money (the composite payment, CIB `Transaction`,
//! the e-collection credit simulator): IMPS at most ₹5,00,000 a payment, RTGS at least ₹2,00,000, UPI at
//! most ₹1,00,000, and NEFT settling in half-hourly batches.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use crate::sandbox::bank::{determinism::Determinism, formats::RailPriority};

/// The most one IMPS payment may carry: ₹5,00,000.
pub const IMPS_LIMIT: Decimal = Decimal::from_parts(500_000, 0, 0, false, 0);
/// The least one RTGS payment may carry: ₹2,00,000.
pub const RTGS_MINIMUM: Decimal = Decimal::from_parts(200_000, 0, 0, false, 0);
/// The most one UPI payment may carry: ₹1,00,000.
pub const UPI_LIMIT: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

/// NEFT settles in batches every half hour (on :00 and :30, in IST as in UTC: IST is UTC+5:30).
pub const NEFT_BATCH_SECONDS: i64 = 30 * 60;

/// The first NEFT batch strictly after `at`.
pub fn next_neft_batch(at: DateTime<Utc>) -> DateTime<Utc> {
    let slot = at.timestamp().div_euclid(NEFT_BATCH_SECONDS) + 1;
    DateTime::from_timestamp(slot * NEFT_BATCH_SECONDS, 0).unwrap_or(at + Duration::minutes(30))
}

/// A payment rail, in `x-priority` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rail {
    Upi,
    Imps,
    Neft,
    Rtgs,
}

impl Rail {
    /// The rails in `x-priority`'s digit order.
    const IN_PRIORITY_ORDER: [Rail; 4] = [Self::Upi, Self::Imps, Self::Neft, Self::Rtgs];

    pub fn name(self) -> &'static str {
        match self {
            Self::Upi => "UPI",
            Self::Imps => "IMPS",
            Self::Neft => "NEFT",
            Self::Rtgs => "RTGS",
        }
    }

    /// The bank's reference for a payment (or an IMPS name enquiry) on this rail: a 12-digit BankRRN
    /// (IMPS, UPI), a 16-character NEFT UTR, a 22-character RTGS UTR — stable for the app and the
    /// client's own reference.
    pub fn reference(
        self,
        determinism: &Determinism,
        app_id: &str,
        client_reference: &str,
    ) -> String {
        let key = format!("{app_id}|{client_reference}");
        match self {
            Self::Imps => determinism.reference("imps-rrn", &key, 12),
            Self::Upi => determinism.reference("upi-rrn", &key, 12),
            Self::Neft => format!("ICICN{}", determinism.reference("neft-utr", &key, 11)),
            Self::Rtgs => format!("ICICR5{}", determinism.reference("rtgs-utr", &key, 16)),
        }
    }
}

impl RailPriority {
    /// The rails this priority names, in fallback order (`1000` UPI, `0100` IMPS, `0010` NEFT,
    /// `0001` RTGS; `0110` IMPS then NEFT). Never empty: the header's parse refused `0000`.
    pub fn rails(&self) -> Vec<Rail> {
        Rail::IN_PRIORITY_ORDER
            .into_iter()
            .zip(self.as_str().bytes())
            .filter(|(_, digit)| *digit == b'1')
            .map(|(rail, _)| rail)
            .collect()
    }
}

/// The IMPS answer (`ActCode`, `Response`, `BankRRN`, `BeneName`, `TranRefNo`), its fields and their
/// spelling written once. Two operations answer it — Building Blocks' name enquiry and Payments'
/// composite payment — and each keeps its own schema name (`NameEnquiryResponse`, `ImpsAnswer`) and
/// its own words for three fields, since partners' generated clients are built from those names: so
/// this declares a named type per operation rather than one shared type.
macro_rules! imps_answer {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $(#[doc = $act_code:tt])* act_code,
            $(#[doc = $bank_rrn:tt])* bank_rrn,
            $(#[doc = $bene_name:tt])* bene_name $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(poem_openapi::Object, Debug, Clone)]
        $vis struct $name {
            $(#[doc = $act_code])*
            #[oai(rename = "ActCode")]
            pub act_code: String,
            /// The answer in words.
            #[oai(rename = "Response")]
            pub response: String,
            $(#[doc = $bank_rrn])*
            #[oai(rename = "BankRRN")]
            pub bank_rrn: String,
            $(#[doc = $bene_name])*
            #[oai(rename = "BeneName")]
            pub bene_name: String,
            #[oai(rename = "TranRefNo")]
            pub tran_ref_no: String,
        }
    };
}
pub(crate) use imps_answer;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_priority_names_rails_in_fallback_order() {
        let rails = |raw: &str| RailPriority::parse(raw).unwrap().rails();
        assert_eq!(rails("0100"), vec![Rail::Imps]);
        assert_eq!(rails("1011"), vec![Rail::Upi, Rail::Neft, Rail::Rtgs]);
        for bad in ["0000", "01", "01000", "0120", "abcd", ""] {
            assert!(RailPriority::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn neft_batches_fall_on_the_half_hour_strictly_after_now() {
        let at = |h, m, s| Utc.with_ymd_and_hms(2026, 4, 1, h, m, s).unwrap();
        // 10:00 IST is 04:30 UTC.
        assert_eq!(next_neft_batch(at(4, 30, 0)), at(5, 0, 0));
        assert_eq!(next_neft_batch(at(4, 59, 59)), at(5, 0, 0));
        assert_eq!(next_neft_batch(at(4, 45, 10)), at(5, 0, 0));
        assert_eq!(next_neft_batch(at(5, 0, 0)), at(5, 30, 0));
    }
}
