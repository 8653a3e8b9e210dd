//! Street contacts and neighbourhood signals.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{DeviceId, NeighbourhoodSignal, RecordId, StreetContact};
use sqlx::Row;
use sqlx::{Postgres, QueryBuilder};

use super::feed;
use super::{PostgresStore, Query};
use crate::feed::ChangeRow;
use crate::rows::{self, Columns};
use crate::sql;
use crate::{RecordQuery, StoreError};

/// A listing of `table`, filtered by the query's team, author and neighbourhood;
/// finish it with [`newest_first`].
fn listing(columns: &str, table: &str, query: &RecordQuery) -> QueryBuilder<'static, Postgres> {
    let mut sql = QueryBuilder::new(format!("SELECT {columns} FROM {table} WHERE TRUE"));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(team);
    }
    if let Some(author) = query.author_id {
        sql.push(" AND author_id = ").push_bind(author);
    }
    if let Some(neighbourhood) = query.neighbourhood_id {
        sql.push(" AND neighbourhood_id = ").push_bind(neighbourhood);
    }
    if let Some(since) = query.since {
        sql.push(" AND occurred_at >= ").push_bind(since);
    }
    if let Some((at, last)) = query.before {
        sql.push(" AND (occurred_at, id) < (").push_bind(at).push(", ").push_bind(last).push(")");
    }
    sql
}

fn newest_first(sql: &mut QueryBuilder<'static, Postgres>, query: &RecordQuery) {
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
}

/// A contact and its change-feed row, together or not at all.
pub(super) async fn insert_contact(db: &PostgresStore, c: &StreetContact) -> Result<(), StoreError> {
    let what = || format!("street contact {}", c.id);
    let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    contact_insert(c).execute(&mut *tx).await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    feed::append(&mut tx, &[ChangeRow::contact(c, c.received_at)]).await?;
    tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
}

/// The insert of a contact, for a single write or inside a push's transaction.
pub(super) fn contact_insert(c: &StreetContact) -> Query<'_> {
    let point = c.location.point;
    sqlx::query(sql::INSERT_CONTACT)
        .bind(c.id)
        .bind(c.author_id)
        .bind(c.team_id)
        .bind(c.neighbourhood_id)
        .bind(c.occurred_at)
        .bind(c.received_at)
        .bind(c.mobility.code())
        .bind(c.kind.code())
        .bind(c.reason.code())
        .bind(c.outcome.code())
        .bind(point.map(|p| p.lat))
        .bind(point.map(|p| p.lon))
        .bind(c.location.accuracy_m)
        .bind(&c.location.street)
        .bind(&c.note)
}

/// A push's contacts in one statement (`sql::INSERT_CONTACTS_UNNEST`), each column as
/// [`contact_insert`] binds it.
pub(super) fn contacts_insert<'q>(contacts: &[&'q StreetContact]) -> Query<'q> {
    let column = |value: fn(&StreetContact) -> Option<f64>| contacts.iter().map(|c| value(c)).collect::<Vec<_>>();
    sqlx::query(sql::INSERT_CONTACTS_UNNEST)
        .bind(contacts.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.author_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.team_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.neighbourhood_id).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.occurred_at).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.received_at).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.mobility.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.kind.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.reason.code()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.outcome.code()).collect::<Vec<_>>())
        .bind(column(|c| c.location.point.map(|p| p.lat)))
        .bind(column(|c| c.location.point.map(|p| p.lon)))
        .bind(column(|c| c.location.accuracy_m))
        .bind(contacts.iter().map(|c| c.location.street.as_deref()).collect::<Vec<_>>())
        .bind(contacts.iter().map(|c| c.note.as_deref()).collect::<Vec<_>>())
}

