//! The recording script: the order in which the corpus calls the sandbox. The gateway's opening
//! (credentials, clock, scenarios), then every operation of the served spec swept, then each family's
//! lifecycle chained on the demo app (ids from one step feed the next), tokens and other apps, the
//! encrypted app, and the control plane's closing (request log, callbacks, reset).
//!
//! Every family chapter starts from the same frozen instant, so its dates read the same whatever ran
//! before it.

mod access;
mod auto_loan;
mod building_blocks;
mod cash_management;
mod cib_payments;
mod encrypted;
mod gateway;
mod iwish;
mod merchant_upi;
mod offers;
mod payments;
mod sweep;
mod trade;

use serde_json::json;

use super::recorder::Recorder;
use crate::helpers::FROZEN_AT;

/// Records the whole corpus on a fresh sandbox.
pub async fn record() -> Recorder {
    let mut rec = Recorder::start().await;
    gateway::opening(&mut rec).await;
    sweep::every_operation(&mut rec).await;
    chapter(&mut rec, "Building Blocks").await;
    building_blocks::chain(&mut rec).await;
    chapter(&mut rec, "Auto Loan").await;
    let application = auto_loan::chain(&mut rec).await;
    chapter(&mut rec, "Banking Offers").await;
    offers::chain(&mut rec, &application).await;
    chapter(&mut rec, "iWish").await;
    iwish::chain(&mut rec).await;
    chapter(&mut rec, "Trade").await;
    trade::chain(&mut rec).await;
    chapter(&mut rec, "Cash Management").await;
    cash_management::chain(&mut rec).await;
    chapter(&mut rec, "Payments & UPI").await;
    payments::chain(&mut rec).await;
    chapter(&mut rec, "tokens and apps").await;
    access::tokens(&mut rec).await;
    access::apps(&mut rec).await;
    encrypted::app(&mut rec).await;
    gateway::closing(&mut rec).await;
    rec
}

/// Back to the frozen instant before a chapter.
async fn chapter(rec: &mut Recorder, name: &str) {
    let note = format!("{name}: the demo app's clock back to {FROZEN_AT}");
    rec.post(&note, "/sandbox/clock", json!({ "freeze": FROZEN_AT }))
        .await;
}
