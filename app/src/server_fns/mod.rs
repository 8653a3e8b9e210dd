//! Server functions, one file per screen. Each asks the service layer, which checks
//! who is asking against the policy.

pub mod admin;
pub mod auth;
pub mod contacts;
pub mod home;
#[cfg(feature = "ssr")]
mod read_records;
pub mod signals;
pub mod team;
