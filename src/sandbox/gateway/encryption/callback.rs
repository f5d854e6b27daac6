//! Callbacks to an encrypted app, sealed as the bank seals them: the whole JSON in one RSA PKCS#1 v1.5
//! block under the app's public key, base64, as the raw `text/plain` body — when the key can hold it
//! (a 4096-bit key holds 501 bytes; the UPI callback is about 330) — else the hybrid envelope
//! (`application/json`). The app may choose either at creation (`callbackEncryption`).

use rsa::RsaPublicKey;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::sandbox::gateway::encryption::{envelope, whole_body, Echo, SeededRng};

/// How an encrypted app's callbacks are sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallbackSealing {
    /// Whole-body RSA when the callback fits the app's key, else the hybrid envelope.
    #[default]
    Auto,
    /// Whole-body RSA (the app's key is 4096-bit or more; checked at creation).
    WholeBody,
    /// The hybrid envelope, always.
    Hybrid,
}

impl CallbackSealing {
    /// The smallest key, in bits, that `WholeBody` accepts at app creation.
    pub const WHOLE_BODY_MIN_BITS: usize = 4096;

    pub fn name(self) -> &'static str {
        match self {
            CallbackSealing::Auto => "auto",
            CallbackSealing::WholeBody => "rsa",
            CallbackSealing::Hybrid => "hybrid",
        }
    }
}

/// A callback body ready to POST.
#[derive(Debug, Clone)]
pub struct SealedCallback {
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// The bytes to POST for `plaintext` to an app with `key` (`None`: an app without encryption, which
/// gets the JSON as it is). Deterministic: padding, session key and IV derive from the app's id and the
/// body, so a retried callback carries the same bytes.
pub fn seal(
    key: Option<&RsaPublicKey>,
    sealing: CallbackSealing,
    app_id: &str,
    plaintext: Vec<u8>,
) -> SealedCallback {
    let plain = |body| SealedCallback {
        content_type: "application/json",
        body,
    };
    let Some(key) = key else {
        return plain(plaintext);
    };
    let mut rng = SeededRng::new(xxh3_64_with_seed(
        &plaintext,
        xxh3_64_with_seed(app_id.as_bytes(), 0),
    ));
    if sealing != CallbackSealing::Hybrid {
        if let Some(Ok(body)) = whole_body::seal(key, &plaintext, &mut rng) {
            return SealedCallback {
                content_type: "text/plain",
                body,
            };
        }
    }
    let echo = Echo::default();
    match envelope::seal(key, &plaintext, &echo, 16, &mut rng) {
        Ok(body) => SealedCallback {
            content_type: "application/json",
            body,
        },
        Err(e) => {
            // A key that parsed at creation always encrypts 16 bytes; say so loudly if not.
            tracing::error!(error = %e, "could not seal a callback");
            plain(Vec::new())
        }
    }
}
