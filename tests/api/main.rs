//! sandbank's tests, through HTTP as a partner would call it: one binary, one file per concern.

mod apps;
mod auto_loan;
mod bad_input;
mod binary;
mod building_blocks;
mod cash_management;
mod determinism;
mod edges;
mod encryption;
mod examples;
mod gateway;
mod helpers;
mod iwish;
mod oauth;
mod offers;
mod parsing;
mod payments;
mod quotas;
mod request_log;
mod scenarios;
mod spec;
mod trade;
