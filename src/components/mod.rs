//! Generic widgets shared by the shell and the panels.

pub mod activity;
pub mod diagram;
pub mod relay;
pub mod requests;
pub mod reveal;
pub mod worker_badge;

/// Scrolls `target` into view once the page has drawn it, when its top is below the screen (on a
/// phone a person's detail lies under a long list; beside the list, on a wide screen, it does
/// not move).
pub fn bring_into_view(target: leptos::prelude::NodeRef<leptos::html::Div>) {
    use leptos::prelude::*;
    request_animation_frame(move || {
        let Some(element) = target.get_untracked() else {
            return;
        };
        let below = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .is_some_and(|height| element.get_bounding_client_rect().top() > height * 0.6);
        if below {
            element.scroll_into_view_with_bool(true);
        }
    });
}

/// An email address (or username) that may wrap before its `@` on a narrow screen, instead of
/// breaking anywhere ("…@example.co / m").
pub fn email(text: String) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    match text.split_once('@') {
        Some((local, domain)) => {
            let (local, domain) = (local.to_string(), format!("@{domain}"));
            view! { {local}<wbr/>{domain} }.into_any()
        }
        None => text.into_any(),
    }
}

/// A JSON body indented for reading; anything else as it came.
pub fn pretty_json(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_string())
}

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
