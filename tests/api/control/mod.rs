//! The sandbox's own operations (`/sandbox/...`), as `src/api/control/` serves them: apps, the request
//! log, the magic-values table, callback receiver drills and the readiness report.

mod apps;
mod callback_drill;
mod magic_values;
mod readiness;
mod request_log;
mod snapshots;
