//! The bank's shared machinery, each part written once and called by every family that needs it: the
//! ledger (every account's money), the per-app clock, fixtures and determinism (the same request gets
//! the same answer everywhere), formats that parse, the payment rails (limits, NEFT batches, the rail an
//! `x-priority` names) and the corporate lookup, lending arithmetic, magic values and persons, the
//! generic answer type, per-app state behind one transactional store (with bounded collections and
//! snapshots), and callbacks. A family decides what to answer; these say what the bank holds and allows.

pub(crate) mod answer;
pub(crate) mod bounded;
pub mod callbacks;
pub(crate) mod clock;
pub(crate) mod determinism;
pub(crate) mod fixtures;
pub mod formats;
pub mod ledger;
pub(crate) mod lending;
pub(crate) mod locale;
pub(crate) mod magic;
pub(crate) mod persons;
pub(crate) mod rows;
pub mod snapshot;
pub mod store;

pub(crate) mod corporates;
pub(crate) mod rails;
