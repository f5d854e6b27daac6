//! `POST /sandbox/callbacks/drill`: drills the app's callback receiver with the deliveries it meets in
//! production ([`crate::sandbox::bank::callbacks::drill`]), and answers each case graded.

use std::{collections::HashSet, sync::Arc};

use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Enum, Object};
use serde::Deserialize;

use super::callbacks::CallbackAttempt;
use crate::{
    api::{cash_management, payments},
    sandbox::{
        bank::callbacks::drill::{Case, CaseResult, Drill, DrillSlot, Sampler},
        gateway::{
            apps::App,
            error::{GatewayError, Rejection},
            scopes::Scope,
        },
        Sandbox,
    },
};

/// The genuine callback a drill imitates.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillKind {
    /// The UPI collect result (payments): the default for apps that may call payments.
    #[oai(rename = "upi-collect")]
    #[serde(rename = "upi-collect")]
    UpiCollect,
    /// The e-collection MIS push (cash management): the default for apps that may call cash
    /// management but not payments.
    #[oai(rename = "ecollection-mis")]
    #[serde(rename = "ecollection-mis")]
    EcollectionMis,
}

/// What to drill; every part is optional.
#[derive(Object, Deserialize, Debug, Default)]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase", example)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrillRequest {
    /// The callback to imitate; absent: `upi-collect`, or `ecollection-mis` for an app that may call
    /// cash management and not payments.
    pub kind: Option<DrillKind>,
    /// The cases to run, answered in this order; absent: all six.
    pub cases: Option<Vec<Case>>,
    /// The receiver to drill (`http://` or `https://`); absent: the app's `callbackUrl`. The same
    /// `--callback-allow` rule applies as to every callback.
    #[oai(validator(pattern = "^https?://", max_length = 2048))]
    pub url: Option<String>,
}

impl poem_openapi::types::Example for DrillRequest {
    fn example() -> Self {
        Self {
            kind: Some(DrillKind::UpiCollect),
            cases: Some(vec![Case::Duplicate, Case::Tampered]),
            // Nothing listens on port 9 (the cases answer `no answer`): put your receiver's URL.
            url: Some("http://127.0.0.1:9/callbacks".into()),
        }
    }
}

/// The drill's grades.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct DrillReport {
    pub app: String,
    /// The callback imitated.
    pub kind: String,
    /// The receiver drilled.
    pub url: String,
    /// `true` when every case passed.
    pub passed: bool,
    pub summary: DrillSummary,
    pub cases: Vec<DrillCaseReport>,
}

/// How many cases ran and passed.
#[derive(Object, Debug)]
pub struct DrillSummary {
    pub run: u32,
    pub passed: u32,
    pub failed: u32,
}

/// One case, graded.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct DrillCaseReport {
    /// `normal`, `duplicate`, `out-of-order`, `late`, `malformed` or `tampered`.
    pub case: String,
    pub passed: bool,
    /// What was sent.
    pub sent: String,
    /// What passes.
    pub expected: String,
    /// What the receiver answered, in order (`200 then 500`; `no answer` for a timeout or a
    /// refused connection).
    pub answered: String,
    /// Each delivery, as `GET /sandbox/callbacks` lists it (kind `drill:<case>`).
    pub deliveries: Vec<CallbackAttempt>,
}

#[derive(ApiResponse)]
pub enum DrillAnswer {
    /// The drill ran: every case graded (a failed case is a grade, not an error).
    #[oai(status = 200)]
    Ok(Json<DrillReport>),
    /// No callback URL (none for the app, no `url` sent), a URL `--callback-allow` refuses, or a drill
    /// already running for the app (`response` 409).
    #[oai(status = 409)]
    Conflict(Json<GatewayError>),
}

pub async fn run(
    sandbox: &Arc<Sandbox>,
    app: &Arc<App>,
    request: DrillRequest,
) -> Result<DrillAnswer, Rejection> {
    let cases = cases(request.cases)?;
    if let Some(url) = &request.url {
        check_url(url)?;
    }
    let (url, slot) = match reserve(sandbox, app, request.url) {
        Ok(reserved) => reserved,
        Err(refusal) => {
            return Ok(DrillAnswer::Conflict(Json(
                Rejection::new(StatusCode::CONFLICT, 409, refusal).body,
            )))
        }
    };
    let kind = request.kind.unwrap_or_else(|| default_kind(app));
    let (name, amount_field, sample) = sampler(sandbox, app, kind);
    let drill = Drill {
        app: app.clone(),
        url: url.clone(),
        kind: name,
        amount_field,
        sample,
        cases,
        stranger: sandbox.bank_key.private.to_public_key(),
    };
    // In its own task: a client that goes away, or the gateway's timeout, does not cut a drill
    // half-way; it finishes, and its deliveries and grades are recorded.
    let results = tokio::spawn(sandbox.callbacks.clone().drill(drill, slot))
        .await
        .map_err(|_| {
            Rejection::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                8010,
                "The drill stopped unexpectedly",
            )
        })?;
    Ok(DrillAnswer::Ok(Json(report(app, name, url, results))))
}

