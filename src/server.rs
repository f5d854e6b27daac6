//! The HTTP server around the application, with every connection and stream bounded: the request
//! head must arrive within `header_timeout` of the connection waiting for it (slowloris; hyper counts
//! an HTTP/1 keep-alive connection's wait for its next request too), a connection with no request in
//! flight is closed after `idle_timeout` (HTTP/2, and HTTP/1 if that is shorter), at most `max_connections` are
//! served at once, and an HTTP/2 connection opens at most `h2_max_streams` streams and may reset only
//! a few before it is closed. (The body deadline is the gateway's: it answers 408.)
//!
//! poem's `Server` has none of these knobs, so the poem endpoint is served through hyper-util's
//! HTTP/1 + HTTP/2 connection builder directly, with the same graceful shutdown: on the signal the
//! listener stops, every connection finishes what it is answering, and serving ends within
//! `shutdown_grace`.
//!
//! At `max_connections` the acceptor never waits: it closes the connection that has been idle longest
//! to make room (an idle keep-alive connection is cheap to reopen), and when every connection is busy
//! it answers the newcomer `503` with the gateway envelope and closes it.

use std::{
    collections::VecDeque,
    convert::Infallible,
    future::Future,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex, Weak,
    },
    time::{Duration, Instant},
};

use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
};
use poem::{
    endpoint::BoxEndpoint,
    web::{LocalAddr, RemoteAddr},
    Addr, Endpoint,
};
use tokio::{io::AsyncWriteExt, net::TcpStream, sync::Notify};
use tokio_util::sync::CancellationToken;

/// The body type poem's responses convert into.
type HyperBody = http_body_util::combinators::BoxBody<bytes::Bytes, std::io::Error>;

/// The connection and stream bounds (`--max-connections`, `--header-timeout-ms`, ...).
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// How many connections are held open at once; past it the longest-idle one is closed.
    pub max_connections: usize,
    /// The whole request head must arrive within this of the connection waiting for it (HTTP/1).
    pub header_timeout: Duration,
    /// A connection with no request in flight for this long is closed.
    pub idle_timeout: Duration,
    /// Streams one HTTP/2 connection may have open at once.
    pub h2_max_streams: u32,
    /// Streams an HTTP/2 client may reset before the server answers them, and streams the server
    /// may reset for a client's errors, before the connection is closed (rapid-reset floods).
    pub h2_max_resets: usize,
    /// How long in-flight requests get to finish after the shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            h2_max_streams: 100,
            h2_max_resets: 32,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Sockets allowed past the bound while connections asked to make room are still closing.
const ROOM_BEING_MADE: usize = 256;

/// One served connection, as the acceptor and its own task see it.
struct Slot {
    /// Whether it counts against the bound (until it is asked to make room).
    counted: std::sync::atomic::AtomicBool,
    /// Requests being answered on it.
    in_flight: AtomicUsize,
    /// Whether a request ever arrived on it.
    used: std::sync::atomic::AtomicBool,
    /// When it last finished a request (or opened), in milliseconds since the server started.
    idle_since_ms: AtomicU64,
    /// Asks the connection to close once it has answered what it is answering.
    close: Notify,
}

impl Slot {
    fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0
    }
}

/// Every open connection: the count the bound is checked against, and the oldest first, to find
/// an idle one to close.
struct Connections {
    started: Instant,
    /// Connection tasks still running (closing ones included).
    open: AtomicUsize,
    /// Connections counted against the bound: open ones not yet asked to make room.
    served: AtomicUsize,
    order: Mutex<VecDeque<Weak<Slot>>>,
    limits: ServerLimits,
}

impl Connections {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Registers a new connection, making room first if the bound is reached; `None` when every
    /// connection is busy.
    fn admit(&self) -> Option<Arc<Slot>> {
        let max = self.limits.max_connections;
        // Closing connections still hold a socket: past the bound by more than a few of them,
        // nobody is let in until they are gone.
        if self.open.load(Ordering::Acquire) >= max + ROOM_BEING_MADE
            || (self.served.load(Ordering::Acquire) >= max && !self.close_an_idle_one())
        {
            return None;
        }
        self.open.fetch_add(1, Ordering::AcqRel);
        self.served.fetch_add(1, Ordering::AcqRel);
        let slot = Arc::new(Slot {
            counted: std::sync::atomic::AtomicBool::new(true),
            in_flight: AtomicUsize::new(0),
            used: std::sync::atomic::AtomicBool::new(false),
            idle_since_ms: AtomicU64::new(self.now_ms()),
            close: Notify::new(),
        });
        let mut order = self.order.lock().unwrap_or_else(|e| e.into_inner());
        order.push_back(Arc::downgrade(&slot));
        // Closed connections leave dead entries behind: drop them once they are half the queue.
        if order.len() > 2 * self.served.load(Ordering::Acquire) + 64 {
            order.retain(|w| w.strong_count() > 0);
        }
        Some(slot)
    }

