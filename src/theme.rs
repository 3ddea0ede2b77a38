//! Light and dark themes. The choice is a small UI preference, kept in localStorage; without one
//! the page follows the system's `prefers-color-scheme`.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

const KEY: &str = "scim-playground.theme";

fn apply(theme: &str) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme);
    }
}

fn system_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

/// A button that switches between light and dark and remembers the choice.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let initial = LocalStorage::get::<String>(KEY).unwrap_or_else(|_| {
        if system_prefers_dark() {
            "dark".into()
        } else {
            "light".into()
        }
    });
    apply(&initial);
    let theme = RwSignal::new(initial);
    let toggle = move |_| {
        let next = if theme.get_untracked() == "dark" {
            "light"
        } else {
            "dark"
        };
        apply(next);
        let _ = LocalStorage::set(KEY, next);
        theme.set(next.to_string());
    };
    view! {
        <button
            class="button button--ghost"
            type="button"
            on:click=toggle
            aria-label=move || {
                if theme.get() == "dark" { "Switch to the light theme" } else { "Switch to the dark theme" }
            }
        >
            {move || if theme.get() == "dark" { "☀ Light" } else { "☾ Dark" }}
        </button>
    }
}
