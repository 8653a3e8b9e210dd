//! What a log-in costs on this machine: one argon2id hash and verify (the parameters
//! the service uses), and a whole HTTP log-in (throttle check, lookup, verify, session
//! row, cookie) against the real server on SQLite, next to `GET /healthz` on the same
//! server as the baseline. Then the three ways a log-in fails — an account without a
//! password yet, a username nobody has, a wrong password — side by side: they should
//! take as long as each other, or the answer tells which accounts exist (issue 8,
//! item 10: 2 ms, 14–41 ms and 14–20 ms before). Prints medians and ratios; asserts
//! nothing about time.
//!
//!     cargo bench -p server --bench login

// Clippy does not count a bench as a test (clippy.toml allows `expect` in tests only).
#![expect(clippy::expect_used, reason = "a benchmark stops at the first failure, saying where")]

use std::time::{Duration, Instant};

use secrecy::SecretString;
use server::config::Config;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn time_async<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    median(samples)
}

#[tokio::main]
async fn main() {
    let runs = 21;
    let phc = service::secrets::hash_password("wijkpost-demo").expect("hash");
    let hash = median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let _ = service::secrets::hash_password("wijkpost-demo");
                start.elapsed()
            })
            .collect(),
    );
    let verify = median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                assert!(service::secrets::verify_password("wijkpost-demo", Some(&phc)));
                start.elapsed()
            })
            .collect(),
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: SecretString::from(format!("sqlite://{}/bench.db", dir.path().display())),
        site_root: dir.path().join("site"),
        // Every failed log-in below counts; none of the limits may lock the bench out.
        login_max_failures: 1_000_000,
        login_max_failures_per_address: 1_000_000,
        login_max_failures_per_account: 1_000_000,
        ..Config::default()
    };
    let running = server::start(&config).await.expect("server");
    let base = format!("http://{}", running.addr);
    tokio::spawn(running.serve());
    let client = reqwest::Client::builder().build().expect("client");
    let health = time_async(101, || async {
        client.get(format!("{base}/healthz")).send().await.expect("healthz");
    })
    .await;
    let login = time_async(runs, || async {
        let reply = client
            .post(format!("{base}/api/login"))
            .header("origin", &base)
            .form(&[("username", "agent.borgerhout"), ("password", "wijkpost-demo")])
            .send()
            .await
            .expect("log-in");
        assert_eq!(reply.status(), 200);
    })
    .await;

    let failed = failed_log_ins(&client, &base, runs).await;

    println!("argon2id parameters: {}", phc.split('$').nth(3).unwrap_or("?"));
    println!("{:<34} {:>10}", "step (median)", "time");
    println!("{:<34} {:>10}", format!("argon2id hash ({runs} runs)"), ms(hash));
    println!("{:<34} {:>10}", format!("argon2id verify ({runs} runs)"), ms(verify));
    println!("{:<34} {:>10}", "GET /healthz (101 runs, baseline)", ms(health));
    println!("{:<34} {:>10}", format!("POST /api/login ({runs} runs)"), ms(login));
    println!(
        "log-in = {:.0} x baseline; argon2 verify is {:.0} % of a log-in",
        login.as_secs_f64() / health.as_secs_f64(),
        100.0 * verify.as_secs_f64() / login.as_secs_f64()
    );

    let fastest = failed.iter().map(|(_, d)| *d).min().unwrap_or_default();
    let slowest = failed.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!();
    println!("failed log-ins, POST /api/login, median of {runs} each (interleaved):");
    println!("{}", failed.iter().map(|(what, _)| format!("{what:>16}")).collect::<String>());
    println!("{}", failed.iter().map(|(_, d)| format!("{:>16}", ms(*d))).collect::<String>());
    println!("slowest / fastest = {:.2}", slowest.as_secs_f64() / fastest.as_secs_f64().max(f64::EPSILON));
}

/// The three failing log-ins, each timed once per round in turn, so a slower moment of
/// the machine does not fall on one of them only.
async fn failed_log_ins(client: &reqwest::Client, base: &str, runs: usize) -> [(&'static str, Duration); 3] {
    let invited = invited_account(client, base).await;
    let paths = [
        ("no password yet", invited.as_str()),
        ("unknown user", "niemand.bekend"),
        ("wrong password", "agent.borgerhout"),
    ];
    let mut samples: [Vec<Duration>; 3] = Default::default();
    for _ in 0..runs {
        for (index, (_, username)) in paths.iter().enumerate() {
            let start = Instant::now();
            let reply = client
                .post(format!("{base}/api/login"))
                .header("origin", base)
                .form(&[("username", *username), ("password", "geraden-wachtwoord")])
                .send()
                .await
                .expect("log-in");
            samples[index].push(start.elapsed());
            assert_eq!(reply.status(), 401, "{username}: a failed log-in, not a lock-out");
        }
    }
    let [a, b, c] = samples.map(median);
    [(paths[0].0, a), (paths[1].0, b), (paths[2].0, c)]
}

/// An account as an admin makes it: no password until its one-time link is used.
async fn invited_account(client: &reqwest::Client, base: &str) -> String {
    let login = client
        .post(format!("{base}/api/login"))
        .header("origin", base)
        .form(&[("username", "beheerder"), ("password", "wijkpost-demo")])
        .send()
        .await
        .expect("log-in");
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find(|h| h.starts_with(app::ssr::SESSION_COOKIE))
        .and_then(|h| h.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let created = client
        .post(format!("{base}/api/v1/users"))
        .header("origin", base)
        .header("cookie", cookie)
        .json(&serde_json::json!({ "username": "uitgenodigd", "display_name": "Uitgenodigd", "role": "admin" }))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201, "an account without a password");
    "uitgenodigd".to_owned()
}
