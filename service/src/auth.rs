//! Log-in, sessions and log-out.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use domain::User;
use store::Session;

use crate::secrets::{hash_password, hash_token, new_token, verify_password_blocking};
use crate::throttle::{account_key, address_key, locked_until};
use crate::{ServiceError, Services};

/// A new session: the token goes into the cookie, only its hash into the store.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub user: User,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl Services {
    /// Checks a password and starts a session, within the throttling limits.
    pub async fn log_in(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<LoggedIn, ServiceError> {
        let now = self.now();
        let limits = self.settings.throttle;
        let mut keys = vec![(account_key(username), limits.per_account)];
        if let Some(address) = address {
            keys.push((address_key(address), limits.per_address));
        }
        if let Some(until) = self.lockout(&keys, now).await? {
            tracing::info!(username = %username.trim(), %until, "log-in refused: locked out");
            return Err(ServiceError::LockedOut { until });
        }

        let credentials = self.store.credentials(username.trim()).await?;
        // Unknown users are checked against a throw-away hash, so the answer takes as
        // long either way and does not reveal which usernames exist.
        let (user, phc) = match credentials {
            Some(c) => (Some(c.user), c.password_hash),
            None => (None, unknown_user_hash().to_owned()),
        };
        let password_ok = verify_password_blocking(password.to_owned(), phc).await;
        let Some(user) = user.filter(|_| password_ok) else {
            for (key, _) in &keys {
                self.store.record_login_failure(key, now).await?;
            }
            tracing::info!(username = %username.trim(), "failed log-in");
            return Err(ServiceError::BadCredentials);
        };
        self.store.clear_login_failures(&keys[0].0).await?;
        self.start_session(user).await
    }

    async fn lockout(
        &self,
        keys: &[(String, usize)],
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ServiceError> {
        let window = self.settings.throttle.window;
        let mut latest: Option<DateTime<Utc>> = None;
        for (key, max) in keys {
            let failures = self.store.login_failures_since(key, now - window).await?;
            if let Some(until) = locked_until(&failures, *max, window, now) {
                latest = Some(latest.map_or(until, |l| l.max(until)));
            }
        }
        Ok(latest)
    }

    pub async fn start_session(&self, user: User) -> Result<LoggedIn, ServiceError> {
        let now = self.now();
        let token = new_token();
        let expires_at = now + self.settings.session_ttl;
        let session =
            Session { token_hash: hash_token(&token), user_id: user.id, created_at: now, expires_at, device_id: None };
        self.store.insert_session(&session).await?;
        tracing::info!(user = %user.id, role = %user.role, "logged in");
        Ok(LoggedIn { user, token, expires_at })
    }

    /// The user of a live session token, or `None`.
    pub async fn session_user(&self, token: &str) -> Result<Option<User>, ServiceError> {
        let Some(session) = self.store.live_session(&hash_token(token), self.now()).await? else {
            return Ok(None);
        };
        Ok(self.store.user(session.user_id).await?)
    }

    pub async fn log_out(&self, token: &str) -> Result<(), ServiceError> {
        Ok(self.store.delete_session(&hash_token(token)).await?)
    }
}

/// A valid argon2 hash that no real account's password is compared with.
fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such user").unwrap_or_default())
}
