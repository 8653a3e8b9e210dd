//! What the role homes show (issue 10): the team's day, open signals urgent first,
//! what was referred to an organisation (overdue first), and an organisation's
//! signals with what changed since the person's last visit. Signal texts shown here
//! are written to the access log like the lists'; the day's entries show codes, times
//! and authors only, no free text, so they are not.

use chrono::{DateTime, Utc};
use domain::homes::{changes_since, is_overdue, urgent_first};
use domain::{ContactKind, NeighbourhoodSignal, RecordId, SignalCategory, UserId};
use store::{RecordQuery, Visit};

use crate::records::may;
use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// How many signals a home looks through for its open ones: the newest open ones of a
/// team or organisation, more than a home shows.
const OPEN_SIGNALS_SCANNED: i64 = 500;

/// One entry of the team's day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayEntry {
    pub id: RecordId,
    pub what: DayWhat,
    pub author_id: UserId,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DayWhat {
    Contact(ContactKind),
    Signal(SignalCategory),
}

/// A page of the team's day and where the next one starts (`None`: this was the last).
#[derive(Debug, Clone, PartialEq)]
pub struct DayPage {
    pub entries: Vec<DayEntry>,
    pub next: Option<(DateTime<Utc>, RecordId)>,
}

/// A signal referred to the reader's organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub signal: NeighbourhoodSignal,
    pub overdue: bool,
}

/// An organisation's signal and, when it changed since the reader's last visit, when.
#[derive(Debug, Clone, PartialEq)]
pub struct SinceVisit {
    pub signal: NeighbourhoodSignal,
    pub changed_at: Option<DateTime<Utc>>,
}

