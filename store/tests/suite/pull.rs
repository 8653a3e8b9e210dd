//! The change feed behind a phone's pull, on both backends: pages resume without gaps
//! or duplicates (also while others write), a record shows once at its latest state,
//! deletions leave tombstones, each caller sees only their part; and the team lead's
//! review: conflicts listed and resolved (a new version, in the feed), records with
//! the phone they came from.

use crate::support;
use domain::TeamId;
use domain::{RecordId, UserId};

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use domain::sync::conflicts::ResolutionChoice;
use domain::sync::{Mutation, MutationBody, Outcome};
use domain::{ContactDraft, NeighbourhoodSignal, SignalDraft, SignalStatus};
use store::{
    testing, Device, FeedPage, FeedRecord, PreparedMutation, PreparedPush, PullQuery, PullScope, Resolution,
    ResolveOutcome, Store, Verdict,
};
use support::fixtures::{now, Org};
use support::TestDb;
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    pages_resume_without_gaps_or_duplicates,
    a_record_changed_many_times_shows_once_at_its_latest_state,
    contacts_past_retention_leave_tombstones,
    each_caller_sees_only_their_part_of_the_feed,
    writers_racing_a_reader_never_make_it_skip_a_change,
    a_kept_conflict_is_listed_and_resolved_once,
    synced_records_name_the_phone_they_came_from,
);

fn team_scope(org: &Org) -> PullScope {
    PullScope::Team { team_id: org.team.id, contacts_of: org.officer.id }
}

async fn page(store: &dyn Store, scope: PullScope, after: u64, limit: u32) -> FeedPage {
    store.pull(&PullQuery { after, limit, scope }).await.expect("a page")
}

/// Pulls page after page from `after` until nothing more waits; returns every change's
/// record id (in order) and the final position.
async fn pull_all(store: &dyn Store, scope: PullScope, mut after: u64, limit: u32) -> (Vec<RecordId>, u64) {
    let mut seen = Vec::new();
    for _ in 0..1000 {
        let page = page(store, scope, after, limit).await;
        assert!(page.changes.len() <= limit as usize, "a page keeps to its limit");
        assert!(page.position >= after, "the position never goes back");
        seen.extend(page.changes.iter().map(|c| c.record_id));
        after = page.position;
        if !page.more {
            return (seen, after);
        }
    }
    panic!("the feed never ended")
}

fn signal_of(org: &Org, minutes_ago: i64) -> NeighbourhoodSignal {
    NeighbourhoodSignal { status: SignalStatus::Open, ..org.signal(now() - Duration::minutes(minutes_ago)) }
}

async fn pages_resume_without_gaps_or_duplicates(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Deurne").await;
    let mut written = Vec::new();
    for i in 0..7 {
        let contact = org.contact(now() - Duration::minutes(i));
        store.insert_contact(&contact).await.expect("contact");
        let signal = signal_of(&org, i);
        store.insert_signal(&signal).await.expect("signal");
        written.extend([contact.id, signal.id]);
    }
    let (seen, end) = pull_all(store, team_scope(&org), 0, 3).await;
    assert_eq!(seen, written, "every change once, oldest first");
    let first = page(store, team_scope(&org), 0, 3).await;
    assert!(first.more && first.changes.len() == 3);
    assert!(first.changes.windows(2).all(|w| w[0].seq < w[1].seq));

    let again = page(store, team_scope(&org), end, 3).await;
    assert!(again.changes.is_empty() && !again.more, "nothing new: an empty page");
    assert_eq!(again.position, end, "and the same place to continue from");
    let later = org.contact(now());
    store.insert_contact(&later).await.expect("contact");
    let (seen, _) = pull_all(store, team_scope(&org), end, 3).await;
    assert_eq!(seen, [later.id], "only what came after the cursor");
}

