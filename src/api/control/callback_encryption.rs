//! How an encrypted app's callbacks are sealed, as chosen at `POST /sandbox/apps` and checked against
//! its key.

use poem_openapi::Enum;
use serde::Deserialize;

use crate::sandbox::gateway::{
    encryption::{whole_body, CallbackSealing},
    error::Rejection,
};

/// How an encrypted app's callbacks are sealed.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum CallbackEncryption {
    /// The whole JSON in one RSA PKCS#1 v1.5 block under the app's key, base64, as the raw
    /// `text/plain` body. Needs a key of 4096 bits or more.
    Rsa,
    /// The hybrid envelope (`encryptedKey`, `encryptedData`), as answers come.
    Hybrid,
}

/// The chosen callback sealing, checked against the key: whole-body RSA needs a key that holds the
/// callback in one block.
pub fn callback_sealing(
    chosen: Option<CallbackEncryption>,
    key: Option<&rsa::RsaPublicKey>,
) -> Result<CallbackSealing, Rejection> {
    let field = "callbackEncryption";
    match (chosen, key) {
        (None, _) => Ok(CallbackSealing::Auto),
        (Some(_), None) => Err(Rejection::schema(
            field,
            "applies to encrypted apps only: send it with `encryption: true` and `publicKeyPem`",
        )),
        (Some(CallbackEncryption::Hybrid), Some(_)) => Ok(CallbackSealing::Hybrid),
        (Some(CallbackEncryption::Rsa), Some(key)) => {
            let bits = rsa::traits::PublicKeyParts::size(key) * 8;
            if bits < CallbackSealing::WHOLE_BODY_MIN_BITS {
                return Err(Rejection::schema(
                    field,
                    format!(
                        "`rsa` seals the whole callback in one RSA block: the UPI callback is about 330 bytes \
                         and a {bits}-bit key holds at most {} bytes; register a 4096-bit public key, or \
                         choose `hybrid`",
                        whole_body::capacity(key)
                    ),
                ));
            }
            Ok(CallbackSealing::WholeBody)
        }
    }
}
