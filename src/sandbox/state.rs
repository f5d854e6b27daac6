//! Apps: who is calling, and what belongs to them. Every app owns its sandbox clock (and, as families
//! land, its objects); another app's state is invisible to it. The demo app always exists.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use super::clock::SandboxClock;

/// A registered partner app.
#[derive(Debug)]
pub struct App {
    /// Stable id; generated references derive from it, so two apps never share a UTR or RRN.
    pub id: String,
    pub name: String,
    pub apikey: String,
    pub client_id: String,
    pub client_secret: String,
    pub clock: SandboxClock,
    /// Where the sandbox POSTs callbacks for this app when the object itself names no URL.
    pub callback_url: Option<String>,
}

/// The demo app's identity, configurable so that a shared deployment can change its key.
#[derive(Debug, Clone)]
pub struct DemoApp {
    pub apikey: String,
    pub client_id: String,
    pub client_secret: String,
    pub callback_url: Option<String>,
}

impl Default for DemoApp {
    fn default() -> Self {
        Self {
            apikey: "sandbank-demo-key".into(),
            client_id: "sandbank-demo".into(),
            client_secret: "sandbank-demo-secret".into(),
            callback_url: None,
        }
    }
}

/// The registry of apps, keyed by apikey. Reads vastly outnumber writes; the lock is never held across
/// an `.await`.
#[derive(Debug, Default)]
pub struct Apps {
    by_apikey: RwLock<HashMap<String, Arc<App>>>,
}

impl Apps {
    pub fn with_demo(demo: &DemoApp) -> Self {
        let apps = Self::default();
        apps.register(App {
            id: "demo".into(),
            name: "Demo app".into(),
            apikey: demo.apikey.clone(),
            client_id: demo.client_id.clone(),
            client_secret: demo.client_secret.clone(),
            clock: SandboxClock::default(),
            callback_url: demo.callback_url.clone(),
        });
        apps
    }

    pub fn register(&self, app: App) -> Arc<App> {
        let app = Arc::new(app);
        self.by_apikey
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(app.apikey.clone(), app.clone());
        app
    }

    /// Every registered app (for the background ticker).
    pub fn all(&self) -> Vec<Arc<App>> {
        self.by_apikey
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    pub fn by_apikey(&self, apikey: &str) -> Option<Arc<App>> {
        self.by_apikey
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(apikey)
            .cloned()
    }
}
