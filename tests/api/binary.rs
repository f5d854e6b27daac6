//! The real binary on a real socket: start-up line, HTTP on the wire, restarts, fixtures, shutdown.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
};

/// The real binary, serving on a port it picked; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub port: u16,
    /// `listening on http://HOST:PORT`.
    pub first_line: String,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Server::start_with_env(args, &[])
    }

    /// Starts the binary with extra `SANDBANK_*` variables, and reads its port from the first line
    /// (a free one unless `args` names it).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let any_port: &[&str] = if args.contains(&"--port") {
            &[]
        } else {
            &["--port", "0"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(any_port)
            .args(args)
            .env("SANDBANK_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        let port = first_line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|address| address.rsplit_once(':'))
            .and_then(|(_, port)| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"));
        Server {
            child,
            port,
            first_line: first_line.trim().to_string(),
        }
    }

    /// One HTTP/1.1 request on a fresh connection with the demo key; returns (status, body).
    pub fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        self.request_as("sandbank-demo-key", method, path, body)
    }

    /// One HTTP/1.1 request on a fresh connection with `apikey`; returns (status, body).
    pub fn request_as(&self, apikey: &str, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\napikey: {apikey}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").expect("a complete HTTP answer");
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_string())
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

const SYNTHETIC_PAN: &str = r#"{"pan":"KLMPS4321Q"}"#;

#[test]
fn the_binary_serves_http_on_the_port_it_announces() {
    let server = Server::start(&[]);

    let (status, body) = server.request("GET", "/healthz", "");
    let (pan_status, pan_body) =
        server.request("POST", "/api/v0/panValidation", r#"{"pan":"ABCPE1234F"}"#);

    assert_eq!(
        server.first_line,
        format!("listening on http://127.0.0.1:{}", server.port),
        "loopback by default"
    );
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"status":"ok","store":"memory"}"#)
    );
    assert_eq!(pan_status, 200);
    assert!(pan_body.contains(r#""FirstName":"Rahul""#), "{pan_body}");
}

#[test]
fn a_restarted_server_answers_the_same_bytes() {
    let first = Server::start(&[]);
    let (status_before, before) = first.request("POST", "/api/v0/panValidation", SYNTHETIC_PAN);
    drop(first);

    let second = Server::start(&[]);
    let (status_after, after) = second.request("POST", "/api/v0/panValidation", SYNTHETIC_PAN);

    // Two identical refusals would be the same bytes too: both must be the holder's answer.
    assert_eq!(
        (status_before, status_after),
        (200, 200),
        "{before}\n{after}"
    );
    assert_eq!(before, after);
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let server = Server::start(&[]);
    assert_eq!(server.request("GET", "/healthz", "").0, 200);

    let status = server.terminate();

    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn spec_export_writes_both_documents() {
    let out = std::env::temp_dir().join(format!("sandbank-spec-{}", std::process::id()));

    let status = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["spec", "--out"])
        .arg(&out)
        .status()
        .unwrap();

    assert!(status.success());
    let json = std::fs::read_to_string(out.join("openapi.json")).unwrap();
    assert_eq!(json, include_str!("../../specs/openapi.json"));
    assert!(out.join("openapi.yaml").exists());
    std::fs::remove_dir_all(out).unwrap();
}

/// A copy of the embedded fixtures with one file replaced by `broken`.
fn fixtures_with(label: &str, file: &str, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sandbank-fixtures-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for entry in std::fs::read_dir(source).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_file() {
            continue; // keys/: not fixtures the loader reads
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().into_string().unwrap();
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

#[test]
fn a_broken_fixture_stops_the_server_naming_file_record_and_field() {
    let dir = fixtures_with("broken", "persons.json", |text| {
        text.replacen("\"9800000001\"", "\"12345\"", 1)
    });

    let output = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["--port", "0", "--fixtures"])
        .arg(&dir)
        .output()
        .unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the server must not start");
    assert!(output.stdout.is_empty(), "no listening line");
    assert!(stderr.contains("persons.json"), "{stderr}");
    assert!(stderr.contains("record 0 (pan ABCPE1234F)"), "{stderr}");
    assert!(stderr.contains("field `mobile`"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_fixtures_directory_replaces_the_embedded_set() {
    let dir = fixtures_with("renamed", "persons.json", |text| {
        text.replacen("\"Rahul\"", "\"Rahula\"", 1)
    });
    let server = Server::start(&["--fixtures", dir.to_str().unwrap()]);

    let (_, body) = server.request("POST", "/api/v0/panValidation", r#"{"pan":"ABCPE1234F"}"#);

    assert!(body.contains(r#""FirstName":"Rahula""#), "{body}");
    drop(server);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unusable_gateway_flags_stop_the_server_with_a_message() {
    let not_a_key = std::env::temp_dir().join(format!("sandbank-not-a-key-{}", std::process::id()));
    std::fs::write(&not_a_key, "hello").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--bank-key".into(), not_a_key.display().to_string()],
            "--bank-key",
        ),
        (
            vec!["--jwt-key".into(), "/nonexistent/key.pem".into()],
            "cannot read /nonexistent/key.pem",
        ),
        (vec!["--jwt-secret".into(), "short".into()], "--jwt-secret"),
        (
            vec!["--gateway-timeout-ms".into(), "600000".into()],
            "--gateway-timeout-ms",
        ),
    ];
    for (args, expected) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .args(["--port", "0"])
            .args(&args)
            .output()
            .unwrap();

        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} must not start");
        assert!(output.stdout.is_empty(), "{args:?}: no listening line");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    std::fs::remove_file(not_a_key).unwrap();
}

#[test]
fn the_binary_serves_tokens_and_the_bank_key() {
    let server = Server::start(&["--demo-client-secret", "ci-secret-0001"]);

    let (status, body) = server.request(
        "POST",
        "/oauth2/token",
        r#"{"grant_type":"client_credentials","client_id":"sandbank-demo","client_secret":"ci-secret-0001"}"#,
    );
    let (key_status, pem) = server.request("GET", "/sandbox/keys/bank.pem", "");

    assert_eq!(status, 200, "{body}");
    assert!(body.contains("access_token"), "{body}");
    assert_eq!(key_status, 200);
    assert!(pem.contains("-----BEGIN PUBLIC KEY-----"), "{pem}");
}

/// Regression: the start-up lines were `println!`ed, so a reader that went away (`sandbank | head -1`)
/// made the server panic on start-up instead of serving.
#[test]
fn the_server_keeps_serving_when_its_stdout_reader_goes_away() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["--port", &port.to_string()])
        .env("SANDBANK_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    drop(child.stdout.take());
    let server = Server {
        child,
        port,
        first_line: String::new(),
    };

    let mut answered = None;
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            answered = Some(server.request("GET", "/healthz", ""));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }

    assert_eq!(answered.map(|(status, _)| status), Some(200));
}
