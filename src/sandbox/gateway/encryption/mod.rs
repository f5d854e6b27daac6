//! The bank's two encryption schemes, for apps created with `encryption: true`, and the
//! `X-ID-Fingerprint` check.
//!
//! - The hybrid envelope ([`envelope`]): a JSON body `{requestId, service, encryptedKey, iv,
//!   encryptedData, ...}` — an AES-128/192/256 session key under RSA PKCS#1 v1.5, the JSON under AES-CBC.
//! - Scheme A ([`whole_body`]): a `text/plain` body, base64 of the whole JSON under RSA PKCS#1 v1.5.
//!
//! A request is answered in the scheme it used; a scheme-A answer longer than one RSA block under the
//! app's key (statements) comes back in the envelope, as at the bank. Answers are deterministic: the
//! session key, IV and RSA padding derive from the server seed, the app, the request and the answer.
//! Callbacks to encrypted apps are sealed by [`callback`]. Every failure to open a request is a
//! 400 + 8016 naming what is wrong, never a 5xx.

mod aes_cbc;
pub(crate) mod callback;
pub(crate) mod envelope;
pub(crate) mod fingerprint;
pub(crate) mod whole_body;

use base64::{engine::general_purpose::STANDARD, Engine};
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rsa::RsaPublicKey;
use xxhash_rust::xxh3::xxh3_64_with_seed;

pub(crate) use callback::CallbackSealing;
pub(crate) use fingerprint::HEADER as FINGERPRINT_HEADER;

use crate::sandbox::gateway::{error::Rejection, keys::BankKey};

/// The answer's session-key length when the request carried none (scheme A, bodiless calls).
const DEFAULT_KEY_LENGTH: usize = 16;

/// Which scheme a request came in, and so the answer goes out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// The envelope, with the request's session-key length (16, 24 or 32).
    Hybrid { key_length: usize },
    /// Scheme A: the whole JSON under RSA.
    WholeBody,
}

/// What the answer echoes from the request's envelope.
#[derive(Debug, Clone, Default)]
pub struct Echo {
    /// The envelope's `requestId`.
    pub request_id: String,
    /// The envelope's `service`: the operation it names.
    pub service: String,
}

/// An opened request.
#[derive(Debug)]
pub(crate) struct Opened {
    pub plaintext: Vec<u8>,
    pub scheme: Scheme,
    pub echo: Echo,
}

/// A sealed answer: its bytes and content type.
#[derive(Debug)]
pub(crate) struct Sealed {
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// Opens an encrypted app's request body: a JSON object is the hybrid envelope, anything else scheme A.
pub(crate) fn open_request(
    bank: &BankKey,
    body: &[u8],
    service: &str,
) -> Result<Opened, Rejection> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let opened = envelope::open(bank, body)?;
        return Ok(Opened {
            plaintext: opened.plaintext,
            scheme: Scheme::Hybrid {
                key_length: opened.key_length,
            },
            echo: opened.echo,
        });
    }
    Ok(Opened {
        plaintext: whole_body::open(bank, body)?,
        scheme: Scheme::WholeBody,
        echo: Echo {
            request_id: String::new(),
            service: service.to_string(),
        },
    })
}

/// The hybrid envelope's opening alone (kept for the decryption property tests).
pub fn decrypt_request(bank: &BankKey, body: &[u8]) -> Result<(Vec<u8>, Echo), Rejection> {
    envelope::open(bank, body).map(|opened| (opened.plaintext, opened.echo))
}

/// Seals an answer for the app, in the request's scheme. `context` (the app and the request) and
/// `seed` make the bytes deterministic.
pub(crate) fn seal_answer(
    app_key: &RsaPublicKey,
    scheme: Scheme,
    answer: &[u8],
    echo: &Echo,
    seed: u64,
    context: &[u8],
) -> Result<Sealed, String> {
    let mut hashed = Vec::with_capacity(context.len() + answer.len());
    hashed.extend_from_slice(context);
    hashed.extend_from_slice(answer);
    let mut rng = SeededRng::new(xxh3_64_with_seed(&hashed, seed));
    let key_length = match scheme {
        Scheme::Hybrid { key_length } => key_length,
        Scheme::WholeBody => match whole_body::seal(app_key, answer, &mut rng) {
            Some(sealed) => {
                return sealed.map(|body| Sealed {
                    content_type: "text/plain; charset=utf-8",
                    body,
                })
            }
            // Too long for one block under the app's key: the envelope, as the bank answers statements.
            None => DEFAULT_KEY_LENGTH,
        },
    };
    envelope::seal(app_key, answer, echo, key_length, &mut rng).map(|body| Sealed {
        content_type: "application/json; charset=utf-8",
        body,
    })
}

/// The scheme a bodiless call is answered in.
pub(crate) const BODILESS: Scheme = Scheme::Hybrid {
    key_length: DEFAULT_KEY_LENGTH,
};

fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok()
}

fn decode_base64(field: &str, value: &str) -> Result<Vec<u8>, Rejection> {
    if value.trim().is_empty() {
        return Err(Rejection::decryption(format!("`{field}` is missing")));
    }
    decode(value).ok_or_else(|| Rejection::decryption(format!("`{field}` is not valid base64")))
}

/// Standard base64, tolerating the line breaks Java's MIME encoder inserts and missing padding.
fn decode(value: &str) -> Option<Vec<u8>> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(&compact).ok().or_else(|| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(compact.trim_end_matches('='))
            .ok()
    })
}

/// The seeded ChaCha stream, presented to `rsa` through the `rand_core` 0.6 traits it speaks.
pub(crate) struct SeededRng(ChaCha20Rng);

impl SeededRng {
    fn new(seed: u64) -> Self {
        Self(ChaCha20Rng::seed_from_u64(seed))
    }

    fn fill(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }

    /// A decimal digit, 0–9, uniformly.
    fn digit(&mut self) -> u8 {
        loop {
            // 250 is the largest multiple of 10 a byte holds: rejecting above it keeps digits uniform.
            let mut byte = [0u8];
            self.0.fill_bytes(&mut byte);
            if byte[0] < 250 {
                return byte[0] % 10;
            }
        }
    }
}

impl rsa::rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for SeededRng {}
