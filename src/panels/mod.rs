//! The panels of the playground, grouped as in the navigation.
//!
//! Each panel has one entry here (its slug, title and purpose, shown in the navigation and on
//! the overview) and one arm in [`PanelPage`].

pub mod app_data;
pub mod console;
pub mod directory;
pub mod explain;
pub mod import;
pub mod mappings;
pub mod overview;
pub mod provisioning;
pub mod scenarios;
pub mod share;
pub mod system_log;
pub mod tests;
pub mod traffic;

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::hooks::use_params_map;

/// One panel: its URL slug, its title, and one sentence on what it is for.
pub struct Panel {
    pub slug: &'static str,
    pub title: &'static str,
    pub purpose: &'static str,
}

/// A titled group of panels in the navigation.
pub struct Group {
    pub title: &'static str,
    pub panels: &'static [Panel],
}

/// The first group is the two ways in that the overview offers (a lesson, a test of one's own
/// server); then Okta's admin pages; then the playground's tools.
pub const GROUPS: &[Group] = &[
    Group {
        title: "Start here",
        panels: &[
            Panel {
                slug: "scenarios",
                title: "Scenarios",
                purpose: "Seven guided lessons: first push, PUT vs PATCH, deprovisioning, imports, safeguards, Okta vs Entra ID, paging.",
            },
            Panel {
                slug: "tests",
                title: "Tests",
                purpose: "Okta's SPEC test and the lifecycle CRUD flow, step by step, against any SCIM server.",
            },
        ],
    },
    Group {
        title: "Okta",
        panels: &[
            Panel {
                slug: "directory",
                title: "Directory",
                purpose: "Okta users and groups: create, edit, lifecycle actions, and assignment to the app.",
            },
            Panel {
                slug: "app-data",
                title: "App data",
                purpose: "What the SCIM server holds: users and groups as raw JSON, edited \"inside the app\".",
            },
            Panel {
                slug: "provisioning",
                title: "Provisioning",
                purpose: "The To App, To Okta and API Integration settings of the app's Provisioning tab.",
            },
            Panel {
                slug: "mappings",
                title: "Mappings",
                purpose: "Attribute mappings in both directions, with live previews, and the Profile Editor.",
            },
            Panel {
                slug: "import",
                title: "Import",
                purpose: "Import users from the app, review matches row by row, and confirm assignments.",
            },
            Panel {
                slug: "system-log",
                title: "System Log",
                purpose: "The simulator's events with Okta's event type names, each linked to its SCIM exchange.",
            },
        ],
    },
    Group {
        title: "Playground",
        panels: &[
            Panel {
                slug: "traffic",
                title: "Traffic",
                purpose: "Every SCIM exchange, live: request and response side by side, copy as curl, HAR export.",
            },
            Panel {
                slug: "console",
                title: "Console",
                purpose: "Send any SCIM request to the built-in server or an external one, from templates.",
            },
            Panel {
                slug: "share",
                title: "Share",
                purpose: "A link that carries your configuration, previewed as a diff before anything applies.",
            },
            Panel {
                slug: "explain",
                title: "Explain",
                purpose: "The parse tree of a filter or PATCH, which resources match and why, rule by rule.",
            },
        ],
    },
];

/// Finds a panel by its slug.
pub fn find(slug: &str) -> Option<&'static Panel> {
    GROUPS
        .iter()
        .flat_map(|group| group.panels.iter())
        .find(|panel| panel.slug == slug)
}

