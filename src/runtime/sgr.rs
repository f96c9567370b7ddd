//! Colours in the form every colour terminal reads.
//!
//! crossterm writes each of the 16 named colours in the 256-colour form
//! (`ESC[38;5;9m`). A terminal with fewer colours (`TERM=xterm`, `vt220`,
//! `screen`, an old console) reads that as "38, 5 (blink), 9 (strike-through)".
//! sitrep only uses the 16 named colours, so [`Sixteen`] writes each of them
//! in the 16-colour form (`ESC[91m`) that every colour terminal reads, whatever
//! `TERM` says; it is shorter too. Other sequences pass through unchanged.
//!
//! It holds a frame's bytes until `flush` (ratatui flushes after each frame),
//! so a sequence split across writes is rewritten whole. Bytes not flushed
//! (a frame cut short by a crash) are dropped, never written after the
//! terminal has been restored.

use std::io::{self, Write};

/// A writer that rewrites 256-colour SGR parameters for colours 0–15 into their
/// 16-colour codes on `flush`.
pub struct Sixteen<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Sixteen<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Sixteen {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Sixteen<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let out = rewrite(&self.pending);
            self.pending.clear();
            self.inner.write_all(&out)?;
        }
        self.inner.flush()
    }
}

/// `bytes` with every SGR sequence's `38;5;N` and `48;5;N` (N below 16)
/// written as the 16-colour code.
#[must_use]
pub fn rewrite(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = memchr::memmem::find(rest, b"\x1b[") {
        out.extend_from_slice(&rest[..at]);
        let body = &rest[at + 2..];
        let params = body
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if body.get(params) == Some(&b'm') {
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(&sgr(&body[..params]));
            out.push(b'm');
            rest = &body[params + 1..];
        } else {
            out.extend_from_slice(b"\x1b[");
            rest = body;
        }
    }
    out.extend_from_slice(rest);
    out
}

/// One SGR parameter list with the 256-colour forms of colours 0–15 replaced.
fn sgr(params: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = params.split(|&b| b == b';').collect();
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let colour = parts.get(i + 2).and_then(|n| {
            std::str::from_utf8(n)
                .ok()
                .and_then(|n| n.parse::<u8>().ok())
        });
        let base = match (parts[i], parts.get(i + 1), colour) {
            (b"38", Some(&b"5"), Some(n)) if n < 16 => Some((30, 90, n)),
            (b"48", Some(&b"5"), Some(n)) if n < 16 => Some((40, 100, n)),
            _ => None,
        };
        if let Some((normal, bright, n)) = base {
            let code = if n < 8 { normal + n } else { bright + n - 8 };
            out.push(code.to_string().into_bytes());
            i += 3;
        } else {
            out.push(parts[i].to_vec());
            i += 1;
        }
    }
    out.join(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_take_the_sixteen_colour_form() {
        let cases: [(&[u8], &[u8]); 7] = [
            (b"\x1b[38;5;9m", b"\x1b[91m"),
            (b"\x1b[38;5;1m", b"\x1b[31m"),
            (b"\x1b[48;5;0m", b"\x1b[40m"),
            (b"\x1b[48;5;15m", b"\x1b[107m"),
            (b"a\x1b[1;38;5;6;48;5;8mb", b"a\x1b[1;36;100mb"),
            // Other colours, other sequences and plain text are left alone.
            (
                b"\x1b[38;5;196m\x1b[39m\x1b[2J\x1b[5;10Hx",
                b"\x1b[38;5;196m\x1b[39m\x1b[2J\x1b[5;10Hx",
            ),
            (b"\x1b[", b"\x1b["),
        ];
        for (input, want) in cases {
            assert_eq!(rewrite(input), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn a_sequence_split_across_writes_is_rewritten_on_flush() {
        let mut out = Vec::new();
        {
            let mut w = Sixteen::new(&mut out);
            w.write_all(b"x\x1b[38;").unwrap_or_default();
            w.write_all(b"5;").unwrap_or_default();
            w.write_all(b"11my").unwrap_or_default();
            w.flush().unwrap_or_default();
        }
        assert_eq!(out, b"x\x1b[93my");
    }
}
