//! Log-in, sessions and log-out.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use domain::User;
use store::Session;

use crate::secrets::{hash_token, new_token, verify_password_blocking};
use crate::throttle::{locked_until, Counter};
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
        let counters = self.settings.throttle.counters(username, address);
        if let Some(until) = self.lockout(&counters, now).await? {
            tracing::info!(username = %username.trim(), %until, "log-in refused: locked out");
            return Err(ServiceError::LockedOut { until, wait: until - now });
        }

        let credentials = self.store.credentials(username.trim()).await?;
        // An unknown user, or one without a password yet, is checked against a
        // stand-in hash (see `verify_password`), so every failure does the same work
        // and takes as long: the answer does not tell which usernames exist.
        let (user, phc) = match credentials {
            Some(c) => (Some(c.user), Some(c.password_hash)),
            None => (None, None),
        };
        let password_ok = verify_password_blocking(password.to_owned(), phc).await;
        let Some(user) = user.filter(|_| password_ok) else {
            // The same three rows for every failure, known account or not.
            for counter in &counters {
                self.store.record_login_failure(&counter.key, now).await?;
            }
            tracing::info!(username = %username.trim(), "failed log-in");
            return Err(ServiceError::BadCredentials);
        };
        // Only the person's own count (this account from this address) starts over:
        // the account's count from everywhere keeps what others tried, or one log-in
        // by its owner would give a guesser a fresh allowance.
        self.store.clear_login_failures(&counters[0].key).await?;
        self.start_session(user).await
    }

    /// Until when the attempt is locked, if it is: the latest moment any of its
    /// counters frees, so the page can say honestly when to try again.
    async fn lockout(&self, counters: &[Counter], now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, ServiceError> {
        let mut latest: Option<DateTime<Utc>> = None;
        for counter in counters {
            let failures = self.store.login_failures_since(&counter.key, now - counter.window).await?;
            if let Some(until) = locked_until(&failures, counter.max, counter.window, now) {
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
