//! The server's tests over real HTTP, as one test binary: each module was a binary of
//! its own, and each linked the whole server; one link is what a change costs now.
//! Every test that touches a store runs on both (`store::testing::both_stores!`, with
//! [`support::run`]). Run one module with e.g. `cargo test -p server --test api sync::`.
//! The fault test (`fault_server_restarts.rs`) stays a binary of its own: it runs the
//! real `wijkpost` process and takes minutes.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test stops at the line that failed, saying what it expected"
)]

mod support;

mod authorization_matrix;
mod capture;
mod contract;
mod edge;
mod homes;
mod linked_signals;
mod login_throttle;
mod photos;
mod pull;
mod sessions;
mod sync;
