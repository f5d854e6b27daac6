//! A partner's endpoint (a callback receiver) served on a free loopback port, for the sandbox to call.

use poem::{listener::TcpAcceptor, IntoEndpoint, Server};

/// Serves `endpoint` on a free loopback port for the rest of the test; its base URL,
/// `http://127.0.0.1:<port>`. Call it inside the test's runtime.
pub fn serve_on_loopback<E>(endpoint: E) -> String
where
    E: IntoEndpoint,
    E::Endpoint: 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let acceptor = TcpAcceptor::from_std(listener).unwrap();
    let endpoint = endpoint.into_endpoint();
    tokio::spawn(Server::new_with_acceptor(acceptor).run(endpoint));
    format!("http://{address}")
}
