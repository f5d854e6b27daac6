//! `sandbank healthcheck` and `sandbank wait` through the real binary: their exit status and messages
//! against a real server, a closed port and a server that answers something else than 200.

use std::{
    io::{Read, Write},
    net::TcpListener,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use crate::binary::Server;

fn sandbank(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(args)
        .env_remove("SANDBANK_HOST")
        .env_remove("SANDBANK_PORT")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Something on a loopback port that answers every request with `status_line`.
fn answering(status_line: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        // A connection each its own thread, its read bounded: one that never sends (a stray
        // connection on a loaded machine) cannot hold up the polls after it.
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status_line}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    port
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn healthcheck_passes_against_a_server_listening_on_every_interface() {
    let server = Server::start_with_env(&[], &[("SANDBANK_HOST", "0.0.0.0")]);
    let port = server.port.to_string();

    // As the image's HEALTHCHECK runs it: the server's own environment, no arguments.
    let output = sandbank(
        &["healthcheck"],
        &[("SANDBANK_HOST", "0.0.0.0"), ("SANDBANK_PORT", &port)],
    );

    assert!(
        server
            .first_line
            .starts_with("listening on http://0.0.0.0:"),
        "{}",
        server.first_line
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn healthcheck_fails_when_nothing_listens() {
    let port = closed_port().to_string();

    let output = sandbank(&["healthcheck", "--port", &port], &[]);

    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("http://127.0.0.1:{port}/healthz")),
        "{message}"
    );
    assert!(message.contains("refused"), "{message}");
}

#[test]
fn healthcheck_fails_when_the_server_is_not_healthy() {
    let port = answering("503 Service Unavailable").to_string();

    let output = sandbank(&["healthcheck"], &[("SANDBANK_PORT", &port)]);

    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("HTTP 503"), "{}", stderr(&output));
}

#[test]
fn wait_returns_once_a_server_that_starts_late_is_healthy() {
    let port = closed_port();
    let url = format!("http://localhost:{port}");
    let waiter = Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .args(["wait", "--url", &url, "--timeout", "20s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    std::thread::sleep(Duration::from_millis(300)); // the waiter is refused a few times first
    let _server = Server::start(&["--port", &port.to_string()]);
    let output = waiter.wait_with_output().unwrap();

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.starts_with(&format!("{url}/healthz is ready")),
        "{said}"
    );
}

#[test]
fn wait_gives_up_at_its_timeout_with_a_message() {
    let port = closed_port();
    let started = Instant::now();

    let output = sandbank(
        &[
            "wait",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
            "--timeout",
            "1s",
        ],
        &[],
    );

    let waited = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "http://127.0.0.1:{port}/healthz not ready after 1s"
        )),
        "{message}"
    );
    assert!(
        message.contains("refused"),
        "the last error is named: {message}"
    );
    assert!(
        waited >= Duration::from_millis(900),
        "gave up early: {waited:?}"
    );
}

#[test]
fn wait_keeps_polling_while_the_server_answers_other_than_200() {
    // Long enough that, on a loaded machine (3 s was not, with two builds beside it), some poll has
    // its answer before the deadline.
    let port = answering("503 Service Unavailable").to_string();

    let output = sandbank(
        &[
            "wait",
            "--url",
            &format!("127.0.0.1:{port}"),
            "--timeout",
            "8s",
        ],
        &[],
    );

    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("answered HTTP 503"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn wait_rejects_a_url_it_cannot_poll() {
    let output = sandbank(&["wait", "--url", "ftp://localhost:8080"], &[]);

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("only http and https"),
        "{}",
        stderr(&output)
    );
}
