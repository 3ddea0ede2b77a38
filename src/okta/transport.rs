//! How the simulator reaches the server from the page: Okta's requests as real `fetch`es (so the
//! worker, DevTools and Traffic see them), the browser's clock with the admin's offset, and the
//! browser's secure random source for passwords.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use idp::clock::Clock;
use idp::transport::{HttpRequest, HttpResponse, SendFuture, Transport, TransportError};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::Exchange;
use crate::api;

/// Fills `bytes` from `crypto.getRandomValues`; false when the browser has no such generator.
pub(super) fn crypto_random(bytes: &mut [u8]) -> bool {
    window()
        .crypto()
        .ok()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(bytes).ok())
        .is_some()
}

/// A new secret for a credential (a bearer token the built-in server will require): 32 bytes
/// from the browser's secure random source, as hex; `None` without such a source.
pub fn secret_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    crypto_random(&mut bytes).then(|| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Okta's requests as real `fetch`es from the page.
pub(super) struct FetchTransport {
    pub(super) progress: RwSignal<Option<(usize, usize)>>,
    pub(super) exchanges: RwSignal<Vec<Exchange>>,
}

impl Transport for FetchTransport {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            // The exchange id in the client tag is how a System Log event finds its traffic.
            let client = match req.exchange_id {
                Some(id) => format!("okta #{id}"),
                None => "okta".to_string(),
            };
            let sent = api::send(
                &req.method,
                &req.url,
                &req.headers,
                req.body.as_deref(),
                &client,
            )
            .await;
            self.exchanges.update(|list| {
                list.push(Exchange {
                    method: req.method.clone(),
                    url: req.url.clone(),
                    outcome: sent.as_ref().map(|r| r.status).map_err(String::clone),
                })
            });
            let reply = sent.map_err(TransportError::Network)?;
            if req.method == "GET" && req.url.contains("startIndex=") {
                self.note_page(&reply);
            }
            Ok(response_of(reply))
        })
    }
}

fn response_of(reply: api::Reply) -> HttpResponse {
    HttpResponse {
        status: reply.status,
        headers: reply.headers,
        body: reply.body,
        cross_origin: reply.cross_origin,
    }
}

/// The reads a push preview makes (`idp::preview`), as real `fetch`es tagged `okta preview` in
/// Traffic: they belong to no job, so they touch neither the activity line nor the System Log.
pub(crate) struct PreviewReads;

impl Transport for PreviewReads {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            api::send(
                &req.method,
                &req.url,
                &req.headers,
                req.body.as_deref(),
                "okta preview",
            )
            .await
            .map(response_of)
            .map_err(TransportError::Network)
        })
    }
}

impl FetchTransport {
    /// Turns a list response into import progress: how far through `totalResults` it reaches.
    fn note_page(&self, reply: &api::Reply) {
        let Some(body) = reply.json() else { return };
        let number = |name: &str| body.get(name).and_then(serde_json::Value::as_u64);
        if let (Some(total), Some(start), Some(per_page)) = (
            number("totalResults"),
            number("startIndex"),
            number("itemsPerPage"),
        ) {
            let done = (start + per_page).saturating_sub(1).min(total);
            self.progress.set(Some((done as usize, total as usize)));
        }
    }
}

/// The browser's clock, shifted by the offset the admin advanced it by.
pub(crate) struct BrowserClock {
    pub(super) offset_ms: Cell<i64>,
    /// Where a rate-limit wait is shown and can be cancelled (the host's clock only).
    pub(super) backoff: Option<RwSignal<Option<super::Backoff>>>,
}

impl BrowserClock {
    /// The browser's own time, unshifted (for timing requests).
    pub(crate) fn real() -> BrowserClock {
        BrowserClock {
            offset_ms: Cell::new(0),
            backoff: None,
        }
    }
}

impl Clock for BrowserClock {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64 + self.offset_ms.get()
    }

    fn sleep(&self, ms: u64) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        Box::pin(async move {
            let _ = JsFuture::from(crate::worker::sleep(ms)).await;
        })
    }

    /// Counts the wait down on the activity line in quarter seconds, and ends it early when
    /// the admin cancels it there.
    fn backoff(&self, ms: u64, why: &str) -> Pin<Box<dyn Future<Output = bool> + '_>> {
        let Some(shown) = self.backoff else {
            return Box::pin(async move {
                self.sleep(ms).await;
                true
            });
        };
        let why = why.to_string();
        Box::pin(async move {
            let end = js_sys::Date::now() + ms as f64;
            let finished = loop {
                let left = end - js_sys::Date::now();
                if left <= 0.0 {
                    break true;
                }
                if shown.with_untracked(|b| b.as_ref().is_some_and(|b| b.cancelled)) {
                    break false;
                }
                shown.set(Some(super::Backoff {
                    remaining_s: (left / 1000.0).ceil() as u64,
                    why: why.clone(),
                    cancelled: false,
                }));
                let _ = JsFuture::from(crate::worker::sleep(left.min(250.0) as i32)).await;
            };
            shown.set(None);
            finished
        })
    }
}
