//! Registers the service worker that hosts the SCIM server, and keeps the page told whether it
//! is in control.
//!
//! The worker answers `/scim/v2/*` only for pages it controls. A first visit is controlled
//! without a reload because the worker claims its clients when it activates; a hard reload
//! bypasses it, and a worker can fail to install. In both cases the page re-registers once and
//! says so, instead of silently sending SCIM requests to the network.

use std::cell::Cell;

use js_sys::{Array, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Response, ServiceWorkerContainer, ServiceWorkerRegistration};

/// Where `sw.js` is served, under the base; its scope is the base (this copy of the app).
fn script() -> String {
    crate::base::join("/sw.js")
}
/// How long to wait for the worker to take control before recovering.
const CONTROL_TIMEOUT_MS: i32 = 4000;

/// What the page knows about its worker.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerState {
    /// Registering and waiting for the worker to control the page.
    Starting,
    /// The worker failed once; the page is registering it again.
    Recovering(String),
    /// The worker controls the page and answered the SCIM discovery request itself.
    Ready { server: String },
    /// Recovery did not help; the message says what is wrong.
    Failed(String),
    /// This browser or context has no service workers (e.g. a non-localhost http origin).
    Unsupported,
}

/// Starts (or restarts) the worker and reports progress into `state`.
pub fn start(state: RwSignal<WorkerState>) {
    wasm_bindgen_futures::spawn_local(async move {
        state.set(WorkerState::Starting);
        let Some(container) = container() else {
            state.set(WorkerState::Unsupported);
            return;
        };
        match connect(&container).await {
            Ok(server) => state.set(WorkerState::Ready { server }),
            Err(first) => {
                state.set(WorkerState::Recovering(first.clone()));
                let retried = async {
                    unregister_all(&container).await?;
                    connect(&container).await
                };
                match retried.await {
                    Ok(server) => state.set(WorkerState::Ready { server }),
                    Err(second) => state.set(WorkerState::Failed(format!(
                        "{second} (first attempt: {first})"
                    ))),
                }
            }
        }
    });
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    // `navigator.serviceWorker` is undefined outside secure contexts; check before using it.
    let present = Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .map(|v| !v.is_undefined())
        .unwrap_or(false);
    present.then(|| navigator.service_worker())
}

fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

async fn wait(promise: Promise) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(describe)
}

/// Waits until a service worker controls this page (at most `CONTROL_TIMEOUT_MS`; a browser
/// without service workers does not wait), so that a request to this origin's `/_playground`
/// reaches the worker rather than the host.
pub async fn controlled() {
    let Some(container) = container() else {
        return;
    };
    let mut waited = 0;
    while container.controller().is_none() && waited < CONTROL_TIMEOUT_MS {
        let _ = wait(sleep(50)).await;
        waited += 50;
    }
}

/// A promise that resolves after `ms` milliseconds (a `setTimeout`).
pub fn sleep(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    })
}

/// Registers the worker, waits until it controls this page, and checks that it answers SCIM.
async fn connect(container: &ServiceWorkerContainer) -> Result<String, String> {
    // A module worker: the worker's WebAssembly is split (scripts/build-split.sh), and its
    // loader is an ES module that `sw.js` imports.
    let options = web_sys::RegistrationOptions::new();
    options.set_type("module");
    options.set_scope(crate::base::path());
    let script = script();
    wait(container.register_with_options(&script, &options))
        .await
        .map_err(|e| format!("registering {script} failed: {e}"))?;
    wait(container.ready().map_err(describe)?).await?;
    if container.controller().is_none() {
        let changed = Promise::new(&mut |resolve, _| {
            container.set_oncontrollerchange(Some(&resolve));
        });
        wait(Promise::race(&Array::of2(
            &changed,
            &sleep(CONTROL_TIMEOUT_MS),
        )))
        .await?;
        container.set_oncontrollerchange(None);
    }
    if container.controller().is_none() {
        return Err(
            "the service worker is active but does not control this page \
                    (a hard reload bypasses it)"
                .into(),
        );
    }
    let server = probe().await?;
    keep_panels_cached(container);
    Ok(server)
}

thread_local! {
    /// Whether the page already listens for a new worker taking over.
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Asks the worker in charge to cache the panels' modules, now and whenever another worker
/// takes over (a new build's worker starts without them). They are cached then, not while the
/// worker installs: at 10 Mbit/s that held a first visit's server up by 0.7 s. The worker
/// fetches only what its cache lacks.
fn keep_panels_cached(container: &ServiceWorkerContainer) {
    cache_panels(container);
    if LISTENING.replace(true) {
        return;
    }
    let target = container.clone();
    let listener = Closure::<dyn FnMut()>::new(move || cache_panels(&target));
    let _ = container
        .add_event_listener_with_callback("controllerchange", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

fn cache_panels(container: &ServiceWorkerContainer) {
    if let Some(worker) = container.controller() {
        let _ = worker.post_message(&JsValue::from_str("cache-panels"));
    }
}

/// Asks the worker for its ServiceProviderConfig and checks the answer came from the worker (it
/// names itself in a header), not from the network (which would answer with the app's HTML).
/// The probe says it is one, so the worker keeps it out of the traffic log.
async fn probe() -> Result<String, String> {
    let headers = web_sys::Headers::new().map_err(describe)?;
    headers
        .set(protocol::traffic::PROBE_HEADER, "1")
        .map_err(describe)?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let response: Response = wait(
        window()
            .fetch_with_str_and_init(&crate::base::join("/scim/v2/ServiceProviderConfig"), &init),
    )
    .await?
    .dyn_into()
    .map_err(describe)?;
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !content_type.starts_with("application/scim+json") {
        return Err(format!(
            "/scim/v2 answered with {content_type:?} instead of application/scim+json: \
             the worker is not answering"
        ));
    }
    let server = response
        .headers()
        .get("x-playground-server")
        .ok()
        .flatten()
        .ok_or("the ServiceProviderConfig did not come from the playground's worker")?;
    Ok(server)
}

/// Unregisters this copy's workers: those whose scope is this copy's base. Another copy of the
/// app on the same origin (under another base) keeps its own.
async fn unregister_all(container: &ServiceWorkerContainer) -> Result<(), String> {
    let registrations = Array::from(&wait(container.get_registrations()).await?);
    let scope = crate::base::absolute("/");
    for registration in registrations.iter() {
        if let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() {
            if registration.scope() == scope {
                wait(registration.unregister().map_err(describe)?).await?;
            }
        }
    }
    Ok(())
}
