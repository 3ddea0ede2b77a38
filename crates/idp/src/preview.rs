//! The push preview (Mappings): the requests Okta would send the app for one person now, made
//! by the provisioner's own code on a copy of the org through a [`DryRun`] whose reads reach
//! the real app — an update `PUT`s back the account `GET` returns, so the body is exact only
//! with the app's real answer — and whose writes never leave.

use crate::clock::Clock;
use crate::dry_run::DryRun;
use crate::org::Org;
use crate::push::PushError;
use crate::syslog::LoggedRequest;
use crate::transport::Transport;

/// What a push would send for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct PushPreview {
    /// The requests in order, credentials and secrets (a created user's password) masked as
    /// the System Log keeps them.
    pub requests: Vec<LoggedRequest>,
    /// One sentence: which push this is, or why nothing would be sent.
    pub summary: String,
}

/// The push Okta would make for `user_id` now: assigning them when they are not assigned
/// (the existence check, then `POST /Users` or linking), provisioning them when assigned
/// without an app account, else the profile update. Reads go to `reads`; nothing is written.
///
/// # Errors
///
/// The simulator's refusal (e.g. assigning a deactivated person), a mapping that fails for
/// them, or a read that failed.
pub async fn push_preview(
    org: &Org,
    user_id: &str,
    reads: &dyn Transport,
    clock: &dyn Clock,
) -> Result<PushPreview, PushError> {
    let mut copy = org.clone();
    let transport = DryRun::reading_from(reads);
    let app_user = copy.directory.app_user(&copy.app.id, user_id).cloned();
    let assigned = app_user.as_ref().is_some_and(|a| a.is_assigned());
    let linked = app_user.as_ref().is_some_and(|a| a.external_id.is_some());
    let summary = if !assigned {
        copy.assign_user(&transport, clock, user_id).await?;
        "Assigning them now would send these requests."
    } else {
        let (mut p, dir, _) = copy.provisioner(&transport, clock);
        if linked {
            p.push_profile(dir, user_id, false).await?;
            "The next push of their profile (when an attribute it sends changes) would send these requests."
        } else {
            p.provision(dir, user_id).await?;
            "Provisioning them now would send these requests."
        }
    };
    let requests: Vec<LoggedRequest> = transport.sent().iter().map(LoggedRequest::from).collect();
    let summary = if requests.is_empty() {
        if !copy.app.settings.enabled {
            "Okta would send nothing: provisioning to the app is off.".to_string()
        } else if assigned && linked && !copy.app.settings.to_app.update_attributes {
            "Okta would send nothing: To App's Update User Attributes is off.".to_string()
        } else if assigned && linked {
            "Okta would send nothing now: the app account already holds every value the mappings give this person, as Okta last pushed them. Change a mapping or their profile and the update it causes shows here.".to_string()
        } else {
            "Okta would send nothing: To App's Create Users is off.".to_string()
        }
    } else {
        summary.to_string()
    };
    Ok(PushPreview { requests, summary })
}
