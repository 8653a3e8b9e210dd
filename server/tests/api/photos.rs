//! A signal's photo over real HTTP on both stores: pushed after its signal, uploaded in
//! chunks that resume after a cut and a server restart, checked and stripped of its
//! metadata, shown only to those who may read the signal's text (and logged), and
//! refused clearly when it is too large, not a JPEG, not the caller's or early. A photo
//! is its signal author's: a teammate who names its id cannot take it or block it.

use crate::support;
use domain::{NeighbourhoodId, PhotoId};

use std::sync::Arc;

use domain::{Clock, SystemClock};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::{phone, v1, Api, TestDb, TestServer};
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_photo_arrives_in_chunks_resumes_after_a_cut_and_shows_once_whole,
    a_photo_is_refused_clearly_and_a_bad_one_starts_again,
    only_the_author_uploads_the_photo,
    the_photo_is_for_those_who_may_read_the_signal,
    a_last_chunk_stored_just_before_a_crash_completes_on_the_next_request,
    a_teammates_claim_on_my_photo_id_does_not_block_my_upload,
);

const CHUNK: usize = 512 * 1024;

fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, marker];
    bytes.extend_from_slice(&u16::try_from(contents.len() + 2).expect("a short segment").to_be_bytes());
    bytes.extend_from_slice(contents);
    bytes
}

