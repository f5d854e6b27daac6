//! The sandbox control plane: health, apps, the per-app sandbox clock, the request
//! log, the readiness report, reset, and the bank's public key. One file per concern; the methods here
//! only route.

mod app_settings;
mod apps;
mod bank_key;
mod callback_drill;
mod callback_encryption;
mod callbacks;
mod clock;
mod health;
mod magic_values;
pub mod readiness;
mod requests;
mod reset;
mod snapshots;

use std::sync::Arc;

use poem::web::RemoteAddr;
use poem_openapi::param::{Header, Path, Query};

use crate::sandbox::{
    bank::{
        answer::{Answer, Created, Reply, Serve},
        snapshot::FamilyCodec,
    },
    gateway::{
        credentials::AppKey,
        error::{OpenRejection, Rejection},
        payload::{BankJson, OptionalBankJson},
    },
    Sandbox,
};

use super::{ApiTags, SchemaRule};

/// What the control plane's request schemas say beyond their fields.
pub fn schema_rules() -> Vec<SchemaRule> {
    vec![clock::schema_rule(), app_settings::schema_rule()]
}

/// What the control plane's parameters show as their example, on the parameter itself.
pub fn parameter_examples() -> Vec<ParameterExample> {
    vec![readiness::page_apikey_example()]
}

pub use app_settings::CreateAppRequest;
pub use apps::AppView;
pub use callback_drill::DrillRequest;
pub use clock::{ClockAnswer, ClockRequest};
pub use health::Health;
pub use magic_values::{MagicFamily, MagicValues};
pub use readiness::ParameterExample;
pub use reset::ResetDone;

pub struct ControlApi {
    sandbox: Arc<Sandbox>,
    /// How each family's state goes into a snapshot.
    kept: Vec<FamilyCodec>,
}

impl ControlApi {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self {
            sandbox,
            kept: super::kept_families(),
        }
    }
}

#[poem_openapi::OpenApi(tag = "ApiTags::Sandbox")]
impl ControlApi {
    /// Health check
    ///
    /// `200 {"status":"ok","store":"memory"}` while the server is up, naming where it keeps the apps'
    /// state (`--store`). With a database store, 503 with the bank's envelope while the database
    /// does not answer. Needs no credentials.
    #[oai(path = "/healthz", method = "get", operation_id = "healthz")]
    async fn healthz(&self) -> Result<Answer<Health>, OpenRejection> {
        // The error type documents what the gateway can answer in front (scenarios, body limit).
        health::health(&self.sandbox).map_err(OpenRejection)
    }

    /// Create an app
    ///
    /// A new partner app with its own credentials (`apikey`, and `client_id` / `client_secret` for
    /// OAuth2), plan, scopes and state. Needs no credentials, unless the operator started the sandbox
    /// with `--admin-token`: then send it as `x-admin-token`. With `encryption: true` and the app's
    /// RSA public key, every business call travels in the bank's encryption envelope.
    #[oai(path = "/sandbox/apps", method = "post", operation_id = "createApp")]
    async fn create_app(
        &self,
        /// The operator's token, when the deployment requires one (`--admin-token`).
        #[oai(name = "x-admin-token")]
        admin_token: Header<Option<String>>,
        remote: &RemoteAddr,
        body: BankJson<CreateAppRequest>,
    ) -> Result<Created<apps::AppCreated>, Rejection> {
        let source = remote.as_socket_addr().map(|a| a.ip().to_string());
        let source = source.unwrap_or_else(|| remote.to_string());
        apps::create(&self.sandbox, admin_token.0.as_deref(), &source, body.0)
    }

    /// The calling app
    ///
    /// The calling app's settings (plan, scopes, callback URL and secret, encryption) and today's usage
    /// of its quota on its sandbox clock.
    #[oai(path = "/sandbox/apps/me", method = "get", operation_id = "getApp")]
    async fn get_app(&self, auth: AppKey) -> Reply<AppView> {
        Ok(apps::show(&self.sandbox, &auth.0, auth.1))
    }

