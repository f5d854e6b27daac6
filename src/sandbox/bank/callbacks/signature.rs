//! The signature on every callback, so a partner's receiver can tell the sandbox's callbacks from
//! anyone else's: `X-Sandbank-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC keyed with
//! the app's `callbackSecret` over `<t>.<the raw body bytes>` — the bytes actually sent, so for an
//! encrypted app the sealed body. `t` is the machine's time, not the app's sandbox clock, so a
//! receiver can refuse a signature older than a few minutes (a replay) whatever the app's clock says.
//! The body stays deterministic; the header changes with `t`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The signature header.
pub const SIGNATURE: &str = "X-Sandbank-Signature";
/// One id per callback: the same on every retry, and on a duplicate.
pub const DELIVERY: &str = "X-Sandbank-Delivery";
/// 1 for the first try.
pub const ATTEMPT: &str = "X-Sandbank-Attempt";

/// The header value signing `body` at unix time `t` with `secret`.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={hex}")
}

/// The machine's time in unix seconds, as `t` carries it.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_is_hmac_sha256_over_t_dot_body() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(
        //   b'sandbank-demo-callback-secret', b'1775017800.{\"BankRRN\":\"1\"}', hashlib.sha256).hexdigest())"
        let header = super::sign(
            "sandbank-demo-callback-secret",
            1_775_017_800,
            br#"{"BankRRN":"1"}"#,
        );
        assert_eq!(
            header,
            "t=1775017800,v1=3d4b6ad42a1476b4fcee642c50b9ee7898e82b03009f864110558040befd0875"
        );
    }
}
