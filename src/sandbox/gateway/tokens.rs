//! OAuth2 client credentials (RFC 6749 §4.4): the JWTs `POST /oauth2/token` issues and the gateway
//! verifies on `Authorization: Bearer`.
//!
//! Signed HS256 with a server secret by default (`--jwt-secret`, else random per start), RS256 when a
//! private key is configured (`--jwt-key`). Verification pins the one algorithm in use, so `alg: none`
//! and the HS256-with-the-RS256-public-key confusion are refused, and checks `iss`, `aud`, `exp` and
//! `nbf` with a few seconds of leeway. Tokens live by wall-clock time: freezing an app's sandbox clock
//! does not keep its tokens alive.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::{pkcs8::EncodePublicKey, RsaPrivateKey};
use serde::{Deserialize, Serialize};

use crate::sandbox::gateway::{apps::App, keys::parse_private_key, scopes::ScopeSet};

/// Token lifetime.
pub const TOKEN_TTL_SECS: i64 = 3600;

/// The `aud` every token carries and every verification demands.
pub const AUDIENCE: &str = "sandbank-api";

/// The default `iss`.
pub const DEFAULT_ISSUER: &str = "sandbank";

/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 5;

/// How tokens are signed; from the command line.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// HS256 secret; `None` and no RSA key: a random secret per start.
    pub secret: Option<String>,
    /// An RSA private key (PKCS#8 or PKCS#1 PEM): sign RS256 instead.
    pub rsa_private_pem: Option<String>,
    /// The `iss` tokens carry and are checked for.
    pub issuer: String,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            secret: None,
            rsa_private_pem: None,
            issuer: DEFAULT_ISSUER.into(),
        }
    }
}

/// A token's claims.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The issuer.
    pub iss: String,
    /// The app's client_id.
    pub sub: String,
    /// The audience: the sandbox's API.
    pub aud: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Not valid before (unix seconds).
    pub nbf: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
    /// Space-separated family scopes.
    pub scope: String,
}

/// Issues and verifies the sandbox's tokens.
pub struct Tokens {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    /// The RS256 verification key, PEM, when signing with RSA.
    public_pem: Option<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// The token machinery for these settings: RS256 with the RSA key when given, else HS256.
    pub fn new(settings: &TokenSettings) -> Result<Self, String> {
        let issuer = settings.issuer.clone();
        if let Some(pem) = &settings.rsa_private_pem {
            let key: RsaPrivateKey =
                parse_private_key(pem).map_err(|e| format!("--jwt-key: {e}"))?;
            let public_pem = key
                .to_public_key()
                .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(|e| format!("--jwt-key: {e}"))?;
            return Ok(Self {
                algorithm: Algorithm::RS256,
                encoding: EncodingKey::from_rsa_pem(pem.as_bytes())
                    .map_err(|e| format!("--jwt-key: {e}"))?,
                decoding: DecodingKey::from_rsa_pem(public_pem.as_bytes())
                    .map_err(|e| format!("--jwt-key: {e}"))?,
                issuer,
                public_pem: Some(public_pem),
            });
        }
        let secret = match &settings.secret {
            Some(secret) if secret.len() < 16 => {
                return Err("--jwt-secret must be at least 16 characters".into())
            }
            Some(secret) => secret.as_bytes().to_vec(),
            None => {
                let mut secret = vec![0u8; 32];
                rand::fill(&mut secret[..]);
                secret
            }
        };
        Ok(Self {
            algorithm: Algorithm::HS256,
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            issuer,
            public_pem: None,
        })
    }

    /// The signing algorithm (HS256 or RS256).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The RS256 public key, PEM, when tokens are signed with RSA.
    pub fn public_pem(&self) -> Option<&str> {
        self.public_pem.as_deref()
    }

    /// A token for `app` with `scopes`, valid for [`TOKEN_TTL_SECS`] from now.
    pub fn issue(&self, app: &App, scopes: ScopeSet) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: app.credentials.client_id.clone(),
            aud: AUDIENCE.into(),
            iat: now,
            nbf: now,
            exp: now + TOKEN_TTL_SECS,
            scope: scopes.to_oauth_string(),
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|e| e.to_string())
    }

    /// Verifies a bearer token: signature with the pinned algorithm, `iss`, `aud`, `exp`, `nbf`. The
    /// error is the reason, for the 401 message.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let mut validation = Validation::new(self.algorithm);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| reason(&e))
    }
}

fn reason(error: &jsonwebtoken::errors::Error) -> String {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::ExpiredSignature => "the token has expired".into(),
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
        ErrorKind::InvalidSignature => "the token's signature is invalid".into(),
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
            "the token's algorithm is not the one the sandbox signs with".into()
        }
        ErrorKind::InvalidIssuer => "the token's issuer (iss) is not this sandbox".into(),
        ErrorKind::InvalidAudience => "the token's audience (aud) is not this API".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the token lacks the `{claim}` claim"),
        _ => "the token is malformed".into(),
    }
}
