//! One app-side change as the next import would find it, run by the import's own steps on a
//! copy of the org: the sourcing diagram's "what if" (`crate::what_if`).

use super::*;
use crate::dry_run::DryRun;
use crate::profile::CORE_USER_URN;
use crate::transport::HttpRequest;

/// A change the app makes to one linked person's account before the next import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppChange {
    /// The app deactivates the account (`active: false`).
    Deactivated,
    /// The app deletes the account: the next import does not find it.
    Removed,
    /// The app activates the account again (`active: true`).
    Reactivated,
}

impl Org {
    /// The app account linked to `user_id` as Okta last knew it: the app user profile it
    /// pushed or imported, under the account's `id`, active as last pushed or imported.
    pub(crate) fn known_account(&self, user_id: &str) -> Option<Map<String, Value>> {
        let app_user = self
            .directory
            .app_user(&self.app.id, user_id)
            .filter(|a| a.is_assigned())?;
        let id = app_user.external_id.clone()?;
        let mut account = Map::new();
        account.insert("schemas".into(), serde_json::json!([CORE_USER_URN]));
        account.insert("id".into(), Value::String(id));
        for (name, value) in &app_user.profile {
            if let Some(attribute) = self.app.profile.get(name) {
                crate::scim_json::set(&mut account, attribute, value.clone());
            }
        }
        account.insert("active".into(), Value::Bool(app_user.active));
        Some(account)
    }

    /// Applies, to this org, what the next import would do after `change` to the account
    /// linked to `user_id`, and returns the row it sorted that account into (`None` when the
    /// person has no linked account) and the requests it sent. Meant for a copy: the import's
    /// own steps run (the download, sorting, applying), over a list in which every other
    /// account is as Okta last knew it, and only this person's row is applied.
    ///
    /// # Errors
    ///
    /// None in practice (the dry run's list is well formed); the download's error otherwise.
    pub(crate) async fn import_one_change(
        &mut self,
        user_id: &str,
        change: AppChange,
        clock: &dyn Clock,
    ) -> Result<(Option<RowKind>, Vec<HttpRequest>), ImportError> {
        let Some(mut account) = self.known_account(user_id) else {
            return Ok((None, Vec::new()));
        };
        let accounts = match change {
            AppChange::Removed => Vec::new(),
            AppChange::Deactivated | AppChange::Reactivated => {
                account.insert(
                    "active".into(),
                    Value::Bool(change == AppChange::Reactivated),
                );
                vec![account]
            }
        };
        let transport = DryRun::accounts(accounts);
        let downloaded = {
            let (mut p, _, _) = self.provisioner(&transport, clock);
            download(&mut p).await?
        };
        let mapper = Mapper::new(self);
        let rows: Vec<ImportRow> = self
            .sort_into_rows(&mapper, &downloaded.resources, clock)
            .await
            .into_iter()
            .filter(|row| row.linked_user.as_deref() == Some(user_id))
            .collect();
        let kind = rows.first().map(|row| row.kind);
        let mut run = ImportRun {
            job_id: "dry-run".into(),
            started_ms: clock.now_ms(),
            status: RunStatus::AwaitingConfirmation,
            stats: statistics(downloaded.resources.len(), &rows),
            rows,
        };
        self.apply(&mut run, clock).await;
        Ok((kind, transport.sent()))
    }
}
