//! The bank's shared machinery, each part written once and called by every family that needs it: the
//! ledger (every account's money), the per-app clock, fixtures and determinism (the same request gets
//! the same answer everywhere), formats that parse, the payment rails (limits, NEFT batches, the rail an
//! `x-priority` names) and the corporate lookup, lending arithmetic, magic values and persons, the
//! generic answer type, per-app state behind one transactional store (with bounded collections and
//! snapshots), and callbacks. A family decides what to answer; these say what the bank holds and allows.

pub mod answer;
pub mod bounded;
pub mod callbacks;
pub mod clock;
pub mod determinism;
pub mod fixtures;
pub mod formats;
pub mod ledger;
pub mod lending;
pub mod locale;
pub mod magic;
pub mod persons;
pub mod rows;
pub mod snapshot;
pub mod store;

pub mod corporates;
pub mod rails;
