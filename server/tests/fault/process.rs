//! The real `wijkpost` binary as a child process, and the task that kills it with
//! SIGKILL at seeded random moments and starts it again on the same port and database.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

/// After this many kills the server is left running, so the run always ends; a run
/// that needs them all has made too little progress and fails on its own assertions.
const MAX_KILLS: u32 = 150;
/// Time from one (re)start to the next kill, drawn uniformly.
const KILL_AFTER_MS: std::ops::RangeInclusive<u64> = 50..=400;

/// A running (or just restarted) `wijkpost` process.
pub struct ServerProcess {
    url: String,
    folder: PathBuf,
    port: u16,
    child: Child,
}

/// What the killer did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Kills {
    pub total: u32,
    /// Kills while the phone had a push under way (sent, answer not yet read).
    pub mid_push: u32,
    /// Kills before the process was accepting connections (migrations, seeding check).
    pub starting: u32,
}

impl ServerProcess {
    /// Starts the server on a free port and waits until it answers: the first start
    /// seeds the demo data, which is why it gets a generous minute.
    pub async fn start(url: &str, folder: &Path) -> Self {
        let port = free_port();
        let child = spawn(url, folder, port);
        let server = Self { url: url.to_owned(), folder: folder.to_owned(), port, child };
        server.wait_until_ready(Duration::from_secs(60)).await;
        server
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&self, limit: Duration) {
        let started = Instant::now();
        let client = reqwest::Client::new();
        while started.elapsed() < limit {
            if let Ok(reply) = client.get(format!("{}/readyz", self.base())).send().await {
                if reply.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("wijkpost did not get ready within {limit:?}; its log:\n{}", self.log_tail());
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.folder.join("server.log")).unwrap_or_default();
        let start = log.len().saturating_sub(4000);
        log.get(start..).unwrap_or(&log).to_owned()
    }

    async fn kill_and_restart(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("wijkpost exited by itself ({status}) instead of being killed; its log:\n{}", self.log_tail());
        }
        self.child.start_kill().expect("SIGKILL");
        self.child.wait().await.expect("the killed process is reaped");
        self.child = spawn(&self.url, &self.folder, self.port);
    }

    /// Hands the process to a task that kills it every 50–400 ms (seeded) until told
    /// to stop. `in_flight` is the phone's "push under way" flag, for counting.
    pub fn kill_repeatedly(self, seed: u64, in_flight: Arc<AtomicBool>) -> Killer {
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(kill_loop(self, StdRng::seed_from_u64(seed), in_flight, stop.clone()));
        Killer { stop, task }
    }

    /// Ends the process for good.
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

async fn kill_loop(
    mut server: ServerProcess,
    mut rng: StdRng,
    in_flight: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> (ServerProcess, Kills) {
    let mut kills = Kills::default();
    while kills.total < MAX_KILLS {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(KILL_AFTER_MS))).await;
        if stop.load(Ordering::SeqCst) {
            break;
        }
        // Every other kill waits (briefly) for a push to be under way: a push takes a few
        // milliseconds, so kills at random moments alone would rarely land in one.
        if rng.gen_bool(0.5) {
            let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
            while !in_flight.load(Ordering::SeqCst) && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        let mid_push = in_flight.load(Ordering::SeqCst);
        let listening = TcpStream::connect(("127.0.0.1", server.port)).await.is_ok();
        server.kill_and_restart().await;
        kills.total += 1;
        kills.mid_push += u32::from(mid_push);
        kills.starting += u32::from(!listening);
    }
    (server, kills)
}

/// The running kill loop.
pub struct Killer {
    stop: Arc<AtomicBool>,
    task: JoinHandle<(ServerProcess, Kills)>,
}

impl Killer {
    /// Stops killing and returns the last process, up and ready, with the tally.
    pub async fn stop(self) -> (ServerProcess, Kills) {
        self.stop.store(true, Ordering::SeqCst);
        let (server, kills) = self.task.await.expect("the kill loop");
        server.wait_until_ready(Duration::from_secs(30)).await;
        (server, kills)
    }
}

/// A port nobody listens on now; every restart binds it again.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

fn spawn(url: &str, folder: &Path, port: u16) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(folder.join("server.log"))
        .expect("the server's log file");
    Command::new(env!("CARGO_BIN_EXE_wijkpost"))
        // No wijkpost.toml from the working directory may change the set-up.
        .env("WIJKPOST_CONFIG", folder.join("no-such-config.toml"))
        .env("WIJKPOST_DATABASE_URL", url)
        .env("WIJKPOST_LISTEN", format!("127.0.0.1:{port}"))
        .env("WIJKPOST_SITE_ROOT", folder.join("site"))
        .env("WIJKPOST_DEMO_DATA", "true")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .kill_on_drop(true)
        .spawn()
        .expect("wijkpost starts")
}
