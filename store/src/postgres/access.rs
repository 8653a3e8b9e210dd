//! Password links, registered devices and the access log: the writes with more
//! than one value to bind, and the access log's listing.

use chrono::{DateTime, Utc};
use domain::{DeviceId, UserId};
use sqlx::{Postgres, QueryBuilder};

use super::PostgresStore;
use crate::rows;
use crate::sql;
use crate::{AccessLogEntry, AccessLogQuery, Device, PasswordToken, StoreError};

pub(super) async fn insert_password_token(db: &PostgresStore, t: &PasswordToken) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_PASSWORD_TOKEN)
        .bind(&t.token_hash)
        .bind(t.user_id)
        .bind(t.created_at)
        .bind(t.expires_at);
    db.write(query, || "password link".to_owned()).await.map(|_| ())
}

pub(super) async fn use_password_token(
    db: &PostgresStore,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    // A write that returns a row: through `one`, whose errors are sorted as reads',
    // which is right here: the statement can break no unique or foreign-key rule.
    let query = sqlx::query(sql::USE_PASSWORD_TOKEN).bind(token_hash).bind(now);
    db.one(query, rows::user_id).await
}

pub(super) async fn insert_device(db: &PostgresStore, d: &Device) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_DEVICE)
        .bind(d.id)
        .bind(d.user_id)
        .bind(&d.label)
        .bind(&d.credential_hash)
        .bind(d.created_at)
        .bind(d.last_seen_at)
        .bind(d.revoked_at)
        .bind(d.revoked_by)
        .bind(d.issued_at);
    db.write(query, || format!("device {}", d.id)).await.map(|_| ())
}

pub(super) async fn revoke_device(
    db: &PostgresStore,
    device_id: DeviceId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REVOKE_DEVICE).bind(device_id).bind(by).bind(at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

pub(super) async fn reissue_device(
    db: &PostgresStore,
    device_id: DeviceId,
    credential_hash: &str,
    label: &str,
    issued_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REISSUE_DEVICE).bind(device_id).bind(credential_hash).bind(label).bind(issued_at);
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

/// Rows per statement: nine values a row stay far below PostgreSQL's 65,535 parameters.
const CHUNK: usize = 1000;

/// All entries in one statement (one transaction beyond `CHUNK`): a page that showed
/// several fields is logged whole or, if the log cannot be written, not at all (and
/// the caller then shows nothing). One round trip, where one per entry made a screen
/// of 50 records wait for 52.
pub(super) async fn append_access_log(db: &PostgresStore, entries: &[AccessLogEntry]) -> Result<(), StoreError> {
    match entries {
        [] => Ok(()),
        few if few.len() <= CHUNK => {
            let mut insert = insert_access_log(few);
            insert.build().execute(&db.pool).await.map(|_| ()).map_err(entries_error(few))
        }
        many => {
            let what = || "the access log".to_owned();
            let mut tx = db.pool.begin().await.map_err(|e| StoreError::from_sqlx(e, &what()))?;
            for chunk in many.chunks(CHUNK) {
                let mut insert = insert_access_log(chunk);
                insert.build().execute(&mut *tx).await.map_err(entries_error(chunk))?;
            }
            tx.commit().await.map_err(|e| StoreError::from_sqlx(e, &what()))
        }
    }
}

fn insert_access_log(entries: &[AccessLogEntry]) -> QueryBuilder<'static, Postgres> {
    let mut insert = QueryBuilder::<Postgres>::new(sql::INSERT_ACCESS_LOG);
    insert.push_values(entries, |mut row, e| {
        row.push_bind(e.id)
            .push_bind(e.at)
            .push_bind(e.reader_id)
            .push_bind(e.record_kind.code())
            .push_bind(e.record_id)
            .push_bind(e.field.clone())
            .push_bind(e.purpose.clone())
            .push_bind(e.team_id)
            .push_bind(e.org_id);
    });
    insert
}

fn entries_error(entries: &[AccessLogEntry]) -> impl FnOnce(sqlx::Error) -> StoreError {
    let what = format!("{} access log entries from {}", entries.len(), entries[0].id);
    move |e| StoreError::from_sqlx(e, &what)
}

pub(super) async fn access_log(db: &PostgresStore, query: &AccessLogQuery) -> Result<Vec<AccessLogEntry>, StoreError> {
    let mut sql: QueryBuilder<'static, Postgres> =
        QueryBuilder::new(format!("SELECT {} FROM access_log WHERE TRUE", sql::ACCESS_LOG_COLUMNS));
    if let Some(team) = query.team_id {
        sql.push(" AND team_id = ").push_bind(team);
    }
    if let Some(org) = query.org_id {
        sql.push(" AND org_id = ").push_bind(org);
    }
    if let Some(record) = query.record_id {
        sql.push(" AND record_id = ").push_bind(record);
    }
    sql.push(sql::ACCESS_LOG_NEWEST_FIRST).push_bind(rows::effective_limit(query.limit));
    db.all(sql.build(), rows::access_log_entry).await
}
