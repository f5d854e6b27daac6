//! sandbank's tests, through HTTP as a partner would call it: one binary, one file per concern.

mod apps;
mod binary;
mod building_blocks;
mod determinism;
mod encryption;
mod gateway;
mod helpers;
mod oauth;
mod quotas;
mod request_log;
mod scenarios;
mod spec;
