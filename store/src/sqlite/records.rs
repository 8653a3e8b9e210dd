//! Street contacts and neighbourhood signals.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{DeviceId, NeighbourhoodSignal, RecordId, StreetContact};
use sqlx::query_builder::Separated;
use sqlx::Row;
use sqlx::{QueryBuilder, Sqlite};

use super::feed;
use super::{id, moment, opt_id, Query, SqliteStore};
use crate::feed::ChangeRow;
use crate::rows::{self, Columns};
use crate::sql;
use crate::{RecordQuery, StoreError};

/// A listing of `table`, filtered by the query's team, author and neighbourhood;
/// finish it with [`newest_first`].
fn listing(columns: &str, table: &str, query: &RecordQuery) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(format!("SELECT {columns} FROM {table} WHERE 1 = 1"));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(id(team));
    }
    if let Some(author) = query.author_id {
        sql.push(" AND author_id = ").push_bind(id(author));
    }
    if let Some(neighbourhood) = query.neighbourhood_id {
        sql.push(" AND neighbourhood_id = ").push_bind(id(neighbourhood));
    }
    if let Some(since) = query.since {
        sql.push(" AND occurred_at >= ").push_bind(moment(since));
    }
    if let Some((at, last)) = query.before {
        // Row values compare as the listing sorts; the moment's fixed width keeps text
        // order time order, and hyphenated lowercase ids sort as PostgreSQL's uuids.
        sql.push(" AND (occurred_at, id) < (").push_bind(moment(at)).push(", ").push_bind(id(last)).push(")");
    }
    sql
}

fn newest_first(sql: &mut QueryBuilder<'static, Sqlite>, query: &RecordQuery) {
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
}

