//! Content-coding: `br` and `gzip` when the client asks (`Accept-Encoding`), for the documents, the
//! docs pages' assets and JSON answers.
//!
//! Static assets are compressed once, at their best, on first request ([`Asset`]); answers are
//! compressed as they leave ([`Compression`]), quickly, and only when large enough to gain. Both say
//! `Vary: Accept-Encoding`. Pure-Rust codecs (`brotli`, `flate2`): no C toolchain for static builds.

use std::{io::Write, sync::OnceLock};

use bytes::Bytes;
use poem::{
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    Body, Endpoint, IntoResponse, Middleware, Request, Response, Result,
};

/// A content coding the sandbox can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    /// Compresses at `level`: brotli quality 0–11, gzip level 0–9.
    pub fn compress(self, bytes: &[u8], level: u32) -> Vec<u8> {
        match self {
            Coding::Brotli => {
                let mut out = Vec::with_capacity(bytes.len() / 4);
                let params = brotli::enc::BrotliEncoderParams {
                    quality: level.min(11) as i32,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
                    .expect("compressing into memory cannot fail");
                out
            }
            Coding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(bytes.len() / 4),
                    flate2::Compression::new(level.min(9)),
                );
                encoder
                    .write_all(bytes)
                    .and_then(|()| encoder.finish())
                    .expect("compressing into memory cannot fail")
            }
        }
    }
}

/// The coding to answer in: `br` over `gzip` at equal weight, neither when both are refused (`q=0`)
/// or not asked for.
pub fn negotiate(headers: &HeaderMap) -> Option<Coding> {
    let mut best: Option<(Coding, u32)> = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        for item in value.to_str().unwrap_or_default().split(',') {
            let mut parts = item.split(';').map(str::trim);
            let coding = match parts
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str()
            {
                "br" => Coding::Brotli,
                "gzip" | "x-gzip" => Coding::Gzip,
                _ => continue,
            };
            let weight = parts
                .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                .and_then(|q| q.parse::<f32>().ok())
                .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
            let better = match best {
                None => true,
                Some((current, w)) => {
                    weight > w
                        || (weight == w && coding == Coding::Brotli && current == Coding::Gzip)
                }
            };
            if weight > 0 && better {
                best = Some((coding, weight));
            }
        }
    }
    best.map(|(coding, _)| coding)
}

/// A document or asset served as is, with its `br` and `gzip` forms made once, when first asked for.
pub struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    plain: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl Asset {
    pub fn new(content_type: &'static str, cache_control: &'static str, plain: Bytes) -> Self {
        Self {
            content_type,
            cache_control,
            plain,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    #[cfg(test)]
    pub fn plain(&self) -> &Bytes {
        &self.plain
    }

    /// The asset in the coding the request asks for.
    pub fn respond(&self, request: &Request) -> Response {
        let coding = negotiate(request.headers());
        let body = match coding {
            // Quality 9 rather than 11: a tenth of the time for a few percent more bytes.
            Some(Coding::Brotli) => self
                .brotli
                .get_or_init(|| Coding::Brotli.compress(&self.plain, 9).into()),
            Some(Coding::Gzip) => self
                .gzip
                .get_or_init(|| Coding::Gzip.compress(&self.plain, 9).into()),
            None => &self.plain,
        };
        let mut builder = Response::builder()
            .content_type(self.content_type)
            .header(header::CACHE_CONTROL, self.cache_control)
            .header(header::VARY, "Accept-Encoding");
        if let Some(coding) = coding {
            builder = builder.header(header::CONTENT_ENCODING, coding.token());
        }
        builder.body(body.clone())
    }
}

/// Answers smaller than this go uncompressed: the coding's overhead would eat the gain.
const MIN_COMPRESSED: usize = 1024;

/// Compresses answers on their way out when the client asks and they are worth it.
pub struct Compression;

impl<E: Endpoint> Middleware<E> for Compression {
    type Output = CompressionEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        CompressionEndpoint { inner }
    }
}

pub struct CompressionEndpoint<E> {
    inner: E,
}

fn compressible(response: &Response) -> bool {
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    ["json", "yaml", "text/", "javascript", "html", "xml"]
        .iter()
        .any(|kind| content_type.contains(kind))
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && !matches!(
            response.status(),
            StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
        )
}

impl<E: Endpoint> Endpoint for CompressionEndpoint<E> {
    type Output = Response;

    async fn call(&self, request: Request) -> Result<Response> {
        let coding = negotiate(request.headers());
        let head = request.method() == Method::HEAD;
        let mut response = self.inner.call(request).await?.into_response();
        if !compressible(&response) {
            return Ok(response);
        }
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        let Some(coding) = coding.filter(|_| !head) else {
            return Ok(response);
        };
        let (mut parts, body) = response.into_parts();
        let bytes = body.into_bytes().await.unwrap_or_default();
        if bytes.len() < MIN_COMPRESSED {
            return Ok(Response::from_parts(parts, Body::from(bytes)));
        }
        // Fast levels: answers are small and compressed on every request.
        let level = match coding {
            Coding::Brotli => 4,
            Coding::Gzip => 5,
        };
        let compressed = coding.compress(&bytes, level);
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static(coding.token()),
        );
        Ok(Response::from_parts(parts, Body::from(compressed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<Coding> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
        negotiate(&headers)
    }

    #[test]
    fn brotli_is_preferred_weights_are_honoured_and_refusals_respected() {
        assert_eq!(accept("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(accept("gzip;q=1.0, br;q=0.5"), Some(Coding::Gzip));
        assert_eq!(accept("br;q=0, gzip"), Some(Coding::Gzip));
        assert_eq!(accept("identity, deflate"), None);
        assert_eq!(accept("gzip;q=0"), None);
    }

    #[test]
    fn both_codings_round_trip() {
        let text = "sandbank ".repeat(500);
        let gz = Coding::Gzip.compress(text.as_bytes(), 6);
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, text);
        let br = Coding::Brotli.compress(text.as_bytes(), 5);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, text.as_bytes());
    }
}
