//! Import safeguards: an import that would unassign too many users pauses instead
//! (docs/okta-model.md §4).
//!
//! The rule, as the settings, the banner, the System Log and the code all state it ([`RULE`]):
//! the seed defines the percentage as "the maximum percentage of users … that can be left
//! unassigned while still allowing the import to proceed", so exactly that share proceeds and
//! more pauses. The app-level safeguard applies only to apps with more than 100 assigned users
//! and the org-level one only to orgs with at least 100 assignments (Okta's documentation, in
//! docs/okta-model.md), so small test orgs are never blocked; both default to 20 %.

/// The rule in one sentence, for the settings' help.
pub const RULE: &str = "An import that would unassign more than this share of assigned users \
    pauses before changing anything; exactly this share proceeds. The app level counts only \
    apps with more than 100 assigned users, the org level only orgs with at least 100 \
    assignments.";

use serde::{Deserialize, Serialize};

/// The fewest assigned users for which the app-level safeguard applies is one more than this.
pub const APP_THRESHOLD: usize = 100;

/// The fewest assignments for which the org-level safeguard applies.
pub const ORG_THRESHOLD: usize = 100;

/// One safeguard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Safeguard {
    /// Whether it is on.
    pub enabled: bool,
    /// The share of assigned users, in percent, whose unassignment trips it.
    pub percent: u8,
}

impl Default for Safeguard {
    fn default() -> Self {
        Safeguard {
            enabled: true,
            percent: 20,
        }
    }
}

/// Both safeguards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Safeguards {
    /// App level.
    pub app: Safeguard,
    /// Org level.
    pub org: Safeguard,
}

/// Which safeguard tripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// The app-level safeguard.
    App,
    /// The org-level safeguard.
    Org,
}

/// A tripped safeguard, with the numbers the roadblock message shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tripped {
    /// Which one.
    pub level: Level,
    /// How many users the import would unassign.
    pub would_unassign: usize,
    /// How many users (or assignments) it is measured against.
    pub assigned: usize,
    /// The limit, in percent.
    pub percent: u8,
}

impl Tripped {
    /// What the banner and the System Log say: "this import would unassign 30 of 110 assigned
    /// users, more than 20 %".
    pub fn describe(&self) -> String {
        format!(
            "this import would unassign {} of {} assigned users, more than {} %",
            self.would_unassign, self.assigned, self.percent
        )
    }
}

impl Safeguards {
    /// The one check of the settings, used by the To Okta form and the share decoder alike:
    /// each level's percent is 1 to 100 (0 % would stop every import that unassigns anyone).
    ///
    /// # Errors
    ///
    /// The first level whose percent is out of range.
    pub fn validate(&self) -> Result<(), Level> {
        for (level, guard) in [(Level::App, self.app), (Level::Org, self.org)] {
            if !(1..=100).contains(&guard.percent) {
                return Err(level);
            }
        }
        Ok(())
    }

    /// Whether unassigning `would_unassign` users trips a safeguard, given the app's assigned
    /// users (deactivated ones count) and the org's assignments. The app level is checked
    /// first.
    pub fn check(
        &self,
        would_unassign: usize,
        app_assigned: usize,
        org_assigned: usize,
    ) -> Option<Tripped> {
        if would_unassign == 0 {
            return None;
        }
        // More than the percentage trips it; exactly the percentage proceeds.
        let trips = |guard: Safeguard, assigned: usize| {
            guard.enabled
                && would_unassign.saturating_mul(100)
                    > usize::from(guard.percent).saturating_mul(assigned)
        };
        if app_assigned > APP_THRESHOLD && trips(self.app, app_assigned) {
            return Some(Tripped {
                level: Level::App,
                would_unassign,
                assigned: app_assigned,
                percent: self.app.percent,
            });
        }
        if org_assigned >= ORG_THRESHOLD && trips(self.org, org_assigned) {
            return Some(Tripped {
                level: Level::Org,
                would_unassign,
                assigned: org_assigned,
                percent: self.org.percent,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_and_percentages() {
        let guards = Safeguards::default();
        let cases = [
            // (would unassign, app assigned, org assigned, tripped level)
            (0, 500, 500, None),
            (20, 100, 99, None),
            // 21 of 101 is 20.8 %: more than 20 %.
            (21, 101, 99, Some(Level::App)),
            (20, 101, 99, None),
            // Exactly 20 % proceeds, at either level; one more pauses.
            (40, 200, 99, None),
            (41, 200, 99, Some(Level::App)),
            (20, 100, 100, None),
            (21, 100, 100, Some(Level::Org)),
            (19, 100, 100, None),
            (99, 99, 99, None),
        ];
        for (would, app, org, level) in cases {
            assert_eq!(
                guards.check(would, app, org).map(|t| t.level),
                level,
                "{would}/{app}/{org}"
            );
        }
        let off = Safeguards {
            app: Safeguard {
                enabled: false,
                percent: 20,
            },
            org: Safeguard {
                enabled: false,
                percent: 20,
            },
        };
        assert_eq!(off.check(500, 500, 500), None);
    }

    #[test]
    fn the_banner_and_the_log_say_more_than() {
        let tripped = Safeguards::default().check(41, 200, 0).expect("tripped");
        assert_eq!(
            tripped.describe(),
            "this import would unassign 41 of 200 assigned users, more than 20 %"
        );
        assert!(
            RULE.contains("more than this share") && RULE.contains("exactly this share proceeds")
        );
    }
}
