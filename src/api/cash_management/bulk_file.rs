//! The bank's CIB bulk payment file, as published partner code writes it (base64 in the bulk payment's
//! `FILE_CONTENT`): records separated by `^` (line breaks between them are ignored), fields by `|`.
//!
//! ```text
//! FHR|<records after this one>|<MM/DD/YYYY>|<description>|<total>|INR|<debit account>|<branch>^
//! MDR|<debit account>|<branch>|<name>|<total>|INR|<remarks>|<IFSC>|WIB^
//! MCW|<account>|<branch>|<name>|<amount>|INR|<remarks>|<IFSC>|WIB^     within the bank
//! MCO|<account>|<branch>|<name>|<amount>|INR|<remarks>|NFT|<IFSC>^     another bank, by NEFT
//! ```
//!
//! The last two fields of a payment are its network and IFSC in either order (public clients write
//! both orders). The header counts the debit record and the payments; both totals must equal the sum
//! of the payments. Anything else is refused naming the record at fault.

use rust_decimal::Decimal;

use crate::sandbox::bank::formats::{AccountNo, Amount, HolderName, Ifsc};

use super::state::TxnType;

/// One payment of the file.
#[derive(Debug, Clone)]
pub struct BulkLine {
    pub account: AccountNo,
    pub ifsc: Ifsc,
    pub name: HolderName,
    pub amount: Amount,
    pub remarks: String,
    /// `WIB` within the bank: TPA; `NFT`: NEFT.
    pub rail: TxnType,
}

/// A parsed bulk file.
#[derive(Debug, Clone)]
pub struct BulkFile {
    pub debit_account: AccountNo,
    pub total: Decimal,
    pub lines: Vec<BulkLine>,
}

/// At most this many payments in one file.
pub const MAX_PAYMENTS: usize = 1000;

/// Parses the decoded file text.
pub fn parse(text: &str) -> Result<BulkFile, String> {
    let records: Vec<Vec<&str>> = text
        .split('^')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.split('|').map(str::trim).collect())
        .collect();
    let [header, debit, payments @ ..] = records.as_slice() else {
        return Err("must hold an FHR header, an MDR debit record and the payments".into());
    };
    if payments.is_empty() || payments.len() > MAX_PAYMENTS {
        return Err(format!(
            "must hold 1 to {MAX_PAYMENTS} payments, got {}",
            payments.len()
        ));
    }
    let count = fields(header, "FHR", 8, 1)?[1];
    if count.parse::<usize>().ok() != Some(payments.len() + 1) {
        return Err(format!(
            "record 1 (FHR): counts {count} records, the file has {} after it",
            payments.len() + 1
        ));
    }
    let debit = fields(debit, "MDR", 9, 2)?;
    let debit_account =
        AccountNo::parse(debit[1]).map_err(|e| format!("record 2 (MDR): account {e}"))?;
    if header[6] != debit[1] {
        return Err("record 2 (MDR): the debit account differs from the header's".into());
    }
    let lines = payments
        .iter()
        .enumerate()
        .map(|(n, record)| line(record, n + 3))
        .collect::<Result<Vec<_>, _>>()?;
    let total: Decimal = lines.iter().map(|l| l.amount.value()).sum();
    for (at, stated) in [("record 1 (FHR)", header[4]), ("record 2 (MDR)", debit[4])] {
        let stated = Amount::parse(stated).map_err(|e| format!("{at}: total {e}"))?;
        if stated.value() != total {
            return Err(format!(
                "{at}: total {} is not the payments' sum {total}",
                stated.value()
            ));
        }
    }
    Ok(BulkFile {
        debit_account,
        total,
        lines,
    })
}

/// A record's fields, checked for its kind and field count.
fn fields<'a>(
    record: &'a [&'a str],
    kind: &str,
    count: usize,
    at: usize,
) -> Result<&'a [&'a str], String> {
    if record.first() != Some(&kind) || record.len() != count {
        return Err(format!(
            "record {at} must be {kind} with {count} fields, got `{}`",
            record.join("|")
        ));
    }
    if record.get(5).is_some_and(|currency| *currency != "INR") {
        return Err(format!("record {at} ({kind}): the currency must be INR"));
    }
    Ok(record)
}

fn line(record: &[&str], at: usize) -> Result<BulkLine, String> {
    let kind = record.first().copied().unwrap_or_default();
    if kind != "MCW" && kind != "MCO" {
        return Err(format!("record {at} must be MCW or MCO, got `{kind}`"));
    }
    let record = fields(record, kind, 9, at)?;
    let what = |field: &str, e: String| format!("record {at} ({kind}): {field} {e}");
    let (network, ifsc) = match (Ifsc::parse(record[7]), Ifsc::parse(record[8])) {
        (Ok(ifsc), Err(_)) => (record[8], ifsc),
        (Err(_), Ok(ifsc)) => (record[7], ifsc),
        _ => {
            return Err(what(
                "fields 8 and 9",
                "must be the network and an IFSC".into(),
            ))
        }
    };
    let rail = match (kind, network) {
        ("MCW", "WIB") => TxnType::Tpa,
        ("MCO", "NFT") => TxnType::Neft,
        _ => {
            return Err(what(
                "network",
                format!("`{network}` does not fit {kind} (MCW WIB, MCO NFT)"),
            ))
        }
    };
    Ok(BulkLine {
        account: AccountNo::parse(record[1]).map_err(|e| what("account", e))?,
        name: HolderName::parse(record[3]).map_err(|e| what("name", e))?,
        amount: Amount::parse(record[4]).map_err(|e| what("amount", e))?,
        remarks: record[6].chars().take(100).collect(),
        ifsc,
        rail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "FHR|3|04/01/2026|Salary|35.50|INR|000405000001|0011^\r\n\
        MDR|000405000001|0011|Sandbank|35.50|INR|Salary April|ICIC0000011|WIB^\r\n\
        MCW|000405000002|0011|Asha Rao|10.50|INR|Salary|WIB|ICIC0000011^\r\n\
        MCO|000405009999|0011|Ravi Kumar|25|INR|Salary|NFT|HDFC0000001^";

    #[test]
    fn both_public_record_orders_parse() {
        let file = parse(FILE).unwrap();
        assert_eq!(file.debit_account.as_str(), "000405000001");
        assert_eq!(file.total.to_string(), "35.50");
        assert_eq!(file.lines.len(), 2);
        assert_eq!(file.lines[0].rail, TxnType::Tpa);
        assert_eq!(file.lines[1].rail, TxnType::Neft);
        assert_eq!(file.lines[1].ifsc.as_str(), "HDFC0000001");
        let ifsc_first = FILE.replace("Salary|WIB|ICIC0000011^", "Salary|ICIC0000011|WIB^");
        assert_eq!(parse(&ifsc_first).unwrap().lines[0].rail, TxnType::Tpa);
    }

    #[test]
    fn counts_totals_and_records_are_checked() {
        let cases = [
            (FILE.replace("FHR|3|", "FHR|4|"), "counts 4"),
            (FILE.replace("|Salary|35.50|", "|Salary|35.00|"), "FHR"),
            (FILE.replace("|Sandbank|35.50|", "|Sandbank|30|"), "MDR"),
            (FILE.replace("MCO|", "XYZ|"), "MCW or MCO"),
            (FILE.replace("|NFT|", "|WIB|"), "does not fit"),
            (FILE.replace("|25|", "|-25|"), "amount"),
            ("FHR|1^".to_string(), "must hold"),
        ];
        for (text, why) in cases {
            let refused = parse(&text).expect_err(why);
            assert!(refused.contains(why), "{why}: {refused}");
        }
    }
}
