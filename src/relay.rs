//! The local relay (`make relay TARGET=…`, `crates/relay`): whether this browser sends the
//! requests for an external server through it, where it listens, and what it forwards to.
//!
//! A page may read an answer from another origin only when that server answers CORS for the
//! page, and most SCIM servers do not. The relay, on 127.0.0.1, answers CORS for the playground
//! and forwards to one fixed server. The choice is this browser's (it names a program on this
//! machine), so it is kept in local storage, not in the Okta org or a share link.

use std::cell::RefCell;

use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a probe's answer is trusted before the next request probes again: a push of a
/// thousand people should not probe a thousand times, and a relay restarted with another
/// target should be noticed within moments.
const PROBE_TTL_MS: f64 = 5_000.0;

/// This browser's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Send requests for the relay's target through it.
    pub enabled: bool,
    /// Where the relay listens.
    pub address: String,
}

impl Default for Choice {
    fn default() -> Choice {
        Choice {
            enabled: false,
            address: idp::relay::default_address(),
        }
    }
}

fn key() -> String {
    crate::base::scoped("relay")
}

/// The saved choice, or the default (off, on the default port).
pub fn load() -> Choice {
    LocalStorage::get(key()).unwrap_or_default()
}

/// Saves the choice; the next request follows it.
pub fn save(choice: &Choice) {
    let _ = LocalStorage::set(key(), choice);
    PROBED.with(|p| p.borrow_mut().take());
}

/// What a running relay says of itself (`GET /health`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// The base URL it forwards to.
    pub target: String,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// What a probe found at the relay's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Running(Health),
    /// Something answers there but will not let this page read it: a relay started without
    /// this page's origin allowed.
    Refuses,
    /// Nothing answers.
    Silent,
}

thread_local! {
    /// The last probe: the address, when (ms), what it found.
    static PROBED: RefCell<Option<(String, f64, Probe)>> = const { RefCell::new(None) };
}

/// Asks the relay at `address` what it forwards to.
pub async fn probe(address: &str) -> Probe {
    let address = address.trim().trim_end_matches('/');
    let url = format!("{address}/health");
    let window = leptos::prelude::window();
    let found = match JsFuture::from(window.fetch_with_str(&url)).await {
        Ok(response) => {
            let response: web_sys::Response = response.unchecked_into();
            let text = match response.text() {
                Ok(promise) => JsFuture::from(promise)
                    .await
                    .ok()
                    .and_then(|t| t.as_string()),
                Err(_) => None,
            };
            match text.and_then(|t| serde_json::from_str::<Health>(&t).ok()) {
                Some(health) if response.ok() => Probe::Running(health),
                _ => Probe::Refuses,
            }
        }
        // The CORS request failed: an opaque (`no-cors`) request tells a listener that refuses
        // this origin from no listener at all.
        Err(_) => {
            let init = web_sys::RequestInit::new();
            init.set_mode(web_sys::RequestMode::NoCors);
            match JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await {
                Ok(_) => Probe::Refuses,
                Err(_) => Probe::Silent,
            }
        }
    };
    PROBED.with(|p| {
        *p.borrow_mut() = Some((address.to_string(), js_sys::Date::now(), found.clone()))
    });
    found
}

/// Where to send a request for `url`: through the relay when this browser chose it, it runs,
/// and `url` is under its target (then `Some(relay URL)`); otherwise `None`, sent as it is.
pub async fn route(url: &str) -> Option<String> {
    // The built-in server's requests (this origin) never read the choice: they are most of the
    // page's requests, and the storage read would be paid on each.
    if crate::api::is_same_origin(url) {
        return None;
    }
    let choice = load();
    if !choice.enabled {
        return None;
    }
    let address = choice.address.trim().trim_end_matches('/').to_string();
    let cached = PROBED.with(|p| {
        p.borrow().as_ref().and_then(|(at, when, found)| {
            (*at == address && js_sys::Date::now() - when < PROBE_TTL_MS).then(|| found.clone())
        })
    });
    let found = match cached {
        Some(found) => found,
        None => probe(&address).await,
    };
    let Probe::Running(health) = found else {
        return None;
    };
    idp::relay::under(url, &health.target).map(|rest| format!("{address}{rest}"))
}

/// The command that starts a relay for `base_url` at `address` that this page may use.
pub fn command(base_url: &str, address: &str) -> String {
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    idp::relay::command(base_url, address, &origin)
}
