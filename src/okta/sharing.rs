//! Tabs of the app share one org: after a save a tab says so on a BroadcastChannel, and the
//! others read the saved org before their next job (or at once when idle).

use super::saving::read_saved;
use super::*;

/// The channel on which tabs of the app tell each other that they saved the org. Without it,
/// two open tabs each kept their own copy, and each save silently undid the other tab's work.
const ORG_CHANNEL: &str = "scim-playground-okta";

/// An open channel and the listener that must live as long as it.
type Subscription = (BroadcastChannel, Closure<dyn FnMut(MessageEvent)>);

thread_local! {
    /// The channel and its listener, open for the page's life.
    static ORG_SUBSCRIPTION: RefCell<Option<Subscription>> = const { RefCell::new(None) };
}

/// Tells the other tabs that this tab has just saved the org.
pub(super) fn announce_save() {
    ORG_SUBSCRIPTION.with(|slot| {
        if let Some((channel, _)) = slot.borrow().as_ref() {
            let _ = channel.post_message(&"saved".into());
        }
    });
}

impl OrgHost {
    /// Marks the org stale when another tab saves it, and reads that tab's org as soon as no
    /// job or save of this tab is under way.
    pub(super) fn listen_to_other_tabs(self) {
        let Ok(channel) = BroadcastChannel::new(&crate::base::scoped(ORG_CHANNEL)) else {
            return;
        };
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            self.stale.set_value(true);
            // While a save is under way, `persist` pumps when it is done; before the org is
            // ready, `load` does.
            if !self.saving.get_value() {
                self.pump();
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        ORG_SUBSCRIPTION.with(|slot| *slot.borrow_mut() = Some((channel, listener)));
    }

    /// Replaces this tab's org with the one another tab saved.
    pub(super) async fn take_saved_by_other_tab(self) {
        let read = match store::load().await {
            Ok(saved) => read_saved(saved.org)
                .await
                .map(|org| org.map(|org| (org, saved.clock_offset_ms)))
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let notice = match read {
            Ok(Some((org, clock_offset_ms))) => {
                self.org.set_value(Rc::new(org));
                self.clock_offset_ms.set(clock_offset_ms);
                self.version.update(|v| *v += 1);
                Notice {
                    ok: true,
                    text: "The Okta org was changed in another tab; this tab shows it now.".into(),
                }
            }
            // Nothing saved (the other tab's database was just reset): keep this tab's org.
            Ok(None) => return,
            Err(e) => Notice {
                ok: false,
                text: format!(
                    "Another tab changed the Okta org, and this tab could not read it: {e}"
                ),
            },
        };
        self.notice.set(Some(notice));
    }
}
