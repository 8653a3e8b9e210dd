//! The one error type of Wijkpost's server functions. It travels to the browser as
//! JSON, so it holds codes, not sentences: the page words it in the reader's language.

use domain::ValidationErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Messages;

/// On the wire: `{"error": "invalid", "errors": [...]}`, `{"error": "not_logged_in"}`, …
/// The server adds a `message` in the requester's language for API clients (see
/// server/src/edge.rs); the page ignores it and words the error itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The submitted entry breaks one or more rules; nothing was saved.
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("not logged in")]
    NotLoggedIn,
    #[error("wrong username or password")]
    LoginFailed,
    /// Too many failed log-ins: try again at `until` (local time, "21:40"), in `minutes`.
    #[error("locked out until {until}")]
    LockedOut { until: String, minutes: i64 },
    /// This phone was signed off; unsent entries stay on it until its owner logs in again.
    #[error("device revoked")]
    DeviceRevoked,
    /// This phone's key ran out (it lives a bounded time); log in again to sync.
    #[error("device key expired")]
    DeviceKeyExpired,
    /// Not found — or not to be known to exist by this person.
    #[error("not found")]
    NotFound,
    #[error("link invalid")]
    LinkInvalid,
    #[error("conflict: {detail}")]
    Conflict { detail: String },
    #[error("not allowed")]
    Forbidden,
    /// The store could not be reached; the entry was not saved and may be retried.
    #[error("service unavailable")]
    Unavailable,
    /// The request itself was malformed (missing field, bad encoding).
    #[error("bad request: {detail}")]
    BadRequest { detail: String },
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::BadRequest { detail: value.to_string() }
    }
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::NotLoggedIn | AppError::LoginFailed | AppError::DeviceRevoked | AppError::DeviceKeyExpired => 401,
            AppError::LockedOut { .. } => 429,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::LinkInvalid => 410,
            AppError::Conflict { .. } => 409,
            AppError::Unavailable => 503,
            AppError::BadRequest { .. } => 400,
        }
    }

    /// One sentence for the top of a form or page.
    pub fn message(&self, m: &Messages) -> String {
        match self {
            AppError::Invalid(_) => m.form_has_errors.into(),
            AppError::NotLoggedIn => m.login_needed.into(),
            AppError::LoginFailed => m.login_failed.into(),
            AppError::LockedOut { until, minutes } => (m.locked_out)(until, *minutes),
            AppError::DeviceRevoked => m.device_revoked.into(),
            AppError::DeviceKeyExpired => m.device_key_expired.into(),
            AppError::NotFound => m.not_found_body.into(),
            AppError::LinkInvalid => m.link_invalid.into(),
            AppError::Conflict { .. } => m.conflict.into(),
            AppError::Forbidden => m.forbidden.into(),
            AppError::Unavailable => m.unavailable.into(),
            AppError::BadRequest { detail } => format!("{} ({detail})", m.bad_request),
        }
    }

    /// The message for one form field, when this error names it.
    pub fn field_message(&self, m: &Messages, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.for_field(field).map(|p| (m.problem)(p)),
            _ => None,
        }
    }
}
