//! The bank's own rules that more than one family applies, each written once: the payment rails
//! (limits, NEFT batches, the rail an `x-priority` names) and the corporate lookup. A family decides
//! what to answer; these say what the bank allows.

pub mod corporates;
pub mod rails;
