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

use leptos::prelude::*;
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

pub const GROUPS: &[Group] = &[
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
                slug: "tests",
                title: "Tests",
                purpose: "Okta's SPEC test and the lifecycle CRUD flow, step by step, against any SCIM server.",
            },
            Panel {
                slug: "share",
                title: "Share",
                purpose: "A link that carries your configuration, previewed as a diff before anything applies.",
            },
            Panel {
                slug: "scenarios",
                title: "Scenarios",
                purpose: "Guided lessons: first push, PUT vs PATCH, deprovisioning, imports, safeguards.",
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
#[component]
pub fn PanelPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.read().get("panel").unwrap_or_default();
        match find(&slug).map(|panel| panel.slug) {
            Some("directory") => view! { <directory::DirectoryPanel/> }.into_any(),
            Some("app-data") => view! { <app_data::AppDataPanel/> }.into_any(),
            Some("provisioning") => view! { <provisioning::ProvisioningPanel/> }.into_any(),
            Some("mappings") => view! { <mappings::MappingsPanel/> }.into_any(),
            Some("import") => view! { <import::ImportPanel/> }.into_any(),
            Some("system-log") => view! { <system_log::SystemLogPanel/> }.into_any(),
            Some("traffic") => view! { <traffic::TrafficPanel/> }.into_any(),
            Some("console") => view! { <console::ConsolePanel/> }.into_any(),
            Some("tests") => view! { <tests::TestsPanel/> }.into_any(),
            Some("share") => view! { <share::SharePanel/> }.into_any(),
            Some("scenarios") => view! { <scenarios::ScenariosPanel/> }.into_any(),
            Some("explain") => view! { <explain::ExplainPanel/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        }
    }
}

/// Any URL that is not a panel.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h1 id="panel-title" class="panel__title">"No such page"</h1>
            <p>"Pick a panel from the navigation."</p>
        </section>
    }
}
