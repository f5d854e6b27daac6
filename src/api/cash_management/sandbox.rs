//! The sandbox's hand on Cash Management: the corporate approver's decision on a payment waiting in
//! its workflow (`POST /sandbox/cib/{UNIQUEID}/approve` and `/reject`), in an `#[OpenApi]` block of its
//! own, tagged Sandbox.

use poem_openapi::{param::Path, OpenApi};

use crate::{
    api::ApiTags,
    sandbox::{
        bank::answer::Decided,
        gateway::{credentials::AppKey, error::Rejection},
    },
};

use super::{
    model,
    workflow_decide::{self, Decision, Workflow},
};

family_api!(CibSandboxApi);

#[OpenApi]
impl CibSandboxApi {
    /// Approve a CIB payment
    ///
    /// Acts as the corporate's approver for a payment sent with `WORKFLOW_REQD: Y` (or without it): the
    /// payment executes now (debit, UTR; NEFT then waits for its batch). 404 for an unknown UNIQUEID,
    /// 409 when the payment is not pending approval.
    #[oai(
        path = "/sandbox/cib/:UNIQUEID/approve",
        method = "post",
        operation_id = "sandboxCibApprove",
        tag = "ApiTags::Sandbox"
    )]
    async fn approve(
        &self,
        auth: AppKey,
        /// The payment's UNIQUEID.
        #[oai(name = "UNIQUEID", example = "model::approved_example")]
        unique_id: Path<String>,
    ) -> Result<Decided<Workflow>, Rejection> {
        workflow_decide::answer(&self.sandbox, &auth.0, &unique_id.0, Decision::Approve)
    }

    /// Reject a CIB payment
    ///
    /// Acts as the corporate's approver rejecting a payment pending approval: it fails (`FAILURE`
    /// 999937) and no money moves. 404 for an unknown UNIQUEID, 409 when the payment is not pending
    /// approval.
    #[oai(
        path = "/sandbox/cib/:UNIQUEID/reject",
        method = "post",
        operation_id = "sandboxCibReject",
        tag = "ApiTags::Sandbox"
    )]
    async fn reject(
        &self,
        auth: AppKey,
        /// The payment's UNIQUEID.
        #[oai(name = "UNIQUEID", example = "model::rejected_example")]
        unique_id: Path<String>,
    ) -> Result<Decided<Workflow>, Rejection> {
        workflow_decide::answer(&self.sandbox, &auth.0, &unique_id.0, Decision::Reject)
    }
}
