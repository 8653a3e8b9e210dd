//! WAL checkpoints off the writer's path. SQLite's own auto-checkpoint runs inside the
//! commit that crosses 1000 WAL pages, so every few pushes one waited for copying the
//! WAL into the file and its fsyncs: that commit took 10–20 ms instead of 1 ms, which
//! was the pushes' p99 and half the ingest median. Here a task checkpoints on a reader
//! connection instead; a PASSIVE checkpoint takes no write lock, so pushes go on
//! meanwhile. Durability is unchanged: a commit is in the WAL before it is answered,
//! checkpointed or not.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::SqlitePool;

/// How often the task checkpoints: at 500 records per push the WAL grows by a few
/// hundred pages a push, so it stays near the size SQLite's default would keep.
const INTERVAL: Duration = Duration::from_millis(200);

/// The writer's own auto-checkpoint, as a bound should the task fall behind: ten times
/// SQLite's default of 1000 pages (about 40 MB of WAL).
pub(super) const WRITER_AUTOCHECKPOINT_PAGES: &str = "10000";

/// Held by the store (every clone shares it): the task stops once the last is dropped.
#[derive(Debug, Clone)]
pub(super) struct Checkpointer(
    #[expect(dead_code, reason = "held, never read: its strong count tells the task the store is alive")] Arc<()>,
);

impl Checkpointer {
    pub(super) fn start(pool: SqlitePool) -> Self {
        let alive = Arc::new(());
        tokio::spawn(run(pool, Arc::downgrade(&alive)));
        Self(alive)
    }
}

async fn run(pool: SqlitePool, alive: Weak<()>) {
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.strong_count() == 0 || pool.is_closed() {
            return;
        }
        // A busy or failed checkpoint is retried at the next tick; the writer's bound
        // still holds meanwhile.
        if let Err(e) = sqlx::query(crate::sql::SQLITE_CHECKPOINT).execute(&pool).await {
            tracing::debug!(error = %e, "background WAL checkpoint");
        }
    }
}
