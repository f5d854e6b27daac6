//! The recorded corpus: requests across every operation of the served spec and the sandbox's answers,
//! kept in `tests/corpus/corpus.json` and replayed byte for byte on a fresh sandbox — a golden test of
//! every HTTP answer (status, every header, the body), so a change of shape inside the code that changes
//! an answer cannot pass unseen.
//!
//! Re-recording is one command (`SANDBANK_RECORD_CORPUS=1 cargo test --test api corpus::`): the script
//! ([`script`]) runs twice on fresh sandboxes, the two recordings must agree byte for byte, every
//! served operation must appear, and the file is rewritten; the replay then runs on the new file.
//! `tests/corpus/README.md` says what the corpus covers and when re-recording is legitimate.
//!
//! Layout: [`format`] (the file), [`harness`] (one sandbox and the wire to it), [`normalise`] (the only
//! values allowed to differ), [`crypto`] (the encrypted app's client side), [`recorder`] and [`script`]
//! (recording), [`replay`] (comparison and its report).

mod crypto;
mod format;
mod harness;
mod normalise;
mod recorder;
mod replay;
mod script;

use std::collections::BTreeSet;

use format::Step;

/// The corpus file.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/corpus.json");

/// Set (to anything) to re-record the corpus.
const RECORD: &str = "SANDBANK_RECORD_CORPUS";

const RECORD_COMMAND: &str = "SANDBANK_RECORD_CORPUS=1 cargo test --test api corpus::";

/// Tokio's clock is paused: the sandbox's own waits (a `timeout` or `slow:` scenario) pass at once, and
/// background work (callback deliveries) settles before each next step.
#[tokio::test(start_paused = true)]
async fn every_recorded_answer_replays_byte_for_byte_and_every_operation_is_recorded() {
    if std::env::var_os(RECORD).is_some() {
        record().await;
    }
    let text = std::fs::read_to_string(FILE)
        .unwrap_or_else(|e| panic!("{FILE}: {e}; record it with `{RECORD_COMMAND}`"));
    let steps = format::read(&text).unwrap_or_else(|e| panic!("{FILE}: {e}"));

    let outcome = replay::replay(&steps).await;

    let missing = unrecorded(&outcome.operations, &steps);
    assert!(
        missing.is_empty(),
        "operations served but never called by the corpus: {missing:?}; re-record with `{RECORD_COMMAND}`"
    );
    assert!(
        outcome.differences.is_empty(),
        "{}",
        replay::summary(&outcome.differences, steps.len(), RECORD_COMMAND)
    );
}

/// The same corpus on each database store (SQLite, PostgreSQL): every state change is written to the
/// database as rows before its answer, so a byte-identical replay shows the backend changes no answer
/// (store.rs shows the rows read back to the same answers after a restart).
#[tokio::test(start_paused = true)]
async fn the_corpus_replays_byte_for_byte_on_the_database_stores() {
    use sandbank::sandbox::bank::store::StoreChoice;
    let text = std::fs::read_to_string(FILE)
        .unwrap_or_else(|e| panic!("{FILE}: {e}; record it with `{RECORD_COMMAND}`"));
    for store in crate::store::database_stores("corpus") {
        // `/healthz` names the store: the one difference a backend makes.
        let kind = match store {
            StoreChoice::Sqlite(_) => "sqlite",
            _ => "postgres",
        };
        let text = text.replace(r#""store":"memory""#, &format!(r#""store":"{kind}""#));
        let steps = format::read(&text).unwrap_or_else(|e| panic!("{FILE}: {e}"));
        let settings = crate::store::settings(store.clone());

        let outcome = replay::replay_on(&steps, &settings).await;

        assert!(
            outcome.differences.is_empty(),
            "{store:?}: {}",
            replay::summary(&outcome.differences, steps.len(), RECORD_COMMAND)
        );
    }
}

/// Runs the script twice, checks the recordings agree and cover every operation, writes the file.
async fn record() {
    let first = script::record().await;
    let second = script::record().await;
    let (text, again) = (format::write(&first.steps), format::write(&second.steps));
    if text != again {
        let one = |step: &Step| format::write(std::slice::from_ref(step));
        let differing = first
            .steps
            .iter()
            .zip(&second.steps)
            .find(|(a, b)| one(a) != one(b))
            .map_or_else(
                || "the recordings have different lengths".to_string(),
                |(a, b)| {
                    format!(
                        "step {} ({}: {}) answered\n{}then\n{}",
                        a.step,
                        a.op,
                        a.note,
                        one(a),
                        one(b)
                    )
                },
            );
        panic!(
            "two recordings on fresh sandboxes differ — the sandbox (or the script) is not \
             deterministic: {differing}"
        );
    }
    let operations: Vec<String> = first
        .harness
        .operations
        .iter()
        .map(|(_, _, id)| id.clone())
        .collect();
    let missing = unrecorded(&operations, &first.steps);
    assert!(
        missing.is_empty(),
        "the script calls no step of {missing:?}: add them (tests/api/corpus/script)"
    );
    let temporary = format!("{FILE}.tmp");
    std::fs::write(&temporary, text).expect("the corpus is written");
    std::fs::rename(&temporary, FILE).expect("the corpus is replaced");
}

/// Served operations that no step calls.
fn unrecorded(operations: &[String], steps: &[Step]) -> Vec<String> {
    let called: BTreeSet<&str> = steps.iter().map(|s| s.op.as_str()).collect();
    operations
        .iter()
        .filter(|id| !called.contains(id.as_str()))
        .cloned()
        .collect()
}
