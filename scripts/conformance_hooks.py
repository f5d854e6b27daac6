"""Schemathesis hooks for scripts/conformance.sh (loaded through SCHEMATHESIS_HOOKS).

`format: rsa-public-key-pem` (an app's public key when it asks for encryption) names what no pattern
can describe: a PEM that decodes to an RSA public key. Generated values are real keys.
"""
from pathlib import Path

from hypothesis import strategies as st
import schemathesis

_KEYS = Path(__file__).resolve().parent.parent / "tests" / "api" / "keys"

schemathesis.openapi.format(
    "rsa-public-key-pem",
    # 4096 bits: `callbackEncryption: rsa` seals a whole callback in one RSA block, which needs them.
    st.sampled_from([(_KEYS / "merchant-public.pem").read_text()]),
)
