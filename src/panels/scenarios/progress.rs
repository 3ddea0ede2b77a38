//! What the Scenarios panel keeps beside a lesson: the step each lesson has reached (so a
//! learner can follow a step's link to another panel and come back), the settings a lesson
//! changes (to put them back at its end), and which panels a step's text names.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};
use idp::client::ClientProfile;
use idp::matching::MatchRules;
use idp::org::Org;
use idp::sourcing::Sourcing;

use crate::panels::{Panel, GROUPS};

/// Where each lesson's step is kept (a UI state, like the Provisioning tab: gloo-storage).
const KEY: &str = "scim-playground.scenario-steps";

/// The step each lesson has reached (also what a backup keeps).
pub fn steps() -> BTreeMap<String, usize> {
    LocalStorage::get(crate::base::scoped(KEY)).unwrap_or_default()
}

/// Replaces every lesson's step (a backup restored).
pub fn replace_steps(all: &BTreeMap<String, usize>) {
    let _ = LocalStorage::set(crate::base::scoped(KEY), all);
}

/// The step `slug` has reached (0 for a lesson never started).
pub fn step(slug: &str) -> usize {
    steps().get(slug).copied().unwrap_or(0)
}

/// Remembers that `slug` has reached `step`.
pub fn remember(slug: &str, step: usize) {
    let mut all = steps();
    if all.get(slug) != Some(&step) {
        all.insert(slug.to_string(), step);
        let _ = LocalStorage::set(crate::base::scoped(KEY), &all);
    }
}

/// The settings a lesson may change: the client profile Okta talks like, the matching rules
/// and sourcing.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    client: ClientProfile,
    matching: MatchRules,
    sourcing: Sourcing,
}

impl Settings {
    pub fn of(org: &Org) -> Settings {
        Settings {
            client: org.app.settings.client,
            matching: org.import.matching.clone(),
            sourcing: org.import.sourcing.clone(),
        }
    }

    /// What differs in `now`, in words ("the client profile (Entra ID now)").
    pub fn differences(&self, now: &Settings) -> Vec<String> {
        let mut out = Vec::new();
        if self.client != now.client {
            out.push(format!(
                "the client profile ({} now, {} before)",
                now.client.label(),
                self.client.label()
            ));
        }
        if self.matching != now.matching {
            out.push("the matching rules (Provisioning › To Okta)".to_string());
        }
        if self.sourcing != now.sourcing {
            out.push("sourcing (Provisioning › To Okta)".to_string());
        }
        out
    }

    /// Puts these settings back into `org`.
    pub fn restore(self, org: &mut Org) {
        org.app.settings.client = self.client;
        org.import.matching = self.matching;
        org.import.sourcing = self.sourcing;
    }
}

/// The panels a step's text names ("Directory › person › Assign app", "the Import panel",
/// "Open the System Log"), in the order of the navigation.
pub fn panels_named(text: &str) -> Vec<&'static Panel> {
    GROUPS
        .iter()
        .flat_map(|group| group.panels.iter())
        .filter(|panel| {
            [" ›", " panel", ":", "."]
                .iter()
                .any(|after| text.contains(&format!("{}{after}", panel.title)))
        })
        .collect()
}
