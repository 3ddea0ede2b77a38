//! SCIM Playground: the page. An Okta-like identity provider and its panels, beside a SCIM 2.0
//! server that runs in this origin's service worker (`crates/sw`).

mod api;
mod app;
mod base;
mod components;
mod okta;
mod panels;
mod relay;
mod storage;
mod theme;
mod worker;

/// Saves `text` as a file through the browser's download mechanism.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_blob(name, &blob)
}

/// Offers `blob` to the user as a file called `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let anchor: web_sys::HtmlAnchorElement = leptos::prelude::document()
        .create_element("a")?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Reads, as text, the file chosen in the `<input type="file">` that fired `event`; `None` when
/// no file was chosen or it could not be read.
pub async fn chosen_file_text(event: &leptos::ev::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let file = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))?;
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
