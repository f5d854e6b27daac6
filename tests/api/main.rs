//! sandbank's tests, through HTTP as a partner would call it: one binary. Each family's tests live in
//! a folder named as its code is (`payments/`, `cash_management/`, ... mirror `src/api/<family>/`), a file
//! per operation group beside the family's shared calls in `mod.rs`; the sandbox's own operations are
//! under `control/`; the gateway's concerns (apikeys, OAuth2, quotas, encryption, callbacks, bounds)
//! have a file each; `helpers`, `partner`, `markdown` and `binary` are what the others share.

mod app_limits;
mod auto_loan;
mod bad_input;
mod binary;
mod bounds;
mod building_blocks;
mod callback_order;
mod callbacks;
mod cash_management;
mod ci_recipes;
mod connections;
mod control;
mod control_scopes;
mod corpus;
mod determinism;
mod doc_examples;
mod docs;
mod edges;
mod encryption;
mod examples;
mod fingerprint;
mod gateway;
mod helpers;
mod iwish;
mod markdown;
mod oauth;
mod offers;
mod parsing;
mod partner;
mod partner_fields;
mod partner_headers;
mod payments;
mod probes;
mod quotas;
mod scenarios;
mod scheme_a;
mod sealed_callbacks;
mod spec;
mod store;
mod store_apps;
mod store_binary;
mod store_delta;
mod store_outbox;
mod store_replicas;
mod store_shared;
mod tls_callbacks;
mod trade;
