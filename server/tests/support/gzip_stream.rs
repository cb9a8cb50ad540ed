//! Reads a respondents' event stream sent as gzip (`server::live::gzip_events`) the way a browser
//! does: chunk by chunk, each inflated as it arrives, the stream never finished.

/// The inflater of one stream: the gzip header still to skip, then raw deflate.
pub struct GzipStream {
    header: usize,
    inflater: flate2::Decompress,
}

impl Default for GzipStream {
    fn default() -> Self {
        GzipStream { header: 10, inflater: flate2::Decompress::new(false) }
    }
}

impl GzipStream {
    /// The text one chunk of the body carries.
    pub fn text(&mut self, chunk: &[u8]) -> String {
        let skip = self.header.min(chunk.len());
        self.header -= skip;
        let mut input = &chunk[skip..];
        let mut out = Vec::with_capacity(input.len() * 8 + 64);
        while !input.is_empty() {
            let before = self.inflater.total_in();
            out.reserve(input.len() * 8 + 64);
            if self.inflater.decompress_vec(input, &mut out, flate2::FlushDecompress::Sync).is_err() {
                break;
            }
            input = &input[(self.inflater.total_in() - before) as usize..];
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
