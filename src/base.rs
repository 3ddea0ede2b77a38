//! Where this copy of the app is served on its origin (see `protocol::base`), read from the
//! `<meta name="scim-playground-base">` that the build writes into index.html. Every URL the
//! page makes, shows or links to goes through [`join`] (no root-absolute URL is written anywhere
//! else: ARCHITECTURE.md, "Invariants"), and every name it stores data under through [`scoped`].

use leptos::prelude::document;

thread_local! {
    /// Read once: the page's base does not change while it is open.
    static BASE: &'static str = Box::leak(read().into_boxed_str());
}

fn read() -> String {
    let content = document()
        .query_selector(&format!("meta[name=\"{}\"]", protocol::base::META_NAME))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default();
    protocol::base::normalise(&content)
}

/// The base path (`/`, or `/scim-playground/`).
pub fn path() -> &'static str {
    BASE.with(|base| *base)
}

/// The router's base: the base path without its trailing slash (`""` at the root).
pub fn router() -> &'static str {
    path().strip_suffix('/').unwrap_or_default()
}

/// A path of the app (`/scim/v2/Users`, `/traffic?client=x`) as this copy serves it.
pub fn join(path: &str) -> String {
    protocol::base::join(self::path(), path)
}

/// A path of the app as a full URL on this origin (`http://host/scim-playground/share#…`).
pub fn absolute(path: &str) -> String {
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    format!("{origin}{}", join(path))
}

/// `name` as this copy stores it (IndexedDB databases, broadcast channels, local storage keys).
pub fn scoped(name: &str) -> String {
    protocol::base::scoped(path(), name)
}