pub(super) async fn contacts(db: &PostgresStore, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
    let mut sql = listing(sql::CONTACT_COLUMNS, "street_contacts", query);
    if query.org_id.is_some() {
        // No contact is filed by or referred to an organisation: the filter matches
        // none, rather than being ignored and showing an organisation every contact.
        sql.push(" AND FALSE");
    }
    newest_first(&mut sql, query);
    db.all(sql.build(), rows::contact).await
}

/// A signal filed on the web: its first version, written by no device, goes with it.
pub(super) async fn insert_signal(db: &PostgresStore, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
    let what = || format!("neighbourhood signal {}", s.id);
    let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    signal_insert(s).execute(&mut *tx).await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    version_insert(s.id, 1, None, s.received_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_sqlx(e, &what()))?;
    feed::append(&mut tx, &[ChangeRow::signal(s, 1, s.received_at)]).await?;
    tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
}

/// The insert of a signal, for a single write or inside a push's transaction.
pub(super) fn signal_insert(s: &NeighbourhoodSignal) -> Query<'_> {
    let point = s.location.point;
    sqlx::query(sql::INSERT_SIGNAL)
        .bind(s.id)
        .bind(s.author_id)
        .bind(s.team_id)
        .bind(s.neighbourhood_id)
        .bind(s.occurred_at)
        .bind(s.received_at)
        .bind(s.category.code())
        .bind(s.urgency.code())
        .bind(s.status.code())
        .bind(&s.description)
        .bind(point.map(|p| p.lat))
        .bind(point.map(|p| p.lon))
        .bind(s.location.accuracy_m)
        .bind(&s.location.street)
        .bind(s.author_org_id)
        .bind(s.referred_to_org_id)
        .bind(&s.feedback)
        .bind(s.photo.map(|p| p.id))
        .bind(s.duplicate_of)
}

pub(super) async fn signals(db: &PostgresStore, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
    let mut sql = listing(sql::SIGNAL_COLUMNS, "neighbourhood_signals", query);
    if let Some(org) = query.org_id {
        sql.push(" AND (author_org_id = ").push_bind(org);
        sql.push(" OR referred_to_org_id = ").push_bind(org).push(")");
    }
    if query.open_only {
        sql.push(" AND status <> 'resolved'");
    }
    newest_first(&mut sql, query);
    db.all(sql.build(), rows::signal).await
}

/// See `Store::linked_reports`: one grouped count over the listed ids, filtered by
/// the reader's scope as [`signals`] filters the listing.
pub(super) async fn linked_reports(
    db: &PostgresStore,
    signal_ids: &[RecordId],
    scope: &RecordQuery,
) -> Result<HashMap<RecordId, u64>, StoreError> {
    let mut found = HashMap::new();
    for chunk in signal_ids.chunks(rows::MAX_LIMIT as usize) {
        let mut sql = QueryBuilder::new(sql::LINKED_REPORTS);
        let mut ids = sql.separated(", ");
        for signal_id in chunk {
            ids.push_bind(*signal_id);
        }
        sql.push(")");
        if let Some(team) = scope.team_id {
            sql.push(" AND team_id = ").push_bind(team);
        }
        if let Some(org) = scope.org_id {
            sql.push(" AND (author_org_id = ").push_bind(org);
            sql.push(" OR referred_to_org_id = ").push_bind(org).push(")");
        }
        sql.push(sql::LINKED_REPORTS_END);
        for (signal_id, reports) in db.all(sql.build(), linked_count).await? {
            found.insert(signal_id, reports);
        }
    }
    Ok(found)
}

fn linked_count(row: &sqlx::postgres::PgRow) -> Result<(RecordId, u64), StoreError> {
    let reports: i64 = row.try_get("reports").map_err(StoreError::read)?;
    Ok((row.id("duplicate_of")?, crate::sync::from_db(reports, "linked reports")?))
}

