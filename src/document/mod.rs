//! The OpenAPI document as served at `/openapi.json` and `/openapi.yaml` and exported by `sandbank
//! spec`. poem-openapi generates it from the handlers; [`shape`] then applies, once, what
//! poem-openapi cannot express:
//!
//! - [`schemas`]: standard formats, optional fields that may be `null`, form fields' examples, and the
//!   tags in the order the families are declared (the order Swagger UI and Redoc list them);
//! - [`examples`]: a real example on every answer — the gateway's errors, one per status, from the
//!   constructors the gateway itself uses, and each operation's success, recorded from the server
//!   (`examples.json`, checked by `tests/api/examples.rs`);
//! - [`components`]: what repeats (parameters, response headers, responses) declared once and
//!   referenced with `$ref`.
//!
//! The transform is deterministic: the same build gives the same bytes.

pub mod components;
pub mod examples;
pub mod node;
pub mod schemas;

use std::sync::Arc;

use crate::{api, Sandbox};

pub use node::Node;

/// The document in its two served forms.
pub struct Document {
    pub json: String,
    pub yaml: String,
}

impl Document {
    /// Generates the document from the handlers and shapes it.
    pub fn build(sandbox: Arc<Sandbox>) -> Self {
        let generated = api::api_service(sandbox).spec();
        let mut doc = Node::parse(&generated).expect("poem-openapi writes valid JSON");
        shape(&mut doc);
        Self {
            json: doc.to_json_pretty(),
            yaml: doc.to_yaml(),
        }
    }
}

/// Every transform, in order: examples go in before shared parts are looked for, so that two
/// responses with the same example are shared and two with different ones are not.
pub fn shape(doc: &mut Node) {
    schemas::apply(doc);
    examples::apply(doc);
    components::share(doc);
}
