//! The `sandbank` binary: parse the command line, build the app from the library, serve.

use std::{
    io::{IsTerminal, Write},
    process::ExitCode,
    sync::Arc,
};

use clap::Parser;
use sandbank::{
    config::{Cli, Command, LogFormat, ServeArgs},
    logging::{PlainFields, UtcMicros},
    Sandbox,
};

/// Answering a request allocates a lot of small, short-lived values (headers, JSON trees, strings);
/// mimalloc does that markedly cheaper than glibc's malloc (see bench/README.md).
/// Built without transparent huge pages (`no_thp`): with them an idle server holds ~16 MiB more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Spec { out }) => export_spec(&out),
        Some(Command::Serve(args)) => serve(*args).await,
        Some(Command::Healthcheck(args)) => sandbank::probe::healthcheck(&args).await,
        Some(Command::Wait(args)) => sandbank::probe::wait(&args).await,
        None => serve(cli.serve).await,
    }
}

fn export_spec(out: &std::path::Path) -> ExitCode {
    let result = sandbank::spec_documents()
        .map_err(|e| e.to_string())
        .and_then(|(json, yaml)| {
            std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
            std::fs::write(out.join("openapi.json"), json).map_err(|e| e.to_string())?;
            std::fs::write(out.join("openapi.yaml"), yaml).map_err(|e| e.to_string())
        });
    match result {
        Ok(()) => {
            println!("wrote {0}/openapi.json and {0}/openapi.yaml", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sandbank spec: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> ExitCode {
    // Flushes buffered log lines when serving ends.
    let _log_writer = init_tracing(args.log_format);
    let sandbox = match Sandbox::new(&args.sandbox_settings()) {
        Ok(sandbox) => {
            tracing::info!(
                store = sandbox.store.kind(),
                "the apps' state store is open"
            );
            Arc::new(sandbox)
        }
        Err(e) => {
            eprintln!("sandbank: {e}");
            return ExitCode::FAILURE;
        }
    };
    let shutdown = shutdown_signal();
    let listener = match std::net::TcpListener::bind((args.host.as_str(), args.port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "sandbank: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    // The first stdout line is a contract: scripts wait for it and read the port from it.
    // Written, not `println!`ed: a reader that goes away (`sandbank | head -1`) must not stop the server.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on http://{}:{port}", args.host)
        .and_then(|()| {
            writeln!(
                stdout,
                "demo app: apikey {} (client_id {}, client_secret {})",
                args.demo_apikey, args.demo_client_id, args.demo_client_secret
            )
        })
        .and_then(|()| writeln!(stdout, "docs: http://{}:{port}/docs", args.host))
        .and_then(|()| stdout.flush());
    drop(stdout);
    match sandbank::serve_with(listener, sandbox, args.server_limits(), shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sandbank: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One line per request on stderr. The lines are written by a background thread (`tracing-appender`),
/// so no request waits on the stderr lock or a `write` syscall; none is dropped (the queue applies
/// back-pressure instead). Colours only on a terminal, where the default field formatting is kept.
fn init_tracing(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SANDBANK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        // Buffered: the worker flushes whenever its queue drains, so a burst of lines is one `write`.
        .finish(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stderr(),
        ));
    let ansi = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_timer(UtcMicros)
        .with_writer(writer);
    match format {
        LogFormat::Text if ansi => builder.init(),
        LogFormat::Text => builder.fmt_fields(PlainFields).init(),
        LogFormat::Json => builder.json().init(),
    }
    guard
}

/// Ctrl-C or SIGTERM. The handlers are installed before this returns (so a SIGTERM right after the
/// `listening on` line is caught, not fatal); the future resolves on the first signal.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let terminate = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            () = terminate => {},
        }
    }
}
