//! Credentials: one-time password links and registered devices (their keys), the
//! writes with more than one value to bind.

use chrono::{DateTime, Utc};
use domain::{DeviceId, UserId};

use super::{id, moment, opt_id, opt_moment, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{Device, PasswordToken, StoreError};

pub(super) async fn insert_password_token(db: &SqliteStore, t: &PasswordToken) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_PASSWORD_TOKEN)
        .bind(&t.token_hash)
        .bind(id(t.user_id))
        .bind(moment(t.created_at))
        .bind(moment(t.expires_at));
    db.write(query, || "password link".to_owned()).await.map(|_| ())
}

pub(super) async fn use_password_token(
    db: &SqliteStore,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    // A write that returns a row: through `one`, whose errors are sorted as reads',
    // which is right here: the statement can break no unique or foreign-key rule.
    let query = sqlx::query(sql::USE_PASSWORD_TOKEN).bind(token_hash).bind(moment(now));
    db.one(query, rows::user_id).await
}

pub(super) async fn insert_device(db: &SqliteStore, d: &Device) -> Result<(), StoreError> {
    let query = sqlx::query(sql::INSERT_DEVICE)
        .bind(id(d.id))
        .bind(id(d.user_id))
        .bind(&d.label)
        .bind(&d.credential_hash)
        .bind(moment(d.created_at))
        .bind(opt_moment(d.last_seen_at))
        .bind(opt_moment(d.revoked_at))
        .bind(opt_id(d.revoked_by))
        .bind(moment(d.issued_at));
    db.write(query, || format!("device {}", d.id)).await.map(|_| ())
}

pub(super) async fn revoke_device(
    db: &SqliteStore,
    device_id: DeviceId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query = sqlx::query(sql::REVOKE_DEVICE).bind(id(device_id)).bind(id(by)).bind(moment(at));
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}

pub(super) async fn reissue_device(
    db: &SqliteStore,
    device_id: DeviceId,
    credential_hash: &str,
    label: &str,
    issued_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let query =
        sqlx::query(sql::REISSUE_DEVICE).bind(id(device_id)).bind(credential_hash).bind(label).bind(moment(issued_at));
    Ok(db.write(query, || format!("device {device_id}")).await? > 0)
}
