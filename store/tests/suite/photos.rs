//! Signal photos uploaded in chunks: an upload resumes from what was acknowledged, also
//! after the store is opened again (a server restart); a resent chunk changes nothing;
//! a chunk in the wrong place is refused; the finished photo replaces its chunks and
//! marks the signal's photo arrived in one go; abandoned uploads are cleaned up. The
//! checks of the bytes themselves are the service's; here they are played by the test.
//! Each test runs against both backends.

use crate::support;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::photo::ChunkFit;
use domain::{NeighbourhoodSignal, PhotoId, PhotoRef, RecordId};
use store::{PhotoUpload, Store};
use support::fixtures::{now, Org};
use support::TestDb;

store::testing::both_stores!(
    run = crate::support::run;
    an_upload_resumes_from_what_was_acknowledged_even_after_a_restart,
    a_resent_or_misplaced_chunk_changes_nothing,
    a_repeated_declaration_changes_nothing_and_other_bytes_start_again,
    the_finished_photo_replaces_its_chunks_and_marks_the_signal,
    a_restart_drops_the_chunks_and_the_upload_starts_from_zero,
    abandoned_uploads_are_cleaned_up_and_finished_ones_stay,
    two_copies_of_one_chunk_racing_are_stored_once,
    a_later_signals_claim_on_a_photo_is_dropped_for_its_owner,
);

/// A signal filed with a photo, stored, and the declaration of that photo's upload.
async fn filed_with_photo(store: &dyn Store, org: &Org, size: u64) -> (NeighbourhoodSignal, PhotoUpload) {
    let photo_id = PhotoId::new_v7();
    let signal = NeighbourhoodSignal { photo: Some(PhotoRef { id: photo_id, complete: false }), ..org.signal(now()) };
    store.insert_signal(&signal).await.expect("signal");
    (signal.clone(), declaration(&signal, photo_id, size, now()))
}

fn declaration(signal: &NeighbourhoodSignal, photo_id: PhotoId, size: u64, at: DateTime<Utc>) -> PhotoUpload {
    PhotoUpload {
        id: photo_id,
        signal_id: signal.id,
        uploader_id: signal.author_id,
        content_type: "image/jpeg".to_owned(),
        size,
        sha256: format!("{size:064x}"),
        received: 0,
        started_at: at,
        updated_at: at,
        completed_at: None,
    }
}

async fn append(store: &dyn Store, id: PhotoId, offset: u64, bytes: &[u8]) -> (ChunkFit, u64) {
    let answer = store.append_photo_chunk(id, offset, bytes, now()).await.expect("append").expect("the upload exists");
    (answer.fit, answer.upload.received)
}

async fn an_upload_resumes_from_what_was_acknowledged_even_after_a_restart(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Kiel").await;
    let (_, upload) = filed_with_photo(store, &org, 10).await;
    let declared = store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    assert_eq!((declared.received, declared.is_complete()), (0, false));
    assert_eq!(append(store, upload.id, 0, b"abcd").await, (ChunkFit::Append, 4));

    // The server is killed here: what it acknowledged is what the next one finds.
    let again = db.reconnect().await;
    let found = again.photo_upload(upload.id).await.expect("read").expect("still there");
    assert_eq!((found.received, found.size, found.is_complete()), (4, 10, false));
    assert_eq!(append(again.as_ref(), upload.id, 4, b"efgh").await, (ChunkFit::Append, 8));
    assert_eq!(again.uploaded_photo_bytes(upload.id).await.expect("bytes"), b"abcdefgh");
    assert_eq!(db.count("signal_photo_chunks").await, 2);
    assert_eq!(store.photo_upload(PhotoId::new_v7()).await.expect("read"), None);
    assert_eq!(store.append_photo_chunk(PhotoId::new_v7(), 0, b"x", now()).await.expect("append"), None);
}

async fn a_resent_or_misplaced_chunk_changes_nothing(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Luchtbal").await;
    let (_, upload) = filed_with_photo(store, &org, 10).await;
    store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    assert_eq!(append(store, upload.id, 0, b"abcd").await, (ChunkFit::Append, 4));
    assert_eq!(
        append(store, upload.id, 0, b"abcd").await,
        (ChunkFit::OffsetMismatch, 4),
        "resent: its answer was lost"
    );
    assert_eq!(append(store, upload.id, 0, b"ABCD").await, (ChunkFit::OffsetMismatch, 4), "never overwritten");
    assert_eq!(append(store, upload.id, 8, b"ij").await, (ChunkFit::OffsetMismatch, 4), "after a lost chunk");
    assert_eq!(append(store, upload.id, 4, b"efghijk").await, (ChunkFit::PastEnd, 4), "past the declared size");
    assert_eq!(append(store, upload.id, 4, b"").await, (ChunkFit::Empty, 4));
    assert_eq!(store.uploaded_photo_bytes(upload.id).await.expect("bytes"), b"abcd");
    assert_eq!(db.count("signal_photo_chunks").await, 1);
}

