"""The primitives partner code uses, from the `cryptography` package: RSA PKCS#1 v1.5, AES-CBC with
PKCS#7 padding, SHA-512. Nothing here comes from sandbank."""

import base64
import hashlib

from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text) -> bytes:
    return base64.b64decode(text)


def rsa_encrypt(public_key, data: bytes) -> bytes:
    """RSA/ECB/PKCS1Padding, as Java, PHP's openssl_public_encrypt and the SDKs call it."""
    return public_key.encrypt(data, asym_padding.PKCS1v15())


def rsa_decrypt(private_key, data: bytes) -> bytes:
    return private_key.decrypt(data, asym_padding.PKCS1v15())


def aes_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    padder = sym_padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = sym_padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def open_bank_recipe(key: bytes, encrypted_data: str) -> bytes:
    """The bank's documented way to open an answer: base64-decode, take the first 16 bytes as IV,
    AES-decrypt all of it, ignore the first 16 bytes of the output."""
    data = unb64(encrypted_data)
    return aes_decrypt(key, data[:16], data)[16:]


def sha512_hex(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()
