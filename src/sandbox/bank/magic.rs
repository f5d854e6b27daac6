//! The catalogue's magic values that more than one family honours, decided here
//! once: amounts ending `.13` / `.51` / `.96` and beneficiary accounts ending `0000`. Family-specific
//! magic (VPAs, OTPs) lives with its family.

use rust_decimal::Decimal;

/// What a magic amount asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MagicAmount {
    /// `.13`: the rail refuses the amount (IMPS ActCode 13, CIB failure).
    InvalidAmount,
    /// `.51`: insufficient funds, whatever the balance.
    InsufficientFunds,
    /// `.96`: the backend times out (gateway 504 + 8013).
    Timeout,
}

/// The magic outcome an amount's paise choose, if any.
pub fn magic_amount(amount: Decimal) -> Option<MagicAmount> {
    let paise = (amount.fract() * Decimal::ONE_HUNDRED).round();
    match paise.to_string().as_str() {
        "13" => Some(MagicAmount::InvalidAmount),
        "51" => Some(MagicAmount::InsufficientFunds),
        "96" => Some(MagicAmount::Timeout),
        _ => None,
    }
}

/// A beneficiary account ending `0000` does not exist (IMPS 52, CIB 100046).
pub fn is_invalid_account(account_no: &str) -> bool {
    account_no.ends_with("0000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paise_choose_the_outcome() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(magic_amount(d("100.13")), Some(MagicAmount::InvalidAmount));
        assert_eq!(
            magic_amount(d("2500.51")),
            Some(MagicAmount::InsufficientFunds)
        );
        assert_eq!(magic_amount(d("1.96")), Some(MagicAmount::Timeout));
        assert_eq!(magic_amount(d("13")), None);
        assert_eq!(magic_amount(d("100.1")), None);
        assert_eq!(magic_amount(d("100.50")), None);
        assert!(is_invalid_account("123450000") && !is_invalid_account("000405009999"));
    }
}
