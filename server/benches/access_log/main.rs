//! What the access log costs a read, against the real `wijkpost` binary (bench profile)
//! on a SQLite file over loopback HTTP, side by side in one run:
//! - *unlogged*: an intervention officer reads the team's 50 newest contacts through
//!   `GET /api/v1/contacts?limit=50`; the policy withholds the notes, so nothing is
//!   shown that the log records (no rows);
//! - *logged*: a team lead reads the team's 50 newest signals through
//!   `GET /api/v1/signals?limit=50`; the descriptions shown are logged (one entry
//!   naming the 50 signals, written before the answer leaves);
//! - and, to tell the log's cost from the listings', the team lead reading the 50
//!   contacts (the first read, with the notes shown and logged), and a partner reading
//!   the same 50 signals, referred to it, without their descriptions (not logged).
//!
//! `CLIENTS` clients each send one request after the other for `ROUND`, the loads
//! taking turns for `ROUNDS` rounds so all meet the same machine and the same database
//! size. Prints requests/s, p50 and p99 of each and the ratios to the unlogged read;
//! checks that every logged answer left its entry naming its 50 records (counted in
//! the database after the run) and asserts nothing about speed.
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

use crate::load::{closed_loop, Figures};
use crate::process::Server;

const TEAM: &str = "Wijkteam Antwerpen";
const OFFICER: &str = "agent.antwerpen";
const TEAM_LEAD: &str = "teamleider.antwerpen";
const INTERVENTION: &str = "interventie.antwerpen";
const PARTNER: &str = "partner.straathoekwerk";
const PASSWORD: &str = "wijkpost-demo";
/// Records per screen: a list a person scrolls through.
const RECORDS: usize = 50;
const CLIENTS: usize = 16;
const ROUNDS: usize = 3;
const ROUND: Duration = Duration::from_secs(3);
const WARM_UP: Duration = Duration::from_secs(1);

/// One kind of request, sent over and over: who, what, and whether each answer leaves
/// an access-log entry.
struct Load {
    name: &'static str,
    http: reqwest::Client,
    url: String,
    logged: bool,
    figures: Figures,
}

#[tokio::main]
async fn main() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let server = Server::start(folder.path()).await;
    let officer = log_in(&server.base, INTERVENTION).await;
    let lead = log_in(&server.base, TEAM_LEAD).await;
    let partner = log_in(&server.base, PARTNER).await;
    seed(&server.base, server.hood(TEAM).await, &lead, &partner).await;
    let contacts = format!("{}/api/v1/contacts?limit={RECORDS}", server.base);
    let signals = format!("{}/api/v1/signals?limit={RECORDS}", server.base);
    check_screens(&officer, &lead, &partner, &contacts, &signals).await;
    let load = |name, http: &reqwest::Client, url: &String, logged| Load {
        name,
        http: http.clone(),
        url: url.clone(),
        logged,
        figures: Figures::default(),
    };
    let mut loads = [
        load("unlogged: intervention officer, 50 contacts", &officer, &contacts, false),
        load("logged: team lead, 50 signals", &lead, &signals, true),
        // The same read as the first, with the notes shown and logged: the log's own cost.
        load("logged: team lead, 50 contacts", &lead, &contacts, true),
        // The same 50 signals without their descriptions (referred to the partner, who
        // may not read the police's text): the signal listing's cost without the log.
        load("unlogged: partner, the 50 signals referred", &partner, &signals, false),
    ];

    let log = sqlx::SqlitePool::connect(&server.url).await.expect("the server's SQLite file");
    let before = logged(&log).await;
    let (mut entries_owed, mut records_owed) = (0, 0);
    for round in 0..=ROUNDS {
        for load in &mut loads {
            // Round 0 warms the server's caches and connections and is not counted.
            let duration = if round == 0 { WARM_UP } else { ROUND };
            let cpu_before = server.cpu_time();
            let mut figures = closed_loop(&load.http, &load.url, CLIENTS, duration).await;
            figures.server_cpu = server.cpu_time() - cpu_before;
            if load.logged {
                // One entry per answer (the seeded records are all the police's own),
                // naming each record shown.
                entries_owed += figures.latencies.len() as i64;
                records_owed += (figures.latencies.len() * RECORDS) as i64;
            }
            if round > 0 {
                load.figures.add(figures);
            }
        }
    }
    let after = logged(&log).await;
    let (entries_written, records_written) = (after.0 - before.0, after.1 - before.1);

    println!(
        "reads of {RECORDS} records, {CLIENTS} clients back to back, {ROUNDS} alternating rounds of {} s, \
         loopback HTTP, release wijkpost on SQLite",
        ROUND.as_secs()
    );
    println!("{:<44} {:>8} {:>8} {:>10} {:>10} {:>10}", "load", "requests", "req/s", "p50", "p99", "server CPU");
    for load in &mut loads {
        load.figures.print(load.name);
    }
    let [contacts_unlogged, signals_logged, contacts_logged, signals_unlogged] = &mut loads;
    println!("ratios, logged to unlogged:");
    ratio(signals_logged, contacts_unlogged, "the issue's pair: signals (logged) to contacts (not)");
    ratio(contacts_logged, contacts_unlogged, "the same 50 contacts, notes shown and logged or not");
    ratio(signals_logged, signals_unlogged, "the same 50 signals, texts shown and logged or not");
    println!("targets: throughput >= 70 % of unlogged, p99 <= 2 x");
    println!(
        "access log: {entries_written} entries naming {records_written} records written, \
         {entries_owed} naming {records_owed} owed by the answers received"
    );
    println!("server peak memory (VmHWM): {:.1} MiB", server.peak_memory_mib());
    log.close().await;
    server.stop().await;
    assert_eq!((entries_written, records_written), (entries_owed, records_owed), "every logged answer left its entry");
}

