//! The corporate lookup: which fixture corporate a caller's ids name, and whether an account is one of
//! its own. The composite payment (`crpId, crpUsr, aggrId`), its status inquiry and every CIB
//! operation (`AGGRID, CORPID, USERID, URN`) ask the same question.

use poem_openapi::Object;

use crate::sandbox::bank::fixtures::{Corporate, CorporateAccount, Fixtures};

/// The ids a request names a corporate by. `None` is a field the request does not carry: it is not
/// compared.
#[derive(Debug, Clone, Copy)]
pub struct CorporateIds<'a> {
    pub aggr_id: &'a str,
    pub corp_id: &'a str,
    pub user_id: &'a str,
    pub urn: Option<&'a str>,
    pub aggr_name: Option<&'a str>,
}

/// The fixture corporate whose ids all match.
pub fn find<'f>(fixtures: &'f Fixtures, ids: &CorporateIds<'_>) -> Option<&'f Corporate> {
    fixtures.corporates.iter().find(|c| {
        c.corp_id == ids.corp_id
            && c.user_id == ids.user_id
            && c.aggr_id == ids.aggr_id
            && ids.urn.is_none_or(|urn| c.urn == urn)
            && ids.aggr_name.is_none_or(|name| c.aggr_name == name)
    })
}

/// The corporate's account numbered `account_no`, if it is one of its own.
pub fn account<'c>(corporate: &'c Corporate, account_no: &str) -> Option<&'c CorporateAccount> {
    corporate
        .accounts
        .iter()
        .find(|a| a.account_no.as_str() == account_no)
}

/// Whether `account_no` is one of the corporate's accounts.
pub fn owns(corporate: &Corporate, account_no: &str) -> bool {
    account(corporate, account_no).is_some()
}

/// `RESPONSE`, `STATUS`, `MESSAGE` and, when failing, `RESPONSECODE`: the head of every CIB answer
/// (the composite payment's NEFT and RTGS answers too).
#[derive(Object, Debug, Clone, PartialEq, Eq)]
pub struct CibOutcome {
    /// `SUCCESS` or `FAILURE`.
    #[oai(rename = "RESPONSE")]
    pub response: String,
    /// The operation's status (`SUCCESS`, `PENDING`, `DUPLICATE`, `FAILURE`, `Registered`, ...).
    #[oai(rename = "STATUS")]
    pub status: String,
    /// The answer in words.
    #[oai(rename = "MESSAGE")]
    pub message: String,
    /// The bank's business code, only when `RESPONSE` is `FAILURE` (9906, 9907, 100030, 100046,
    /// 995109, 999936, ...).
    #[oai(rename = "RESPONSECODE", skip_serializing_if_is_none)]
    pub response_code: Option<String>,
}

impl CibOutcome {
    pub fn success(status: &str, message: impl Into<String>) -> Self {
        Self {
            response: "SUCCESS".into(),
            status: status.into(),
            message: message.into(),
            response_code: None,
        }
    }

    pub fn failure(status: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            response: "FAILURE".into(),
            status: status.into(),
            message: message.into(),
            response_code: Some(code.into()),
        }
    }

    pub fn is_success(&self) -> bool {
        self.response == "SUCCESS"
    }
}
