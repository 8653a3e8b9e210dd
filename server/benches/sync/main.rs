//! What a sync push costs: its ingest rate on SQLite and PostgreSQL against a raw
//! batched INSERT of the same rows (contact, receipt and feed row per entry: the
//! baseline, same run), and the latency of a 100-record push with 200 phones at once
//! against the real server on SQLite, with the server's peak memory. Prints medians,
//! percentiles and ratios; asserts nothing.
//!
//!     cargo bench -p server --bench sync
//!
//! PostgreSQL: the server in WIJKPOST_TEST_POSTGRES_URL (default
//! postgres://root@127.0.0.1:5432/test), in a database made for the run and dropped
//! after; skipped, saying so, when it cannot be reached.

// Clippy does not count a bench as a test (clippy.toml allows `expect` in tests only).
#![expect(clippy::expect_used, reason = "a benchmark stops at the first failure, saying where")]

mod common;
mod ingest;
mod latency;
mod process;
mod raw_insert;

use std::time::Duration;

use sqlx::{Connection, PgConnection};
use store::testing::{without_password, TestDatabase, DEFAULT_POSTGRES_URL};

#[tokio::main]
async fn main() {
    println!(
        "push ingest: {} contacts per batch, median batch; raw = the same contact, receipt and feed rows, \
         one multi-row INSERT per table per batch (bench-only SQL)",
        ingest::BATCH
    );
    println!("{:<10} {:>14} {:>14} {:>10}", "store", "push rec/s", "raw rec/s", "push/raw");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}/ingest.db", folder.path().display());
    ingest::measure(&url, folder.path()).await.print("SQLite");

    let admin_url = std::env::var("WIJKPOST_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    match postgres_reachable(&admin_url).await {
        Ok(()) => {
            let database = TestDatabase::create("wijkpost_bench").await;
            ingest::measure(&database.url, folder.path()).await.print("PostgreSQL");
            database.drop_database().await;
        }
        Err(why) => println!("PostgreSQL skipped: not reachable at {} ({why})", without_password(&admin_url)),
    }

    println!();
    let server = process::Server::start(folder.path()).await;
    let hood = server.hood(common::TEAM).await;
    let mut devices = common::register_devices(&server.base, latency::DEVICES).await;
    let baseline = server.healthz_median().await;
    println!(
        "push latency: {} records per push, {} phones at once, loopback HTTP, release wijkpost on SQLite",
        latency::RECORDS,
        latency::DEVICES
    );
    println!(
        "{:<34} {:>6} {:>10} {:>10} {:>10} {:>11} {:>10}",
        "load", "pushes", "p50", "p99", "rec/s", "p50/healthz", "CPU/push"
    );
    println!("{:<34} {:>6} {:>10}", "GET /healthz, one client (baseline)", 201, common::ms(baseline));
    latency::steady(&server, &mut devices, hood).await.print("steady (~50 pushes/s, open loop)", baseline);
    latency::burst(&server, &mut devices, hood).await.print("burst (all back to back)", baseline);
    println!("server peak memory (VmHWM): {:.1} MiB", server.peak_memory_mib());
    server.stop().await;
}

async fn postgres_reachable(url: &str) -> Result<(), String> {
    match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(url)).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}
