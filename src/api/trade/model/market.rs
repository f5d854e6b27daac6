//! The remittance desk's reference data: the currencies the bank remits in (with their nostro
//! accounts, correspondent charges and base rates), the deterministic daily FX rate table, RBI purpose
//! codes, the UETR, and business days.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rust_decimal::Decimal;

use crate::sandbox::bank::{
    clock::ist,
    determinism::Determinism,
    ledger::{Ledger, Transfer},
};

/// A currency the bank remits in.
#[derive(Debug, Clone, Copy)]
pub struct Currency {
    pub code: &'static str,
    /// ISO 4217 numeric code: the middle of the nostro account number.
    pub numeric: &'static str,
    /// Decimal places (JPY has none).
    pub minor_units: u32,
    /// INR for one unit before the daily wobble.
    pub base_rate: Decimal,
    /// The nostro's balance when the app first uses it.
    pub nostro_opening: Decimal,
    /// What the correspondent deducts per payment, in the currency.
    pub correspondent_charge: Decimal,
    pub correspondent_bic: &'static str,
    pub correspondent: &'static str,
}

const fn d(mantissa: i64, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa as u32, (mantissa >> 32) as u32, 0, false, scale)
}

pub const CURRENCIES: [Currency; 6] = [
    Currency {
        code: "USD",
        numeric: "840",
        minor_units: 2,
        base_rate: d(832_500, 4),
        nostro_opening: d(5_000_000, 0),
        correspondent_charge: d(25, 0),
        correspondent_bic: "CHASUS33",
        correspondent: "JPMorgan Chase Bank, N.A., New York",
    },
    Currency {
        code: "EUR",
        numeric: "978",
        minor_units: 2,
        base_rate: d(901_000, 4),
        nostro_opening: d(3_000_000, 0),
        correspondent_charge: d(20, 0),
        correspondent_bic: "DEUTDEFF",
        correspondent: "Deutsche Bank AG, Frankfurt am Main",
    },
    Currency {
        code: "GBP",
        numeric: "826",
        minor_units: 2,
        base_rate: d(1_054_000, 4),
        nostro_opening: d(2_000_000, 0),
        correspondent_charge: d(15, 0),
        correspondent_bic: "BARCGB22",
        correspondent: "Barclays Bank PLC, London",
    },
    Currency {
        code: "AED",
        numeric: "784",
        minor_units: 2,
        base_rate: d(226_700, 4),
        nostro_opening: d(10_000_000, 0),
        correspondent_charge: d(90, 0),
        correspondent_bic: "EBILAEAD",
        correspondent: "Emirates NBD Bank PJSC, Dubai",
    },
    Currency {
        code: "SGD",
        numeric: "702",
        minor_units: 2,
        base_rate: d(618_000, 4),
        nostro_opening: d(3_000_000, 0),
        correspondent_charge: d(30, 0),
        correspondent_bic: "DBSSSGSG",
        correspondent: "DBS Bank Ltd, Singapore",
    },
    Currency {
        code: "JPY",
        numeric: "392",
        minor_units: 0,
        base_rate: d(5_560, 4),
        nostro_opening: d(500_000_000, 0),
        correspondent_charge: d(3_000, 0),
        correspondent_bic: "BOTKJPJT",
        correspondent: "MUFG Bank, Ltd., Tokyo",
    },
];

pub fn currency(code: &str) -> Option<&'static Currency> {
    CURRENCIES.iter().find(|c| c.code == code)
}

impl Currency {
    /// The bank's nostro account for this currency: `0004098` + ISO numeric + `01`.
    pub fn nostro_account(&self) -> String {
        format!("0004098{}01", self.numeric)
    }

    /// INR for one unit on `date`: the base rate moved by a daily wobble of −1.00% to +1.00% drawn
    /// from (currency, date), rounded to 4 places.
    pub fn rate_on(&self, determinism: &Determinism, date: NaiveDate) -> Decimal {
        let hash = determinism.hash("fx-rate", &format!("{}|{date}", self.code));
        let basis_points = i64::try_from(hash % 201).unwrap_or(100) - 100;
        let factor = Decimal::ONE + Decimal::new(basis_points, 4);
        (self.base_rate * factor).round_dp(4)
    }

