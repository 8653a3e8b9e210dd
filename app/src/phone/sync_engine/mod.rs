//! The sync engine in the browser: one per page, for the logged-in person. It keeps
//! the domain's [`Outbox`] in memory and in IndexedDB, pushes it when a try may
//! succeed (app start, `online`, a new entry, "send now", the back-off timer), then
//! uploads waiting photos and pulls the team's signals.

mod db;
mod device;
mod nearby;
mod net;
mod photo;
mod worker;

use domain::UserId;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use chrono::Utc;
use domain::sync::{FailureKind, ItemState, MutationBody, Outbox, SyncTrigger};
use domain::RecordId;
use idb::Database;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

pub use device::{device_name, set_device_name};
pub use nearby::{nearby_open_signals, pulled_version};
pub use photo::{prepare_photo, PreparedPhoto};

use self::photo::PhotoMeta;
use super::{Phone, QueuedEntry, SaveError, SyncStatus};
use crate::components::use_session;

/// Entries per push: small enough for one quick transaction on the server and a
/// short resend after a cut; large enough that 10,000 queued entries take 40 pushes.
const BATCH: usize = 250;
/// Waiting entries listed on the screens; the rest are counted.
const SHOWN_WAITING: usize = 200;
/// Sent entries the lists keep showing until the next page load.
const SHOWN_SENT: usize = 20;
/// While anything waits, a try at least this often, whatever else happens.
const HEARTBEAT: Duration = Duration::from_secs(60);

