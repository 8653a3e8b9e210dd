//! What the fuzz targets share: the properties they check, and two product modules
//! compiled in from their own source files.
//!
//! `service::jpeg` and `app::ssr::local_time` are included by path rather than by
//! linking `service` and `app`: a fuzz build instruments every crate it links, and
//! those two would bring sqlx, tokio and leptos along (minutes of build in the test
//! command) for modules that need only img-parts and chrono-tz. It is the same file,
//! built against the same crate versions (`fuzz/Cargo.lock` began as a copy of the
//! main one), so the targets run the code the request path runs.

#[path = "../../service/src/jpeg.rs"]
pub mod jpeg;
#[path = "../../app/src/ssr/local_time.rs"]
pub mod local_time;

pub mod jpeg_walk;
pub mod json;
pub mod ledger_checks;
