//! `POST /api/v1/ReverseMis` [bank, from published partner code]: where a bulk payment file stands, by
//! its `FILESEQNUM` and `UNIQUEID`. Public clients read only `RESPONSE` and `MESSAGE`, so the answer is
//! the file's: `STATUS` `SUCCESS` (every payment done), `PENDING` (a NEFT awaits its batch, or a
//! payment its approval), `FAILURE` (none done) or `PARTIAL` (some done, some refused), and a
//! `MESSAGE` counting them. Each payment's own status is `TransactionInquiry`'s, by its UNIQUEID
//! `<FILESEQNUM>-<n>`. `USERID` may be written `CORPID.USERID`, as the bank's login is.

use crate::api::sample;
use crate::sandbox::bank::formats::{CibId, CibLogin, FileSeqNum, UniqueId};
use std::sync::Arc;

use poem_openapi::{Enum, Object};
use serde::Deserialize;

use crate::sandbox::{
    bank::answer::{Answer, Answered},
    gateway::apps::App,
    Sandbox,
};

use super::{
    codes,
    model::cib::{admitted, cib_example, CibIdentity, CibOutcome},
    state::{CibState, PaymentStatus},
};

/// `N`: the answer in plain JSON (an encrypted app's answer is still sealed by the gateway).
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsEncrypted {
    Y,
    N,
}

/// The identity block, the file's `UNIQUEID` and its `FILESEQNUM`.
#[derive(Object, Deserialize, Debug)]
#[oai(skip_serializing_if_is_none, example)]
pub struct ReverseMisRequest {
    /// The aggregator (demo `SANDAGGR1`).
    #[oai(rename = "AGGRID")]
    #[serde(rename = "AGGRID")]
    pub aggr_id: CibId,
    /// The corporate (demo `SANDCORP1`).
    #[oai(rename = "CORPID")]
    #[serde(rename = "CORPID")]
    pub corp_id: CibId,
    /// The corporate's user, `SANDUSER1` or as the bank's login `SANDCORP1.SANDUSER1`.
    #[oai(rename = "USERID")]
    #[serde(rename = "USERID")]
    pub user_id: CibLogin,
    /// The corporate's URN (demo `SANDURN0001`).
    #[oai(rename = "URN")]
    #[serde(rename = "URN")]
    pub urn: CibId,
    /// The file's `UNIQUE_ID`.
    #[oai(rename = "UNIQUEID")]
    #[serde(rename = "UNIQUEID")]
    pub unique_id: UniqueId,
    /// The bulk payment's `FILE_SEQUENCE_NUM`.
    #[oai(rename = "FILESEQNUM")]
    #[serde(rename = "FILESEQNUM")]
    pub file_seq_num: FileSeqNum,
    /// `N` (or absent).
    #[oai(rename = "ISENCRYPTED")]
    #[serde(rename = "ISENCRYPTED", default)]
    pub is_encrypted: Option<IsEncrypted>,
}

impl poem_openapi::types::Example for ReverseMisRequest {
    fn example() -> Self {
        cib_example!(CibIdentity::demo_fields(), {
            unique_id: sample("BULK20260401000001"),
            file_seq_num: sample("189847812"),
            is_encrypted: Some(IsEncrypted::N),
        })
    }
}

/// The file as it stands.
#[derive(Object, Debug)]
#[oai(example)]
pub struct ReverseMisResponse {
    /// `STATUS`: `SUCCESS`, `PENDING`, `PARTIAL` or `FAILURE`; `MESSAGE` counts the payments. An
    /// unknown file: `FAILURE` 999942.
    #[oai(flatten)]
    pub outcome: CibOutcome,
    #[oai(rename = "FILESEQNUM")]
    pub file_seq_num: String,
    #[oai(rename = "UNIQUEID")]
    pub unique_id: String,
}

impl poem_openapi::types::Example for ReverseMisResponse {
    fn example() -> Self {
        Self {
            outcome: CibOutcome::success(
                "SUCCESS",
                "2 payments: 2 successful, 0 pending, 0 failed",
            ),
            file_seq_num: "189847812".into(),
            unique_id: "BULK20260401000001".into(),
        }
    }
}

impl Answered for ReverseMisResponse {
    const DESCRIPTION: &'static str =
        "The bank's answer (HTTP 200 for a decline too; read `RESPONSE` and `MESSAGE`).";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: ReverseMisRequest,
) -> Answer<ReverseMisResponse> {
    let user_id = match request.user_id.split_once('.') {
        Some((corp, user)) if corp == request.corp_id => user.to_string(),
        Some(_) => String::new(),
        None => request.user_id.to_string(),
    };
    let identity = CibIdentity {
        aggr_id: request.aggr_id.to_string(),
        corp_id: request.corp_id.to_string(),
        user_id,
        urn: request.urn.to_string(),
    };
    let corporate = identity.corporate(sandbox, None);
    let outcome = sandbox.family(app, CibState::new, |state, _| {
        admitted(state, &identity, corporate)?;
        let upload = state
            .bulk_uploads
            .get(request.file_seq_num.as_string())
            .filter(|u| u.unique_id == request.unique_id && u.user_key == identity.user_key())
            .ok_or_else(|| {
                let message = format!(
                    "No bulk file with FILESEQNUM {} and UNIQUEID {}",
                    request.file_seq_num, request.unique_id
                );
                CibOutcome::failure("FAILURE", codes::NO_SUCH_FILE, message)
            })?;
        let statuses = upload
            .payments
            .iter()
            .filter_map(|id| state.payments.get(id).map(|p| p.status.clone()));
        Ok(summary(statuses))
    });
    Answer(ReverseMisResponse {
        outcome: outcome.unwrap_or_else(|refused| refused),
        file_seq_num: request.file_seq_num.into(),
        unique_id: request.unique_id.into(),
    })
}

/// The file's status from its payments'.
fn summary(statuses: impl Iterator<Item = PaymentStatus>) -> CibOutcome {
    let (mut done, mut pending, mut failed) = (0, 0, 0);
    for status in statuses {
        match status {
            PaymentStatus::Success => done += 1,
            PaymentStatus::Failure { .. } => failed += 1,
            PaymentStatus::InBatch { .. } | PaymentStatus::AwaitingApproval => pending += 1,
        }
    }
    let status = match (done, pending, failed) {
        (_, p, _) if p > 0 => "PENDING",
        (_, _, 0) => "SUCCESS",
        (0, _, _) => "FAILURE",
        _ => "PARTIAL",
    };
    let message = format!(
        "{} payments: {done} successful, {pending} pending, {failed} failed",
        done + pending + failed
    );
    if status == "FAILURE" {
        CibOutcome::failure(status, codes::BULK_FAILED, message)
    } else {
        CibOutcome::success(status, message)
    }
}
