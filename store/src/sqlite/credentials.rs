//! Credentials: one-time password links and registered devices (their keys), the
//! [`CredentialStore`] on SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{DeviceId, TeamId, UserId};

use super::{id, moment, opt_id, opt_moment, SqliteStore};
use crate::rows;
use crate::sql;
use crate::{CredentialStore, Device, PasswordToken, StoreError};

#[async_trait]
impl CredentialStore for SqliteStore {
    async fn insert_password_token(&self, t: &PasswordToken) -> Result<(), StoreError> {
        let query = sqlx::query(sql::INSERT_PASSWORD_TOKEN)
            .bind(&t.token_hash)
            .bind(id(t.user_id))
            .bind(moment(t.created_at))
            .bind(moment(t.expires_at));
        self.write(query, || "password link".to_owned()).await.map(|_| ())
    }

    async fn use_password_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>, StoreError> {
        // A write that returns a row: through `one`, whose errors are sorted as reads',
        // which is right here: the statement can break no unique or foreign-key rule.
        let query = sqlx::query(sql::USE_PASSWORD_TOKEN).bind(token_hash).bind(moment(now));
        self.one(query, rows::user_id).await
    }

    async fn insert_device(&self, d: &Device) -> Result<(), StoreError> {
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
        self.write(query, || format!("device {}", d.id)).await.map(|_| ())
    }

    async fn device(&self, device_id: DeviceId) -> Result<Option<Device>, StoreError> {
        self.one(sqlx::query(sql::DEVICE).bind(id(device_id)), rows::device).await
    }

    async fn devices_of_user(&self, user_id: UserId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_USER).bind(id(user_id)), rows::device).await
    }

    async fn devices_of_team(&self, team_id: TeamId) -> Result<Vec<Device>, StoreError> {
        self.all(sqlx::query(sql::DEVICES_OF_TEAM).bind(id(team_id)), rows::device).await
    }

    async fn revoke_device(&self, device_id: DeviceId, by: UserId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::REVOKE_DEVICE).bind(id(device_id)).bind(id(by)).bind(moment(at));
        Ok(self.write(query, || format!("device {device_id}")).await? > 0)
    }

    async fn reissue_device(
        &self,
        device_id: DeviceId,
        credential_hash: &str,
        label: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let query = sqlx::query(sql::REISSUE_DEVICE)
            .bind(id(device_id))
            .bind(credential_hash)
            .bind(label)
            .bind(moment(issued_at));
        Ok(self.write(query, || format!("device {device_id}")).await? > 0)
    }

    async fn revoke_devices_of_user(&self, user_id: UserId, by: UserId, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let query = sqlx::query(sql::REVOKE_DEVICES_OF_USER).bind(id(user_id)).bind(id(by)).bind(moment(at));
        self.write(query, || format!("devices of user {user_id}")).await
    }

    async fn touch_device(&self, device_id: DeviceId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let query = sqlx::query(sql::TOUCH_DEVICE).bind(id(device_id)).bind(moment(at));
        self.write(query, || format!("device {device_id}")).await.map(|_| ())
    }
}