struct Engine {
    user_id: UserId,
    db: Rc<Database>,
    outbox: Outbox,
    credential: Option<String>,
    syncing: bool,
    waiting_photos: Vec<PhotoMeta>,
    /// Entries sent since the page opened, newest last: the lists keep showing them
    /// (as "sent") until the page is reloaded with the server's own list.
    sent_recently: Vec<QueuedEntry>,
    retry: Option<TimeoutHandle>,
    phone: Phone,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Runs `f` on the engine if one is running; never across an `await`.
fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Option<R> {
    ENGINE.with_borrow_mut(|engine| engine.as_mut().map(f))
}

/// Starts the engine for whoever logs in, stops it at log-out.
pub fn follow_session(phone: Phone) {
    let session = use_session();
    Effect::new(move |previous: Option<Option<UserId>>| {
        let answer = session.user.get();
        // Only a sure "nobody" drops the kept pages; an unanswered question does not.
        let nobody = matches!(answer, Some(Ok(None)));
        let user = answer.and_then(Result::ok).flatten();
        // Only those with records to carry offline run the engine: the server refuses
        // an admin's pull (no team, no organisation), which showed as an error on
        // every page an admin opened.
        let syncs = user.as_ref().is_some_and(|u| u.can.captures() || u.can.read_signals);
        let id = user.map(|u| u.id);
        if nobody {
            // Logged out: the next person's forms start from nothing.
            super::shift::forget();
        }
        if previous.as_ref() != Some(&id) {
            match id {
                Some(user_id) if syncs => spawn_local(start(phone, user_id)),
                _ => stop(phone),
            }
            let pages = match id {
                Some(user_id) => worker::KeptPages::For(user_id),
                None if nobody => worker::KeptPages::Forget,
                None => worker::KeptPages::Leave,
            };
            worker::register(phone, pages);
        }
        id
    });
    let online = window_event_listener(leptos::ev::online, |_| trigger(SyncTrigger::Online));
    let offline = window_event_listener(leptos::ev::offline, move |_| {
        if phone.pending.get_untracked() > 0 {
            phone.status.set(SyncStatus::Offline);
        }
    });
    // Page-long listeners: the engine lives as long as the page.
    std::mem::forget((online, offline));
    let _ = set_interval_with_handle(|| trigger(SyncTrigger::Timer), HEARTBEAT);
}

async fn start(phone: Phone, user_id: UserId) {
    if with_engine(|e| e.user_id == user_id) == Some(true) {
        trigger(SyncTrigger::AppStart);
        return;
    }
    // Another page holding the queue is only told after a moment: during a page load
    // the page before still holds it for a few milliseconds.
    let told = set_timeout_with_handle(
        move || {
            if phone.status.get_untracked() == SyncStatus::Starting {
                phone.status.set(SyncStatus::OtherPage);
            }
        },
        Duration::from_secs(3),
    );
    worker::hold_outbox(user_id).await;
    if let Ok(told) = told {
        told.clear();
    }
    let db = match db::open(user_id).await {
        Ok(db) => Rc::new(db),
        Err(err) => {
            leptos::logging::warn!("wijkpost: no IndexedDB: {err}");
            phone.status.set(SyncStatus::Unavailable);
            return;
        }
    };
    let outbox = match db::state::<Outbox>(&db, "outbox").await {
        Ok(Some(outbox)) => outbox,
        _ => {
            // Stored at once, before the phone registers: the device id is the phone's
            // for good, not one per page load (each would be a new device on the server).
            let outbox = Outbox::new(domain::DeviceId::new_v7());
            if let Err(err) = db::save_outbox::<()>(&db, &outbox, &[]).await {
                leptos::logging::warn!("wijkpost: cannot store the outbox: {err}");
            }
            outbox
        }
    };
    let last_sync = db::state(&db, "last_sync").await.ok().flatten();
    let waiting_photos = db::photo_metas(&db).await.unwrap_or_default();
    let credential = device::stored_credential(user_id, outbox.device_id());
    ENGINE.set(Some(Engine {
        user_id,
        db,
        outbox,
        credential,
        syncing: false,
        waiting_photos,
        sent_recently: Vec::new(),
        retry: None,
        phone,
    }));
    phone.last_sync.set(last_sync);
    publish();
    worker::ask_persistent_storage(phone);
    trigger(SyncTrigger::AppStart);
}

fn stop(phone: Phone) {
    if let Some(engine) = ENGINE.take() {
        if let Some(retry) = engine.retry {
            retry.clear();
        }
        device::forget_credential();
        worker::forget_pages();
    }
    phone.status.set(SyncStatus::Starting);
    phone.pending.set(0);
    phone.attention.set(0);
    phone.photos_pending.set(0);
    phone.entries.set(Vec::new());
    phone.not_shown.set(0);
}

/// Copies the engine's state into the page's signals.
fn publish() {
    with_engine(|e| {
        // The signals whose photos wait: each the record its entry's create makes.
        let waiting: Vec<RecordId> = e.waiting_photos.iter().map(|p| p.signal_id).collect();
        let mut entries: Vec<QueuedEntry> = e
            .sent_recently
            .iter()
            .map(|sent| QueuedEntry { photo_waiting: waiting.contains(&RecordId::from_uuid(sent.id)), ..sent.clone() })
            .collect();
        // Those needing a person always; of the rest the next few to go. A phone back
        // from a long dead zone may hold thousands, and the screens need only counts.
        let (attention, waiting_items): (Vec<_>, Vec<_>) =
            e.outbox.items().iter().partition(|item| matches!(item.state, ItemState::NeedsAttention(_)));
        let shown = waiting_items.len().min(SHOWN_WAITING);
        entries.extend(
            attention
                .into_iter()
                .chain(waiting_items[..shown].iter().copied())
                .map(|item| QueuedEntry::from_item(item, waiting.contains(&RecordId::from_uuid(item.mutation.id)))),
        );
        e.phone.not_shown.set(waiting_items.len() - shown);
        e.phone.pending.set(e.outbox.pending_count());
        e.phone.attention.set(e.outbox.attention_count());
        e.phone.photos_pending.set(e.waiting_photos.len());
        e.phone.entries.set(entries);
    });
}

pub async fn save_entry(body: MutationBody, photo: Option<PreparedPhoto>) -> Result<Uuid, SaveError> {
    let id = Uuid::now_v7();
    let photo_id = match &body {
        MutationBody::CreateSignal(draft) => draft.photo_id,
        _ => None,
    };
    let db = with_engine(|e| e.db.clone()).ok_or(SaveError::NoStorage)?;
    // The photo first: an entry saved without the photo it announces would leave its
    // signal waiting for bytes that no longer exist.
    if let (Some(photo), Some(photo_id)) = (photo, photo_id) {
        // The signal the create makes takes the entry's (mutation's) id.
        let meta = PhotoMeta::new(photo_id, RecordId::from_uuid(id), &photo.bytes);
        db::put_photo(&db, photo_id, &meta, &photo.bytes).await?;
        with_engine(|e| e.waiting_photos.push(meta));
    }
    #[expect(clippy::disallowed_methods, reason = "the phone's own clock: when the entry was made")]
    let made_at = Utc::now();
    let snapshot = with_engine(|e| {
        e.outbox.enqueue(body, id, made_at);
        e.outbox.clone()
    })
    .ok_or(SaveError::NoStorage)?;
    publish();
    // Should the write fail (storage full), the entry stays queued in memory, is sent
    // while the page lives, and goes to storage with the next successful save; the
    // person is told. Taking it back out would leave a gap in the device's numbers.
    db::save_outbox::<()>(&db, &snapshot, &[]).await?;
    trigger(SyncTrigger::NewEntry);
    Ok(id)
}

pub fn dismiss(entry: Uuid) {
    let Some((db, snapshot)) = with_engine(|e| {
        e.outbox.dismiss(entry)?;
        Some((e.db.clone(), e.outbox.clone()))
    })
    .flatten() else {
        return;
    };
    publish();
    spawn_local(async move {
        let _ = db::save_outbox::<()>(&db, &snapshot, &[]).await;
    });
}

/// Starts a sync round unless one is under way; the timer only fires once the
/// back-off has passed (it is the back-off).
pub fn trigger(why: SyncTrigger) {
    let start = with_engine(|e| {
        if e.syncing || (why == SyncTrigger::Timer && e.retry.is_some()) {
            return false;
        }
        if let Some(retry) = e.retry.take() {
            retry.clear();
        }
        e.syncing = true;
        true
    });
    if start == Some(true) {
        spawn_local(sync_round());
    }
}

async fn sync_round() {
    let outcome = sync_steps().await;
    let retry_in = with_engine(|e| {
        e.syncing = false;
        let status = match &outcome {
            Ok(()) => SyncStatus::Idle,
            Err(FailureKind::Network) => SyncStatus::Offline,
            Err(FailureKind::ServerError) => SyncStatus::Failing,
            Err(FailureKind::AuthRefused) => SyncStatus::NeedsLogin,
        };
        e.phone.status.set(status);
        let waiting = e.outbox.pending_count() > 0 || !e.waiting_photos.is_empty();
        (outcome.is_err() && waiting && !e.outbox.needs_login())
            .then(|| domain::sync::retry_delay(e.outbox.failures().max(1), js_sys::Math::random()))
    })
    .flatten();
    publish();
    if let Some(delay) = retry_in {
        let handle = set_timeout_with_handle(
            || {
                with_engine(|e| e.retry = None);
                trigger(SyncTrigger::Timer);
            },
            delay,
        );
        with_engine(|e| e.retry = handle.ok());
    }
}

/// Push everything, then photos, then pull. Stops at the first failure.
async fn sync_steps() -> Result<(), FailureKind> {
    let credential = match with_engine(|e| e.credential.clone()).flatten() {
        Some(credential) => credential,
        None => device::register().await?,
    };
    loop {
        let Some((batch, db)) = with_engine(|e| e.outbox.next_batch(BATCH).map(|b| (b, e.db.clone()))).flatten() else {
            break;
        };
        with_engine(|e| e.phone.status.set(SyncStatus::Working));
        publish();
        match net::push(&credential, &batch).await {
            Ok(receipts) => {
                let (snapshot, settled) = with_engine(|e| {
                    e.outbox.on_receipts(&receipts);
                    let settled: Vec<(Uuid, QueuedEntry)> = e
                        .outbox
                        .prune_acknowledged()
                        .iter()
                        .map(|item| (item.mutation.id, QueuedEntry::from_item(item, false)))
                        .collect();
                    e.sent_recently.extend(settled.iter().map(|(_, entry)| entry.clone()));
                    let excess = e.sent_recently.len().saturating_sub(SHOWN_SENT);
                    e.sent_recently.drain(..excess);
                    (e.outbox.clone(), settled)
                })
                .ok_or(FailureKind::Network)?;
                #[expect(clippy::disallowed_methods, reason = "the phone's own clock: when it last synced")]
                let now = Utc::now();
                // Saved on the phone before anything else: should the app die here, the
                // entries are sent again and the server answers the same receipts.
                let _ = db::save_outbox(&db, &snapshot, &settled).await;
                let _ = db::put_state(&db, "last_sync", &now).await;
                with_engine(|e| e.phone.last_sync.set(Some(now)));
                publish();
            }
            Err(failed) => {
                device::note_refusal(&failed);
                let snapshot = with_engine(|e| {
                    e.outbox.on_failure(failed.kind);
                    (e.db.clone(), e.outbox.clone())
                });
                if let Some((db, snapshot)) = snapshot {
                    let _ = db::save_outbox::<()>(&db, &snapshot, &[]).await;
                }
                return Err(failed.kind);
            }
        }
    }
    upload_photos(&credential).await?;
    nearby::pull(&credential).await
}

async fn upload_photos(credential: &str) -> Result<(), FailureKind> {
    let Some((db, photos, unsent)) = with_engine(|e| {
        // The records the unsent creates will make (a create's record takes its id).
        let unsent: Vec<RecordId> = e
            .outbox
            .items()
            .iter()
            .filter(|i| matches!(i.state, ItemState::Pending | ItemState::InFlight))
            .map(|i| RecordId::from_uuid(i.mutation.id))
            .collect();
        (e.db.clone(), e.waiting_photos.clone(), unsent)
    }) else {
        return Ok(());
    };
    // A photo goes after its signal, never before: the server would refuse it.
    for meta in photos.iter().filter(|p| !unsent.contains(&p.signal_id)) {
        let Ok(Some(bytes)) = db::photo_bytes(&db, meta.photo_id).await else { continue };
        match photo::upload(credential, meta, &bytes).await {
            Ok(_) => {
                let _ = db::delete_photo(&db, meta.photo_id).await;
                with_engine(|e| e.waiting_photos.retain(|p| p.photo_id != meta.photo_id));
                publish();
            }
            // A refused signal never gets its photo: kept until the person dismisses it.
            Err(failed) if failed.status == Some(409) => continue,
            Err(failed) => return Err(failed.kind),
        }
    }
    Ok(())
}

pub fn apply_update() {
    worker::apply_update();
}

pub fn forget_offline_pages() {
    worker::forget_pages();
}
