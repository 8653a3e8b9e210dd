//! Push latency with 200 phones at once, over loopback HTTP, against the real
//! `wijkpost` binary (built with the bench profile) on a SQLite file, and that
//! process's peak memory. Two loads:
//! - *burst*: every phone sends its pushes back to back, all starting together (a
//!   shift ending, everyone back in coverage): the server's throughput, and the wait a
//!   push sees behind the queue of the others (SQLite has one writer);
//! - *steady*: every phone pushes at its own random moments at a fixed total rate
//!   (open loop, so a slow server does not slow the arrivals): the latency a phone sees
//!   on a busy but not saturated server.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::Barrier;

use crate::common::{contact_batch, ms, quantile, Device};
use crate::process::Server;

pub const DEVICES: usize = 200;
pub const RECORDS: usize = 100;
const BURST_PUSHES_PER_DEVICE: usize = 5;
const STEADY_PUSHES_PER_SECOND: f64 = 50.0;
const STEADY_SECONDS: f64 = 10.0;

/// One load's figures.
pub struct Load {
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
    /// The server's CPU time meanwhile.
    pub server_cpu: Duration,
}

impl Load {
    pub fn print(&mut self, name: &str, baseline: Duration) {
        let pushes = self.latencies.len();
        let p50 = quantile(&mut self.latencies, 0.5);
        let p99 = quantile(&mut self.latencies, 0.99);
        let records_per_s = (pushes * RECORDS) as f64 / self.elapsed.as_secs_f64();
        println!(
            "{name:<34} {pushes:>6} {:>10} {:>10} {:>10.0} {:>9.0} x {:>10}",
            ms(p50),
            ms(p99),
            records_per_s,
            p50.as_secs_f64() / baseline.as_secs_f64(),
            ms(self.server_cpu / pushes.max(1) as u32)
        );
    }
}

/// Every phone pushes `BURST_PUSHES_PER_DEVICE` times back to back, all at once.
pub async fn burst(server: &Server, devices: &mut [Device], hood: domain::NeighbourhoodId) -> Load {
    run(server, devices, hood, |_| Vec::from([Duration::ZERO; BURST_PUSHES_PER_DEVICE])).await
}

/// Pushes at random moments: on average `STEADY_PUSHES_PER_SECOND` in all, for
/// `STEADY_SECONDS`, each phone's moments drawn independently (seeded).
pub async fn steady(server: &Server, devices: &mut [Device], hood: domain::NeighbourhoodId) -> Load {
    let per_device = (STEADY_PUSHES_PER_SECOND * STEADY_SECONDS / DEVICES as f64).round() as usize;
    run(server, devices, hood, |n| {
        let mut rng = StdRng::seed_from_u64(n as u64);
        let mut moments: Vec<f64> = (0..per_device).map(|_| rng.gen_range(0.0..STEADY_SECONDS)).collect();
        moments.sort_by(f64::total_cmp);
        moments.into_iter().map(Duration::from_secs_f64).collect()
    })
    .await
}

/// Runs every phone's pushes at the moments `schedule` gives (offsets from the common
/// start; a push due while the previous one is still under way waits for it).
async fn run(
    server: &Server,
    devices: &mut [Device],
    hood: domain::NeighbourhoodId,
    schedule: impl Fn(usize) -> Vec<Duration>,
) -> Load {
    let http = reqwest::Client::new();
    let start_line = Arc::new(Barrier::new(devices.len() + 1));
    let mut tasks = Vec::new();
    for (n, device) in devices.iter_mut().enumerate() {
        // The bodies are made before the clock starts: the phone has them ready.
        let bodies: Vec<Vec<u8>> = schedule(n)
            .into_iter()
            .map(|_| serde_json::to_vec(&contact_batch(device, hood, RECORDS)).expect("JSON"))
            .collect();
        let moments = schedule(n);
        let (http, start_line) = (http.clone(), start_line.clone());
        let url = format!("{}/api/v1/sync/push", server.base);
        let (origin, credential) = (server.base.clone(), format!("Device {}", device.credential));
        tasks.push(tokio::spawn(async move {
            start_line.wait().await;
            let started = Instant::now();
            let mut latencies = Vec::with_capacity(bodies.len());
            for (body, moment) in bodies.into_iter().zip(moments) {
                tokio::time::sleep(moment.saturating_sub(started.elapsed())).await;
                let sent = Instant::now();
                let reply = http
                    .post(&url)
                    .header("origin", &origin)
                    .header("authorization", &credential)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("an answer");
                assert_eq!(reply.status(), 200, "a push");
                reply.bytes().await.expect("the receipts");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    start_line.wait().await;
    let (started, cpu_before) = (Instant::now(), server.cpu_time());
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a phone"));
    }
    Load { latencies, elapsed: started.elapsed(), server_cpu: server.cpu_time() - cpu_before }
}
