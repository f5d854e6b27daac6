#!/usr/bin/env bash
# Encrypted calls to sandbank, step by step, with openssl, curl and jq: the hybrid envelope the way the
# bank's SDK builds it (a 32-character session key, AES-256-CBC, the IV prepended, X-ID-Fingerprint over
# the plaintext), then the same request in scheme A (the whole JSON under RSA, text/plain).
# Usage: scripts/encrypted-call.sh [BASE_URL]
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
rsa_to_bank() { openssl pkeyutl -encrypt -pubin -inkey bank.pem -pkeyopt rsa_padding_mode:pkcs1 | base64 -w0; }
rsa_from_me() { base64 -d | openssl pkeyutl -decrypt -inkey partner-key.pem -pkeyopt rsa_padding_mode:pkcs1; }

# 1. Your app's key pair (4096-bit, as the bank asks: scheme-A answers fit one block), and the bank's key.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out partner-key.pem 2>/dev/null
openssl pkey -in partner-key.pem -pubout -out partner-public.pem
curl -sf "$BASE/sandbox/keys/bank.pem" -o bank.pem

# 2. An app with encryption on, registered with your public key.
jq -n --rawfile pem partner-public.pem '{name: "encrypted demo", encryption: true, publicKeyPem: $pem}' |
  curl -sf -X POST "$BASE/sandbox/apps" -H 'content-type: application/json' -d @- -o app.json
APIKEY=$(jq -r .apikey app.json)

# 3. The hybrid envelope: a 32-character session key under the bank's key; IV ‖ AES-256-CBC(JSON).
PLAIN='{"pan":"ABCPE1234F"}'
KEY=$(openssl rand -hex 16)                # 32 characters: the key is these ASCII bytes
KEY_HEX=$(echo -n "$KEY" | xxd -p -c 64)
IV=$(openssl rand -hex 16)
ENCRYPTED_KEY=$(echo -n "$KEY" | rsa_to_bank)
ENCRYPTED_DATA=$({ echo -n "$IV" | xxd -r -p; echo -n "$PLAIN" | openssl enc -aes-256-cbc -K "$KEY_HEX" -iv "$IV"; } | base64 -w0)
FINGERPRINT=$(echo -n "$APIKEY|$(echo -n "$PLAIN" | sha512sum | cut -d' ' -f1)" | rsa_to_bank)
jq -n --arg k "$ENCRYPTED_KEY" --arg d "$ENCRYPTED_DATA" \
  '{requestId: "REQ-1", service: "PAN", encryptedKey: $k, oaepHashingAlgorithm: "NONE", iv: "",
    encryptedData: $d, clientInfo: "", optionalParam: ""}' > request.json
curl -sf -X POST "$BASE/api/v0/panValidation" -H "apikey: $APIKEY" -H 'content-type: application/json' \
  -H "X-ID-Fingerprint: $FINGERPRINT" -H 'X-SDK-Originated: true' -H 'X-SDK-Version: 1.0' \
  -d @request.json -o answer.json

# 4. Open the answer as the bank documents it: the key (ASCII digits, as long as yours) under your key;
#    decrypt all of encryptedData with its first 16 bytes as IV, and drop the first 16 bytes.
ANSWER_KEY=$(jq -r .encryptedKey answer.json | rsa_from_me)
jq -r .encryptedData answer.json | base64 -d > data.bin
echo "hybrid answer (session key $ANSWER_KEY):"
openssl enc -d -aes-256-cbc -K "$(echo -n "$ANSWER_KEY" | xxd -p -c 64)" -iv "$(head -c 16 data.bin | xxd -p)" \
  -in data.bin | tail -c +17
echo

# 5. Scheme A: the whole JSON under the bank's key, text/plain; the answer, the whole JSON under yours.
echo -n "$PLAIN" | rsa_to_bank > request.txt
curl -sf -X POST "$BASE/api/v0/panValidation" -H "apikey: $APIKEY" -H 'content-type: text/plain' \
  --data-binary @request.txt -o answer.txt
echo "scheme A answer:"
rsa_from_me < answer.txt
echo
