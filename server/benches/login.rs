//! What a log-in costs on this machine: one argon2id hash and verify (the parameters
//! the service uses), and a whole HTTP log-in (throttle check, lookup, verify, session
//! row, cookie) against the real server on SQLite, next to `GET /healthz` on the same
//! server as the baseline. Prints medians and ratios; asserts nothing.
//!
//!     cargo bench -p server --bench login

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
                assert!(service::secrets::verify_password("wijkpost-demo", &phc));
                start.elapsed()
            })
            .collect(),
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: SecretString::from(format!("sqlite://{}/bench.db", dir.path().display())),
        site_root: dir.path().join("site"),
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
}
