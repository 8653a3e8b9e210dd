use chrono::{DateTime, Utc};
use domain::ValidationErrors;

/// Why a use case refused or failed. The HTTP layers map each to one status.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("not logged in")]
    NotLoggedIn,
    #[error("wrong username or password")]
    BadCredentials,
    /// Too many failed log-ins; the person may try again at `until`, which is `wait`
    /// from now (by the services' clock, so the page need not read one of its own).
    #[error("too many failed log-ins; try again after {until}")]
    LockedOut { until: DateTime<Utc>, wait: chrono::Duration },
    /// The device was signed off; its owner must log in again to sync.
    #[error("this device was revoked")]
    DeviceRevoked,
    /// The device key is older than its life; its owner must log in again to sync.
    #[error("this device key has expired")]
    DeviceKeyExpired,
    #[error("not allowed")]
    Forbidden,
    /// Not found, or not to be known to exist by this actor.
    #[error("not found")]
    NotFound,
    #[error("this link is invalid, used or expired")]
    LinkInvalid,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("storage unavailable: {0}")]
    Store(#[source] store::StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// What a client hears when a unique rule refused a write: the same sentence whoever
/// holds the value (the caller, their team or someone they may not know exists), and
/// no table, constraint or column (the store's text goes to the log only).
pub const ALREADY_EXISTS: &str = "already exists";

impl From<store::StoreError> for ServiceError {
    fn from(err: store::StoreError) -> Self {
        match err {
            store::StoreError::Duplicate(what) => {
                tracing::info!(%what, "write refused by a unique rule");
                ServiceError::Conflict(ALREADY_EXISTS.to_owned())
            }
            other => ServiceError::Store(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_names_no_table_or_rule() {
        let store_text = "street contact 0190 (street_contacts.id)".to_owned();
        let ServiceError::Conflict(detail) = ServiceError::from(store::StoreError::Duplicate(store_text)) else {
            panic!("a duplicate is a conflict")
        };
        assert_eq!(detail, ALREADY_EXISTS);
    }
}
