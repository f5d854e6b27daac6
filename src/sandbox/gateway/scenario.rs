//! Scenarios: the `x-sandbox-scenario` header lets a partner rehearse failure handling on any call.
//!
//! - `timeout`: the backend never answers; the gateway gives up after its timeout (`--gateway-timeout-ms`,
//!   default 30 s, at most [`MAX_GATEWAY_TIMEOUT_MS`]) with 504 + 8013.
//! - `server-error`: 500 + 8010.
//! - `slow:<ms>`: the answer comes normally after the delay (at most [`MAX_SLOW_MS`]); a delay past the
//!   gateway's timeout ends as `timeout` does, as it would at the bank.
//! - `rate-limited`: 429 with `Retry-After`, whatever the quota: the seconds to the app's midnight, as
//!   a spent quota says, or `rate-limited:<seconds>` (at most [`MAX_RETRY_AFTER_SECS`]).
//! - `unauthorized`: 401, as for a token that expired in flight (the credentials are still checked
//!   first, so the refusal is the calling app's, and its readiness report can grade what follows);
//!   on operations that need no credentials it rehearses nothing.
//!
//! The header is documented on every operation once, in `api::api_service`, through [`ScenarioHeader`].

use std::borrow::Cow;

use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::Type,
};

use crate::sandbox::gateway::error::Rejection;

/// The header's name.
pub const HEADER: &str = "x-sandbox-scenario";

/// The longest `slow:<ms>` delay.
pub const MAX_SLOW_MS: u64 = 60_000;

/// The longest gateway timeout an operator may configure.
pub const MAX_GATEWAY_TIMEOUT_MS: u64 = 120_000;

/// The longest `Retry-After` a `rate-limited:<seconds>` rehearsal asks for: a day.
pub const MAX_RETRY_AFTER_SECS: u64 = 86_400;

/// The default gateway timeout.
pub const DEFAULT_GATEWAY_TIMEOUT_MS: u64 = 30_000;

/// A rehearsal asked for by the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Timeout,
    ServerError,
    Slow(u64),
    /// `Some`: the `Retry-After` to answer; `None`: the seconds to the app's midnight.
    RateLimited(Option<u64>),
    Unauthorized,
}

impl Scenario {
    /// Parses the header's value; a value the sandbox does not know is a 400 naming the header.
    pub fn parse(raw: &str) -> Result<Self, Rejection> {
        let raw = raw.trim();
        match raw {
            "timeout" => Ok(Scenario::Timeout),
            "server-error" => Ok(Scenario::ServerError),
            "rate-limited" => Ok(Scenario::RateLimited(None)),
            "unauthorized" => Ok(Scenario::Unauthorized),
            _ => raw
                .strip_prefix("slow:")
                .and_then(|ms| ms.parse::<u64>().ok())
                .map(|ms| Scenario::Slow(ms.min(MAX_SLOW_MS)))
                .or_else(|| {
                    let secs = raw.strip_prefix("rate-limited:")?.parse::<u64>().ok()?;
                    Some(Scenario::RateLimited(Some(secs.min(MAX_RETRY_AFTER_SECS))))
                })
                .ok_or_else(|| {
                    Rejection::schema(
                        HEADER,
                        format!(
                            "must be `timeout`, `server-error`, `rate-limited`, `rate-limited:<seconds>`, `unauthorized` or `slow:<ms>`, got `{raw}`"
                        ),
                    )
                }),
        }
    }
}

/// The header's schema in the spec (documentation only: the gateway reads the header itself).
pub struct ScenarioHeader;

impl Type for ScenarioHeader {
    crate::sandbox::bank::formats::type_plumbing!(required: false);

    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SandboxScenario")
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            title: Some("Sandbox scenario".to_string()),
            pattern: Some(
                "^(timeout|server-error|rate-limited(:[0-9]+)?|unauthorized|slow:[0-9]+)$"
                    .to_string(),
            ),
            // No example: tools fill examples in (Swagger UI's "Try it out", generators, fuzzers), and
            // any value here would slow or fail every call they make. The description lists the values.
            ..MetaSchema::new("string")
        }))
    }
}

/// The header's description in the spec.
pub const DESCRIPTION: &str = "Sandbox only: rehearse failure handling. `timeout` → 504 + 8013 after the \
gateway's timeout; `server-error` → 500 + 8010; `slow:<ms>` → the normal answer after a delay (at most 60 000 ms; \
past the gateway's timeout, a 504); `rate-limited` → 429 with `Retry-After` (the seconds to the app's midnight, \
or `rate-limited:<seconds>`); `unauthorized` → 401, as for a token that expired in flight.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_slow_is_capped() {
        assert_eq!(Scenario::parse("timeout").unwrap(), Scenario::Timeout);
        assert_eq!(
            Scenario::parse("unauthorized").unwrap(),
            Scenario::Unauthorized
        );
        assert_eq!(
            Scenario::parse("rate-limited:5").unwrap(),
            Scenario::RateLimited(Some(5))
        );
        assert_eq!(
            Scenario::parse("rate-limited:999999").unwrap(),
            Scenario::RateLimited(Some(MAX_RETRY_AFTER_SECS))
        );
        assert_eq!(Scenario::parse("slow:250").unwrap(), Scenario::Slow(250));
        assert_eq!(
            Scenario::parse("slow:99999999").unwrap(),
            Scenario::Slow(MAX_SLOW_MS)
        );
        for bad in [
            "",
            "slow:",
            "slow:-1",
            "explode",
            "rate-limited:",
            "rate-limited:x",
        ] {
            assert!(Scenario::parse(bad).is_err(), "{bad}");
        }
    }
}
