//! Decodes arbitrary shared configurations. Any panic is a bug, and so is a configuration
//! that decodes but does not survive `encode` → `decode` unchanged.
//!
//! The first byte picks how the rest is used: as the fragment text itself (exercising the
//! base64url, inflate and size-limit layers), or as JSON that is compressed and encoded first
//! (so the fuzzer reaches the version check, the migration, serde and the validation without
//! having to discover DEFLATE).

#![no_main]

use base64::Engine as _;
use idp::share::{decode, encode};
use libfuzzer_sys::fuzz_target;

/// `data` as raw DEFLATE in stored (uncompressed) blocks: valid input for the inflater at a
/// fraction of a compressor's cost, which keeps the fuzzer fast.
fn stored_deflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / 65_535 + 1));
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(stored_deflate(rest))
    };
    if let Ok(config) = decode(&text) {
        let again = decode(&encode(&config));
        assert_eq!(
            again.as_ref(),
            Ok(&config),
            "a decoded configuration round-trips"
        );
    }
});
