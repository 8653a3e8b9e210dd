//! The service's integration tests, as one test binary (see DEVELOPERS.md: a new test
//! is a module of it, not a new file under `tests/`). Run one module with e.g.
//! `cargo test -p service --test suite sync_model::`.

#![expect(clippy::expect_used, reason = "a test stops at the line that failed, saying what it expected")]

mod sync_model;
