//! Credentials typed into a form are masked like passwords, with an explicit "Show" where
//! seeing them is the point (checking what you pasted). SECURITY.md, "Secrets".

use leptos::prelude::*;

/// The `type` of a credential input: `password` until the form's toggle shows it.
pub fn secret_type(shown: RwSignal<bool>) -> impl Fn() -> &'static str + Copy {
    move || if shown.get() { "text" } else { "password" }
}

/// The toggle that shows or hides a form's credentials.
#[component]
pub fn Reveal(shown: RwSignal<bool>) -> impl IntoView {
    view! {
        <button class="button button--ghost" type="button" aria-pressed=move || shown.get().to_string()
            on:click=move |_| shown.update(|s| *s = !*s)>
            {move || if shown.get() { "Hide credentials" } else { "Show credentials" }}
        </button>
    }
}
