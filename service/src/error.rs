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
    /// Too many failed log-ins; the person may try again at `until`.
    #[error("too many failed log-ins; try again after {until}")]
    LockedOut { until: DateTime<Utc> },
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

impl From<store::StoreError> for ServiceError {
    fn from(err: store::StoreError) -> Self {
        match err {
            store::StoreError::Duplicate(what) => ServiceError::Conflict(what),
            other => ServiceError::Store(other),
        }
    }
}
