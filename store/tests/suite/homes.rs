//! What the role homes ask of the store (issue 10): a day's records page by page
//! (keyset paging), when signals last changed, and a person's last visit.

use crate::support;

use std::sync::Arc;

use chrono::Duration;
use domain::{Role, SignalStatus};
use store::{RecordQuery, Visit};
use support::fixtures::{now, user, Org};
use support::TestDb;

store::testing::both_stores!(
    run = crate::support::run;
    a_day_pages_by_keyset_without_gaps_or_repeats,
    signals_say_when_they_last_changed_after_filing,
    a_visit_is_remembered_per_person_and_screen,
);

async fn a_day_pages_by_keyset_without_gaps_or_repeats(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Deurne").await;
    let start = now() - Duration::hours(10);
    // Yesterday's stays out; two today share a moment, so the id decides their order.
    store.insert_contact(&org.contact(start - Duration::hours(20))).await.expect("yesterday");
    for minutes in [0, 30, 30, 90, 120] {
        store.insert_contact(&org.contact(start + Duration::minutes(minutes))).await.expect("today");
    }
    let today = RecordQuery { team_id: Some(org.team.id), since: Some(start), limit: 2, ..RecordQuery::default() };
    let mut seen = Vec::new();
    let mut query = today.clone();
    loop {
        let page = store.contacts(&query).await.expect("page");
        let Some(last) = page.last() else { break };
        query.before = Some((last.occurred_at, last.id));
        seen.extend(page.iter().map(|c| (c.occurred_at, c.id)));
    }
    let all = store.contacts(&RecordQuery { limit: 100, ..today }).await.expect("all of today");
    assert_eq!(all.len(), 5, "since leaves yesterday out");
    assert_eq!(seen, all.iter().map(|c| (c.occurred_at, c.id)).collect::<Vec<_>>(), "pages join up");
    let signal = org.signal(start + Duration::minutes(5));
    store.insert_signal(&signal).await.expect("signal");
    let after = RecordQuery { before: Some((signal.occurred_at, signal.id)), ..today };
    assert!(store.signals(&after).await.expect("signals").is_empty(), "a signal's page ends at the cursor");
    let resolved = domain::NeighbourhoodSignal { status: SignalStatus::Resolved, ..org.signal(start) };
    store.insert_signal(&resolved).await.expect("resolved");
    let open = RecordQuery { team_id: Some(org.team.id), open_only: true, ..RecordQuery::default() };
    assert_eq!(store.signals(&open).await.expect("open"), [signal], "resolved signals are left out");
}

async fn signals_say_when_they_last_changed_after_filing(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let (untouched, handled) = (org.signal(now() - Duration::days(3)), org.signal(now() - Duration::days(2)));
    store.insert_signal(&untouched).await.expect("untouched");
    store.insert_signal(&handled).await.expect("handled");
    let (first, second) = (now() - Duration::days(1), now() - Duration::hours(1));
    let in_progress = domain::NeighbourhoodSignal { status: SignalStatus::InProgress, ..handled.clone() };
    assert!(store.update_signal(&in_progress, first).await.expect("first change"));
    let resolved = domain::NeighbourhoodSignal { status: SignalStatus::Resolved, ..handled.clone() };
    assert!(store.update_signal(&resolved, second).await.expect("second change"));
    let changed = store.signals_changed_at(&[untouched.id, handled.id]).await.expect("changed");
    assert_eq!(changed.len(), 1, "filing is not a change");
    assert_eq!(changed.get(&handled.id), Some(&second));
}

async fn a_visit_is_remembered_per_person_and_screen(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Ekeren").await;
    let partner = user("partner.ekeren", Role::Partner, None, Some(org.organisation.id));
    store.insert_user(&partner, "hash").await.expect("partner");
    assert_eq!(store.visit(partner.id, "home").await.expect("none yet"), None);
    let first = Visit { seen_at: now() - Duration::days(2), changes_since: now() - Duration::days(2) };
    store.save_visit(partner.id, "home", &first).await.expect("first");
    let next = Visit { seen_at: now(), changes_since: first.seen_at };
    store.save_visit(partner.id, "home", &next).await.expect("replaced");
    assert_eq!(store.visit(partner.id, "home").await.expect("read"), Some(next));
    assert_eq!(store.visit(partner.id, "signals").await.expect("other screen"), None);
    assert_eq!(store.visit(org.officer.id, "home").await.expect("other person"), None);
}