/// The page for `/:panel`.
///
/// Each panel's code is fetched the first time the panel opens: `scripts/build-split.sh` splits
/// the page's WebAssembly at the `split_panel!` entry points below, so the first load carries
/// the shell and what the panels share, not twelve panels (issue #2's size budget).
#[component]
pub fn PanelPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.read().get("panel").unwrap_or_default();
        match find(&slug).map(|panel| panel.slug) {
            Some("directory") => loaded(directory_panel()),
            Some("app-data") => loaded(app_data_panel()),
            Some("provisioning") => loaded(provisioning_panel()),
            Some("mappings") => loaded(mappings_panel()),
            Some("import") => loaded(import_panel()),
            Some("system-log") => loaded(system_log_panel()),
            Some("traffic") => loaded(traffic_panel()),
            Some("console") => loaded(console_panel()),
            Some("tests") => loaded(tests_panel()),
            Some("share") => loaded(share_panel()),
            Some("scenarios") => loaded(scenarios_panel()),
            Some("explain") => loaded(explain_panel()),
            _ => view! { <NotFound/> }.into_any(),
        }
    }
}

/// A panel's entry point in the split module named first: the first call fetches the module,
/// later calls go straight in. A failed fetch (the network gone before the service worker had
/// cached the module) is an error the page shows, not a panic, which would stop the whole page.
///
/// The eight panels that drive the Okta simulator share one module with it (`okta_panels`):
/// a call between modules goes through the function table, and with one module per panel the
/// simulator's code was spread over shared modules and generating 10,000 people took twice as
/// long (`scripts/bench-ui.mjs`); it also made 247 modules instead of 29. The playground's
/// panels, which share little, have one each.
macro_rules! split_panel {
    ($split:ident, $entry:ident, $module:ident::$panel:ident) => {
        #[cfg(playground_split)]
        #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $entry() -> Result<AnyView, SplitLoaderError> {
            Ok(view! { <$module::$panel/> }.into_any())
        }

        // A build that is not split (tests) calls the panel directly.
        #[cfg(not(playground_split))]
        async fn $entry() -> Result<AnyView, SplitLoaderError> {
            Ok(view! { <$module::$panel/> }.into_any())
        }
    };
}

split_panel!(okta_panels, directory_panel, directory::DirectoryPanel);
split_panel!(app_data_panel, app_data_panel, app_data::AppDataPanel);
split_panel!(
    okta_panels,
    provisioning_panel,
    provisioning::ProvisioningPanel
);
split_panel!(okta_panels, mappings_panel, mappings::MappingsPanel);
split_panel!(okta_panels, import_panel, import::ImportPanel);
split_panel!(okta_panels, system_log_panel, system_log::SystemLogPanel);
split_panel!(traffic_panel, traffic_panel, traffic::TrafficPanel);
split_panel!(console_panel, console_panel, console::ConsolePanel);
split_panel!(okta_panels, tests_panel, tests::TestsPanel);
split_panel!(okta_panels, share_panel, share::SharePanel);
split_panel!(okta_panels, scenarios_panel, scenarios::ScenariosPanel);
split_panel!(explain_panel, explain_panel, explain::ExplainPanel);

/// Shows a panel once its module has arrived, says so while it is on its way, and says what to
/// do if it could not be fetched.
fn loaded(
    panel: impl Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
) -> AnyView {
    view! {
        <Suspense fallback=|| view! { <p class="panel-loading" role="status">"Loading the panel…"</p> }>
            {Suspend::new(async move {
                match panel.await {
                    Ok(view) => view,
                    Err(_) => view! { <PanelUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// A panel whose module could not be fetched.
#[component]
fn PanelUnavailable() -> impl IntoView {
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h1 id="panel-title" class="panel__title">"This panel could not be loaded"</h1>
            <p>
                "Its code is fetched the first time it opens, and the fetch failed: the network "
                "may be gone. Once the app has been open online, every panel also opens offline."
            </p>
            <button class="button" on:click=reload>"Reload"</button>
        </section>
    }
}

/// Any URL that is not a panel.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h1 id="panel-title" class="panel__title">"No such page"</h1>
            <p>
                "SCIM Playground has no page at this address. Pick a panel from the navigation, or go to the "
                <a href=crate::base::join("/")>"start page"</a> "."
            </p>
        </section>
    }
}
