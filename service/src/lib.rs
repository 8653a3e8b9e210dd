//! Wijkpost's use cases. Each one identifies the asking [`Actor`], asks
//! `domain::policy` whether the action is allowed, calls the store, and writes the
//! access log when personal data is shown. Server functions and the JSON API are thin
//! layers over these functions, so no path to the data skips a check.

pub mod access_log;
pub mod accounts;
pub mod auth;
pub mod devices;
pub mod directory;
mod error;
pub mod homes;
pub mod housekeeping;
mod jpeg;
pub mod photos;
mod prepare;
pub mod pull;
pub mod records;
pub mod review;
pub mod secrets;
pub mod sync;
pub mod throttle;

use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use domain::policy::{Action, Actor, Decision, Resource};
use domain::Clock;
pub use error::ServiceError;
use store::Store;

/// Settings the use cases need (from the server's configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    pub session_ttl: chrono::Duration,
    pub throttle: throttle::Limits,
    /// How long an invitation or reset link stays valid.
    pub password_link_ttl: chrono::Duration,
    /// How long a street contact is kept after it happened (see [`CONTACT_RETENTION_DAYS`]).
    pub contact_retention: chrono::Duration,
    /// How long a phone's device key works after it was handed out (see [`DEVICE_KEY_DAYS`]).
    pub device_key_life: chrono::Duration,
}

/// Street contacts are kept 18 months, then deleted. A contact is logged to see
/// patterns by place and hour and to follow up on a situation; a year and a half
/// covers a full seasonal cycle plus the next year's comparison and any follow-up,
/// and past that the note (which may touch on a person despite the reminder) no
/// longer serves the purpose it was collected for (GDPR / LED storage limitation).
/// Configurable (`WIJKPOST_CONTACT_RETENTION_DAYS`) for a city's own schedule.
pub const CONTACT_RETENTION_DAYS: i64 = 548;

/// A phone's device key works 14 days after it was handed out; every password log-in
/// on the phone hands out a new one. The key is a bearer secret on a phone that can be
/// lost: revocation stops it at once, and this bounds the life of a leak nobody
/// noticed. Two weeks covers a week of shifts and a long weekend out of coverage; a
/// phone whose key ran out keeps its unsent entries and sends them after the next
/// log-in. Configurable (`WIJKPOST_DEVICE_KEY_DAYS`).
pub const DEVICE_KEY_DAYS: i64 = 14;

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_ttl: chrono::Duration::hours(12),
            throttle: throttle::Limits::default(),
            password_link_ttl: chrono::Duration::hours(72),
            contact_retention: chrono::Duration::days(CONTACT_RETENTION_DAYS),
            device_key_life: chrono::Duration::days(DEVICE_KEY_DAYS),
        }
    }
}

/// The entry point: the store, the settings and the clock, cheap to clone. The store
/// is private: pages, server functions and the JSON API reach the data only through
/// the use cases here, each of which asks the policy first.
#[derive(Clone)]
pub struct Services {
    store: Arc<dyn Store>,
    pub settings: Settings,
    clock: Arc<dyn Clock>,
}

impl Services {
    /// `clock` is where every use case reads "now" (`domain::SystemClock` on a real
    /// server; a `domain::ManualClock` in tests that need time to pass).
    pub fn new(store: Arc<dyn Store>, settings: Settings, clock: Arc<dyn Clock>) -> Self {
        Self { store, settings, clock }
    }

    /// The current moment by the services' clock: for the layers above (times shown on
    /// a page, a cookie's age) to agree with the use cases' "now".
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The actor for a stored user.
pub fn actor_of(user: &domain::User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        team_id: user.team_id,
        org_id: user.partner_org_id,
        via: domain::policy::Via::Session,
    }
}

/// Ok when the policy allows, otherwise the matching refusal.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Result<(), ServiceError> {
    match domain::policy::decide(actor, action, resource) {
        Decision::Allow => Ok(()),
        Decision::Forbidden => Err(ServiceError::Forbidden),
        Decision::Hidden => Err(ServiceError::NotFound),
    }
}