impl Services {
    /// The contacts and signals of the actor's team since `since`, newest first, one
    /// page of `limit` after `before` (keyset: the last entry of the previous page).
    /// Both lists are read one past the page in the same order and merged, so a page
    /// boundary never skips or repeats an entry.
    pub async fn team_day(
        &self,
        actor: &Actor,
        since: DateTime<Utc>,
        before: Option<(DateTime<Utc>, RecordId)>,
        limit: i64,
    ) -> Result<DayPage, ServiceError> {
        let team_id = actor.team_id.ok_or(ServiceError::Forbidden)?;
        authorize(actor, Action::Read, &Resource::Contact { team_id })?;
        let query = RecordQuery {
            team_id: Some(team_id),
            since: Some(since),
            before,
            limit: limit + 1,
            ..RecordQuery::default()
        };
        let contacts = self.store.contacts(&query).await?;
        let signals = self.store.signals(&query).await?;
        let mut entries: Vec<DayEntry> = contacts
            .into_iter()
            .map(|c| DayEntry {
                id: c.id,
                what: DayWhat::Contact(c.kind),
                author_id: c.author_id,
                occurred_at: c.occurred_at,
            })
            .chain(signals.into_iter().filter(|s| may(actor, Action::Read, &Resource::from(s))).map(|s| DayEntry {
                id: s.id,
                what: DayWhat::Signal(s.category),
                author_id: s.author_id,
                occurred_at: s.occurred_at,
            }))
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse((e.occurred_at, e.id)));
        let page = usize::try_from(limit).unwrap_or(0);
        let more = entries.len() > page;
        entries.truncate(page);
        let next = if more { entries.last().map(|e| (e.occurred_at, e.id)) } else { None };
        Ok(DayPage { entries, next })
    }

    /// The open signals the actor may see (the team's, or the organisation's), urgent
    /// first, at most `limit`; with `high_only`, those of high urgency alone. Only the
    /// texts returned are logged, under `purpose`.
    pub async fn open_signals_urgent_first(
        &self,
        actor: &Actor,
        purpose: &str,
        limit: usize,
        high_only: bool,
    ) -> Result<Vec<NeighbourhoodSignal>, ServiceError> {
        let mut open = self.open_signals(actor).await?;
        if high_only {
            open.retain(|s| s.urgency == domain::Urgency::High);
        }
        urgent_first(&mut open);
        open.truncate(limit);
        self.redact_signals(actor, purpose, open).await
    }

    /// Signals referred to the actor's organisation and not yet resolved, overdue
    /// first, then urgent first; texts logged under `purpose`.
    pub async fn referred_to_us(
        &self,
        actor: &Actor,
        purpose: &str,
        limit: usize,
    ) -> Result<Vec<Referral>, ServiceError> {
        let org_id = actor.org_id.ok_or(ServiceError::Forbidden)?;
        let mut open: Vec<_> =
            self.open_signals(actor).await?.into_iter().filter(|s| s.referred_to_org_id == Some(org_id)).collect();
        urgent_first(&mut open);
        let mut referrals = self.with_overdue(open).await?;
        // Stable: overdue ones first, each group keeping urgent-first order.
        referrals.sort_by_key(|r| !r.overdue);
        referrals.truncate(limit);
        let signals = self.redact_signals(actor, purpose, referrals.iter().map(|r| r.signal.clone()).collect()).await?;
        Ok(referrals.into_iter().zip(signals).map(|(r, signal)| Referral { signal, overdue: r.overdue }).collect())
    }

    /// Signals the actor's team referred that are still waiting for the organisation
    /// (status "referred"), overdue first. Codes only: their texts are not shown.
    pub async fn referrals_waiting(&self, actor: &Actor) -> Result<Vec<Referral>, ServiceError> {
        let waiting: Vec<_> = self
            .open_signals(actor)
            .await?
            .into_iter()
            .filter(|s| s.status == domain::SignalStatus::Referred && s.referred_to_org_id.is_some())
            .map(|mut s| {
                s.description = String::new();
                s
            })
            .collect();
        let mut referrals = self.with_overdue(waiting).await?;
        referrals.sort_by_key(|r| !r.overdue);
        Ok(referrals)
    }

    /// The actor's organisation's signals, newest first, each with when it changed if
    /// that was since the actor's last visit to `screen`; records this visit.
    /// Returns where "since the last visit" started.
    pub async fn signals_since_last_visit(
        &self,
        actor: &Actor,
        screen: &str,
        purpose: &str,
        limit: i64,
    ) -> Result<(Vec<SinceVisit>, DateTime<Utc>), ServiceError> {
        let now = self.now();
        let last = self.store.visit(actor.user_id, screen).await?;
        let since = changes_since(last.map(|v| (v.seen_at, v.changes_since)), now);
        let signals = self.visible_signals(actor, purpose, limit).await?;
        let ids: Vec<RecordId> = signals.iter().map(|s| s.id).collect();
        let changed = self.store.signals_changed_at(&ids).await?;
        self.store.save_visit(actor.user_id, screen, &Visit { seen_at: now, changes_since: since }).await?;
        let mut listed: Vec<SinceVisit> = signals
            .into_iter()
            .map(|signal| {
                let changed_at = changed.get(&signal.id).copied().filter(|at| *at > since);
                SinceVisit { signal, changed_at }
            })
            .collect();
        // What changed comes first, the latest change on top; the rest stays newest first.
        listed.sort_by_key(|s| std::cmp::Reverse(s.changed_at));
        Ok((listed, since))
    }

    /// The newest open signals of the actor's team or organisation that the actor may
    /// read, unredacted: callers redact (and log) what they show.
    async fn open_signals(&self, actor: &Actor) -> Result<Vec<NeighbourhoodSignal>, ServiceError> {
        let scope = match (actor.team_id, actor.org_id) {
            (Some(team_id), _) => RecordQuery { team_id: Some(team_id), ..RecordQuery::default() },
            (None, Some(org_id)) => RecordQuery { org_id: Some(org_id), ..RecordQuery::default() },
            (None, None) => return Err(ServiceError::Forbidden),
        };
        let query = RecordQuery { open_only: true, limit: OPEN_SIGNALS_SCANNED, ..scope };
        let signals = self.store.signals(&query).await?;
        Ok(signals.into_iter().filter(|s| may(actor, Action::Read, &Resource::from(s))).collect())
    }

    /// Marks each signal overdue by the rule in `domain::homes`, counting from its last
    /// change (or its filing, when it never changed).
    async fn with_overdue(&self, signals: Vec<NeighbourhoodSignal>) -> Result<Vec<Referral>, ServiceError> {
        let ids: Vec<RecordId> = signals.iter().map(|s| s.id).collect();
        let changed = self.store.signals_changed_at(&ids).await?;
        let now = self.now();
        Ok(signals
            .into_iter()
            .map(|signal| {
                let last_change = changed.get(&signal.id).copied().unwrap_or(signal.received_at);
                Referral { overdue: is_overdue(&signal, last_change, now), signal }
            })
            .collect())
    }
}
