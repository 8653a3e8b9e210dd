//! The load generator: `CLIENTS` tasks, each sending one GET after the other (a closed
//! loop: a slow answer delays that client's next request, as a person waiting for a
//! screen would), for a fixed time, over one HTTP client with its log-in cookie.
//! Hand-written rather than wrk: it runs in-process, so CI needs nothing new, and it
//! times each request itself for the percentiles.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Barrier;

use crate::common::{ms, quantile};

/// One load's requests: every latency, the wall time they took together, and the
/// server's CPU time meanwhile.
#[derive(Default)]
pub struct Figures {
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
    pub server_cpu: Duration,
}

impl Figures {
    pub fn add(&mut self, other: Figures) {
        self.latencies.extend(other.latencies);
        self.elapsed += other.elapsed;
        self.server_cpu += other.server_cpu;
    }

    /// The server's CPU time per request.
    pub fn cpu_per_request(&self) -> Duration {
        self.server_cpu / self.latencies.len().max(1) as u32
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    pub fn p50(&mut self) -> Duration {
        quantile(&mut self.latencies, 0.5)
    }

    pub fn p99(&mut self) -> Duration {
        quantile(&mut self.latencies, 0.99)
    }

    pub fn print(&mut self, name: &str) {
        let (count, rate) = (self.latencies.len(), self.per_second());
        let (p50, p99, cpu) = (ms(self.p50()), ms(self.p99()), ms(self.cpu_per_request()));
        println!("{name:<44} {count:>8} {rate:>8.0} {p50:>10} {p99:>10} {cpu:>10}");
    }
}

/// `clients` concurrent clients sending `GET url` back to back for `duration`; each
/// answer must be 200 and is read to its end before it counts.
pub async fn closed_loop(http: &reqwest::Client, url: &str, clients: usize, duration: Duration) -> Figures {
    let start_line = Arc::new(Barrier::new(clients + 1));
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (http, url, start_line) = (http.clone(), url.to_owned(), start_line.clone());
        tasks.push(tokio::spawn(async move {
            start_line.wait().await;
            let started = Instant::now();
            let mut latencies = Vec::new();
            while started.elapsed() < duration {
                let sent = Instant::now();
                let reply = http.get(&url).send().await.expect("an answer");
                assert_eq!(reply.status(), 200, "GET {url}");
                reply.bytes().await.expect("the body");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    start_line.wait().await;
    let started = Instant::now();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    Figures { latencies, elapsed: started.elapsed(), server_cpu: Duration::ZERO }
}
