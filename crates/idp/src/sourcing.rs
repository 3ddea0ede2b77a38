//! Profile & Lifecycle Sourcing: what an import does to Okta users when the app, as their
//! profile source, deactivates or reactivates them (docs/okta-model.md §4).
//!
//! These are pure decisions; the import applies them through the directory's transitions, so
//! a decision the user's status does not allow is simply not taken.

use serde::{Deserialize, Serialize};

use crate::directory::{Lifecycle, UserStatus};

/// "When a user is deactivated in the app".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OnDeactivated {
    /// Do nothing: the app still sources attributes but not the lifecycle.
    DoNothing,
    /// Deactivate the Okta user (Okta's default).
    #[default]
    Deactivate,
    /// Suspend the Okta user.
    Suspend,
}

/// The sourcing settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Sourcing {
    /// "Allow the app to source Okta users": imports update linked users' profiles and may
    /// change their lifecycle.
    pub enabled: bool,
    /// When a user is deactivated (or removed) in the app.
    pub on_deactivated: OnDeactivated,
    /// "Reactivate suspended Okta users" when they are reactivated in the app.
    pub reactivate_suspended: bool,
    /// "Reactivate deactivated Okta users" when they are reactivated in the app.
    pub reactivate_deactivated: bool,
}

impl Sourcing {
    /// What to do to a linked Okta user in `status` whose app account is now deactivated.
    pub fn on_app_deactivation(&self, status: UserStatus) -> Option<Lifecycle> {
        if !self.enabled {
            return None;
        }
        match (self.on_deactivated, status) {
            (OnDeactivated::DoNothing, _) => None,
            (OnDeactivated::Deactivate, UserStatus::Deprovisioned) => None,
            (OnDeactivated::Deactivate, _) => Some(Lifecycle::Deactivate),
            (
                OnDeactivated::Suspend,
                UserStatus::Active
                | UserStatus::Recovery
                | UserStatus::LockedOut
                | UserStatus::PasswordExpired,
            ) => Some(Lifecycle::Suspend),
            (OnDeactivated::Suspend, _) => None,
        }
    }

    /// What to do to a linked Okta user in `status` whose app account is active again.
    pub fn on_app_reactivation(&self, status: UserStatus) -> Option<Lifecycle> {
        if !self.enabled {
            return None;
        }
        match status {
            UserStatus::Suspended if self.reactivate_suspended => Some(Lifecycle::Unsuspend),
            UserStatus::Deprovisioned if self.reactivate_deactivated => Some(Lifecycle::Reactivate),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_follow_the_settings_and_the_status() {
        let off = Sourcing::default();
        assert_eq!(off.on_app_deactivation(UserStatus::Active), None);
        let on = Sourcing {
            enabled: true,
            ..Sourcing::default()
        };
        assert_eq!(
            on.on_app_deactivation(UserStatus::Active),
            Some(Lifecycle::Deactivate)
        );
        assert_eq!(on.on_app_deactivation(UserStatus::Deprovisioned), None);
        let suspend = Sourcing {
            on_deactivated: OnDeactivated::Suspend,
            reactivate_suspended: true,
            ..on.clone()
        };
        assert_eq!(
            suspend.on_app_deactivation(UserStatus::Active),
            Some(Lifecycle::Suspend)
        );
        assert_eq!(suspend.on_app_deactivation(UserStatus::Staged), None);
        assert_eq!(
            suspend.on_app_reactivation(UserStatus::Suspended),
            Some(Lifecycle::Unsuspend)
        );
        assert_eq!(suspend.on_app_reactivation(UserStatus::Deprovisioned), None);
    }
}
