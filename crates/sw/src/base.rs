//! Where this copy of the app is served on its origin (see `protocol::base`): the folder of the
//! worker's own script, since `sw.js` is served at the base and registered with it as scope.
//! Every route the worker answers, and every name it stores data under, starts from it.

use wasm_bindgen::JsValue;

thread_local! {
    /// Read once: a worker's script never moves.
    static BASE: &'static str = Box::leak(read().into_boxed_str());
}

/// The base path (`/`, or `/scim-playground/`).
pub fn path() -> &'static str {
    BASE.with(|base| *base)
}

/// `name` as this copy stores it (its IndexedDB database, its broadcast channel).
pub fn scoped(name: &str) -> String {
    protocol::base::scoped(path(), name)
}

/// The folder of the running script (`location.pathname` up to its last `/`): in the worker,
/// where `sw.js` is served; in a test page, the page's folder.
fn read() -> String {
    let pathname = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("location"))
        .and_then(|location| js_sys::Reflect::get(&location, &JsValue::from_str("pathname")))
        .ok()
        .and_then(|pathname| pathname.as_string())
        .unwrap_or_default();
    let folder = pathname.rfind('/').map_or("", |at| &pathname[..at]);
    protocol::base::normalise(folder)
}
