//! `sandbank healthcheck` and `sandbank wait`: the client side of `GET /healthz`, for the container
//! image's HEALTHCHECK (no curl on an empty image) and for partners' CI scripts.

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use crate::config::{HealthcheckArgs, WaitArgs};

/// One `GET` of `url` within `timeout`: `Ok` on a 200, else why not.
async fn probe(client: &reqwest::Client, url: &str, timeout: Duration) -> Result<(), String> {
    let response = client
        .get(url)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| error_chain(&e))?;
    match response.status().as_u16() {
        200 => Ok(()),
        status => Err(format!("answered HTTP {status}")),
    }
}

/// reqwest's error with its causes ("error sending request: … : Connection refused").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn client() -> Result<reqwest::Client, String> {
    let tls = crate::sandbox::bank::callbacks::tls::callback_client_config(None)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .hickory_dns(true)
        .build()
        .map_err(|e| e.to_string())
}

/// The URL `healthcheck` asks: the serve address, with a wildcard interface asked on loopback.
pub fn healthcheck_url(host: &str, port: u16) -> String {
    let host = match host {
        "0.0.0.0" | "" => "127.0.0.1",
        "::" | "[::]" => "[::1]",
        h if h.contains(':') && !h.starts_with('[') => {
            return format!("http://[{h}]:{port}/healthz")
        }
        h => h,
    };
    format!("http://{host}:{port}/healthz")
}

/// The URL `wait` polls: `base` (`http://` assumed when it names no scheme) with `/healthz` appended
/// unless it already ends with it.
pub fn wait_url(base: &str) -> Result<reqwest::Url, String> {
    let base = base.trim_end_matches('/');
    let base = if base.contains("://") {
        base.to_string()
    } else {
        format!("http://{base}")
    };
    let url = if base.ends_with("/healthz") {
        base
    } else {
        format!("{base}/healthz")
    };
    let url = reqwest::Url::parse(&url).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("scheme {other}: only http and https")),
    }
}

/// `sandbank healthcheck`: asks a running server's `GET /healthz` once; success when it answers healthy.
pub async fn healthcheck(args: &HealthcheckArgs) -> ExitCode {
    let url = healthcheck_url(&args.host, args.port);
    let result = match client() {
        Ok(client) => probe(&client, &url, args.timeout).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sandbank healthcheck: {url}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `sandbank wait`: polls a server's `GET /healthz` until it answers healthy or the time runs out.
pub async fn wait(args: &WaitArgs) -> ExitCode {
    let url = match wait_url(&args.url) {
        Ok(url) => url.to_string(),
        Err(e) => {
            eprintln!("sandbank wait: --url {}: {e}", args.url);
            return ExitCode::from(2);
        }
    };
    let client = match client() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("sandbank wait: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let deadline = started + args.timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        // Each attempt gets at most 2 s, so one stuck connection cannot eat the whole budget.
        let last = probe(&client, &url, left.min(Duration::from_secs(2))).await;
        match last {
            Ok(()) => {
                println!(
                    "{url} is ready (after {} ms)",
                    started.elapsed().as_millis()
                );
                return ExitCode::SUCCESS;
            }
            Err(e) if Instant::now() + args.interval >= deadline => {
                eprintln!(
                    "sandbank wait: {url} not ready after {}: {e}",
                    humantime::format_duration(args.timeout)
                );
                return ExitCode::FAILURE;
            }
            Err(_) => tokio::time::sleep(args.interval).await,
        }
    }
}
