//! SCIM Playground: the page. An Okta-like identity provider and its panels, beside a SCIM 2.0
//! server that runs in this origin's service worker (`crates/sw`).

mod api;
mod app;
mod components;
mod panels;
mod theme;
mod worker;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
