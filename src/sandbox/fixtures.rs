//! The deterministic world: persons, corporates, the account directory, merchants, the IFSC table and the
//! SWIFT BIC directory, as
//! JSON under `fixtures/`. Embedded in the binary (so it runs from any directory) or read from
//! `--fixtures DIR`; validated once at start-up, and a broken file stops the server with a message naming
//! the file, the record and the field.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    fmt,
    path::Path,
};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Deserialize};

use super::formats::{AccountNo, Bic, Ifsc, Mobile, Pan};

/// An individual known to the sandbox: PAN, KYC details and bureau data.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Person {
    pub pan: Pan,
    pub title: String,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub mobile: Mobile,
    pub email: String,
    pub customer_id: String,
    pub savings_account: AccountNo,
    /// The savings account's balance when an app's ledger is first seeded.
    pub savings_balance: Decimal,
    pub pan_status: String,
    pub pan_last_updated: NaiveDate,
    pub monthly_income: Decimal,
    pub city: String,
    pub state: String,
    /// 300–900, or -1 for "no credit history".
    pub cibil_score: i32,
    pub credit_accounts: Vec<CreditAccount>,
    pub enquiries: Vec<Enquiry>,
}

/// A loan or card on a person's bureau report.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditAccount {
    #[serde(rename = "type")]
    pub account_type: String,
    pub lender: String,
    pub sanctioned_amount: Decimal,
    pub current_balance: Decimal,
    pub overdue_amount: Decimal,
    pub dpd: u32,
    pub opened_on: NaiveDate,
}

/// A bureau enquiry, dated relative to the report so that fixture reports never go stale.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Enquiry {
    pub days_ago: u32,
    pub lender: String,
    pub purpose: String,
    pub amount: Decimal,
}

/// A corporate customer of Corporate Internet Banking, with its current accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Corporate {
    pub aggr_id: String,
    pub aggr_name: String,
    pub corp_id: String,
    pub user_id: String,
    pub urn: String,
    /// Whether the user starts registered for API banking in every app (onboarding done by hand,
    /// as for a partner going live); absent: registered. The demo's `SANDUSER2` starts unregistered.
    #[serde(default = "registered_by_default")]
    pub registered: bool,
    pub name: String,
    pub pan: Pan,
    pub callback_url: Option<String>,
    pub accounts: Vec<CorporateAccount>,
}

fn registered_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CorporateAccount {
    pub account_no: AccountNo,
    pub opening_balance: Decimal,
    pub currency: String,
}

/// An account in the inter-bank directory: what a name enquiry (penny drop) finds.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DirectoryAccount {
    pub account_no: AccountNo,
    pub ifsc: Ifsc,
    pub holder_name: String,
    #[serde(rename = "type")]
    pub account_type: String,
}

/// A UPI merchant.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Merchant {
    pub merchant_id: String,
    pub sub_merchant_id: String,
    pub terminal_id: String,
    pub merchant_name: String,
    pub vpa: String,
    pub mcc: String,
    pub callback_url: Option<String>,
}

/// A bank branch of the IFSC directory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub ifsc: Ifsc,
    pub bank: String,
    pub branch: String,
    pub address: String,
    pub city: String,
    pub district: String,
    pub state: String,
    pub neft: bool,
    pub rtgs: bool,
    pub imps: bool,
    pub upi: bool,
}

/// A correspondent bank of the SWIFT BIC directory (outward remittances).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BicRecord {
    /// The BIC8 (institution + country + location); a request's BIC11 matches on its first 8.
    pub bic: Bic,
    pub bank_name: String,
    pub city: String,
    /// ISO 3166 alpha-2, the same as the BIC's 5th and 6th letters.
    pub country: String,
}

