//! The TLS the sandbox speaks as a client (callbacks to `https://` receivers): rustls on ring with the
//! web PKI roots compiled in, so a static binary on an empty image trusts what a browser trusts without
//! reading the host's certificate store, plus the partner's own CA (`--callback-ca`) for a receiver
//! with a self-signed certificate.

use std::sync::Arc;

use rustls::pki_types::{pem::PemObject, CertificateDer};

/// The client configuration for callbacks; `extra_ca_pem` adds the certificates of a PEM bundle to
/// the trusted roots.
pub fn callback_client_config(extra_ca_pem: Option<&str>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = extra_ca_pem {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("--callback-ca: not a PEM certificate bundle: {e}"))?;
        if certificates.is_empty() {
            return Err("--callback-ca: no CERTIFICATE block in the file".into());
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|e| format!("--callback-ca: unusable certificate: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Callbacks are single small POSTs: HTTP/1.1, which every receiver speaks.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