    /// Asks the longest-open idle connection to close. Busy ones go to the back of the queue, so
    /// this looks at each connection at most once.
    fn close_an_idle_one(&self) -> bool {
        let mut order = self.order.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..order.len() {
            let Some(weak) = order.pop_front() else {
                break;
            };
            let Some(slot) = weak.upgrade() else {
                continue;
            };
            if !slot.counted.load(Ordering::Acquire) {
                continue; // already closing
            }
            if slot.is_idle() {
                self.release(&slot);
                slot.close.notify_one();
                return true;
            }
            order.push_back(weak);
        }
        false
    }

    /// Stops counting a connection against the bound (once): it is closing, or closed.
    fn release(&self, slot: &Slot) {
        if slot.counted.swap(false, Ordering::AcqRel) {
            self.served.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// Serves `endpoint` on `listener` until `shutdown` resolves, then drains.
pub async fn run(
    listener: tokio::net::TcpListener,
    endpoint: BoxEndpoint<'static>,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let endpoint: Arc<BoxEndpoint<'static>> = Arc::new(endpoint);
    let connections = Arc::new(Connections {
        started: Instant::now(),
        open: AtomicUsize::new(0),
        served: AtomicUsize::new(0),
        order: Mutex::new(VecDeque::new()),
        limits: limits.clone(),
    });
    let stopping = CancellationToken::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or a connection reset before it was accepted: keep
                    // accepting after a breath rather than stop serving.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let Some(slot) = connections.admit() else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let connection = Connection {
            endpoint: endpoint.clone(),
            connections: connections.clone(),
            slot,
            stopping: stopping.clone(),
            local,
            peer,
        };
        tokio::spawn(connection.serve(stream));
    }
    drop(listener);
    stopping.cancel();
    let deadline = Instant::now() + limits.shutdown_grace;
    while connections.open.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// The answer past the bound when no connection can be closed to make room.
async fn turn_away(mut stream: TcpStream) {
    const BODY: &str = r#"{"success":false,"response":503,"errormessage":"The server is at its maximum number of connections (--max-connections): retry shortly"}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

struct Connection {
    endpoint: Arc<BoxEndpoint<'static>>,
    connections: Arc<Connections>,
    slot: Arc<Slot>,
    stopping: CancellationToken,
    local: SocketAddr,
    peer: SocketAddr,
}

impl Connection {
    async fn serve(self, stream: TcpStream) {
        let limits = &self.connections.limits;
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(64 * 1024);
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_concurrent_streams(limits.h2_max_streams)
            .max_pending_accept_reset_streams(limits.h2_max_resets)
            .max_local_error_reset_streams(limits.h2_max_resets)
            .max_header_list_size(64 * 1024);
        let service = self.service();
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
        tokio::pin!(conn);
        let mut closing = false;
        loop {
            // A connection that never sent a request gets the header deadline: hyper starts its own
            // only once the first bytes have told HTTP/1 from HTTP/2.
            let idle_limit = if self.slot.used.load(Ordering::Acquire) {
                limits.idle_timeout
            } else {
                limits.header_timeout.min(limits.idle_timeout)
            };
            let idle_left = idle_limit.saturating_sub(self.idle_for());
            tokio::select! {
                _ = conn.as_mut() => break,
                () = self.slot.close.notified(), if !closing => {
                    // Asked to make room: nothing is being answered (or it would not have been
                    // picked), so the socket closes now — a half-sent head is not waited for.
                    if self.slot.is_idle() {
                        break;
                    }
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
                () = self.stopping.cancelled(), if !closing => {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
                () = tokio::time::sleep(idle_left.max(Duration::from_millis(10))), if !closing => {
                    if self.slot.is_idle() && self.idle_for() >= idle_limit {
                        break;
                    }
                }
            }
        }
        self.connections.release(&self.slot);
        self.connections.open.fetch_sub(1, Ordering::AcqRel);
    }

    /// How long the connection has had no request in flight (zero while it has one).
    fn idle_for(&self) -> Duration {
        if !self.slot.is_idle() {
            return Duration::ZERO;
        }
        let since = self.slot.idle_since_ms.load(Ordering::Acquire);
        Duration::from_millis(self.connections.now_ms().saturating_sub(since))
    }

    /// The poem endpoint as a hyper service, counting the requests in flight on this connection.
    fn service(
        &self,
    ) -> impl hyper::service::Service<
        hyper::Request<Incoming>,
        Response = hyper::Response<HyperBody>,
        Error = Infallible,
        Future: Send + 'static,
    > + Clone
           + Send
           + 'static {
        let endpoint = self.endpoint.clone();
        let slot = self.slot.clone();
        let connections = self.connections.clone();
        let (local, peer) = (
            LocalAddr(Addr::SocketAddr(self.local)),
            RemoteAddr(Addr::SocketAddr(self.peer)),
        );
        hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let (endpoint, slot, connections) =
                (endpoint.clone(), slot.clone(), connections.clone());
            let request: poem::Request = (
                request,
                local.clone(),
                peer.clone(),
                poem::http::uri::Scheme::HTTP,
            )
                .into();
            slot.in_flight.fetch_add(1, Ordering::AcqRel);
            slot.used.store(true, Ordering::Release);
            async move {
                let response = endpoint.get_response(request).await;
                slot.idle_since_ms
                    .store(connections.now_ms(), Ordering::Release);
                slot.in_flight.fetch_sub(1, Ordering::AcqRel);
                Ok::<_, Infallible>(response.into())
            }
        })
    }
}