/// How `logged` compares with `unlogged`: throughput, p99 and the server's CPU time
/// per request.
fn ratio(logged: &mut Load, unlogged: &mut Load, what: &str) {
    let (l, u) = (&mut logged.figures, &mut unlogged.figures);
    let throughput = 100.0 * l.per_second() / u.per_second();
    let p99 = l.p99().as_secs_f64() / u.p99().as_secs_f64();
    let cpu = l.cpu_per_request().as_secs_f64() / u.cpu_per_request().as_secs_f64();
    println!("  {what:<54} throughput {throughput:>4.0} %, p99 {p99:.2} x, server CPU {cpu:.2} x");
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
/// newest of the team's, so both screens show these. The team lead refers each signal
/// to the partner's organisation, whose screen then lists the same 50.
async fn seed(base: &str, hood: domain::NeighbourhoodId, lead: &reqwest::Client, partner: &reqwest::Client) {
    let http = log_in(base, OFFICER).await;
    let me: Value =
        partner.get(format!("{base}/api/v1/me")).send().await.expect("an answer").json().await.expect("JSON");
    let org = me["partner_org_id"].clone();
    assert!(org.is_string(), "the partner's organisation: {me}");
    for n in 0..RECORDS {
        let contact = json!({ "neighbourhood_id": hood, "mobility": "bike", "kind": "conversation",
            "reason": "youth", "outcome": "informed", "street": "Turnhoutsebaan",
            "note": format!("Jongeren vragen naar het nieuwe voetbalveld ({n}).") });
        let signal = json!({ "neighbourhood_id": hood, "category": "lighting", "urgency": "normal",
            "street": "Turnhoutsebaan", "description": format!("Lamp {n} aan de speeltuin is stuk.") });
        let mut filed = Value::Null;
        for (path, body) in [("contacts", contact), ("signals", signal)] {
            let reply = http
                .post(format!("{base}/api/v1/{path}"))
                .header("origin", base)
                .json(&body)
                .send()
                .await
                .expect("an answer");
            assert_eq!(reply.status(), 201, "POST /api/v1/{path}");
            filed = reply.json().await.expect("the record filed");
        }
        let referral = json!({ "status": "referred", "referred_to_org_id": org });
        let reply = lead
            .patch(format!("{base}/api/v1/signals/{}", filed["id"].as_str().expect("the signal's id")))
            .header("origin", base)
            .json(&referral)
            .send()
            .await
            .expect("an answer");
        assert_eq!(reply.status(), 200, "the referral to the partner");
    }
}

/// Every screen shows `RECORDS` records; only the team lead's show personal data.
async fn check_screens(
    officer: &reqwest::Client,
    lead: &reqwest::Client,
    partner: &reqwest::Client,
    contacts: &str,
    signals: &str,
) {
    let read = |http: &reqwest::Client, url: &str| {
        let request = http.get(url);
        async move { request.send().await.expect("an answer").json::<Vec<Value>>().await.expect("JSON") }
    };
    let shown = |s: &Value, field: &str| s[field].as_str().is_some_and(|d| !d.is_empty());
    let list = read(officer, contacts).await;
    assert_eq!(list.len(), RECORDS, "the intervention officer's contacts");
    assert!(list.iter().all(|c| !shown(c, "note")), "an intervention officer sees no notes");
    let list = read(lead, contacts).await;
    assert_eq!(list.len(), RECORDS, "the team lead's contacts");
    assert!(list.iter().all(|c| shown(c, "note")), "a team lead reads the notes");
    let list = read(lead, signals).await;
    assert_eq!(list.len(), RECORDS, "the team lead's signals");
    assert!(list.iter().all(|s| shown(s, "description")), "a team lead reads the descriptions");
    let ids = |list: &[Value]| list.iter().map(|s| s["id"].clone()).collect::<Vec<_>>();
    let referred = read(partner, signals).await;
    assert_eq!(ids(&referred), ids(&list), "the partner's screen lists the same signals");
    assert!(referred.iter().all(|s| !shown(s, "description")), "a partner does not read the police's text");
}

/// The access log's entries, and the records they name.
async fn logged(db: &sqlx::SqlitePool) -> (i64, i64) {
    let entries = sqlx::query_scalar("SELECT COUNT(*) FROM access_log").fetch_one(db).await.expect("the entries");
    let records = sqlx::query_scalar(
        "SELECT COALESCE(SUM(json_array_length(fields.value, '$.records')), 0) \
         FROM access_log, json_each(access_log.shown) AS fields",
    )
    .fetch_one(db)
    .await
    .expect("the records named");
    (entries, records)
}