    /// Disable the calling app
    ///
    /// Its apikey and tokens answer 403 from now on. The demo app cannot be disabled (409).
    #[oai(
        path = "/sandbox/apps/me",
        method = "delete",
        operation_id = "disableApp"
    )]
    async fn disable_app(&self, auth: AppKey) -> Result<apps::DisableAnswer, Rejection> {
        Ok(apps::disable(&self.sandbox, &auth.0))
    }

    /// Set the app's sandbox clock
    ///
    /// Freeze the calling app's clock at an instant, advance it, or return it to real time. Every date
    /// the sandbox answers for this app (bureau report dates, value dates, expiries) reads this clock,
    /// and so does the daily quota; other apps are unaffected.
    #[oai(
        path = "/sandbox/clock",
        method = "post",
        operation_id = "sandboxClock"
    )]
    async fn set_clock(
        &self,
        auth: AppKey,
        body: BankJson<ClockRequest>,
    ) -> Result<ClockAnswer, Rejection> {
        let answer = clock::set(&auth.0, body.0)?;
        // Work that fell due moves on now, not at the next tick.
        self.sandbox.transact(&auth.0, |_, _| ());
        Ok(answer)
    }

    /// Callbacks sent
    ///
    /// Every attempt the sandbox made to deliver a callback for the calling app (UPI collect results,
    /// e-collection MIS pushes), newest first: URL, status, latency, the body sent and the answer.
    #[oai(
        path = "/sandbox/callbacks",
        method = "get",
        operation_id = "sandboxCallbacks"
    )]
    async fn callbacks(&self, auth: AppKey) -> Reply<Vec<callbacks::CallbackAttempt>> {
        Ok(callbacks::list(&self.sandbox, &auth.0, auth.1))
    }

    /// Drill the callback receiver
    ///
    /// Sends the app's callback receiver the deliveries it meets in production — a genuine callback,
    /// an exact duplicate, a final status before an interim one, a late attempt after retries,
    /// truncated JSON, a tampered callback — signed and bounded like every callback, and answers each
    /// case graded by the receiver's HTTP status (2xx where it must acknowledge, 4xx where it must
    /// refuse; a 5xx or no answer fails a case that must be refused). Each delivery is recorded at
    /// `GET /sandbox/callbacks` as kind `drill:<case>`, and the latest drill grades the readiness
    /// report's callback receiver checklist. At most 18 s against a receiver that never answers
    /// (default retry settings); one drill at a time per app. Without a callback URL, 409.
    #[oai(
        path = "/sandbox/callbacks/drill",
        method = "post",
        operation_id = "sandboxCallbackDrill"
    )]
    async fn callback_drill(
        &self,
        auth: AppKey,
        body: OptionalBankJson<DrillRequest>,
    ) -> Result<callback_drill::DrillAnswer, Rejection> {
        callback_drill::run(&self.sandbox, &auth.0, body.0.unwrap_or_default()).await
    }

    /// The app's recent requests
    ///
    /// The calling app's last requests and answers, newest first: time (sandbox clock), method, path,
    /// status, latency, scenario, and both bodies (decrypted for encrypted apps) with secrets masked.
    /// The log keeps the last 200 requests per app; reading it is not logged.
    #[oai(
        path = "/sandbox/requests",
        method = "get",
        operation_id = "sandboxRequests"
    )]
    async fn requests(
        &self,
        auth: AppKey,
        /// How many to return, newest first (1–200, default 20).
        #[oai(
            validator(minimum(value = "1"), maximum(value = "200")),
            example = "requests::limit_example"
        )]
        limit: Query<Option<u32>>,
        /// Only requests whose path contains this, e.g. `/api/v1/bureau-check`.
        #[oai(example = "requests::path_example")]
        path: Query<Option<String>>,
        /// Only this status (`404`) or class (`4xx`).
        #[oai(
            validator(pattern = "^[0-9]{1,3}(?:xx|XX)?$"),
            example = "requests::status_example"
        )]
        status: Query<Option<String>>,
    ) -> Result<Serve<requests::RequestLog>, Rejection> {
        requests::list(&self.sandbox, &auth.0, auth.1, limit.0, path.0, status.0)
    }

    /// Go-live readiness report
    ///
    /// Per family the calling app may call (and the gateway), the scenarios a production integration
    /// must handle — successes, declines, duplicates, timeouts followed by a status check, callbacks
    /// acknowledged — each `proven` (with the request ids that prove it), `notYet`, or `doneWrong`
    /// (a payment re-sent under a new reference after a timeout, a call retried before
    /// `Retry-After`), and how to exercise it. Graded from the app's own requests as they pass the
    /// gateway, so it outlives the request log. `format=junit` answers JUnit XML for CI. Reading it
    /// is not logged; `POST /sandbox/reset` starts it afresh.
    #[oai(
        path = "/sandbox/readiness",
        method = "get",
        operation_id = "sandboxReadiness"
    )]
    async fn readiness(
        &self,
        auth: AppKey,
        /// `json` (default) or `junit`.
        format: Query<Option<readiness::ReportFormat>>,
        /// JUnit only: `skipped` (default) keeps not-yet items from failing the build; `failure`
        /// makes them fail it (the go-live gate).
        #[oai(name = "notYet")]
        not_yet: Query<Option<readiness::NotYetAs>>,
    ) -> Result<readiness::ReportAnswer, Rejection> {
        Ok(readiness::report(&auth.0, format.0, not_yet.0))
    }

    /// Go-live readiness page
    ///
    /// The readiness report as a page a person reads at a glance: a progress bar per family, each
    /// item's state, evidence and how to exercise it. Browsers open the `html` link of
    /// `GET /sandbox/readiness`, whose `view` token opens this page only, for this app, for 24 hours
    /// of its sandbox clock; scripts may send the `apikey` header instead.
    #[oai(
        path = "/sandbox/readiness.html",
        method = "get",
        operation_id = "sandboxReadinessPage"
    )]
    async fn readiness_page(
        &self,
        /// The view token from the report's `html` link.
        view: Query<Option<String>>,
        /// The app's key, for clients that can send headers.
        apikey: Header<Option<String>>,
    ) -> Result<Serve<readiness::ReadinessPage>, Rejection> {
        readiness::page(&self.sandbox, apikey.0.as_deref(), view.0.as_deref())
    }

    /// Reset the app
    ///
    /// Wipes the calling app's state back to fixtures: its clock returns to real time; its objects,
    /// ledger, callback history, request log (with the readiness report graded from it) and today's
    /// quota count are emptied.
    /// Other apps are unaffected; credentials are kept.
    #[oai(
        path = "/sandbox/reset",
        method = "post",
        operation_id = "sandboxReset"
    )]
    async fn reset(&self, auth: AppKey) -> Reply<ResetDone> {
        Ok(reset::reset(&self.sandbox, &auth.0))
    }

    /// Save or import a snapshot
    ///
    /// Without a body: saves the calling app's bank state — its ledger, every family's objects and
    /// its sandbox clock — as a snapshot. With a snapshot document (as `GET /sandbox/snapshots/{id}`
    /// exports one) as the body: imports it, checked whole (each collection within the server's
    /// bounds, every account adding up) before it is kept. Either way the app's state is unchanged;
    /// the answer's `id` restores it. The id is derived from the document, so the same state always
    /// has the same id. An app keeps its last 16 snapshots (64 MiB at most); a reset keeps them.
    /// Not in a snapshot: the request log, readiness report, quota count, callback history and
    /// credentials.
    #[oai(
        path = "/sandbox/snapshots",
        method = "post",
        operation_id = "sandboxSnapshotSave"
    )]
    async fn snapshot_save(
        &self,
        auth: AppKey,
        body: OptionalBankJson<crate::sandbox::bank::snapshot::SnapshotDocument>,
    ) -> Result<Created<snapshots::SnapshotKept>, Rejection> {
        snapshots::save(&self.sandbox, &self.kept, &auth.0, body.0)
    }

    /// Export a snapshot
    ///
    /// The snapshot document, to keep in a repository and import at the start of a CI run with
    /// `POST /sandbox/snapshots`.
    #[oai(
        path = "/sandbox/snapshots/:id",
        method = "get",
        operation_id = "sandboxSnapshotExport"
    )]
    async fn snapshot_export(
        &self,
        auth: AppKey,
        /// The id `POST /sandbox/snapshots` answered.
        #[oai(example = "snapshots::id_example")]
        id: Path<String>,
    ) -> Result<snapshots::ExportAnswer, Rejection> {
        snapshots::export(&self.sandbox, &auth.0, &id.0)
    }

    /// Restore a snapshot
    ///
    /// Puts the snapshot's ledger, objects and clock in place of the calling app's, in one step:
    /// pending work in it (NEFT batches, collects, dues) settles on the restored clock. The request
    /// log, readiness report, quota count and callback history stay as they are.
    #[oai(
        path = "/sandbox/snapshots/:id/restore",
        method = "post",
        operation_id = "sandboxSnapshotRestore"
    )]
    async fn snapshot_restore(
        &self,
        auth: AppKey,
        /// The id `POST /sandbox/snapshots` answered.
        #[oai(example = "snapshots::id_example")]
        id: Path<String>,
    ) -> Result<snapshots::RestoreAnswer, Rejection> {
        snapshots::restore(&self.sandbox, &self.kept, &auth.0, &id.0)
    }

    /// Magic values
    ///
    /// The demo identities and every input that chooses an outcome (a PAN's digits, an amount's paise, a
    /// VPA, a scenario header), family by family, with what the sandbox answers: the table of
    /// docs/magic-values.md. Needs no credentials.
    #[oai(
        path = "/sandbox/magic-values",
        method = "get",
        operation_id = "sandboxMagicValues"
    )]
    async fn magic_values(
        &self,
        /// Only this family's values (its OAuth2 scope name, or `gateway`).
        family: Query<Option<MagicFamily>>,
    ) -> Result<Answer<MagicValues>, magic_values::MagicValuesRejection> {
        Ok(magic_values::list(family.0))
    }

    /// The sandbox bank's public key
    ///
    /// The RSA public key (PEM) partners encrypt session keys and `X-ID-Fingerprint` with, followed by
    /// its certificate. Fixed for a deployment (`--bank-key`); the embedded default is the same
    /// everywhere, so CI runs are reproducible. Needs no credentials.
    #[oai(
        path = "/sandbox/keys/bank.pem",
        method = "get",
        operation_id = "bankKey"
    )]
    async fn bank_key(&self) -> Result<Serve<bank_key::BankPem>, OpenRejection> {
        Ok(bank_key::pem(&self.sandbox))
    }

    /// The sandbox bank's certificate (DER)
    ///
    /// The certificate of the key at `GET /sandbox/keys/bank.pem`, DER-encoded, as the `.cer` file
    /// partner code loads (`openssl x509 -inform der`, Java's `CertificateFactory`, Python's
    /// `x509.load_der_x509_certificate`). Needs no credentials.
    #[oai(
        path = "/sandbox/keys/bank.cer",
        method = "get",
        operation_id = "bankCertificate"
    )]
    async fn bank_certificate(&self) -> Result<bank_key::BankCertificateAnswer, OpenRejection> {
        Ok(bank_key::certificate(&self.sandbox))
    }
}
