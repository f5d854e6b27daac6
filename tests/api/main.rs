//! sandbank's tests, through HTTP as a partner would call it: one binary, one file per concern.

mod app_limits;
mod apps;
mod auto_loan;
mod bad_input;
mod binary;
mod bounds;
mod building_blocks;
mod callbacks;
mod cash_management;
mod connections;
mod control_scopes;
mod determinism;
mod encryption;
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
