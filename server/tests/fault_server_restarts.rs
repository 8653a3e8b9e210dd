//! The fault test of exactly-once sync: a phone pushes thousands of street contacts
//! while the real `wijkpost` process is killed with SIGKILL at random moments (during
//! start-up, between requests, in the middle of a push's transaction) and restarted on
//! the same port and database. Afterwards the database holds every contact exactly
//! once and the phone's outbox has a receipt for each.
//!
//! The phone side is the domain's `Outbox` driven the way the app drives it: entries
//! are saved in bursts, pushed in batches with a short timeout, receipts and failures
//! fed back, and failed pushes retried after the domain's back-off (scaled down, so the
//! test takes seconds, not the minutes a phone would wait).
//!
//! Prints `fault test [store]: N=… kills=… lost=… duplicated=…` on stderr; see it with
//! `cargo test -p server --test fault_server_restarts -- --nocapture`.

#![expect(clippy::expect_used, reason = "a test stops at the line that failed, saying what it expected")]

mod fault;
#[path = "api/support/mod.rs"]
#[expect(dead_code, reason = "the API tests' support; the fault test needs only its TestServer")]
mod support;

use fault::{Counts, Phone, ServerProcess};
use store::testing::TestDatabase;
use support::TestServer;

/// Contacts the phone logs during the test.
const N: usize = 3000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_contact_exactly_once_through_kills() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}/wijkpost.db", folder.path().display());
    survive_kills("sqlite", &url, folder.path(), 0x5EED_0001).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_contact_exactly_once_through_kills() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let database = TestDatabase::create("wijkpost_fault").await;
    let outcome = tokio::spawn({
        let url = database.url.clone();
        let path = folder.path().to_owned();
        async move { survive_kills("postgres", &url, &path, 0x5EED_0002).await }
    })
    .await;
    database.drop_database().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn survive_kills(backend: &str, url: &str, folder: &std::path::Path, seed: u64) {
    let server = ServerProcess::start(url, folder).await;
    let lookup = store::connect(url).await.expect("the store, for looking up a neighbourhood");
    // The process runs its own use cases; these, on its store, are never used here.
    let services = service::Services::new(lookup.clone(), Default::default(), std::sync::Arc::new(domain::SystemClock));
    let api = TestServer { base: server.base(), store: lookup, services };
    let teams = api.store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == "Wijkteam Borgerhout").expect("the demo's Borgerhout team");
    let hood = api.store.neighbourhoods_of_team(team.id).await.expect("neighbourhoods")[0].id;
    let mut phone = Phone::register(&api, "agent.borgerhout", hood, seed).await;

    let killer = server.kill_repeatedly(seed, phone.in_flight_flag());
    let stats = phone.log_and_sync(N).await;
    let (server, kills) = killer.stop().await;

    let Counts { distinct, rows } = fault::count_contacts(url).await;
    let lost = N - distinct;
    let duplicated = rows - distinct;
    eprintln!(
        "fault test [{backend}]: N={N} kills={} (mid-push {}, during start-up {}) lost={lost} duplicated={duplicated} \
         pushes={} retries={} acknowledged={}",
        kills.total, kills.mid_push, kills.starting, stats.pushes, stats.retries, stats.acknowledged
    );
    assert!(kills.total >= 20, "the server was killed only {} times: not a hostile enough run", kills.total);
    assert!(kills.mid_push >= 5, "only {} kills hit a push under way", kills.mid_push);
    assert_eq!((lost, duplicated), (0, 0), "every contact stored exactly once");
    assert_eq!(stats.acknowledged, N, "every outbox entry acknowledged as applied, none needs attention");
    phone.assert_receipts_name_their_records();

    // A phone that never heard the last answers sends again: same receipts, nothing new.
    phone.replay_first(200).await;
    assert_eq!(fault::count_contacts(url).await, Counts { distinct: N, rows: N }, "a late replay changes nothing");
    server.stop().await;
}
