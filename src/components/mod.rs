//! Generic widgets shared by the shell and the panels.

pub mod activity;
pub mod reveal;
pub mod worker_badge;

/// `text` split around the byte range `start..end` (clamped to character boundaries), so the
/// middle can be underlined; an empty range becomes one space, so the mark stays visible.
pub fn split_at_span(text: &str, start: usize, end: usize) -> (String, String, String) {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let middle = if start == end {
        " ".to_string()
    } else {
        text[start..end].to_string()
    };
    (text[..start].to_string(), middle, text[end..].to_string())
}
pub mod org_ready;
