//! sandbank's tests, through HTTP as a partner would call it: one binary, one file per concern.

mod auto_loan;
mod binary;
mod building_blocks;
mod cash_management;
mod determinism;
mod gateway;
mod helpers;
mod iwish;
mod offers;
mod payments;
mod spec;
mod trade;
