//! Street contacts and neighbourhood signals.

use domain::{NeighbourhoodSignal, StreetContact};
use sqlx::{QueryBuilder, Sqlite};

use super::{id, moment, opt_id, SqliteStore};
use crate::rows;
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
    sql
}

fn newest_first(sql: &mut QueryBuilder<'static, Sqlite>, query: &RecordQuery) {
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
}

pub(super) async fn insert_contact(db: &SqliteStore, c: &StreetContact) -> Result<(), StoreError> {
    let point = c.location.point;
    let query = sqlx::query(sql::INSERT_CONTACT)
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
        .bind(&c.note);
    db.write(query, || format!("street contact {}", c.id)).await.map(|_| ())
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

pub(super) async fn insert_signal(db: &SqliteStore, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
    let point = s.location.point;
    let query = sqlx::query(sql::INSERT_SIGNAL)
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
        .bind(&s.feedback);
    db.write(query, || format!("neighbourhood signal {}", s.id)).await.map(|_| ())
}

pub(super) async fn signals(db: &SqliteStore, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
    let mut sql = listing(sql::SIGNAL_COLUMNS, "neighbourhood_signals", query);
    if let Some(org) = query.org_id {
        sql.push(" AND (author_org_id = ").push_bind(id(org));
        sql.push(" OR referred_to_org_id = ").push_bind(id(org)).push(")");
    }
    newest_first(&mut sql, query);
    db.all(sql.build(), rows::signal).await
}

pub(super) async fn update_signal(db: &SqliteStore, s: &NeighbourhoodSignal) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::UPDATE_SIGNAL)
        .bind(id(s.id))
        .bind(s.status.code())
        .bind(opt_id(s.referred_to_org_id))
        .bind(&s.feedback);
    Ok(db.write(query, || format!("neighbourhood signal {}", s.id)).await? > 0)
}
