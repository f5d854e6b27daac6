//! AES-CBC with PKCS#7 padding, for the three session-key lengths partners send: 16, 24 and 32 bytes
//! (AES-128, AES-192, AES-256).

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};

use crate::sandbox::gateway::error::Rejection;

/// The AES block, and so the IV's length.
pub const BLOCK: usize = 16;

/// The session-key lengths accepted, in bytes.
pub const KEY_LENGTHS: [usize; 3] = [16, 24, 32];

/// Encrypts `plaintext`; `key` must be one of [`KEY_LENGTHS`] (the callers choose it).
pub fn encrypt(key: &[u8], iv: &[u8; BLOCK], plaintext: &[u8]) -> Vec<u8> {
    match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        24 => cbc::Encryptor::<aes::Aes192>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        32 => cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        other => unreachable!("answer keys are 16, 24 or 32 bytes, not {other}"),
    }
}

/// Decrypts whole blocks of `data`, or a 400/8016 saying what is wrong.
pub fn decrypt(key: &[u8], iv: &[u8; BLOCK], data: &[u8]) -> Result<Vec<u8>, Rejection> {
    if data.is_empty() || !data.len().is_multiple_of(BLOCK) {
        return Err(Rejection::decryption(format!(
            "`encryptedData` must be whole 16-byte AES blocks, got {} bytes",
            data.len()
        )));
    }
    let opened = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new(key.into(), iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        24 => cbc::Decryptor::<aes::Aes192>::new(key.into(), iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        32 => cbc::Decryptor::<aes::Aes256>::new(key.into(), iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(data),
        other => return Err(key_length(other)),
    };
    opened.map_err(|_| Rejection::decryption("bad PKCS#7 padding (wrong session key or IV?)"))
}

/// The 8016 for a session key of another length.
pub fn key_length(got: usize) -> Rejection {
    Rejection::decryption(format!(
        "the session key must be 16, 24 or 32 bytes (AES-128, AES-192 or AES-256), got {got}"
    ))
}