async fn a_repeated_declaration_changes_nothing_and_other_bytes_start_again(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Merksem").await;
    let (signal, upload) = filed_with_photo(store, &org, 10).await;
    let first = store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    append(store, upload.id, 0, b"abcd").await;
    let later = PhotoUpload { started_at: now() + Duration::minutes(5), updated_at: now(), ..upload.clone() };
    let repeated = store.declare_photo(&later).await.expect("declared again").expect("the signal's own photo");
    assert_eq!((repeated.received, repeated.started_at), (4, first.started_at), "the upload goes on");

    // The phone re-encoded the photo after a restart: other bytes, so the old ones go.
    let other = PhotoUpload { size: 6, sha256: "a".repeat(64), ..upload.clone() };
    let restarted =
        store.declare_photo(&other).await.expect("declared with other bytes").expect("the signal's own photo");
    assert_eq!((restarted.received, restarted.size, restarted.sha256.as_str()), (0, 6, "a".repeat(64).as_str()));
    assert_eq!(db.count("signal_photo_chunks").await, 0);

    // Another signal naming the same photo id, filed later: the photo is not its own,
    // and the stored upload stays untouched.
    let stranger = NeighbourhoodSignal {
        id: RecordId::new_v7(),
        received_at: signal.received_at + Duration::seconds(1),
        ..signal.clone()
    };
    store.insert_signal(&stranger).await.expect("a second signal with the same photo id");
    let theirs = declaration(&stranger, upload.id, 3, now());
    assert_eq!(store.declare_photo(&theirs).await.expect("declared"), None);
    let kept = store.photo_upload(upload.id).await.expect("read").expect("the upload");
    assert_eq!((kept.signal_id, kept.size), (signal.id, 6));
}

async fn the_finished_photo_replaces_its_chunks_and_marks_the_signal(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Deurne").await;
    let (signal, upload) = filed_with_photo(store, &org, 6).await;
    store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    append(store, upload.id, 0, b"abc").await;
    assert!(!store.complete_photo(upload.id, b"ABC", now()).await.expect("complete"), "not every byte arrived");
    let (fit, received) = append(store, upload.id, 3, b"def").await;
    assert_eq!((fit, received), (ChunkFit::Append, 6));
    assert!(store.photo_upload(upload.id).await.expect("read").expect("there").awaits_completion());
    assert_eq!(store.signal_photo(signal.id).await.expect("read"), None, "not before it is complete");

    assert!(store.complete_photo(upload.id, b"STRIPPED", now()).await.expect("complete"));
    let done = store.photo_upload(upload.id).await.expect("read").expect("there");
    assert!(done.is_complete() && !done.awaits_completion());
    assert_eq!(done.state().received, 6);
    assert_eq!(store.signal_photo(signal.id).await.expect("read").as_deref(), Some(&b"STRIPPED"[..]));
    let shown = store.signal(signal.id).await.expect("read").expect("the signal");
    assert_eq!(shown.photo, Some(PhotoRef { id: upload.id, complete: true }));
    assert_eq!(db.count("signal_photo_chunks").await, 0, "the chunks went with the completion");

    // Whatever arrives afterwards changes nothing.
    assert!(!store.complete_photo(upload.id, b"OTHER", now()).await.expect("complete again"));
    assert_eq!(append(store, upload.id, 3, b"def").await, (ChunkFit::Complete, 6));
    store.restart_photo(upload.id, now()).await.expect("restart");
    let other = PhotoUpload { size: 9, ..upload.clone() };
    assert!(store.declare_photo(&other).await.expect("declared").expect("the signal's own photo").is_complete());
    assert_eq!(store.signal_photo(signal.id).await.expect("read").as_deref(), Some(&b"STRIPPED"[..]));
}

async fn a_restart_drops_the_chunks_and_the_upload_starts_from_zero(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Ekeren").await;
    let (_, upload) = filed_with_photo(store, &org, 4).await;
    store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    append(store, upload.id, 0, b"wxyz").await;
    store.restart_photo(upload.id, now()).await.expect("restart");
    let restarted = store.photo_upload(upload.id).await.expect("read").expect("there");
    assert_eq!((restarted.received, restarted.is_complete()), (0, false));
    assert_eq!(db.count("signal_photo_chunks").await, 0);
    assert_eq!(append(store, upload.id, 4, b"").await.0, ChunkFit::OffsetMismatch);
    assert_eq!(append(store, upload.id, 0, b"abcd").await, (ChunkFit::Append, 4));
    assert_eq!(store.uploaded_photo_bytes(upload.id).await.expect("bytes"), b"abcd");
}

