//! Building Blocks' business codes and messages, in one table: the ITD's PAN answer, the eligibility
//! decision's reasons, and the IMPS name enquiry's `ActCode`s with their words. Every one is HTTP 200,
//! as the bank answers them; only an IFSC missing from the directory is a 404.

use crate::sandbox::bank::formats::Ifsc;

/// The ITD's `Returncode`: a record returned.
pub const RECORD_RETURNED: &str = "1";
/// The ITD's `Returncode`: no record.
pub const NO_RECORD: &str = "0";
/// The PAN answer's `errorCode` (and an eligibility reason): the ITD has no such PAN.
pub const PAN_NOT_FOUND: &str = "PAN_NOT_FOUND";

/// Eligibility: the applicant has no credit history (score -1).
pub const NO_CREDIT_HISTORY: &str = "NO_CREDIT_HISTORY";
/// Eligibility: the score is below the product's cut-off.
pub const BUREAU_SCORE_BELOW_CUTOFF: &str = "BUREAU_SCORE_BELOW_CUTOFF";
/// Eligibility: an account 90 or more days past due.
pub const SEVERE_DELINQUENCY: &str = "SEVERE_DELINQUENCY";
/// Eligibility: existing EMIs already take half the income.
pub const FOIR_EXCEEDED: &str = "FOIR_EXCEEDED";
/// Eligibility: eligible, but for less than was asked.
pub const REQUESTED_AMOUNT_ABOVE_MAX: &str = "REQUESTED_AMOUNT_ABOVE_MAX";

/// The bureau report's score model.
pub const SCORE_VERSION: &str = "CIBILTUSC3";

/// An IMPS name enquiry's `ActCode` and its `Response` words.
pub type ActCode = (&'static str, &'static str);
/// The account exists; `BeneName` holds its holder.
pub const NAME_FOUND: ActCode = ("0", "SUCCESS");
/// No such account at the IFSC's bank.
pub const INVALID_ACCOUNT: ActCode = ("52", "INVALID ACCOUNT");
/// The IFSC's bank is not in the directory.
pub const INVALID_IFSC: ActCode = ("201", "INVALID IFSC");
/// The branch does not take IMPS.
pub const IFSC_NOT_ENABLED_FOR_IMPS: ActCode = ("201", "IFSC NOT ENABLED FOR IMPS");

/// The IFSC lookup's 404 message.
pub fn not_in_directory(ifsc: &Ifsc) -> String {
    format!("IFSC {ifsc} is not in the directory")
}
