//! Import safeguards: an import that would unassign too many users pauses instead
//! (docs/okta-model.md §4).
//!
//! The app-level safeguard applies only to apps with more than 100 assigned users and the
//! org-level one only to orgs with at least 100 assignments, so small test orgs are never
//! blocked; both default to 20 %.

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
        let trips = |guard: Safeguard, assigned: usize| {
            guard.enabled
                && would_unassign.saturating_mul(100)
                    >= usize::from(guard.percent).saturating_mul(assigned)
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
            (21, 101, 99, Some(Level::App)),
            (20, 101, 99, None),
            (20, 100, 100, Some(Level::Org)),
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
}
