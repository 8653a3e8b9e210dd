//! The phone side of offline capture: every entry is saved on the phone first (an
//! outbox in IndexedDB), shown at once as "not yet sent", and pushed when the network
//! allows; photos follow their signal; the team's signals are pulled for the "is it
//! one of these?" check. The rules live in `domain::sync` (the same code the server's
//! tests hold it to); this module only drives them from the browser.
//!
//! What is rendered on the server is the empty state ("starting"): the queue lives on
//! the phone, so only the hydrated page can count it.

mod entries;
#[cfg(feature = "hydrate")]
pub mod shift;
#[cfg(feature = "hydrate")]
mod sync_engine;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

pub use entries::{EntryState, QueuedEntry};

/// Where sending stands, for the sync bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not yet read from the phone's storage (and always so on the server).
    Starting,
    /// Nothing is being sent just now.
    Idle,
    Working,
    /// The network is down or the server did not answer; will try again by itself.
    Offline,
    /// The server answered with an error; will try again by itself.
    Failing,
    /// The device was refused (revoked, or no session to register it): log in again.
    NeedsLogin,
    /// This browser cannot keep entries (no IndexedDB, e.g. a private window).
    Unavailable,
    /// Wijkpost is open in another tab or window, which keeps the queue: entries are
    /// saved there, never in two places at once.
    OtherPage,
}

/// The phone's state as the pages see it. Cheap to copy: only signals.
#[derive(Clone, Copy)]
pub struct Phone {
    pub status: RwSignal<SyncStatus>,
    /// Entries saved on the phone and not yet answered for by the server.
    pub pending: RwSignal<usize>,
    /// Entries the server refused or kept as a conflict: a person must look.
    pub attention: RwSignal<usize>,
    /// Photos saved on the phone and not yet fully uploaded.
    pub photos_pending: RwSignal<usize>,
    pub last_sync: RwSignal<Option<DateTime<Utc>>>,
    /// Every queued entry, oldest first, for the outbox screen and the lists.
    pub entries: RwSignal<Vec<QueuedEntry>>,
    /// Waiting entries left out of `entries` (a queue of thousands is only counted).
    pub not_shown: RwSignal<usize>,
    /// A new version of the app is installed and waits for a reload.
    pub update_ready: RwSignal<bool>,
    /// Whether the browser promised to keep the phone's data (`None`: not known yet).
    pub persisted: RwSignal<Option<bool>>,
}

pub fn provide_phone() {
    let phone = Phone {
        status: RwSignal::new(SyncStatus::Starting),
        pending: RwSignal::new(0),
        attention: RwSignal::new(0),
        photos_pending: RwSignal::new(0),
        last_sync: RwSignal::new(None),
        entries: RwSignal::new(Vec::new()),
        not_shown: RwSignal::new(0),
        update_ready: RwSignal::new(false),
        persisted: RwSignal::new(None),
    };
    provide_context(phone);
    #[cfg(feature = "hydrate")]
    sync_engine::follow_session(phone);
}

pub fn use_phone() -> Phone {
    expect_context::<Phone>()
}

/// Why an entry could not be saved on the phone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    /// The phone's storage is not open (yet, or at all in this browser).
    #[error("the phone's storage is not available")]
    NoStorage,
    #[error("writing to the phone's storage failed: {0}")]
    Storage(String),
    #[error("the photo could not be read: {0}")]
    Photo(String),
}

/// Saves a new entry in the outbox (and its photo, if any) and starts sending.
/// Returns the entry's id once it is safely on the phone.
#[cfg(feature = "hydrate")]
pub async fn save_entry(
    body: domain::sync::MutationBody,
    photo: Option<sync_engine::PreparedPhoto>,
) -> Result<Uuid, SaveError> {
    sync_engine::save_entry(body, photo).await
}

#[cfg(feature = "hydrate")]
pub use sync_engine::{
    device_name, nearby_open_signals, prepare_photo, pulled_version, set_device_name, PreparedPhoto,
};

/// Sends now, without waiting for the back-off timer (the "send now" button).
pub fn sync_now() {
    #[cfg(feature = "hydrate")]
    sync_engine::trigger(domain::sync::SyncTrigger::Manual);
}

/// Removes an entry that needs attention, on the person's explicit say-so.
pub fn dismiss(entry: Uuid) {
    #[cfg(feature = "hydrate")]
    sync_engine::dismiss(entry);
    #[cfg(not(feature = "hydrate"))]
    let _ = entry;
}

/// Reloads into the newly installed version of the app.
pub fn apply_update() {
    #[cfg(feature = "hydrate")]
    sync_engine::apply_update();
}

/// Forgets the pages kept for offline use (they show the person's data) at log-out.
pub fn forget_offline_pages() {
    #[cfg(feature = "hydrate")]
    sync_engine::forget_offline_pages();
}

/// "14:05" (today) or "24 nov, 14:05", Brussels time, in the page's language: the
/// same code on both sides (see `i18n::when`), so the phone's own zone plays no part.
#[expect(
    clippy::disallowed_methods,
    reason = "the phone's own clock says what is today; the server renders no phone state"
)]
pub fn short_local_time(at: DateTime<Utc>) -> String {
    crate::i18n::when::recent(crate::i18n::use_locale(), at, Utc::now())
}
