//! The log line's formatting, cheaper than `tracing-subscriber`'s defaults and byte-for-byte the same
//! (plain text, no ANSI): the default timestamp and field formatting were about a sixth of a request's
//! instructions. Anything unusual falls back to the default visitor.

use std::{
    cell::RefCell,
    fmt::{self, Write as _},
    time::{SystemTime, UNIX_EPOCH},
};

use tracing::field::{Field, Visit};
use tracing_subscriber::{
    field::{MakeVisitor, VisitFmt, VisitOutput},
    fmt::{
        format::{DefaultVisitor, Writer},
        time::FormatTime,
    },
};

/// UTC with microseconds (`2026-01-01T12:00:00.123456Z`), as `tracing-subscriber`'s `SystemTime`
/// writes it; the part up to the second is formatted once per second per thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct UtcMicros;

impl FormatTime for UtcMicros {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        thread_local! {
            static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let secs = now.as_secs();
        SECOND.with(|cached| {
            let mut cached = cached.borrow_mut();
            if cached.0 != secs {
                let start = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap_or_default();
                cached.1.clear();
                write!(cached.1, "{}", start.format("%Y-%m-%dT%H:%M:%S."))?;
                cached.0 = secs;
            }
            w.write_str(&cached.1)
        })?;
        let mut micros = now.subsec_micros();
        let mut digits = [b'0'; 7];
        digits[6] = b'Z';
        for digit in digits[..6].iter_mut().rev() {
            *digit = b'0' + (micros % 10) as u8;
            micros /= 10;
        }
        w.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
    }
}

/// Fields as `tracing-subscriber`'s `DefaultFields` writes them without ANSI: `name=value` separated by
/// spaces, strings quoted (`Debug`), the message bare.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainFields;

impl<'a> MakeVisitor<Writer<'a>> for PlainFields {
    type Visitor = PlainVisitor<'a>;

    fn make_visitor(&self, writer: Writer<'a>) -> Self::Visitor {
        PlainVisitor {
            writer,
            is_empty: true,
            result: Ok(()),
        }
    }
}

/// The field writer [`PlainFields`] makes for one event or span.
pub struct PlainVisitor<'a> {
    writer: Writer<'a>,
    is_empty: bool,
    result: fmt::Result,
}

impl PlainVisitor<'_> {
    /// Whether this field is written by the fast path (else by the default visitor).
    fn plain(field: &Field) -> bool {
        let name = field.name();
        name != "message" && !name.starts_with("r#") && !name.starts_with("log.")
    }

    fn write(&mut self, field: &Field, value: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if !self.is_empty {
            self.result = self.writer.write_char(' ');
        }
        self.is_empty = false;
        if self.result.is_ok() {
            self.result = self
                .writer
                .write_str(field.name())
                .and_then(|()| self.writer.write_char('='))
                .and_then(|()| value(&mut self.writer));
        }
    }

    fn fallback(&mut self, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        let mut default = DefaultVisitor::new(self.writer.by_ref(), self.is_empty);
        record(&mut default);
        self.result = default.finish();
        self.is_empty = false;
    }

    fn skipped(&self, field: &Field) -> bool {
        self.result.is_err() || field.name().starts_with("log.")
    }
}

/// Printable ASCII other than `"` and `\`: its `Debug` form is itself, quoted.
fn debug_is_verbatim(value: &str) -> bool {
    value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

impl Visit for PlainVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if self.skipped(field) {
            return;
        }
        if Self::plain(field) && debug_is_verbatim(value) {
            self.write(field, |w| {
                w.write_char('"')?;
                w.write_str(value)?;
                w.write_char('"')
            });
        } else {
            self.fallback(|v| v.record_str(field, value));
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if self.skipped(field) {
            return;
        }
        if Self::plain(field) {
            self.write(field, |w| write_u64(w, value));
        } else {
            self.fallback(|v| v.record_u64(field, value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if self.skipped(field) {
            return;
        }
        if Self::plain(field) {
            self.write(field, |w| {
                if value < 0 {
                    w.write_char('-')?;
                }
                write_u64(w, value.unsigned_abs())
            });
        } else {
            self.fallback(|v| v.record_i64(field, value));
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if self.skipped(field) {
            return;
        }
        if Self::plain(field) {
            self.write(field, |w| w.write_str(if value { "true" } else { "false" }));
        } else {
            self.fallback(|v| v.record_bool(field, value));
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        if !self.skipped(field) {
            self.fallback(|v| v.record_error(field, value));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if !self.skipped(field) {
            self.fallback(|v| v.record_debug(field, value));
        }
    }
}

fn write_u64(w: &mut Writer<'_>, mut value: u64) -> fmt::Result {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    w.write_str(std::str::from_utf8(&digits[start..]).map_err(|_| fmt::Error)?)
}

impl VisitOutput<fmt::Result> for PlainVisitor<'_> {
    fn finish(self) -> fmt::Result {
        self.result
    }
}

impl VisitFmt for PlainVisitor<'_> {
    fn writer(&mut self) -> &mut dyn fmt::Write {
        &mut self.writer
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Captures what a subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn emit_all() {
        let error = std::io::Error::other("disk \"full\"");
        tracing::info!(method = %"POST", path = "/api/v0/panValidation", status = 200u16, latency_us = 57u64, app = "demo", "answered");
        tracing::info!(
            delta = -42i64,
            ok = true,
            quoted = "say \"hi\"\\",
            unicode = "पैन ✓",
            empty = "",
            "mixed"
        );
        tracing::warn!(error = &error as &(dyn std::error::Error + 'static), debug = ?vec![1, 2], "fallbacks");
        tracing::info!("message only");
    }

    fn lines(plain: bool) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let builder = tracing_subscriber::fmt()
            .with_ansi(false)
            .without_time()
            .with_writer(move || writer.clone());
        if plain {
            tracing::subscriber::with_default(builder.fmt_fields(PlainFields).finish(), emit_all);
        } else {
            tracing::subscriber::with_default(builder.finish(), emit_all);
        }
        let bytes = out.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn plain_fields_write_the_same_bytes_as_the_default_formatter() {
        let ours = lines(true);

        assert_eq!(ours, lines(false));
        assert_eq!(ours.lines().count(), 4, "{ours}");
    }

    #[test]
    fn the_timestamp_is_utc_with_microseconds_and_current() {
        let mut text = String::new();
        let before = chrono::Utc::now();
        UtcMicros.format_time(&mut Writer::new(&mut text)).unwrap();
        let after = chrono::Utc::now();

        assert_eq!(text.len(), "2026-01-01T12:00:00.123456Z".len(), "{text}");
        let at: chrono::DateTime<chrono::Utc> = text.parse().unwrap();
        assert!(
            at >= chrono::SubsecRound::trunc_subsecs(before, 6) && at <= after,
            "{text}"
        );
    }
}
