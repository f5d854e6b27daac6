#!/usr/bin/env bash
# One encrypted call to sandbank, step by step, with openssl, curl and jq — the bank's hybrid envelope
# (RSA PKCS#1 v1.5 + AES-128-CBC). Usage: scripts/encrypted-call.sh [BASE_URL]
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# 1. Your app's key pair, and the sandbox bank's public key.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out partner-key.pem 2>/dev/null
openssl pkey -in partner-key.pem -pubout -out partner-public.pem
curl -sf "$BASE/sandbox/keys/bank.pem" -o bank.pem

# 2. An app with encryption on, registered with your public key.
jq -n --rawfile pem partner-public.pem '{name: "encrypted demo", encryption: true, publicKeyPem: $pem}' |
  curl -sf -X POST "$BASE/sandbox/apps" -H 'content-type: application/json' -d @- -o app.json
APIKEY=$(jq -r .apikey app.json)

# 3. Seal the request: a fresh 16-byte session key under the bank's key; the JSON under AES-128-CBC.
KEY=$(openssl rand -hex 16)
IV=$(openssl rand -hex 16)
echo -n "$KEY" | xxd -r -p > session.key
ENCRYPTED_KEY=$(openssl pkeyutl -encrypt -pubin -inkey bank.pem -pkeyopt rsa_padding_mode:pkcs1 \
  -in session.key | base64 -w0)
ENCRYPTED_DATA=$(echo -n '{"pan":"ABCPE1234F"}' | openssl enc -aes-128-cbc -K "$KEY" -iv "$IV" | base64 -w0)
IV_B64=$(echo -n "$IV" | xxd -r -p | base64 -w0)
jq -n --arg k "$ENCRYPTED_KEY" --arg iv "$IV_B64" --arg d "$ENCRYPTED_DATA" \
  '{requestId: "REQ-1", service: "PAN", encryptedKey: $k, oaepHashingAlgorithm: "NONE", iv: $iv,
    encryptedData: $d, clientInfo: "", optionalParam: ""}' > request.json

# 4. Call.
curl -sf -X POST "$BASE/api/v0/panValidation" -H "apikey: $APIKEY" -H 'content-type: application/json' \
  -d @request.json -o answer.json
echo "answer envelope: $(head -c 120 answer.json)…"

# 5. Open the answer: the session key under your key; encryptedData = IV ‖ ciphertext.
ANSWER_KEY=$(jq -r .encryptedKey answer.json | base64 -d |
  openssl pkeyutl -decrypt -inkey partner-key.pem -pkeyopt rsa_padding_mode:pkcs1 | xxd -p -c 32)
jq -r .encryptedData answer.json | base64 -d > data.bin
ANSWER_IV=$(head -c 16 data.bin | xxd -p -c 32)
echo "decrypted answer:"
tail -c +17 data.bin | openssl enc -d -aes-128-cbc -K "$ANSWER_KEY" -iv "$ANSWER_IV"
echo