async fn a_record_changed_many_times_shows_once_at_its_latest_state(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Merksem").await;
    let mut signal = signal_of(&org, 5);
    store.insert_signal(&signal).await.expect("signal");
    let other = signal_of(&org, 4);
    store.insert_signal(&other).await.expect("signal");
    for (status, text) in [(SignalStatus::InProgress, "Bekeken."), (SignalStatus::Referred, "Naar de stad.")] {
        signal.status = status;
        signal.feedback = Some(text.to_owned());
        assert!(store.update_signal(&signal, now()).await.expect("update"));
    }
    let all = page(store, team_scope(&org), 0, 10).await;
    assert_eq!(all.changes.iter().map(|c| c.record_id).collect::<Vec<_>>(), [other.id, signal.id]);
    let latest = &all.changes[1];
    assert_eq!(latest.version, 3, "created, then changed twice");
    let FeedRecord::Signal(Some(state)) = &latest.record else { panic!("{latest:?}") };
    assert_eq!((state.status, state.feedback.as_deref()), (SignalStatus::Referred, Some("Naar de stad.")));

    // A phone that read one page (the other signal) hears of the next change, once.
    let cursor = page(store, team_scope(&org), 0, 1).await.position;
    signal.status = SignalStatus::Resolved;
    store.update_signal(&signal, now()).await.expect("update");
    let rest = page(store, team_scope(&org), cursor, 10).await;
    let versions: Vec<(RecordId, u64)> = rest.changes.iter().map(|c| (c.record_id, c.version)).collect();
    assert_eq!(versions, [(signal.id, 4)], "the other signal was on the page it already has");
}

async fn contacts_past_retention_leave_tombstones(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Wilrijk").await;
    let old = org.contact(now() - Duration::days(600));
    let recent = org.contact(now() - Duration::days(30));
    for c in [&old, &recent] {
        store.insert_contact(c).await.expect("contact");
    }
    let (_, cursor) = pull_all(store, team_scope(&org), 0, 50).await;
    let removed = store.delete_contacts_before(now() - Duration::days(548), now()).await.expect("retention");
    assert_eq!(removed, 1);
    assert!(store.contact(old.id).await.expect("read").is_none(), "the old contact is gone");
    assert!(store.contact(recent.id).await.expect("read").is_some());
    assert_eq!(store.delete_contacts_before(now() - Duration::days(548), now()).await.expect("again"), 0);

    let after = page(store, team_scope(&org), cursor, 50).await;
    assert_eq!(after.changes.len(), 1, "{after:?}");
    let tombstone = &after.changes[0];
    assert_eq!((tombstone.record_id, tombstone.version), (old.id, 2));
    assert_eq!(tombstone.record, FeedRecord::Contact(None), "deleted, without the record");
    let fresh = page(store, team_scope(&org), 0, 50).await;
    let ids: Vec<RecordId> = fresh.changes.iter().map(|c| c.record_id).collect();
    assert_eq!(ids, [recent.id, old.id], "from the beginning: the tombstone at its place, once");
    let other = PullScope::Team { team_id: org.team.id, contacts_of: org.other_officer.id };
    assert!(page(store, other, 0, 50).await.changes.is_empty(), "another officer's contacts, live or gone");
}

async fn each_caller_sees_only_their_part_of_the_feed(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let elsewhere = Org::create(store, "Ekeren").await;
    let mine = org.contact(now());
    let colleagues = domain::StreetContact { author_id: org.other_officer.id, ..org.contact(now()) };
    let police = signal_of(&org, 3);
    let filed = NeighbourhoodSignal { author_org_id: Some(org.organisation.id), ..signal_of(&org, 2) };
    let mut referred = signal_of(&org, 1);
    let foreign = signal_of(&elsewhere, 1);
    for c in [&mine, &colleagues] {
        store.insert_contact(c).await.expect("contact");
    }
    for s in [&police, &filed, &referred, &foreign] {
        store.insert_signal(s).await.expect("signal");
    }
    referred.referred_to_org_id = Some(org.organisation.id);
    store.update_signal(&referred, now()).await.expect("referred");

    let (officer, _) = pull_all(store, team_scope(&org), 0, 50).await;
    let officer: HashSet<RecordId> = officer.into_iter().collect();
    assert_eq!(officer, HashSet::from([mine.id, police.id, filed.id, referred.id]), "team signals, own contacts");
    let partner = PullScope::Organisation { org_id: org.organisation.id };
    let (seen, _) = pull_all(store, partner, 0, 50).await;
    assert_eq!(seen, [filed.id, referred.id], "filed by or referred to the organisation, nothing else");

    // A referral withdrawn takes the signal out of the organisation's part.
    referred.referred_to_org_id = None;
    store.update_signal(&referred, now()).await.expect("withdrawn");
    let (seen, _) = pull_all(store, partner, 0, 50).await;
    assert_eq!(seen, [filed.id]);
}