    /// `value` rounded to the currency's minor units (half away from zero), with that many places.
    pub fn round(&self, value: Decimal) -> Decimal {
        let mut v = value.round_dp_with_strategy(
            self.minor_units,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
        v.rescale(self.minor_units);
        v
    }

    /// Opens the nostro in the app's ledger on first use, funded with its opening balance.
    pub fn ensure_nostro(&self, ledger: &mut Ledger, at: DateTime<Utc>) -> String {
        let account = self.nostro_account();
        if ledger.account(&account).is_none() {
            let holder = format!("Nostro {} with {}", self.code, self.correspondent);
            ledger.open(&account, &holder, self.code);
            ledger
                .transfer(Transfer {
                    debit: None,
                    credit: Some(&account),
                    amount: self.nostro_opening,
                    at,
                    remarks: "Nostro opening balance",
                    reference: "NOSTRO-OPENING",
                })
                .expect("a fresh nostro takes its opening balance");
        }
        account
    }
}

/// RBI purpose codes the desk accepts, with their descriptions.
pub const PURPOSE_CODES: [(&str, &str); 14] = [
    ("P0102", "Realisation of export bills sent on collection"),
    ("P0103", "Advance receipts against export contracts"),
    ("P0802", "Software consultancy / implementation"),
    (
        "P1006",
        "Business and management consultancy and public relations services",
    ),
    (
        "P1301",
        "Family maintenance and savings (non-resident Indians)",
    ),
    ("P1302", "Personal gifts and donations"),
    ("S0001", "Indian investment abroad in equity capital"),
    ("S0101", "Advance payment against imports"),
    ("S0102", "Payment towards imports: settlement of invoice"),
    ("S0301", "Business travel"),
    ("S0305", "Travel for education (fees, hostel expenses)"),
    (
        "S1006",
        "Business and management consultancy and public relations services",
    ),
    ("S1301", "Remittance towards family maintenance and savings"),
    ("S1302", "Remittance towards personal gifts and donations"),
];

pub fn purpose(code: &str) -> Option<&'static str> {
    PURPOSE_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, description)| *description)
}

/// A UUID v4 (SWIFT gpi's UETR) derived from `input`: 122 hash bits, version 4, RFC 4122 variant.
pub fn uetr(determinism: &Determinism, input: &str) -> String {
    let high = determinism.hash("uetr-high", input);
    let low = determinism.hash("uetr-low", input);
    let high = (high & !0xF000) | 0x4000; // version 4 in bits 12..16 of the 3rd group
    let low = (low & !(0b11 << 62)) | (0b10 << 62); // variant 10xx
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xFFFF,
        high & 0xFFFF,
        low >> 48,
        low & 0xFFFF_FFFF_FFFF
    )
}

/// One business day after `at`: the same time on the next weekday (IST), Saturday and Sunday skipped.
pub fn next_business_day(at: DateTime<Utc>) -> DateTime<Utc> {
    let mut next = at + Duration::days(1);
    while matches!(
        next.with_timezone(&ist()).weekday(),
        Weekday::Sat | Weekday::Sun
    ) {
        next += Duration::days(1);
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uetr_is_a_version_4_uuid() {
        let id = uetr(&Determinism::new(1), "app|REF1");
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "{id}");
        assert!("89ab".contains(&groups[3][..1]), "{id}");
        assert_eq!(id, uetr(&Determinism::new(1), "app|REF1"));
        assert_ne!(id, uetr(&Determinism::new(1), "app|REF2"));
    }

    #[test]
    fn rates_wobble_within_one_percent_by_day() {
        let det = Determinism::new(Determinism::DEFAULT_SEED);
        let usd = currency("USD").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let rate = usd.rate_on(&det, day);
        assert!((d(824_175, 4)..=d(840_825, 4)).contains(&rate), "{rate}");
        assert_eq!(rate, usd.rate_on(&det, day));
    }

    #[test]
    fn friday_rolls_to_monday() {
        let friday = "2026-04-03T10:00:00+05:30"
            .parse::<DateTime<Utc>>()
            .unwrap();
        let monday = "2026-04-06T10:00:00+05:30"
            .parse::<DateTime<Utc>>()
            .unwrap();
        assert_eq!(next_business_day(friday), monday);
    }
}
