//! Bounds on apps: how many the sandbox holds (`--max-apps`), how fast one source address may create
//! them (`--app-creation-rate`), and when an unused app expires (`--app-idle-expiry-hours`; never the
//! demo app). App creation needs no credentials, so without these a loop of `POST /sandbox/apps`
//! grew the server without limit.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// The app bounds.
#[derive(Debug, Clone)]
pub struct AppLimits {
    /// How many apps the server keeps at most (`POST /sandbox/apps` past it expires idle ones first).
    pub max_apps: usize,
    /// `POST /sandbox/apps` per source address per minute.
    pub creations_per_minute: u32,
    /// Apps unused this long are expired; `None` keeps them for ever.
    pub idle_expiry: Option<Duration>,
}

impl Default for AppLimits {
    fn default() -> Self {
        Self {
            max_apps: 10_000,
            creations_per_minute: 60,
            idle_expiry: Some(Duration::from_secs(7 * 24 * 3600)),
        }
    }
}

/// Source addresses remembered at once; past it, sources whose minute has passed are forgotten, and
/// if none has, new sources wait for the next minute.
const SOURCES_KEPT: usize = 65_536;

const WINDOW: Duration = Duration::from_secs(60);

/// Per-source counts of app creations, in one-minute windows.
#[derive(Debug, Default)]
pub struct CreationRate {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl CreationRate {
    /// Counts one creation from `source`; `Err(seconds)` to wait when its minute's allowance is spent.
    pub fn admit(&self, source: &str, per_minute: u32) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if !windows.contains_key(source) && windows.len() >= SOURCES_KEPT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            if windows.len() >= SOURCES_KEPT {
                return Err(WINDOW.as_secs());
            }
        }
        let (start, count) = windows.entry(source.to_string()).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            (*start, *count) = (now, 0);
        }
        if *count >= per_minute {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_gets_its_own_allowance() {
        let rate = CreationRate::default();
        assert!(rate.admit("10.0.0.1", 2).is_ok());
        assert!(rate.admit("10.0.0.1", 2).is_ok());

        let refused = rate.admit("10.0.0.1", 2);

        assert!(matches!(refused, Err(secs) if (1..=60).contains(&secs)));
        assert!(
            rate.admit("10.0.0.2", 2).is_ok(),
            "another source is not affected"
        );
    }
}
