//! Server functions, one file per screen. Each checks who is asking first.

pub mod auth;
pub mod contacts;
pub mod home;
