//! The store's test suite, as one test binary: each test is written once, against the
//! `Store` trait, and `store::testing::both_stores!` (with [`support::run`]) runs it
//! against SQLite and PostgreSQL. Run one module with e.g.
//! `cargo test -p store --test suite identity::`.

#![expect(clippy::expect_used, reason = "a test stops at the line that failed, saying what it expected")]

mod support;

mod basics;
mod homes;
mod identity;
mod linked;
mod photos;
mod pull;
mod records;
mod streets;
mod sync;
mod upgrade;