/// See `Store::signals_changed_at`.
pub(super) async fn signals_changed_at(
    db: &PostgresStore,
    signal_ids: &[RecordId],
) -> Result<HashMap<RecordId, DateTime<Utc>>, StoreError> {
    let mut found = HashMap::new();
    for chunk in signal_ids.chunks(rows::MAX_LIMIT as usize) {
        let mut sql = QueryBuilder::new(sql::SIGNALS_CHANGED);
        let mut ids = sql.separated(", ");
        for signal_id in chunk {
            ids.push_bind(*signal_id);
        }
        sql.push(sql::SIGNALS_CHANGED_END);
        for (signal_id, at) in db.all(sql.build(), changed_at).await? {
            found.insert(signal_id, at);
        }
    }
    Ok(found)
}

fn changed_at(row: &sqlx::postgres::PgRow) -> Result<(RecordId, DateTime<Utc>), StoreError> {
    Ok((row.id("signal_id")?, row.moment("changed_at")?))
}

/// A change on the web is a version written by no device: a phone's offline edit
/// based on an earlier version then conflicts instead of overwriting it.
pub(super) async fn update_signal(
    db: &PostgresStore,
    s: &NeighbourhoodSignal,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let what = || format!("neighbourhood signal {}", s.id);
    let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    let updated = sqlx::query(sql::UPDATE_SIGNAL)
        .bind(s.id)
        .bind(s.status.code())
        .bind(s.referred_to_org_id)
        .bind(&s.feedback)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| StoreError::from_sqlx(e, &what()))?;
    let Some(row) = updated else { return Ok(false) };
    let version: i64 = row.try_get(0).map_err(StoreError::read)?;
    version_insert(s.id, version, None, at).execute(&mut *tx).await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    feed::append(&mut tx, &[ChangeRow::signal(s, version, at)]).await?;
    tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    Ok(true)
}

/// Records who wrote a signal's version: a device, or `None` for the web.
pub(super) fn version_insert(
    signal_id: RecordId,
    version: i64,
    device_id: Option<DeviceId>,
    at: DateTime<Utc>,
) -> Query<'static> {
    sqlx::query(sql::INSERT_SIGNAL_VERSION).bind(signal_id).bind(version).bind(device_id).bind(at)
}

#[async_trait::async_trait]
impl crate::RecordStore for PostgresStore {
    async fn insert_contact(&self, contact: &StreetContact) -> Result<(), StoreError> {
        insert_contact(self, contact).await
    }

    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
        contacts(self, query).await
    }

    async fn count_contacts(&self, team_id: Option<domain::TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(team),
            None => sqlx::query(sql::COUNT_CONTACTS),
        })
        .await
    }

    async fn insert_signal(&self, signal: &NeighbourhoodSignal) -> Result<(), StoreError> {
        insert_signal(self, signal).await
    }

    async fn signals(&self, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
        signals(self, query).await
    }

    async fn count_signals(&self, team_id: Option<domain::TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(team),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
    }

    async fn contact(&self, contact_id: RecordId) -> Result<Option<StreetContact>, StoreError> {
        self.one(sqlx::query(sql::CONTACT).bind(contact_id), rows::contact).await
    }

    async fn signal(&self, signal_id: RecordId) -> Result<Option<NeighbourhoodSignal>, StoreError> {
        self.one(sqlx::query(sql::SIGNAL).bind(signal_id), rows::signal).await
    }

    async fn update_signal(&self, signal: &NeighbourhoodSignal, at: DateTime<Utc>) -> Result<bool, StoreError> {
        update_signal(self, signal, at).await
    }

    async fn linked_reports(
        &self,
        signal_ids: &[RecordId],
        scope: &RecordQuery,
    ) -> Result<HashMap<RecordId, u64>, StoreError> {
        linked_reports(self, signal_ids, scope).await
    }

    async fn signals_changed_at(
        &self,
        signal_ids: &[RecordId],
    ) -> Result<HashMap<RecordId, DateTime<Utc>>, StoreError> {
        signals_changed_at(self, signal_ids).await
    }
}
