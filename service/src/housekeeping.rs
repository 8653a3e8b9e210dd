//! What runs on a schedule rather than on a request: expired sessions and old log-in
//! failures go, street contacts past their retention are deleted (each leaving a
//! tombstone so phones drop their copy), abandoned photo uploads are removed.

use crate::{ServiceError, Services};

/// What one round removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub contacts: u64,
    pub photo_uploads: u64,
}

impl Services {
    /// One round of housekeeping; each step runs even when an earlier one failed, and
    /// the first failure is returned after all have run.
    pub async fn sweep(&self) -> (Swept, Option<ServiceError>) {
        let now = self.now();
        let mut first_error = None;
        let mut keep = |result: Result<u64, store::StoreError>, what: &str| match result {
            Ok(n) => n,
            Err(err) => {
                tracing::warn!(error = %err, "housekeeping: could not remove {what}");
                first_error.get_or_insert(ServiceError::from(err));
                0
            }
        };
        let sessions = keep(self.store.delete_expired_sessions(now).await, "expired sessions");
        // Failed log-ins older than the longest throttling window no longer count.
        keep(
            self.store.delete_login_failures_before(now - crate::throttle::LONGEST_WINDOW).await,
            "old log-in failures",
        );
        let retention = self.settings.contact_retention;
        let contacts = keep(self.store.delete_contacts_before(now - retention, now).await, "old street contacts");
        // A photo upload untouched for a week was abandoned; see domain::photo.
        let stale = now - chrono::Duration::days(domain::photo::STALE_UPLOAD_DAYS);
        let photo_uploads = keep(self.store.delete_stale_photo_uploads(stale).await, "abandoned photo uploads");
        (Swept { sessions, contacts, photo_uploads }, first_error)
    }
}