/// A JPEG of `size` bytes as a camera app would write it: with the place and the
/// photographer in its metadata. Its scan is padding, which is all the server reads.
fn camera_jpeg(size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    bytes.extend(metadata());
    bytes.extend(segment(0xDB, &[&[0u8][..], &[1u8; 64][..]].concat()));
    bytes.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    bytes.extend(segment(0xC4, &[&[0x00, 1][..], &[0u8; 15][..], &[0][..]].concat()));
    bytes.extend(segment(0xC4, &[&[0x10, 1][..], &[0u8; 15][..], &[0][..]].concat()));
    bytes.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    bytes.resize(size - 2, 0x3F);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

/// Where the photo was taken and who took it: an EXIF segment and a comment.
fn metadata() -> Vec<u8> {
    [segment(0xE1, b"Exif\0\0GPS 51.2194N 4.4025E"), segment(0xFE, b"Foto: Jan Janssens")].concat()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn declaration(signal_id: Uuid, photo: &[u8]) -> Value {
    json!({ "signal_id": signal_id, "content_type": "image/jpeg", "size": photo.len(),
            "sha256": hex::encode(Sha256::digest(photo)) })
}

async fn borgerhout_hood(server: &TestServer) -> NeighbourhoodId {
    let teams = server.store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == "Wijkteam Borgerhout").expect("Borgerhout");
    server.store.neighbourhoods_of_team(team.id).await.expect("neighbourhoods")[0].id
}

/// Pushes a signal filed with `photo_id` (or none) from `phone`; returns its id.
async fn push_signal(phone: &Api, device: Uuid, seq: u64, hood: NeighbourhoodId, photo_id: Option<PhotoId>) -> Uuid {
    let id = Uuid::now_v7();
    let body = json!({ "op": "create_signal", "neighbourhood_id": hood, "category": "waste", "urgency": "low",
                       "description": "Sluikstort aan de hoek.", "photo_id": photo_id });
    let mutation = json!({ "id": id, "device_id": device, "seq": seq, "created_at": SystemClock.now(), "body": body });
    let batch = json!({ "protocol": 1, "device_id": device, "mutations": [mutation] });
    let answer = phone.post(&v1("/sync/push"), &batch).await.expect(StatusCode::OK, "a push");
    assert_eq!(answer["receipts"][0]["outcome"]["outcome"], "applied", "{answer}");
    id
}

async fn chunk(api: &Api, photo_id: PhotoId, offset: usize, bytes: &[u8]) -> support::Reply {
    let path = v1(&format!("/sync/photos/{photo_id}"));
    api.send_bytes(Method::PATCH, &path, &[("upload-offset", offset.to_string())], bytes.to_vec()).await
}

fn photo_path(photo_id: PhotoId) -> String {
    v1(&format!("/sync/photos/{photo_id}"))
}

async fn a_photo_arrives_in_chunks_resumes_after_a_cut_and_shows_once_whole(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let photo = camera_jpeg(2 * CHUNK + 1000);
    let photo_id = PhotoId::new_v7();
    let signal_id = Uuid::now_v7();

    // The photo never arrives before its record: the phone pushes first and tries again.
    let early = phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await;
    assert_eq!((early.status, early.code()), (StatusCode::CONFLICT, "record_not_synced"), "{}", early.body);
    assert!(early.body["message"].as_str().is_some_and(|m| m.len() > 20), "{}", early.body);

    let signal_id = push_signal(&phone, device, 1, hood, Some(photo_id)).await;
    let officer = server.logged_in("agent.borgerhout").await;
    let shown = officer.get(&v1(&format!("/signals/{signal_id}"))).await.expect(StatusCode::OK, "the signal");
    assert_eq!(shown["photo"], json!({ "id": photo_id, "complete": false }), "a record never waits on its photo");
    let (status, ..) = officer.get_bytes(&v1(&format!("/signals/{signal_id}/photo"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no photo until it has arrived whole");

    let declared =
        phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "PUT");
    let expected = json!({ "photo_id": photo_id, "signal_id": signal_id, "received": 0, "size": photo.len(),
                           "complete": false });
    assert_eq!(declared, expected);
    let again = phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "again");
    assert_eq!(again, expected, "repeating the declaration changes nothing");

    let first = chunk(&phone, photo_id, 0, &photo[..CHUNK]).await.expect(StatusCode::OK, "the first chunk");
    assert_eq!(first["received"], CHUNK);
    // The answer was lost in a dead zone: the phone sends the same chunk again.
    let resent = chunk(&phone, photo_id, 0, &photo[..CHUNK]).await;
    assert_eq!((resent.status, resent.code()), (StatusCode::CONFLICT, "offset_mismatch"), "{}", resent.body);
    assert_eq!(resent.body["received"], CHUNK, "where to resume");

    // The server restarts mid-upload; the app restarts too and asks where it was.
    let restarted = db.server().await;
    let phone = restarted.device(phone.device.as_deref().expect("the credential"));
    let state = phone.get(&photo_path(photo_id)).await.expect(StatusCode::OK, "the state");
    assert_eq!((state["received"].as_u64(), state["complete"].as_bool()), (Some(CHUNK as u64), Some(false)));
    let second = chunk(&phone, photo_id, CHUNK, &photo[CHUNK..2 * CHUNK]).await.expect(StatusCode::OK, "second");
    assert_eq!(second["received"], 2 * CHUNK);
    let last = chunk(&phone, photo_id, 2 * CHUNK, &photo[2 * CHUNK..]).await.expect(StatusCode::OK, "the last");
    assert_eq!(
        last,
        json!({ "photo_id": photo_id, "signal_id": signal_id, "received": photo.len(),
                             "size": photo.len(), "complete": true })
    );
    let replayed = chunk(&phone, photo_id, 2 * CHUNK, &photo[2 * CHUNK..]).await.expect(StatusCode::OK, "replayed");
    assert_eq!(replayed["complete"], true, "a resent last chunk is harmless");

    let shown = officer.get(&v1(&format!("/signals/{signal_id}"))).await.expect(StatusCode::OK, "the signal");
    assert_eq!(shown["photo"], json!({ "id": photo_id, "complete": true }));
    let (status, headers, stored) = officer.get_bytes(&v1(&format!("/signals/{signal_id}/photo"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(headers["cache-control"].to_str().is_ok_and(|c| c.contains("no-store")));
    assert!(stored.starts_with(&[0xFF, 0xD8]) && stored.ends_with(&[0xFF, 0xD9]));
    assert!(!contains(&stored, b"GPS") && !contains(&stored, b"Janssens"), "the metadata was stripped");
    assert_eq!(stored.len(), photo.len() - metadata().len(), "only the metadata segments went");

    let lead = server.logged_in("teamleider.borgerhout").await;
    let log = lead.get(&v1("/access-log")).await.expect(StatusCode::OK, "the team's access log");
    let photo_reads: Vec<&Value> =
        log.as_array().expect("a list").iter().filter(|e| shows(e, json!(signal_id), "photo")).collect();
    assert_eq!(photo_reads.len(), 1, "one showing, one entry: {log}");
    assert_eq!(photo_reads[0]["purpose"], "api_signal_photo");
}

async fn a_photo_is_refused_clearly_and_a_bad_one_starts_again(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let photo_id = PhotoId::new_v7();
    let signal_id = push_signal(&phone, device, 1, hood, Some(photo_id)).await;
    let path = photo_path(photo_id);
    let photo = camera_jpeg(4000);

    let mut huge = declaration(signal_id, &photo);
    huge["size"] = json!(5 * 1024 * 1024 + 1);
    let reply = phone.put(&path, &huge).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::PAYLOAD_TOO_LARGE, "photo_too_large"), "{}", reply.body);
    let mut png = declaration(signal_id, &photo);
    png["content_type"] = json!("image/png");
    let reply = phone.put(&path, &png).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_photo_type"));
    let mut unhashed = declaration(signal_id, &photo);
    unhashed["sha256"] = json!("not-a-hash");
    let reply = phone.put(&path, &unhashed).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["field"], "sha256");

    // Declared as one photo, sent as another: every byte arrives, the hash does not match.
    phone.put(&path, &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "declared");
    let other = camera_jpeg(4000).into_iter().rev().collect::<Vec<u8>>();
    let reply = chunk(&phone, photo_id, 0, &other).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "photo_mismatch"), "{}", reply.body);
    assert_eq!(reply.body["received"], 0, "the upload starts again from 0");

    // Declared and sent alike, but not a JPEG at all.
    let text = b"<html>not a photo</html>".repeat(100);
    phone.put(&path, &declaration(signal_id, &text)).await.expect(StatusCode::OK, "declared anew");
    let reply = chunk(&phone, photo_id, 0, &text).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "not_a_jpeg"), "{}", reply.body);
    assert_eq!(reply.body["received"], 0);

    // Chunks: too long for the declared size, over the chunk limit, without an offset.
    phone.put(&path, &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "declared again");
    let reply = chunk(&phone, photo_id, 0, &camera_jpeg(4001)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "chunk_past_end"), "{}", reply.body);
    let big = camera_jpeg(6 * 1024 * 1024);
    phone.put(&path, &declaration(signal_id, &big[..CHUNK + 1])).await.expect(StatusCode::OK, "declared big");
    for too_long in [CHUNK + 1, 5 * 1024 * 1024] {
        // Read to the end and refused, so the phone hears why rather than a cut connection.
        let reply = chunk(&phone, photo_id, 0, &big[..too_long]).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large"), "{}", reply.body);
        assert!(reply.body["message"].as_str().is_some_and(|m| m.contains("512 KiB")), "{}", reply.body);
    }
    let reply = chunk(&phone, photo_id, 0, &big[..CHUNK]).await.expect(StatusCode::OK, "exactly 512 KiB passes");
    assert_eq!(reply["received"], CHUNK);
    let reply = phone.send_bytes(Method::PATCH, &path, &[], vec![1, 2, 3]).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "bad_request"), "{}", reply.body);
}

