//! Where this browser's space goes: the server's data, the traffic log, the Okta org and the
//! cached app, each measured (`crate::storage::parts`), with what frees space beside them.

use leptos::prelude::*;
use protocol::admin::Endpoint;
use protocol::traffic::BOUNDS;

use crate::api;
use crate::storage::{self, Parts};

/// "about 1.2 MB", or a dash when the part could not be measured.
fn amount(bytes: Option<u64>) -> String {
    match bytes {
        Some(0) => "nothing".to_string(),
        Some(bytes) => format!("about {}", storage::size(bytes as f64)),
        None => "—".to_string(),
    }
}

#[component]
pub fn SpaceTable() -> impl IntoView {
    let parts = RwSignal::new(None::<Parts>);
    let measure =
        move || leptos::task::spawn_local(async move { parts.set(Some(storage::parts().await)) });
    measure();
    let notice = RwSignal::new(None::<String>);

    let clear_traffic = move |_| {
        leptos::task::spawn_local(async move {
            match api::admin(Endpoint::ClearTraffic, "", None, "backup").await {
                Ok(reply) if reply.status == 204 => {
                    notice.set(Some("The traffic log is empty.".into()))
                }
                Ok(reply) => notice.set(Some(format!(
                    "The traffic log could not be cleared (status {}).",
                    reply.status
                ))),
                Err(e) => notice.set(Some(format!("The traffic log could not be cleared: {e}."))),
            }
            measure();
        });
    };

    let rows = move || {
        parts.get().map(|p| {
            let traffic = match p.traffic {
                Some((records, bytes)) => format!(
                    "{} ({records} exchanges; it keeps {BOUNDS})",
                    amount(Some(bytes)),
                ),
                None => amount(None),
            };
            [
                ("Server data", format!("{} (users, groups and settings, and a copy of them that starts the server fast)", amount(p.server)), "server"),
                ("Traffic log", traffic, "traffic"),
                ("Okta org", amount(p.okta), "okta"),
                ("Cached app", amount(p.app), "app"),
            ]
            .into_iter()
            .map(|(part, text, key)| {
                view! {
                    <tr data-part=key><th scope="row">{part}</th><td>{text}</td></tr>
                }
            })
            .collect_view()
        })
    };

    view! {
        <table class="table table--wrap space" data-testid="storage-parts">
            <caption class="visually-hidden">"Space used by each part of this app's data"</caption>
            <tbody>{rows}</tbody>
        </table>
        <p class="muted">"These are the sizes of the stored text; the browser compresses some of it, so its own figure above may be smaller. To free space: clear the traffic log, or back up everything and reset the server (Reset, above) or the Okta org (Directory)."</p>
        <div class="toolbar">
            <button class="button button--ghost" type="button" on:click=clear_traffic data-testid="space-clear-traffic">"Clear the traffic log"</button>
            <button class="button button--ghost" type="button" on:click=move |_| measure()>"Measure again"</button>
        </div>
        {move || notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
    }
}
