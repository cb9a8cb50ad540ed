//! A gzip stream built from events compressed one at a time, so each snapshot is
//! compressed once for every watcher instead of once per watcher (a compressor per stream
//! would cost tens of KB each, and the CPU of compressing the same bytes ten thousand
//! times).
//!
//! Each event is compressed as raw deflate on its own (no reference to earlier events)
//! and ends with a sync flush: non-final, byte-aligned blocks. Any sequence of such pieces
//! after one gzip header is a valid deflate stream, decoded by the browser event by event
//! as it arrives. The stream never ends normally, so no gzip trailer is sent; when the
//! connection closes the browser's EventSource reconnects, as it does after any drop.

use std::sync::OnceLock;

use bytes::Bytes;
use flate2::{Compress, Compression, FlushCompress};

/// The gzip header: deflate, no name, no time, unknown system.
pub const GZIP_HEADER: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff];

/// `data` as raw deflate blocks ending in a sync flush, to follow [`GZIP_HEADER`] (or
/// other pieces made here) in a stream.
pub fn compress(data: &[u8]) -> Bytes {
    let mut compressor = Compress::new(Compression::new(6), false);
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let consumed = compressor.total_in() as usize;
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(256));
        }
        match compressor.compress_vec(&data[consumed..], &mut out, FlushCompress::Sync) {
            Ok(_) if compressor.total_in() as usize == data.len() && out.ends_with(&[0x00, 0x00, 0xff, 0xff]) => break,
            Ok(_) => continue,
            // Deflate of bytes in memory cannot fail; if it ever did, a stream that stops
            // is better than a wrong one.
            Err(_) => return Bytes::new(),
        }
    }
    Bytes::from(out)
}

/// The keep-alive comment (`:\n\n`), compressed once.
pub fn keep_alive() -> Bytes {
    static KEEP_ALIVE: OnceLock<Bytes> = OnceLock::new();
    KEEP_ALIVE.get_or_init(|| compress(b":\n\n")).clone()
}

/// [`crate::live::STOPPING_EVENT`], compressed once.
pub fn stopping() -> Bytes {
    static STOPPING: OnceLock<Bytes> = OnceLock::new();
    STOPPING.get_or_init(|| compress(&crate::live::STOPPING_EVENT)).clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn pieces_compressed_apart_read_back_as_one_gzip_stream() {
        let first = b"data: {\"responses\":5,\"title\":\"Public Sector Social Media Survey\"}\n\n".repeat(20);
        let second = b"data: {\"responses\":10}\n\n";
        let mut stream = GZIP_HEADER.to_vec();
        stream.extend_from_slice(&compress(&first));
        stream.extend_from_slice(&keep_alive());
        stream.extend_from_slice(&compress(second));
        assert!(compress(&first).len() < first.len() / 4, "repetitive JSON compresses well");
        // No trailer: read what is there, as a browser does while the stream is open.
        let mut decoded = Vec::new();
        let _ = flate2::read::GzDecoder::new(&stream[..]).read_to_end(&mut decoded);
        let mut expected = first.clone();
        expected.extend_from_slice(b":\n\n");
        expected.extend_from_slice(second);
        assert_eq!(decoded, expected);
    }
}
