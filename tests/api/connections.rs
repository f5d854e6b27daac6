//! Connections and streams are bounded, on the real server and a loopback port: a slow request head
//! is cut at the header deadline, a body that never ends is answered 408, an idle keep-alive
//! connection is closed, the longest-idle connection makes room at the connection bound (and a
//! newcomer is answered 503 when every connection is busy), and HTTP/2 advertises its stream bound.
//! A well-behaved request is answered throughout.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use sandbank::{Sandbox, SandboxSettings, ServerLimits};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
    time::{timeout, Instant},
};

struct Server {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

fn limits() -> ServerLimits {
    ServerLimits {
        max_connections: 64,
        header_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(30),
        h2_max_streams: 8,
        ..ServerLimits::default()
    }
}

fn serve(limits: ServerLimits, settings: SandboxSettings) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sandbox = Arc::new(Sandbox::new(&settings).unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(sandbank::serve_with(listener, sandbox, limits, async {
        let _ = stopped.await;
    }));
    Server { addr, _stop: stop }
}

/// A well-behaved `GET /healthz` on a new connection: its status line.
async fn healthz(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: sandbank\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_end(&mut stream, Duration::from_secs(5)).await;
    answer.lines().next().unwrap_or_default().to_string()
}

/// Everything the server sends until it closes the connection (or `limit` passes).
async fn read_to_end(stream: &mut TcpStream, limit: Duration) -> String {
    let mut bytes = Vec::new();
    let _ = timeout(limit, stream.read_to_end(&mut bytes)).await;
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Whether the server closed the connection within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + limit;
    loop {
        match timeout(
            deadline.saturating_duration_since(Instant::now()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_head_sent_a_byte_at_a_time_is_cut_at_the_header_deadline() {
    let server = serve(
        ServerLimits {
            header_timeout: Duration::from_millis(400),
            ..limits()
        },
        SandboxSettings::default(),
    );
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        let started = Instant::now();
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if slow.write_all(b"x-pad: 1\r\n").await.is_err() {
                break;
            }
        }
        (
            closed_within(&mut slow, Duration::from_secs(2)).await,
            started.elapsed(),
        )
    });

    let served = healthz(server.addr).await;
    let (closed, after) = trickle.await.unwrap();

    assert_eq!(
        served, "HTTP/1.1 200 OK",
        "a well-behaved client is answered"
    );
    assert!(
        closed && after < Duration::from_secs(3),
        "cut after {after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_ends_is_answered_408() {
    let mut settings = SandboxSettings::default();
    settings.gateway.body_timeout = Duration::from_millis(500);
    let server = serve(limits(), settings);
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/v0/panValidation HTTP/1.1\r\nhost: x\r\napikey: sandbank-demo-key\r\n\
              content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n",
        )
        .await
        .unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if writer.write_all(b"1\r\n \r\n").await.is_err() {
                break;
            }
        }
    });

    let mut answer = vec![0u8; 4096];
    let n = timeout(Duration::from_secs(3), reader.read(&mut answer))
        .await
        .expect("answered before the trickle ends")
        .unwrap();
    trickle.abort();

    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""response":408"#), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed() {
    let server = serve(
        ServerLimits {
            idle_timeout: Duration::from_millis(300),
            ..limits()
        },
        SandboxSettings::default(),
    );
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 512];
    let n = stream.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));

    assert!(closed_within(&mut stream, Duration::from_secs(2)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_bound_the_longest_idle_connection_makes_room() {
    let server = serve(
        ServerLimits {
            max_connections: 3,
            ..limits()
        },
        SandboxSettings::default(),
    );
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    let served = healthz(server.addr).await;

    assert_eq!(served, "HTTP/1.1 200 OK");
    assert!(
        closed_within(&mut idle[0], Duration::from_secs(1)).await,
        "the oldest idle connection was closed to make room"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_connection_is_busy_a_newcomer_is_answered_503_at_once() {
    let server = serve(
        ServerLimits {
            max_connections: 2,
            ..limits()
        },
        SandboxSettings::default(),
    );
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-sandbox-scenario: slow:3000\r\n\r\n")
            .await
            .unwrap();
        busy.push(stream);
    }
    // Time for the acceptor to take both (a loaded CI machine needed more than 200 ms), well inside
    // the busy requests' 3 s.
    tokio::time::sleep(Duration::from_millis(600)).await;

    let started = Instant::now();
    let turned_away = healthz(server.addr).await;

    assert_eq!(turned_away, "HTTP/1.1 503 Service Unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the acceptor never waits"
    );
    let mut finished = String::new();
    let mut buf = [0u8; 1024];
    if let Ok(Ok(n)) = timeout(Duration::from_secs(5), busy[0].read(&mut buf)).await {
        finished.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        finished.starts_with("HTTP/1.1 200"),
        "busy requests finish: {finished}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_advertises_its_stream_bound_and_answers() {
    let server = serve(limits(), SandboxSettings::default());
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    let mut connection = Box::pin(connection);
    let request = poem::http::Request::get(format!("http://{}/healthz", server.addr))
        .body(())
        .unwrap();

    let mut client = client.ready().await.unwrap();
    let (response, _) = client.send_request(request, true).unwrap();
    let response = tokio::select! {
        response = response => response.unwrap(),
        _ = &mut connection => panic!("connection ended"),
    };

    assert_eq!(response.status(), 200);
    assert_eq!(connection.max_concurrent_send_streams(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_sends_a_request_is_closed_at_the_header_deadline() {
    let server = serve(
        ServerLimits {
            header_timeout: Duration::from_millis(300),
            ..limits()
        },
        SandboxSettings::default(),
    );
    let mut silent = TcpStream::connect(server.addr).await.unwrap();

    let closed = closed_within(&mut silent, Duration::from_secs(2)).await;

    assert!(
        closed,
        "an idle flood cannot hold connections for the idle timeout"
    );
    assert_eq!(healthz(server.addr).await, "HTTP/1.1 200 OK");
}
