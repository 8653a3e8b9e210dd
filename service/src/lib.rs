//! Wijkpost's use cases. Each one identifies the asking [`Actor`], asks
//! `domain::policy` whether the action is allowed, calls the store, and writes the
//! access log when personal data is shown. Server functions and the JSON API are thin
//! layers over these functions, so no path to the data skips a check.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod devices;
mod error;
pub mod records;
pub mod secrets;
pub mod sync;
pub mod throttle;

use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use domain::policy::{Action, Actor, Decision, Resource};
pub use error::ServiceError;
use store::Store;

/// Settings the use cases need (from the server's configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    pub session_ttl: chrono::Duration,
    pub throttle: throttle::Limits,
    /// How long an invitation or reset link stays valid.
    pub password_link_ttl: chrono::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_ttl: chrono::Duration::hours(12),
            throttle: throttle::Limits::default(),
            password_link_ttl: chrono::Duration::hours(72),
        }
    }
}

/// The entry point: the store and the settings, cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub settings: Settings,
}

impl Services {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        Self { store, settings }
    }

    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The actor for a stored user.
pub fn actor_of(user: &domain::User) -> Actor {
    Actor { user_id: user.id, role: user.role, team_id: user.team_id, org_id: user.partner_org_id }
}

/// Ok when the policy allows, otherwise the matching refusal.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Result<(), ServiceError> {
    match domain::policy::decide(actor, action, resource) {
        Decision::Allow => Ok(()),
        Decision::Forbidden => Err(ServiceError::Forbidden),
        Decision::Hidden => Err(ServiceError::NotFound),
    }
}