async fn only_the_author_uploads_the_photo(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let photo = camera_jpeg(3000);
    let photo_id = PhotoId::new_v7();
    let signal_id = push_signal(&phone, device, 1, hood, Some(photo_id)).await;
    phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "declared");

    // A colleague of the same team may read the signal, but its photo is the author's to send.
    let (colleague, _) = self::phone(&server, "teamleider.borgerhout").await;
    let reply = colleague.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "record_not_synced"), "{}", reply.body);
    let reply = chunk(&colleague, photo_id, 0, &photo).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"), "{}", reply.body);
    assert_eq!(colleague.get(&photo_path(photo_id)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(phone.get(&photo_path(photo_id)).await.expect(StatusCode::OK, "the author's")["received"], 0);

    // A signal filed without this photo id has no photo to upload.
    let plain = push_signal(&phone, device, 2, hood, None).await;
    let reply = phone.put(&photo_path(PhotoId::new_v7()), &declaration(plain, &photo)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "record_not_synced"));
    let reply = phone.put(&photo_path(PhotoId::new_v7()), &declaration(signal_id, &photo)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "record_not_synced"), "not this photo's signal");
    let anonymous = server.client();
    assert_eq!(anonymous.get(&photo_path(photo_id)).await.status, StatusCode::UNAUTHORIZED);
}