/// A fixture problem: which file, which record, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError {
    pub file: String,
    pub record: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fixture file {}", self.file)?;
        if let Some(record) = &self.record {
            write!(f, ", record {record}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FixtureError {}

/// The loaded, validated, indexed world.
#[derive(Debug)]
pub struct Fixtures {
    pub persons: Vec<Person>,
    pub corporates: Vec<Corporate>,
    pub merchants: Vec<Merchant>,
    persons_by_pan: HashMap<Pan, usize>,
    directory: HashMap<AccountNo, DirectoryAccount>,
    branches: BTreeMap<Ifsc, Branch>,
    bank_codes: HashMap<String, String>,
    bics: HashMap<String, BicRecord>,
}

/// The files that make up a fixture set, in load order.
pub const FILES: [&str; 6] = [
    "persons.json",
    "corporates.json",
    "accounts.json",
    "merchants.json",
    "ifsc.json",
    "bics.json",
];

const EMBEDDED: [&str; 6] = [
    include_str!("../../fixtures/persons.json"),
    include_str!("../../fixtures/corporates.json"),
    include_str!("../../fixtures/accounts.json"),
    include_str!("../../fixtures/merchants.json"),
    include_str!("../../fixtures/ifsc.json"),
    include_str!("../../fixtures/bics.json"),
];

impl Fixtures {
    /// The fixture set compiled into the binary.
    pub fn embedded() -> Result<Self, FixtureError> {
        Self::from_texts(|index| Ok(EMBEDDED[index].to_string()))
    }

    /// A fixture set read from a directory holding the same six files.
    pub fn from_dir(dir: &Path) -> Result<Self, FixtureError> {
        Self::from_texts(|index| {
            let path = dir.join(FILES[index]);
            std::fs::read_to_string(&path).map_err(|err| FixtureError {
                file: path.display().to_string(),
                record: None,
                field: None,
                message: format!("cannot read: {err}"),
            })
        })
    }

    fn from_texts(
        read: impl Fn(usize) -> Result<String, FixtureError>,
    ) -> Result<Self, FixtureError> {
        let persons: Vec<Person> = load(FILES[0], &read(0)?, "pan")?;
        let corporates: Vec<Corporate> = load(FILES[1], &read(1)?, "corpId")?;
        let directory: Vec<DirectoryAccount> = load(FILES[2], &read(2)?, "accountNo")?;
        let merchants: Vec<Merchant> = load(FILES[3], &read(3)?, "merchantId")?;
        let branches: Vec<Branch> = load(FILES[4], &read(4)?, "ifsc")?;
        let bics: Vec<BicRecord> = load(FILES[5], &read(5)?, "bic")?;
        let mut fixtures = Self::index(persons, corporates, directory, merchants, branches)?;
        fixtures.bics = index_bics(bics)?;
        Ok(fixtures)
    }

    fn index(
        persons: Vec<Person>,
        corporates: Vec<Corporate>,
        directory: Vec<DirectoryAccount>,
        merchants: Vec<Merchant>,
        branches: Vec<Branch>,
    ) -> Result<Self, FixtureError> {
        let persons_by_pan = index_persons(&persons)?;
        let (branch_map, bank_codes) = index_branches(branches)?;
        let directory_map = index_directory(directory, &bank_codes)?;
        check_corporates(&corporates)?;
        Ok(Self {
            persons,
            corporates,
            merchants,
            persons_by_pan,
            directory: directory_map,
            branches: branch_map,
            bank_codes,
            bics: HashMap::new(),
        })
    }

    pub fn person(&self, pan: &Pan) -> Option<&Person> {
        self.persons_by_pan.get(pan).map(|&i| &self.persons[i])
    }

    pub fn branch(&self, ifsc: &Ifsc) -> Option<&Branch> {
        self.branches.get(ifsc)
    }

    /// The bank's full name for a 4-letter IFSC bank code, if the directory knows the bank.
    pub fn bank_name(&self, bank_code: &str) -> Option<&str> {
        self.bank_codes.get(bank_code).map(String::as_str)
    }

    pub fn directory_account(&self, account_no: &AccountNo) -> Option<&DirectoryAccount> {
        self.directory.get(account_no)
    }

    /// The directory's correspondent bank for a BIC8 or BIC11 (matched on its first 8 characters).
    pub fn bic(&self, bic: &Bic) -> Option<&BicRecord> {
        self.bics.get(bic.bic8())
    }

    pub fn branch_count(&self) -> usize {
        self.branches.len()
    }

    pub fn bank_count(&self) -> usize {
        self.bank_codes.len()
    }
}

/// persons.json, checked, by PAN.
fn index_persons(persons: &[Person]) -> Result<HashMap<Pan, usize>, FixtureError> {
    let mut persons_by_pan = HashMap::new();
    for (index, person) in persons.iter().enumerate() {
        let fail = |field: &str, message: String| {
            invalid(FILES[0], index, person.pan.as_str(), field, message)
        };
        check_person(person).map_err(|(field, message)| fail(field, message))?;
        if persons_by_pan.insert(person.pan.clone(), index).is_some() {
            return Err(fail("pan", "duplicate PAN".into()));
        }
    }
    Ok(persons_by_pan)
}

/// The branches by IFSC, and the banks' names by their 4-letter code.
type BranchIndex = (BTreeMap<Ifsc, Branch>, HashMap<String, String>);

/// ifsc.json by IFSC, and the banks by their 4-letter code.
fn index_branches(branches: Vec<Branch>) -> Result<BranchIndex, FixtureError> {
    let mut branch_map = BTreeMap::new();
    let mut bank_codes = HashMap::new();
    for (index, branch) in branches.into_iter().enumerate() {
        bank_codes
            .entry(branch.ifsc.bank_code().to_string())
            .or_insert_with(|| branch.bank.clone());
        if let Some(dup) = branch_map.insert(branch.ifsc.clone(), branch) {
            let id = dup.ifsc.to_string();
            return Err(invalid(
                FILES[4],
                index,
                &id,
                "ifsc",
                "duplicate IFSC".into(),
            ));
        }
    }
    Ok((branch_map, bank_codes))
}

/// directory.json by account number; every account's bank is in ifsc.json.
fn index_directory(
    directory: Vec<DirectoryAccount>,
    bank_codes: &HashMap<String, String>,
) -> Result<HashMap<AccountNo, DirectoryAccount>, FixtureError> {
    let mut directory_map = HashMap::new();
    for (index, account) in directory.into_iter().enumerate() {
        let id = account.account_no.to_string();
        if !bank_codes.contains_key(account.ifsc.bank_code()) {
            let message = format!("IFSC {} names a bank not in ifsc.json", account.ifsc);
            return Err(invalid(FILES[2], index, &id, "ifsc", message));
        }
        if directory_map
            .insert(account.account_no.clone(), account)
            .is_some()
        {
            return Err(invalid(
                FILES[2],
                index,
                &id,
                "accountNo",
                "duplicate account".into(),
            ));
        }
    }
    Ok(directory_map)
}

/// corporates.json: no account twice, no negative opening balance.
fn check_corporates(corporates: &[Corporate]) -> Result<(), FixtureError> {
    let mut corporate_accounts = HashSet::new();
    for (index, corporate) in corporates.iter().enumerate() {
        for account in &corporate.accounts {
            if !corporate_accounts.insert(account.account_no.clone()) {
                let message = format!("account {} appears twice", account.account_no);
                return Err(invalid(
                    FILES[1],
                    index,
                    &corporate.corp_id,
                    "accounts",
                    message,
                ));
            }
            if account.opening_balance < Decimal::ZERO {
                let message = "openingBalance must not be negative".to_string();
                return Err(invalid(
                    FILES[1],
                    index,
                    &corporate.corp_id,
                    "accounts",
                    message,
                ));
            }
        }
    }
    Ok(())
}

/// Checks and indexes the BIC directory by BIC8.
fn index_bics(records: Vec<BicRecord>) -> Result<HashMap<String, BicRecord>, FixtureError> {
    let mut bics = HashMap::new();
    for (index, record) in records.into_iter().enumerate() {
        let id = record.bic.to_string();
        if record.bic.as_str().len() != 8 {
            let message = "list the BIC8 (8 characters); branch BICs match on it".to_string();
            return Err(invalid(FILES[5], index, &id, "bic", message));
        }
        if record.country != record.bic.country() {
            let message = format!(
                "`{}` is not the BIC's country `{}`",
                record.country,
                record.bic.country()
            );
            return Err(invalid(FILES[5], index, &id, "country", message));
        }
        if record.bank_name.trim().is_empty() {
            return Err(invalid(
                FILES[5],
                index,
                &id,
                "bankName",
                "must not be blank".into(),
            ));
        }
        if bics.insert(id.clone(), record).is_some() {
            return Err(invalid(FILES[5], index, &id, "bic", "duplicate BIC".into()));
        }
    }
    Ok(bics)
}

/// Parses one file, naming the record (by its id field when it has one) and the field on failure.
fn load<T: DeserializeOwned>(
    file: &str,
    text: &str,
    id_field: &str,
) -> Result<Vec<T>, FixtureError> {
    let raw: serde_json::Value = serde_json::from_str(text).map_err(|err| FixtureError {
        file: file.to_string(),
        record: None,
        field: None,
        message: format!("not valid JSON: {err}"),
    })?;
    serde_path_to_error::deserialize(&raw).map_err(|err| {
        let path = err.path().to_string();
        let (index, field) = split_path(&path);
        let record = index.map(|i| {
            let id = raw[i].get(id_field).and_then(|v| v.as_str()).unwrap_or("?");
            format!("{i} ({id_field} {id})")
        });
        FixtureError {
            file: file.to_string(),
            record,
            field,
            message: err.into_inner().to_string(),
        }
    })
}

/// `[12].creditAccounts[0].dpd` → (Some(12), Some("creditAccounts[0].dpd")).
fn split_path(path: &str) -> (Option<usize>, Option<String>) {
    let Some(rest) = path.strip_prefix('[') else {
        return (None, None);
    };
    let Some((index, field)) = rest.split_once(']') else {
        return (None, None);
    };
    let field = field.trim_start_matches('.');
    (
        index.parse().ok(),
        (!field.is_empty()).then(|| field.to_string()),
    )
}

fn invalid(file: &str, index: usize, id: &str, field: &str, message: String) -> FixtureError {
    FixtureError {
        file: file.to_string(),
        record: Some(format!("{index} ({id})")),
        field: Some(field.to_string()),
        message,
    }
}

fn check_person(person: &Person) -> Result<(), (&'static str, String)> {
    if matches!(person.pan.digits(), "0000" | "9999") {
        return Err((
            "pan",
            "digits 0000 and 9999 are reserved for magic PANs".into(),
        ));
    }
    if !(person.cibil_score == -1 || (300..=900).contains(&person.cibil_score)) {
        return Err((
            "cibilScore",
            format!("{} is not -1 or 300–900", person.cibil_score),
        ));
    }
    if person.cibil_score == -1 && !person.credit_accounts.is_empty() {
        return Err((
            "creditAccounts",
            "a person with no history (-1) has no accounts".into(),
        ));
    }
    for account in &person.credit_accounts {
        if account.overdue_amount > account.current_balance
            || account.current_balance > account.sanctioned_amount
        {
            return Err((
                "creditAccounts",
                "need overdueAmount ≤ currentBalance ≤ sanctionedAmount".into(),
            ));
        }
        if (account.dpd == 0) != account.overdue_amount.is_zero() {
            return Err(("creditAccounts", "dpd and overdueAmount must agree".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_bics(edit: impl Fn(&str) -> String) -> Result<Fixtures, FixtureError> {
        Fixtures::from_texts(|i| {
            Ok(if i == 5 {
                edit(EMBEDDED[5])
            } else {
                EMBEDDED[i].to_string()
            })
        })
    }

    #[test]
    fn the_bic_directory_loads_and_matches_branch_bics() {
        let fixtures = Fixtures::embedded().unwrap();
        assert!(fixtures.bics.len() >= 30);
        let branch = Bic::parse("CHASUS33XXX").unwrap();
        assert_eq!(
            fixtures.bic(&branch).unwrap().bank_name,
            "JPMorgan Chase Bank, N.A."
        );
    }

    #[test]
    fn a_broken_bic_record_names_file_record_and_field() {
        let bad_format = with_bics(|t| t.replacen("\"CHASUS33\"", "\"chasus33\"", 1)).unwrap_err();
        let bad_country =
            with_bics(|t| t.replacen("\"country\": \"US\"", "\"country\": \"GB\"", 1)).unwrap_err();
        let duplicate = with_bics(|t| t.replacen("\"CITIUS33\"", "\"CHASUS33\"", 1)).unwrap_err();

        let text = bad_format.to_string();
        assert!(
            text.starts_with(
                "fixture file bics.json, record 0 (bic chasus33), field `bic`: must be a SWIFT BIC"
            ),
            "{text}"
        );
        assert_eq!(
            bad_country.to_string(),
            "fixture file bics.json, record 0 (CHASUS33), field `country`: `GB` is not the BIC's country `US`"
        );
        assert_eq!(
            duplicate.to_string(),
            "fixture file bics.json, record 1 (CHASUS33), field `bic`: duplicate BIC"
        );
    }
}
