//! The browser's storage for this app: asking it to keep our data (`navigator.storage.persist()`)
//! at the first change worth keeping, and what it says about that and about space.
//!
//! Browsers may clear "best-effort" storage: Chromium under disk pressure, Safari when a site is
//! not used for seven days (unless it is installed). A persisted origin is cleared only by the
//! user.

use std::cell::Cell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Whether this page has asked already: once per page is enough, and Firefox asks the user.
    static ASKED: Cell<bool> = const { Cell::new(false) };
}

fn manager() -> Option<web_sys::StorageManager> {
    // Not every engine has `navigator.storage` (an insecure context has none).
    let navigator = leptos::prelude::window().navigator();
    js_sys::Reflect::has(&navigator, &"storage".into())
        .unwrap_or(false)
        .then(|| navigator.storage())
}

/// Asks the browser to keep this origin's data, the first time the user has made something
/// worth keeping; quietly nothing when it is persisted already or cannot be.
pub fn ask_to_persist() {
    if ASKED.with(|asked| asked.replace(true)) {
        return;
    }
    let Some(manager) = manager() else { return };
    leptos::task::spawn_local(async move {
        let persisted = match manager.persisted() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        };
        if persisted == Some(false) {
            if let Ok(promise) = manager.persist() {
                let _ = JsFuture::from(promise).await;
            }
        }
    });
}

/// What the browser says about this origin's storage.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// `None` when the browser cannot say.
    pub persisted: Option<bool>,
    /// Bytes used and the quota, when the browser estimates them.
    pub usage: Option<(f64, f64)>,
    /// The engine deletes the data of a site not used for seven days unless it is installed
    /// (WebKit: Safari, and WebKitGTK's browsers).
    pub week_limit: bool,
}

/// Reads the state.
pub async fn state() -> State {
    let agent = leptos::prelude::window()
        .navigator()
        .user_agent()
        .unwrap_or_default();
    let week_limit = agent.contains("AppleWebKit")
        && !agent.contains("Chrome")
        && !agent.contains("Chromium")
        && !agent.contains("Edg");
    let Some(manager) = manager() else {
        return State {
            persisted: None,
            usage: None,
            week_limit,
        };
    };
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let usage = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|estimate| {
            let number = |name: &str| {
                js_sys::Reflect::get(&estimate, &name.into())
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            Some((number("usage")?, number("quota")?))
        }),
        Err(_) => None,
    };
    State {
        persisted,
        usage,
        week_limit,
    }
}

/// `bytes` for people: "12.3 MB". In whole tenths, by integers: formatting an `f64` would
/// compile Rust's float formatting into the page's first module, 8 KB gzipped (measured).
pub fn size(bytes: f64) -> String {
    let tenths = |unit: f64| {
        let tenths = (bytes / unit * 10.0).round() as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    match bytes {
        b if b >= 1e9 => format!("{} GB", tenths(1e9)),
        b if b >= 1e6 => format!("{} MB", tenths(1e6)),
        b => format!("{} KB", ((b / 1e3).round() as u64).max(1)),
    }
}

/// What the browser says about keeping this data, in a sentence or two.
pub fn describe(state: &State) -> String {
    let mut text = match state.persisted {
        Some(true) => "This browser keeps this app's data until you delete it (persistent storage).".to_string(),
        Some(false) => "This browser may delete this app's data when it runs short of space: it has not granted persistent storage (browsers grant it to sites used often or installed). A backup keeps your work safe.".to_string(),
        None => "This browser does not say whether it keeps this app's data: a backup keeps your work safe.".to_string(),
    };
    if let Some((used, quota)) = state.usage {
        text.push_str(&format!(" In use: {} of {}.", size(used), size(quota)));
    }
    if state.week_limit {
        text.push_str(" Safari and other WebKit browsers delete the data of a site not used for seven days unless it is installed (Add to Dock / Home Screen).");
    }
    text
}

/// The space each part of this app's data takes, in bytes of stored text (`None`: could not be
/// measured). The browser's own figure ([`State::usage`]) is the total it charges, with its
/// bookkeeping and compression; these say where it goes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Parts {
    /// The built-in server's resources and settings, from its worker.
    pub server: Option<u64>,
    /// The traffic log: its records and their bytes.
    pub traffic: Option<(u64, u64)>,
    /// The Okta org, as saved.
    pub okta: Option<u64>,
    /// This build's files, cached so the app opens offline.
    pub app: Option<u64>,
}

/// Measures [`Parts`].
pub async fn parts() -> Parts {
    let usage = crate::api::admin(protocol::admin::Endpoint::Usage, "", None, "backup")
        .await
        .and_then(|reply| reply.parse::<protocol::admin::Usage>())
        .ok();
    Parts {
        server: usage.map(|u| u.server_bytes),
        traffic: usage.map(|u| (u.traffic_records, u.traffic_bytes)),
        okta: crate::okta::store::size().await.ok(),
        app: cached_app().await,
    }
}

/// The bytes of the app's files in this copy's shell caches (`public/sw.js` names them
/// `<scoped "scim-playground-shell">-<build>`). A cache is opened only by a name `keys()` has
/// just listed; if the worker drops it in between, the empty cache this recreates is dropped
/// at the next update like any stale one.
async fn cached_app() -> Option<u64> {
    let caches = leptos::prelude::window().caches().ok()?;
    let family = format!("{}-", crate::base::scoped("scim-playground-shell"));
    let names = js_sys::Array::from(&JsFuture::from(caches.keys()).await.ok()?);
    let mut bytes = 0u64;
    for name in names.iter().filter_map(|name| name.as_string()) {
        if !name.starts_with(&family) {
            continue;
        }
        let cache: web_sys::Cache = JsFuture::from(caches.open(&name))
            .await
            .ok()?
            .unchecked_into();
        let requests = js_sys::Array::from(&JsFuture::from(cache.keys()).await.ok()?);
        for request in requests.iter() {
            let request: web_sys::Request = request.unchecked_into();
            let Ok(hit) = JsFuture::from(cache.match_with_request(&request)).await else {
                continue;
            };
            let Ok(response) = hit.dyn_into::<web_sys::Response>() else {
                continue;
            };
            // A cached body's blob knows its size without being read.
            if let Ok(promise) = response.blob() {
                if let Ok(blob) = JsFuture::from(promise).await {
                    bytes += blob.unchecked_into::<web_sys::Blob>().size() as u64;
                }
            }
        }
    }
    Some(bytes)
}
