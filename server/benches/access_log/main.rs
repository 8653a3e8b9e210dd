//! What the access log costs a read, against the real `wijkpost` binary (bench profile)
//! on a SQLite file over loopback HTTP, side by side in one run:
//! - *unlogged*: an intervention officer reads the team's 50 newest contacts through
//!   `GET /api/v1/contacts?limit=50`; the policy withholds the notes, so nothing is
//!   shown that the log records (no rows);
//! - *logged*: a team lead reads the team's 50 newest signals through
//!   `GET /api/v1/signals?limit=50`; each description shown is logged (50 rows per
//!   request, written before the answer leaves).
//!
//! `CLIENTS` clients each send one request after the other for `ROUND`, the two loads
//! alternating for `ROUNDS` rounds so both meet the same machine and the same database
//! size. Prints requests/s, p50 and p99 of each and the ratios; checks that every
//! logged answer left its 50 rows (counted in the database after the run) and asserts
//! nothing about speed.
//!
//!     cargo bench -p server --bench access_log

// Clippy does not count a bench as a test (clippy.toml allows `expect` in tests only).
#![expect(clippy::expect_used, reason = "a benchmark stops at the first failure, saying where")]

#[path = "../sync/common.rs"]
#[expect(dead_code, reason = "shared with the sync bench, which uses the rest")]
mod common;
mod load;
#[path = "../sync/process.rs"]
#[expect(dead_code, reason = "shared with the sync bench, which uses the rest")]
mod process;

use std::time::Duration;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::load::{closed_loop, Figures};
use crate::process::Server;

const TEAM: &str = "Wijkteam Antwerpen";
const OFFICER: &str = "agent.antwerpen";
const TEAM_LEAD: &str = "teamleider.antwerpen";
const INTERVENTION: &str = "interventie.antwerpen";
const PASSWORD: &str = "wijkpost-demo";
/// Records per screen: a list a person scrolls through.
const RECORDS: usize = 50;
const CLIENTS: usize = 16;
const ROUNDS: usize = 3;
const ROUND: Duration = Duration::from_secs(3);
const WARM_UP: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let server = Server::start(folder.path()).await;
    let hood = server.hood(TEAM).await;
    seed(&server.base, hood).await;
    let officer = log_in(&server.base, INTERVENTION).await;
    let lead = log_in(&server.base, TEAM_LEAD).await;
    let unlogged_url = format!("{}/api/v1/contacts?limit={RECORDS}", server.base);
    let logged_url = format!("{}/api/v1/signals?limit={RECORDS}", server.base);
    check_screens(&officer, &unlogged_url, &lead, &logged_url).await;

    let log = sqlx::SqlitePool::connect(&server.url).await.expect("the server's SQLite file");
    let rows_before = access_log_rows(&log).await;
    closed_loop(&officer, &unlogged_url, CLIENTS, WARM_UP).await;
    let mut logged_requests = closed_loop(&lead, &logged_url, CLIENTS, WARM_UP).await.latencies.len();
    let (mut unlogged, mut logged) = (Figures::default(), Figures::default());
    for _ in 0..ROUNDS {
        unlogged.add(closed_loop(&officer, &unlogged_url, CLIENTS, ROUND).await);
        let round = closed_loop(&lead, &logged_url, CLIENTS, ROUND).await;
        logged_requests += round.latencies.len();
        logged.add(round);
    }
    let rows_written = access_log_rows(&log).await - rows_before;

    println!(
        "reads of {RECORDS} records, {CLIENTS} clients back to back, {ROUNDS} alternating rounds of {} s, \
         loopback HTTP, release wijkpost on SQLite",
        ROUND.as_secs()
    );
    println!("{:<44} {:>8} {:>10} {:>10} {:>10}", "load", "requests", "req/s", "p50", "p99");
    unlogged.print("unlogged: intervention officer, 50 contacts");
    logged.print("logged: team lead, 50 signals (50 rows)");
    let throughput = 100.0 * logged.per_second() / unlogged.per_second();
    let p99 = logged.p99().as_secs_f64() / unlogged.p99().as_secs_f64();
    println!("logged/unlogged: throughput {throughput:.0} % (target >= 70 %), p99 {p99:.2} x (target <= 2 x)");
    println!(
        "access-log rows written: {rows_written} for {logged_requests} logged answers ({} expected)",
        logged_requests * RECORDS
    );
    println!("server peak memory (VmHWM): {:.1} MiB", server.peak_memory_mib());
    log.close().await;
    server.stop().await;
    assert_eq!(rows_written, (logged_requests * RECORDS) as i64, "every logged answer left its rows");
}

/// A person's HTTP client, logged in with a password session (a phone's device key
/// may only sync).
async fn log_in(base: &str, username: &str) -> reqwest::Client {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("an HTTP client");
    let reply = http
        .post(format!("{base}/api/login"))
        .header("origin", base)
        .form(&[("username", username), ("password", PASSWORD)])
        .send()
        .await
        .expect("log-in");
    assert!(reply.status().is_success(), "log-in of {username}: {}", reply.status());
    http
}

/// The officer logs `RECORDS` contacts with a note and files `RECORDS` signals: the
/// newest of the team's, so both screens show these.
async fn seed(base: &str, hood: Uuid) {
    let http = log_in(base, OFFICER).await;
    for n in 0..RECORDS {
        let contact = json!({ "neighbourhood_id": hood, "mobility": "bike", "kind": "conversation",
            "reason": "youth", "outcome": "informed", "street": "Turnhoutsebaan",
            "note": format!("Jongeren vragen naar het nieuwe voetbalveld ({n}).") });
        let signal = json!({ "neighbourhood_id": hood, "category": "lighting", "urgency": "normal",
            "street": "Turnhoutsebaan", "description": format!("Lamp {n} aan de speeltuin is stuk.") });
        for (path, body) in [("contacts", contact), ("signals", signal)] {
            let reply = http
                .post(format!("{base}/api/v1/{path}"))
                .header("origin", base)
                .json(&body)
                .send()
                .await
                .expect("an answer");
            assert_eq!(reply.status(), 201, "POST /api/v1/{path}");
        }
    }
}

/// Both screens show `RECORDS` records; only the team lead's show personal data.
async fn check_screens(officer: &reqwest::Client, unlogged: &str, lead: &reqwest::Client, logged: &str) {
    let contacts: Vec<Value> = officer.get(unlogged).send().await.expect("contacts").json().await.expect("JSON");
    assert_eq!(contacts.len(), RECORDS, "the officer's screen");
    assert!(contacts.iter().all(|c| c["note"].is_null()), "an intervention officer sees no notes");
    let signals: Vec<Value> = lead.get(logged).send().await.expect("signals").json().await.expect("JSON");
    assert_eq!(signals.len(), RECORDS, "the team lead's screen");
    let described = |s: &Value| s["description"].as_str().is_some_and(|d| !d.is_empty());
    assert!(signals.iter().all(described), "a team lead reads the descriptions");
}

async fn access_log_rows(db: &sqlx::SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM access_log").fetch_one(db).await.expect("the access log's size")
}
