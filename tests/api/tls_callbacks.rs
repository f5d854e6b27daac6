//! Callbacks to `https://` receivers: a partner's receiver whose certificate comes from its own CA is
//! reached once that CA is given with `--callback-ca`, and only then; the attempt is logged at
//! `GET /sandbox/callbacks`.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::PrivatePkcs8KeyDer;
use sandbank::{
    sandbox::{bank::callbacks::RetryPolicy, gateway::DemoApp},
    SandboxSettings,
};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{binary::Server, helpers::spawn_app_with};

/// A partner's HTTPS callback endpoint on loopback, its certificate (for `localhost`) issued by a CA
/// of its own: records every JSON body and answers 200 `{"status":"ACCEPT"}`.
struct TlsReceiver {
    url: String,
    ca_pem: String,
    bodies: Arc<Mutex<Vec<Value>>>,
}

fn tls_receiver() -> TlsReceiver {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Acme Corp test receivers CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![leaf.der().clone()],
        PrivatePkcs8KeyDer::from(leaf_key.serialize_der()).into(),
    )
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    // Its own runtime on its own thread, so that it serves whichever runtime the test uses.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, seen) = (acceptor.clone(), seen.clone());
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(tcp).await {
                        if let Some(body) = read_http_body(&mut tls).await {
                            seen.lock().unwrap().push(body);
                            let reply = r#"{"status":"ACCEPT"}"#;
                            let _ = tls
                                .write_all(
                                    format!(
                                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                                         Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                                        reply.len()
                                    )
                                    .as_bytes(),
                                )
                                .await;
                            let _ = tls.shutdown().await;
                        }
                    }
                });
            }
        });
    });
    TlsReceiver {
        url: format!("https://localhost:{port}/bank/callbacks"),
        ca_pem: ca.pem(),
        bodies,
    }
}

/// Reads one HTTP/1.1 request with a `Content-Length` body and parses the body as JSON.
async fn read_http_body(stream: &mut (impl AsyncReadExt + Unpin)) -> Option<Value> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                return serde_json::from_str(&body[..length]).ok();
            }
        }
    }
}

fn demo_credit() -> String {
    json!({
        "virtualAccountNumber": "SBNK01CUST0001",
        "amount": "1000.00",
        "mode": "NEFT",
        "remitterName": "Asha Traders",
        "remitterAccount": "50100012345678",
        "remitterIfsc": "HDFC0000001",
        "remarks": "Invoice 42"
    })
    .to_string()
}

#[test]
fn an_https_callback_to_a_receiver_with_its_own_ca_is_delivered_and_logged() {
    let receiver = tls_receiver();
    let ca_file =
        std::env::temp_dir().join(format!("sandbank-callback-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, &receiver.ca_pem).unwrap();
    let server = Server::start(&[
        "--callback-ca",
        ca_file.to_str().unwrap(),
        "--callback-url",
        &receiver.url,
    ]);

    let (status, credited) = server.request(
        "POST",
        "/api/v1/ecollection/simulate-credit",
        &demo_credit(),
    );
    let utr = serde_json::from_str::<Value>(&credited).unwrap()["utr"]
        .as_str()
        .expect("a UTR")
        .to_string();
    let mut logged = Value::Null;
    for _ in 0..200 {
        let (_, body) = server.request("GET", "/sandbox/callbacks", "");
        logged = serde_json::from_str(&body).unwrap();
        if logged[0]["status"].is_number() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }

    assert_eq!(status, 200, "{credited}");
    assert_eq!(logged[0]["kind"], "ecollection-mis", "{logged}");
    assert_eq!(logged[0]["reference"], utr.as_str());
    assert_eq!(logged[0]["url"], receiver.url.as_str());
    assert_eq!(logged[0]["status"], 200, "{logged}");
    assert_eq!(logged[0]["responseBody"], r#"{"status":"ACCEPT"}"#);
    let bodies = receiver.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    assert_eq!(bodies[0]["UTR"], utr.as_str());
    std::fs::remove_file(ca_file).unwrap();
}

#[tokio::test]
async fn without_the_partners_ca_the_receiver_is_not_trusted() {
    let receiver = tls_receiver();
    let app = spawn_app_with(SandboxSettings {
        demo: DemoApp {
            callback_url: Some(receiver.url.clone()),
            ..DemoApp::default()
        },
        callback_policy: RetryPolicy {
            max_attempts: 1,
            first_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(2),
        },
        ..SandboxSettings::default()
    });

    let credited = app
        .post(
            "/api/v1/ecollection/simulate-credit",
            serde_json::from_str(&demo_credit()).unwrap(),
        )
        .await;
    let mut logged = Value::Null;
    for _ in 0..200 {
        logged = app.get("/sandbox/callbacks").await.json;
        if logged[0].is_object() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    assert_eq!(credited.status, 200, "{:?}", credited.json);
    assert_eq!(logged[0]["url"], receiver.url.as_str(), "{logged}");
    assert!(logged[0].get("status").is_none(), "no answer: {logged}");
    assert!(logged[0]["error"].is_string(), "{logged}");
    assert!(
        receiver.bodies.lock().unwrap().is_empty(),
        "nothing crossed an untrusted connection"
    );
}

#[test]
fn a_callback_ca_that_is_no_certificate_stops_the_server() {
    let not_a_ca =
        std::env::temp_dir().join(format!("sandbank-not-a-ca-{}.pem", std::process::id()));
    std::fs::write(&not_a_ca, "hello").unwrap();

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["--port", "0", "--callback-ca"])
        .arg(&not_a_ca)
        .output()
        .unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the server must not start");
    assert!(output.stdout.is_empty(), "no listening line");
    assert!(stderr.contains("--callback-ca"), "{stderr}");
    std::fs::remove_file(not_a_ca).unwrap();
}
