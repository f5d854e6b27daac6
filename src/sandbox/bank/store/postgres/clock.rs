//! An app's clock setting as the database keeps it (JSON in `app_versions.clock`): taken from the
//! database at a transaction's start unless this process changed the app's clock since it last read
//! or wrote it.

use crate::sandbox::{
    bank::{clock::ClockSetting, store::postgres::Cached},
    gateway::apps::App,
};

/// Takes the clock setting the database holds (another process may have set it; none kept means
/// real time), unless this process changed the app's clock since it last read or wrote it (or never
/// did either: an app created here): then the app's clock is this transaction's to write.
pub fn adopt_clock(app: &App, cached: &mut Cached, committed: Option<String>) {
    let Some(synced) = cached.clock.as_deref() else {
        return;
    };
    let committed = committed.unwrap_or_else(|| clock_text(&REAL));
    if synced != clock_text(&app.clock.setting()) || synced == committed {
        return;
    }
    if let Ok(setting) = serde_json::from_str::<ClockSetting>(&committed) {
        if app.clock.set(&setting).is_ok() {
            cached.clock = Some(committed);
        }
    }
}

/// The setting of a clock on real time.
pub const REAL: ClockSetting = ClockSetting {
    frozen_at: None,
    offset_ms: 0,
};

pub fn clock_text(setting: &ClockSetting) -> String {
    serde_json::to_string(setting).expect("a clock setting serialises")
}
