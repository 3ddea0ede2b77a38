//! The org a first visit starts with, and the built-in server as Okta's API Integration names it.

use std::collections::BTreeMap;

use idp::action::DEMO_SEED;
use idp::org::Org;
use idp::push::App;
use idp::settings::{ApiAuth, ProvisioningSettings};

/// The id of the one SCIM app of the simulated org.
pub const APP_ID: &str = "0oa1scimplayground";
/// How many users the demo org starts with.
pub(super) const DEMO_USERS: usize = 12;

/// The base URL of the built-in server, as Okta's API Integration holds it: absolute.
pub fn builtin_base_url() -> String {
    crate::base::absolute("/scim/v2")
}

/// Whether `base_url` is the built-in server.
pub fn is_builtin(base_url: &str) -> bool {
    base_url.trim_end_matches('/') == builtin_base_url()
}

pub(super) fn demo_app() -> App {
    App::scim_template(
        APP_ID,
        "SCIM Playground app",
        ProvisioningSettings::new(&builtin_base_url(), ApiAuth::None),
    )
}

/// The org a first visit starts with: a dozen active people in three groups, nothing assigned,
/// so the first assignment shows Okta's first requests.
pub fn demo_org() -> Org {
    let mut org = Org::new(demo_app(), DEMO_SEED);
    let ids =
        idp::generator::generate_users(&mut org.directory, DEMO_SEED, DEMO_USERS, "example.com")
            .unwrap_or_default();
    for id in &ids {
        idp::action::activate_demo_user(&mut org, id);
    }
    let mut by_department: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in &ids {
        if let Some(user) = org.directory.user(id) {
            let department = user.attr("department").unwrap_or("Staff").to_string();
            by_department
                .entry(department)
                .or_default()
                .push(id.clone());
        }
    }
    for (department, members) in by_department.into_iter().take(3) {
        if let Ok(group) = org
            .directory
            .create_group(&department, &format!("Everyone in {department}"))
        {
            for member in members {
                let _ = org.directory.add_member(&group, &member);
            }
        }
    }
    org
}
