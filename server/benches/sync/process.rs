//! The real `wijkpost` binary (built with the bench profile) as a child process on a
//! fresh SQLite file, over loopback HTTP: what the latency half of the sync bench and
//! the access-log bench measure against.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::common::{free_port, quantile};

pub struct Server {
    child: Child,
    pub base: String,
    pub url: String,
}

impl Server {
    /// Starts `wijkpost` on a fresh SQLite file in `folder` and waits until it is ready.
    pub async fn start(folder: &std::path::Path) -> Self {
        let port = free_port();
        let url = format!("sqlite://{}/latency.db", folder.display());
        let child = Command::new(env!("CARGO_BIN_EXE_wijkpost"))
            .env("WIJKPOST_CONFIG", folder.join("no-such-config.toml"))
            .env("WIJKPOST_DATABASE_URL", &url)
            .env("WIJKPOST_LISTEN", format!("127.0.0.1:{port}"))
            .env("WIJKPOST_SITE_ROOT", folder.join("site"))
            .env("WIJKPOST_DEMO_DATA", "true")
            .env("WIJKPOST_LOG_FORMAT", "json")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("wijkpost starts");
        let server = Self { child, base: format!("http://127.0.0.1:{port}"), url };
        let http = reqwest::Client::new();
        for _ in 0..1200 {
            if let Ok(reply) = http.get(format!("{}/readyz", server.base)).send().await {
                if reply.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("wijkpost did not get ready within a minute");
    }

    /// The process's peak resident memory so far (`VmHWM`), in MiB.
    pub fn peak_memory_mib(&self) -> f64 {
        let pid = self.child.id().expect("a running process");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status");
        kib / 1024.0
    }

    /// The CPU time the process has used so far (user and system, all threads), from
    /// `/proc/<pid>/stat` in clock ticks of 10 ms.
    pub fn cpu_time(&self) -> Duration {
        let pid = self.child.id().expect("a running process");
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
        // The fields after the command name (which may hold spaces) in parentheses:
        // utime and stime are the 12th and 13th of them.
        let after_name = stat.rsplit_once(')').expect("a stat line").1;
        let ticks: u64 = after_name.split_whitespace().skip(11).take(2).map(|t| t.parse::<u64>().expect("ticks")).sum();
        Duration::from_millis(ticks * 10)
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// The median of `GET /healthz` from one client: the HTTP round trip alone.
    pub async fn healthz_median(&self) -> Duration {
        let http = reqwest::Client::new();
        let mut samples = Vec::new();
        for _ in 0..201 {
            let start = Instant::now();
            http.get(format!("{}/healthz", self.base)).send().await.expect("healthz");
            samples.push(start.elapsed());
        }
        quantile(&mut samples, 0.5)
    }

    /// The first neighbourhood of the demo team `team`, looked up in the database the
    /// server uses.
    pub async fn hood(&self, team: &str) -> domain::NeighbourhoodId {
        let store = store::connect(&self.url).await.expect("the store");
        let teams = store.teams().await.expect("teams");
        let team = teams.iter().find(|t| t.name == team).expect("the demo team").id;
        store.neighbourhoods_of_team(team).await.expect("neighbourhoods")[0].id
    }
}