/// A contact and its change-feed row, together or not at all.
pub(super) async fn insert_contact(db: &SqliteStore, c: &StreetContact) -> Result<(), StoreError> {
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
        .bind(id(c.id))
        .bind(id(c.author_id))
        .bind(id(c.team_id))
        .bind(id(c.neighbourhood_id))
        .bind(moment(c.occurred_at))
        .bind(moment(c.received_at))
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

/// One contact's values in a multi-row insert (`sql::INSERT_CONTACTS`), bound as
/// [`contact_insert`] binds them.
pub(super) fn contact_values(mut row: Separated<'_, '_, Sqlite, &'static str>, c: &StreetContact) {
    let point = c.location.point;
    row.push_bind(id(c.id))
        .push_bind(id(c.author_id))
        .push_bind(id(c.team_id))
        .push_bind(id(c.neighbourhood_id))
        .push_bind(moment(c.occurred_at))
        .push_bind(moment(c.received_at))
        .push_bind(c.mobility.code())
        .push_bind(c.kind.code())
        .push_bind(c.reason.code())
        .push_bind(c.outcome.code())
        .push_bind(point.map(|p| p.lat))
        .push_bind(point.map(|p| p.lon))
        .push_bind(c.location.accuracy_m)
        .push_bind(c.location.street.clone())
        .push_bind(c.note.clone());
}

pub(super) async fn contacts(db: &SqliteStore, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
    let mut sql = listing(sql::CONTACT_COLUMNS, "street_contacts", query);
    if query.org_id.is_some() {
        // No contact is filed by or referred to an organisation: the filter matches
        // none, rather than being ignored and showing an organisation every contact.
        sql.push(" AND 1 = 0");
    }
    newest_first(&mut sql, query);
    db.all(sql.build(), rows::contact).await
}

/// A signal filed on the web: its first version, written by no device, goes with it.
pub(super) async fn insert_signal(db: &SqliteStore, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
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
        .bind(id(s.id))
        .bind(id(s.author_id))
        .bind(id(s.team_id))
        .bind(id(s.neighbourhood_id))
        .bind(moment(s.occurred_at))
        .bind(moment(s.received_at))
        .bind(s.category.code())
        .bind(s.urgency.code())
        .bind(s.status.code())
        .bind(&s.description)
        .bind(point.map(|p| p.lat))
        .bind(point.map(|p| p.lon))
        .bind(s.location.accuracy_m)
        .bind(&s.location.street)
        .bind(opt_id(s.author_org_id))
        .bind(opt_id(s.referred_to_org_id))
        .bind(&s.feedback)
        .bind(opt_id(s.photo.map(|p| p.id)))
        .bind(opt_id(s.duplicate_of))
}

pub(super) async fn signals(db: &SqliteStore, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
    let mut sql = listing(sql::SIGNAL_COLUMNS, "neighbourhood_signals", query);
    if let Some(org) = query.org_id {
        sql.push(" AND (author_org_id = ").push_bind(id(org));
        sql.push(" OR referred_to_org_id = ").push_bind(id(org)).push(")");
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
    db: &SqliteStore,
    signal_ids: &[RecordId],
    scope: &RecordQuery,
) -> Result<HashMap<RecordId, u64>, StoreError> {
    let mut found = HashMap::new();
    for chunk in signal_ids.chunks(rows::MAX_LIMIT as usize) {
        let mut sql = QueryBuilder::new(sql::LINKED_REPORTS);
        let mut ids = sql.separated(", ");
        for signal_id in chunk {
            ids.push_bind(id(*signal_id));
        }
        sql.push(")");
        if let Some(team) = scope.team_id {
            sql.push(" AND team_id = ").push_bind(id(team));
        }
        if let Some(org) = scope.org_id {
            sql.push(" AND (author_org_id = ").push_bind(id(org));
            sql.push(" OR referred_to_org_id = ").push_bind(id(org)).push(")");
        }
        sql.push(sql::LINKED_REPORTS_END);
        for (signal_id, reports) in db.all(sql.build(), linked_count).await? {
            found.insert(signal_id, reports);
        }
    }
    Ok(found)
}

fn linked_count(row: &sqlx::sqlite::SqliteRow) -> Result<(RecordId, u64), StoreError> {
    let reports: i64 = row.try_get("reports").map_err(StoreError::read)?;
    Ok((row.id("duplicate_of")?, crate::sync::from_db(reports, "linked reports")?))
}

/// See `Store::signals_changed_at`.
pub(super) async fn signals_changed_at(
    db: &SqliteStore,
    signal_ids: &[RecordId],
) -> Result<HashMap<RecordId, DateTime<Utc>>, StoreError> {
    let mut found = HashMap::new();
    for chunk in signal_ids.chunks(rows::MAX_LIMIT as usize) {
        let mut sql = QueryBuilder::new(sql::SIGNALS_CHANGED);
        let mut ids = sql.separated(", ");
        for signal_id in chunk {
            ids.push_bind(id(*signal_id));
        }
        sql.push(sql::SIGNALS_CHANGED_END);
        for (signal_id, at) in db.all(sql.build(), changed_at).await? {
            found.insert(signal_id, at);
        }
    }
    Ok(found)
}

fn changed_at(row: &sqlx::sqlite::SqliteRow) -> Result<(RecordId, DateTime<Utc>), StoreError> {
    Ok((row.id("signal_id")?, row.moment("changed_at")?))
}

/// A change on the web is a version written by no device: a phone's offline edit
/// based on an earlier version then conflicts instead of overwriting it.
pub(super) async fn update_signal(
    db: &SqliteStore,
    s: &NeighbourhoodSignal,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let what = || format!("neighbourhood signal {}", s.id);
    let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
    let updated = sqlx::query(sql::UPDATE_SIGNAL)
        .bind(id(s.id))
        .bind(s.status.code())
        .bind(opt_id(s.referred_to_org_id))
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
    sqlx::query(sql::INSERT_SIGNAL_VERSION).bind(id(signal_id)).bind(version).bind(opt_id(device_id)).bind(moment(at))
}

#[async_trait::async_trait]
impl crate::RecordStore for SqliteStore {
    async fn insert_contact(&self, contact: &StreetContact) -> Result<(), StoreError> {
        insert_contact(self, contact).await
    }

    async fn contacts(&self, query: &RecordQuery) -> Result<Vec<StreetContact>, StoreError> {
        contacts(self, query).await
    }

    async fn count_contacts(&self, team_id: Option<domain::TeamId>) -> Result<i64, StoreError> {
        self.count(match team_id {
            Some(team) => sqlx::query(sql::COUNT_TEAM_CONTACTS).bind(id(team)),
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
            Some(team) => sqlx::query(sql::COUNT_TEAM_SIGNALS).bind(id(team)),
            None => sqlx::query(sql::COUNT_SIGNALS),
        })
        .await
    }

    async fn contact(&self, contact_id: RecordId) -> Result<Option<StreetContact>, StoreError> {
        self.one(sqlx::query(sql::CONTACT).bind(id(contact_id)), rows::contact).await
    }

    async fn signal(&self, signal_id: RecordId) -> Result<Option<NeighbourhoodSignal>, StoreError> {
        self.one(sqlx::query(sql::SIGNAL).bind(id(signal_id)), rows::signal).await
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
