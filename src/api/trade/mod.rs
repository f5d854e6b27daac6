//! Trade (api-catalogue). One file per operation; the methods here only route.

use std::sync::Arc;

use poem_openapi::OpenApi;

use crate::sandbox::Sandbox;

#[allow(unused_imports)] // used once the first operation lands
use super::ApiTags;

pub struct TradeApi {
    #[allow(dead_code)] // operations land family by family
    sandbox: Arc<Sandbox>,
}

impl TradeApi {
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }
}

#[OpenApi(tag = "ApiTags::Trade")]
impl TradeApi {}