async fn upload_whole(phone: &Api, photo_id: PhotoId, signal_id: Uuid, photo: &[u8]) {
    phone.put(&photo_path(photo_id), &declaration(signal_id, photo)).await.expect(StatusCode::OK, "declared");
    let done = chunk(phone, photo_id, 0, photo).await.expect(StatusCode::OK, "the whole photo");
    assert_eq!(done["complete"], true);
}

async fn the_photo_is_for_those_who_may_read_the_signal(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let photo = camera_jpeg(2000);

    // A partner's own signal: the partner and the team read its photo; others do not.
    let (partner_phone, partner_device) = phone(&server, "partner.jeugdwerk").await;
    let partner_photo = PhotoId::new_v7();
    let theirs = push_signal(&partner_phone, partner_device, 1, hood, Some(partner_photo)).await;
    upload_whole(&partner_phone, partner_photo, theirs, &photo).await;
    let theirs_path = v1(&format!("/signals/{theirs}/photo"));
    for (reader, expected) in [
        ("partner.jeugdwerk", StatusCode::OK),
        ("agent.borgerhout", StatusCode::OK),
        ("partner.buurtvaders", StatusCode::NOT_FOUND),
        ("agent.antwerpen", StatusCode::NOT_FOUND),
        ("beheerder", StatusCode::FORBIDDEN),
    ] {
        let (status, ..) = server.logged_in(reader).await.get_bytes(&theirs_path).await;
        assert_eq!(status, expected, "{reader} reading a partner's photo");
    }

    // A police signal referred to that partner: they see what and where, not the photo.
    let (officer_phone, officer_device) = phone(&server, "agent.borgerhout").await;
    let police_photo = PhotoId::new_v7();
    let police = push_signal(&officer_phone, officer_device, 1, hood, Some(police_photo)).await;
    upload_whole(&officer_phone, police_photo, police, &photo).await;
    let orgs = server.store.partner_organisations().await.expect("organisations");
    let jeugdwerk = orgs.iter().find(|o| o.name == "Jeugdwerk Borgerhout").expect("Jeugdwerk");
    let officer = server.logged_in("agent.borgerhout").await;
    officer
        .patch(&v1(&format!("/signals/{police}")), &json!({ "status": "referred", "referred_to_org_id": jeugdwerk.id }))
        .await
        .expect(StatusCode::OK, "referred");
    let partner = server.logged_in("partner.jeugdwerk").await;
    partner.get(&v1(&format!("/signals/{police}"))).await.expect(StatusCode::OK, "the referred signal");
    let (status, ..) = partner.get_bytes(&v1(&format!("/signals/{police}/photo"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a referred partner does not see the police's photo");

    // Every showing is in the organisation's log, which the partner reads too.
    let log = partner.get(&v1("/access-log")).await.expect(StatusCode::OK, "the organisation's log");
    let photo_reads = log.as_array().expect("a list").iter().filter(|e| shows(e, json!(theirs), "photo"));
    assert_eq!(photo_reads.count(), 2, "the partner's own read and the officer's: {log}");
    let refused =
        log.as_array().expect("a list").iter().any(|e| e["record_id"] == json!(police) && e["field"] == "photo");
    assert!(!refused, "a refused read is not a showing");
}

async fn a_last_chunk_stored_just_before_a_crash_completes_on_the_next_request(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    for (seq, finish_with_put) in [(1, false), (2, true)] {
        let photo = camera_jpeg(3000);
        let photo_id = PhotoId::new_v7();
        let signal_id = push_signal(&phone, device, seq, hood, Some(photo_id)).await;
        phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await.expect(StatusCode::OK, "declared");
        // The last chunk's transaction committed, then the server died before completing.
        let stored = server.store.append_photo_chunk(photo_id, 0, &photo, server.services.now()).await;
        assert!(stored.expect("the chunk").is_some());
        let state = phone.get(&photo_path(photo_id)).await.expect(StatusCode::OK, "the state after the crash");
        assert_eq!((state["received"].as_u64(), state["complete"].as_bool()), (Some(3000), Some(false)));

        let finished = if finish_with_put {
            phone.put(&photo_path(photo_id), &declaration(signal_id, &photo)).await
        } else {
            chunk(&phone, photo_id, photo.len(), &[]).await
        };
        assert_eq!(finished.expect(StatusCode::OK, "finished")["complete"], true, "put: {finish_with_put}");
        let (status, _, shown) = phone.get_bytes(&v1(&format!("/signals/{signal_id}/photo"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!contains(&shown, b"GPS"));
    }
}

async fn a_teammates_claim_on_my_photo_id_does_not_block_my_upload(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (mine, my_device) = phone(&server, "agent.borgerhout").await;
    let photo_id = PhotoId::new_v7();
    let my_signal = push_signal(&mine, my_device, 1, hood, Some(photo_id)).await;

    // A teammate reads the photo id in the team's listing before my phone uploads it.
    let (theirs, their_device) = phone(&server, "teamleider.borgerhout").await;
    let listed = server.logged_in("teamleider.borgerhout").await.get(&v1(&format!("/signals/{my_signal}"))).await;
    assert_eq!(listed.expect(StatusCode::OK, "my signal")["photo"]["id"], json!(photo_id));
    let claim = json!({ "op": "create_signal", "neighbourhood_id": hood, "category": "waste", "urgency": "low",
                        "description": "Zelfde foto.", "photo_id": photo_id });
    let claim_id = Uuid::now_v7();
    let mutation =
        json!({ "id": claim_id, "device_id": their_device, "seq": 1, "created_at": SystemClock.now(), "body": claim });
    let batch = json!({ "protocol": 1, "device_id": their_device, "mutations": [mutation] });
    let answer = theirs.post(&v1("/sync/push"), &batch).await.expect(StatusCode::OK, "a push");
    let outcome = &answer["receipts"][0]["outcome"];
    assert_eq!(outcome["outcome"], "rejected", "{answer}");
    assert_eq!(outcome["errors"]["errors"][0], json!({ "field": "photo_id", "problem": "already_used" }), "{answer}");

    // Filed on the web instead, the signal is stored, but the photo is still not theirs.
    let mut on_the_web = claim.clone();
    on_the_web["id"] = json!(Uuid::now_v7());
    let web = server.logged_in("teamleider.borgerhout").await;
    let filed = web.post(&v1("/signals"), &on_the_web).await.expect(StatusCode::CREATED, "a web signal");
    let their_signal = Uuid::parse_str(filed["id"].as_str().expect("an id")).expect("a uuid");
    let photo = camera_jpeg(3000);
    let reply = theirs.put(&photo_path(photo_id), &declaration(their_signal, &photo)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "record_not_synced"), "{}", reply.body);
    let reply = chunk(&theirs, photo_id, 0, &photo).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);

    // My upload goes through, also from my new phone after logging in again.
    let (new_phone, _) = phone(&server, "agent.borgerhout").await;
    upload_whole(&new_phone, photo_id, my_signal, &photo).await;
    let (status, ..) =
        server.logged_in("agent.borgerhout").await.get_bytes(&v1(&format!("/signals/{my_signal}/photo"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = web.get_bytes(&v1(&format!("/signals/{their_signal}/photo"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the claimant's signal has no photo");
}

/// Whether an access-log entry (as the API lists it) says `field` of `record` was shown.
fn shows(entry: &Value, record: Value, field: &str) -> bool {
    entry["shown"].as_array().is_some_and(|shown| {
        shown.iter().any(|s| s["field"] == field && s["records"].as_array().is_some_and(|r| r.contains(&record)))
    })
}