async fn abandoned_uploads_are_cleaned_up_and_finished_ones_stay(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let long_ago = now() - Duration::days(8);
    let (abandoned_signal, abandoned) = filed_with_photo(store, &org, 4).await;
    let abandoned = PhotoUpload { started_at: long_ago, updated_at: long_ago, ..abandoned };
    store.declare_photo(&abandoned).await.expect("declared").expect("the signal's own photo");
    store.append_photo_chunk(abandoned.id, 0, b"ab", long_ago).await.expect("append");
    let (_, finished) = filed_with_photo(store, &org, 2).await;
    let finished = PhotoUpload { started_at: long_ago, updated_at: long_ago, ..finished };
    store.declare_photo(&finished).await.expect("declared").expect("the signal's own photo");
    store.append_photo_chunk(finished.id, 0, b"ok", long_ago).await.expect("append");
    store.complete_photo(finished.id, b"ok", long_ago).await.expect("complete");
    let (_, fresh) = filed_with_photo(store, &org, 4).await;
    let started_long_ago = PhotoUpload { started_at: long_ago, ..fresh };
    store.declare_photo(&started_long_ago).await.expect("declared").expect("the signal's own photo");
    store.append_photo_chunk(fresh.id, 0, b"ab", now()).await.expect("a chunk today");

    let removed = store.delete_stale_photo_uploads(now() - Duration::days(7)).await.expect("cleanup");
    assert_eq!(removed, 1, "only the upload nobody touched for a week");
    assert_eq!(store.photo_upload(abandoned.id).await.expect("read"), None);
    assert!(store.photo_upload(finished.id).await.expect("read").is_some_and(|u| u.is_complete()));
    assert_eq!(store.photo_upload(fresh.id).await.expect("read").map(|u| u.received), Some(2));
    assert_eq!(db.count("signal_photo_chunks").await, 1, "the abandoned chunks went with their upload");

    // The signal keeps naming its photo; a phone that comes back starts again.
    let signal = store.signal(abandoned_signal.id).await.expect("read").expect("the signal stays");
    assert_eq!(signal.photo, Some(PhotoRef { id: abandoned.id, complete: false }));
    let back = PhotoUpload { started_at: now(), updated_at: now(), ..abandoned };
    assert_eq!(store.declare_photo(&back).await.expect("declared again").expect("the signal's own photo").received, 0);
}

async fn a_later_signals_claim_on_a_photo_is_dropped_for_its_owner(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Wilrijk").await;
    // As before claims were refused: a signal naming someone else's photo id uploaded
    // under it first. Here the claim is declared before the owner's signal is stored.
    let photo_id = PhotoId::new_v7();
    let owner = NeighbourhoodSignal { photo: Some(PhotoRef { id: photo_id, complete: false }), ..org.signal(now()) };
    let claimant = NeighbourhoodSignal {
        id: RecordId::new_v7(),
        received_at: owner.received_at + Duration::seconds(1),
        ..owner.clone()
    };
    store.insert_signal(&claimant).await.expect("the claimant's signal");
    let claim = declaration(&claimant, photo_id, 4, now());
    store.declare_photo(&claim).await.expect("declared").expect("alone, it names the photo first");
    append(store, photo_id, 0, b"evil").await;
    store.complete_photo(photo_id, b"EVIL", now()).await.expect("complete");
    store.insert_signal(&owner).await.expect("the owner's signal, received first");

    let mine = declaration(&owner, photo_id, 6, now());
    let declared = store.declare_photo(&mine).await.expect("declared").expect("the owner's photo");
    assert_eq!((declared.signal_id, declared.received, declared.is_complete()), (owner.id, 0, false));
    assert_eq!(store.declare_photo(&claim).await.expect("declared"), None, "the claimant is refused from now on");
    assert_eq!(store.signal_photo(claimant.id).await.expect("read"), None);
    let claimed = store.signal(claimant.id).await.expect("read").expect("the claimant's signal stays");
    assert_eq!(claimed.photo, Some(PhotoRef { id: photo_id, complete: false }), "its photo never arrived");
    assert_eq!(append(store, photo_id, 0, b"abcdef").await, (ChunkFit::Append, 6));
}

async fn two_copies_of_one_chunk_racing_are_stored_once(db: Arc<TestDb>) {
    let store = db.store.clone();
    let org = Org::create(store.as_ref(), "Wilrijk").await;
    let (_, upload) = filed_with_photo(store.as_ref(), &org, 8).await;
    store.declare_photo(&upload).await.expect("declared").expect("the signal's own photo");
    let racers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.append_photo_chunk(upload.id, 0, b"abcd", now()).await })
        })
        .collect();
    let mut fits = Vec::new();
    for racer in racers {
        fits.push(racer.await.expect("joined").expect("append").expect("exists").fit);
    }
    assert_eq!(fits.iter().filter(|f| **f == ChunkFit::Append).count(), 1, "{fits:?}");
    assert_eq!(fits.iter().filter(|f| **f == ChunkFit::OffsetMismatch).count(), 3, "{fits:?}");
    assert_eq!(store.uploaded_photo_bytes(upload.id).await.expect("bytes"), b"abcd");
}