async fn writers_racing_a_reader_never_make_it_skip_a_change(db: Arc<TestDb>) {
    let org = Arc::new(Org::create(db.store.as_ref(), "Lillo").await);
    let mut writers = Vec::new();
    for w in 0..4 {
        let (store, org) = (db.store.clone(), org.clone());
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..25 {
                let contact = org.contact(now() - Duration::minutes(w * 100 + i));
                store.insert_contact(&contact).await.expect("contact");
                ids.push(contact.id);
            }
            ids
        }));
    }
    // The reader pulls small pages while the writers commit; whatever it passed it
    // must have seen, or it would never hear of it again.
    let mut seen = Vec::new();
    let mut after = 0;
    while writers.iter().any(|w| !w.is_finished()) {
        let page = page(db.store.as_ref(), team_scope(&org), after, 4).await;
        seen.extend(page.changes.iter().map(|c| c.record_id));
        after = page.position;
        tokio::task::yield_now().await;
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.expect("writer"));
    }
    let (rest, _) = pull_all(db.store.as_ref(), team_scope(&org), after, 4).await;
    seen.extend(rest);
    assert_eq!(seen.len(), written.len(), "each contact once: no duplicates, none missed");
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), written);
}

/// A phone the person named, a day old.
fn named(user_id: UserId, label: &str) -> Device {
    Device { label: label.to_owned(), ..testing::phone(user_id, &format!("hash-{label}"), now() - Duration::days(1)) }
}

fn push(phone: &Device, seq: u64, body: MutationBody, verdict: Verdict) -> PreparedPush {
    let mutation =
        Mutation { id: Uuid::now_v7(), device_id: phone.id, seq, created_at: now() - Duration::minutes(9), body };
    PreparedPush {
        device_id: phone.id,
        author_id: phone.user_id,
        now: now(),
        mutations: vec![PreparedMutation { mutation, verdict }],
    }
}

fn edit(phone: &Device, seq: u64, signal_id: RecordId, status: SignalStatus, feedback: &str) -> PreparedPush {
    let feedback = Some(feedback.to_owned());
    let body =
        MutationBody::EditSignal { signal_id, base_version: 1, status: Some(status), feedback: feedback.clone() };
    let verdict = Verdict::Edit { signal_id, base_version: 1, status: Some(status), feedback: Some(feedback) };
    push(phone, seq, body, verdict)
}

