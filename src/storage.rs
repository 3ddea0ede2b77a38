//! The browser's storage for this app: asking it to keep our data (`navigator.storage.persist()`)
//! at the first change worth keeping, and what it says about that and about space.
//!
//! Browsers may clear "best-effort" storage: Chromium under disk pressure, Safari when a site is
//! not used for seven days (unless it is installed). A persisted origin is cleared only by the
//! user.

use std::cell::Cell;

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