/// A `url` sent must be a web address with a host.
fn check_url(url: &str) -> Result<(), Rejection> {
    let parsed = reqwest::Url::parse(url).ok();
    let web = parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
    if !web || url.len() > 2048 {
        return Err(Rejection::schema(
            "url",
            "must be an http:// or https:// URL with a host",
        ));
    }
    Ok(())
}

/// The receiver to drill (the `url` sent, else the app's callback URL) and the app's one drill
/// slot; or why there is no drill to run (the 409's message).
fn reserve(
    sandbox: &Arc<Sandbox>,
    app: &App,
    sent: Option<String>,
) -> Result<(String, DrillSlot), String> {
    let Some(url) = sent.or_else(|| app.callback_url.clone()) else {
        return Err(
            "No callback URL to drill: this app has no `callbackUrl`; send `url`, or create an app \
             with one (POST /sandbox/apps)"
                .into(),
        );
    };
    sandbox.callbacks.check_target(&url)?;
    let Some(slot) = sandbox.callbacks.drill_slot(&app.id) else {
        return Err("A drill is already running for this app: wait for its answer".into());
    };
    Ok((url, slot))
}

/// The cases' grades, in the order they were asked for.
fn report(app: &App, kind: &str, url: String, results: Vec<CaseResult>) -> DrillReport {
    let encrypted = app.encrypted();
    let cases: Vec<DrillCaseReport> = results
        .into_iter()
        .map(|r| DrillCaseReport {
            case: r.case.name().into(),
            passed: r.passed,
            sent: r.case.sends(encrypted).into(),
            expected: r.case.expects().into(),
            answered: r.answered,
            deliveries: r
                .deliveries
                .into_iter()
                .map(CallbackAttempt::from)
                .collect(),
        })
        .collect();
    let passed = cases.iter().filter(|c| c.passed).count() as u32;
    DrillReport {
        app: app.id.clone(),
        kind: kind.into(),
        url,
        passed: passed as usize == cases.len(),
        summary: DrillSummary {
            run: cases.len() as u32,
            passed,
            failed: cases.len() as u32 - passed,
        },
        cases,
    }
}

/// The cases asked for, in order; all six when none are named.
fn cases(asked: Option<Vec<Case>>) -> Result<Vec<Case>, Rejection> {
    let Some(asked) = asked else {
        return Ok(Case::ALL.to_vec());
    };
    if asked.is_empty() {
        return Err(Rejection::schema(
            "cases",
            "name at least one case, or leave `cases` out for all six",
        ));
    }
    let mut seen = HashSet::new();
    if let Some(twice) = asked.iter().find(|c| !seen.insert(**c)) {
        return Err(Rejection::schema(
            "cases",
            format!("`{}` is named twice", twice.name()),
        ));
    }
    Ok(asked)
}

fn default_kind(app: &App) -> DrillKind {
    let may = |name| Scope::parse(name).is_some_and(|s| app.may_call(s));
    if !may("payments") && may("cash-management") {
        DrillKind::EcollectionMis
    } else {
        DrillKind::UpiCollect
    }
}

/// The kind's name, amount field and the family's callback builder.
fn sampler(
    sandbox: &Arc<Sandbox>,
    app: &App,
    kind: DrillKind,
) -> (&'static str, &'static str, Sampler) {
    let sandbox = sandbox.clone();
    match kind {
        DrillKind::UpiCollect => {
            let app_id = app.id.clone();
            (
                payments::CALLBACK_KIND,
                payments::CALLBACK_AMOUNT,
                Box::new(move |ask| payments::drill_callback(&sandbox, &app_id, ask)),
            )
        }
        DrillKind::EcollectionMis => (
            cash_management::MIS_CALLBACK,
            cash_management::MIS_AMOUNT,
            Box::new(move |ask| cash_management::drill_callback(&sandbox, ask)),
        ),
    }
}