async fn a_kept_conflict_is_listed_and_resolved_once(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Berchem").await;
    let (a, b) = (named(org.officer.id, "Dienst-gsm 1"), named(org.other_officer.id, "Dienst-gsm 2"));
    for d in [&a, &b] {
        store.insert_device(d).await.expect("device");
    }
    let signal = signal_of(&org, 30);
    store.insert_signal(&signal).await.expect("signal");
    store.apply_push(&edit(&a, 1, signal.id, SignalStatus::InProgress, "Ter plaatse.")).await.expect("first edit");
    let kept = edit(&b, 1, signal.id, SignalStatus::Resolved, "Opgelost.");
    let receipts = store.apply_push(&kept).await.expect("second edit");
    assert!(matches!(receipts[0].outcome, Outcome::Conflict { current_version: 2, .. }), "{receipts:?}");
    let mutation_id = kept.mutations[0].mutation.id;
    let cursor = pull_all(store, team_scope(&org), 0, 50).await.1;

    let open = store.open_conflicts(org.team.id).await.expect("conflicts");
    assert_eq!(open.len(), 1);
    let c = &open[0];
    assert_eq!((c.mutation_id, c.device_label.as_str(), c.author_id), (mutation_id, "Dienst-gsm 2", b.user_id));
    assert_eq!((c.base_version, c.signal_version, c.signal.status), (1, 2, SignalStatus::InProgress));
    assert_eq!(
        (c.edit.status, c.edit.feedback.clone()),
        (Some(SignalStatus::Resolved), Some(Some("Opgelost.".into())))
    );
    assert!(store.open_conflicts(Org::create(store, "Zwijndrecht").await.team.id).await.expect("none").is_empty());

    let resolution = Resolution { mutation_id, choice: ResolutionChoice::ApplyEdit, by: org.officer.id, at: now() };
    let outcome = store.resolve_conflict(&resolution).await.expect("resolve");
    assert_eq!(outcome, ResolveOutcome::Resolved { signal_id: signal.id, version: 3 });
    let now_stored = store.signal(signal.id).await.expect("read").expect("signal");
    assert_eq!((now_stored.status, now_stored.feedback.as_deref()), (SignalStatus::Resolved, Some("Opgelost.")));
    assert_eq!(db.count(&format!("signal_versions WHERE signal_id = '{}' AND version = 3", signal.id)).await, 1);
    let after = page(store, team_scope(&org), cursor, 50).await;
    assert_eq!(after.changes.iter().map(|c| (c.record_id, c.version)).collect::<Vec<_>>(), [(signal.id, 3)]);
    assert!(store.open_conflicts(org.team.id).await.expect("conflicts").is_empty());
    let settled = store.conflict(mutation_id).await.expect("read").expect("kept on record");
    assert!(settled.resolved_at.is_some());

    let twice = Resolution { choice: ResolutionChoice::KeepCurrent, ..resolution };
    assert_eq!(store.resolve_conflict(&twice).await.expect("again"), ResolveOutcome::AlreadyResolved);
    assert_eq!(store.signal(signal.id).await.expect("read").expect("signal"), now_stored, "nothing changed");
    let unknown = Resolution { mutation_id: Uuid::now_v7(), ..resolution };
    assert_eq!(store.resolve_conflict(&unknown).await.expect("unknown"), ResolveOutcome::Unknown);

    // Keeping the current state changes nothing but the conflict.
    let another = edit(&b, 2, signal.id, SignalStatus::Open, "Toch niet.");
    store.apply_push(&another).await.expect("third edit");
    let keep = Resolution { mutation_id: another.mutations[0].mutation.id, ..twice };
    assert_eq!(
        store.resolve_conflict(&keep).await.expect("keep"),
        ResolveOutcome::Resolved { signal_id: signal.id, version: 3 }
    );
    assert_eq!(store.signal(signal.id).await.expect("read").expect("signal"), now_stored);
}

/// A record created on `phone`: its id is the mutation's, and it arrived `at`.
fn created(phone: &Device, seq: u64, org: &Org, signal: bool, at: chrono::DateTime<chrono::Utc>) -> PreparedPush {
    let id = Uuid::now_v7();
    let record_id = RecordId::from_uuid(id);
    let (body, verdict) = if signal {
        let s = NeighbourhoodSignal { id: record_id, received_at: at, ..signal_of(org, 1) };
        (MutationBody::CreateSignal(SignalDraft::default()), Verdict::CreateSignal(s))
    } else {
        let c = domain::StreetContact { id: record_id, received_at: at, ..org.contact(now()) };
        (MutationBody::CreateContact(ContactDraft::default()), Verdict::CreateContact(c))
    };
    let mut prepared = push(phone, seq, body, verdict);
    prepared.mutations[0].mutation.id = id;
    prepared
}

async fn synced_records_name_the_phone_they_came_from(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Ekeren").await;
    let a = named(org.officer.id, "Fiets-gsm");
    store.insert_device(&a).await.expect("device");
    let on_web = org.contact(now() - Duration::hours(2));
    store.insert_contact(&on_web).await.expect("web contact");
    let contact = created(&a, 1, &org, false, now() + Duration::seconds(1));
    let signal = created(&a, 2, &org, true, now() + Duration::seconds(2));
    for p in [&contact, &signal] {
        store.apply_push(p).await.expect("push");
    }

    let listed = store.synced_records(org.team.id, 10).await.expect("records");
    let rows: Vec<(RecordId, Option<&str>, &str)> =
        listed.iter().map(|r| (r.id, r.device_label.as_deref(), r.what.as_str())).collect();
    assert_eq!(
        rows,
        [
            (RecordId::from_uuid(signal.mutations[0].mutation.id), Some("Fiets-gsm"), "lighting"),
            (RecordId::from_uuid(contact.mutations[0].mutation.id), Some("Fiets-gsm"), "mediation"),
            (on_web.id, None, "mediation"),
        ],
        "newest arrival first; entered on the web: no phone"
    );
    assert!(listed.iter().all(|r| r.author_name == org.officer.display_name));
    assert_eq!(store.synced_records(org.team.id, 1).await.expect("one").len(), 1);
    assert!(store.synced_records(TeamId::new_v7(), 10).await.expect("none").is_empty());
}
