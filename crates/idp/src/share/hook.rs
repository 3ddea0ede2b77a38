//! Where an incoming configuration's inline hook would send the people an import reads, said
//! before anything is applied, and the one destination a link may never choose.

use super::{ShareError, SharedConfig};
use crate::hook::ImportHook;
use crate::org::Org;

/// What applying an incoming configuration does to where imports send people's profiles: said
/// in words by the Share panel before anything is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookDestination {
    /// The inline hook's new URL: every import will POST the people it reads there.
    pub url: String,
    /// Whether the current hook's credential is dropped because the destination's origin
    /// changes (it is never sent to another server).
    pub credential_dropped: bool,
}

/// The new destination of the import hook if `incoming` changes it, `None` when imports keep
/// going where they go now (or to no external hook).
pub fn hook_destination(org: &Org, incoming: &SharedConfig) -> Option<HookDestination> {
    let Some(ImportHook::Http { url: new, .. }) = &incoming.import.hook else {
        return None;
    };
    let (current, authorization) = match &org.import.hook {
        Some(ImportHook::Http { url, authorization }) => (Some(url.as_str()), authorization),
        _ => (None, &None),
    };
    if current == Some(new.as_str()) {
        return None;
    }
    Some(HookDestination {
        url: new.clone(),
        credential_dropped: authorization.is_some()
            && !current.is_some_and(|old| crate::origin::same(old, new)),
    })
}

/// Refuses a configuration whose inline hook would POST to the playground's own origin
/// (`app_origin`, e.g. `https://user.github.io`): the page's requests there reach its own
/// endpoints, so a link could make an import reset or replace the user's data.
///
/// # Errors
///
/// [`ShareError::HookOnAppOrigin`] naming the URL.
pub fn check_hook_destination(config: &SharedConfig, app_origin: &str) -> Result<(), ShareError> {
    match &config.import.hook {
        Some(ImportHook::Http { url, .. })
            if crate::origin::of(url).is_some()
                && crate::origin::of(url) == crate::origin::of(app_origin) =>
        {
            Err(ShareError::HookOnAppOrigin(url.clone()))
        }
        _ => Ok(()),
    }
}
