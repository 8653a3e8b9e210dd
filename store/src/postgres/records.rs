//! Street contacts and neighbourhood signals.

use domain::{NeighbourhoodSignal, StreetContact};
use sqlx::{Postgres, QueryBuilder};

use super::PostgresStore;
use crate::rows;
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
    sql
}

fn newest_first(sql: &mut QueryBuilder<'static, Postgres>, query: &RecordQuery) {
    sql.push(sql::NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
}

pub(super) async fn insert_contact(db: &PostgresStore, c: &StreetContact) -> Result<(), StoreError> {
    let point = c.location.point;
    let query = sqlx::query(sql::INSERT_CONTACT)
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
        .bind(&c.note);
    db.write(query, || format!("street contact {}", c.id)).await.map(|_| ())
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

pub(super) async fn insert_signal(db: &PostgresStore, s: &NeighbourhoodSignal) -> Result<(), StoreError> {
    let point = s.location.point;
    let query = sqlx::query(sql::INSERT_SIGNAL)
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
        .bind(&s.feedback);
    db.write(query, || format!("neighbourhood signal {}", s.id)).await.map(|_| ())
}

pub(super) async fn signals(db: &PostgresStore, query: &RecordQuery) -> Result<Vec<NeighbourhoodSignal>, StoreError> {
    let mut sql = listing(sql::SIGNAL_COLUMNS, "neighbourhood_signals", query);
    if let Some(org) = query.org_id {
        sql.push(" AND (author_org_id = ").push_bind(org);
        sql.push(" OR referred_to_org_id = ").push_bind(org).push(")");
    }
    newest_first(&mut sql, query);
    db.all(sql.build(), rows::signal).await
}

pub(super) async fn update_signal(db: &PostgresStore, s: &NeighbourhoodSignal) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::UPDATE_SIGNAL)
        .bind(s.id)
        .bind(s.status.code())
        .bind(s.referred_to_org_id)
        .bind(&s.feedback);
    Ok(db.write(query, || format!("neighbourhood signal {}", s.id)).await? > 0)
}
