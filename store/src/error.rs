//! What can go wrong in the store, sorted by what a caller does about it: tell the
//! user (duplicate, not found), retry later (unavailable), or report a bug or a
//! damaged database (the rest).
//!
//! Messages name tables, constraints and columns, never a connection URL or a
//! password: they end up in logs and sometimes in front of a user.

use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique rule was broken; the text says which record and which rule.
    #[error("already exists: {0}")]
    Duplicate(String),
    /// A record, or a record another one refers to, does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The database cannot be reached or used right now; trying again later may work.
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("the database schema could not be migrated")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// A stored value does not parse: an unknown code, a malformed id or moment.
    #[error("a stored value is corrupt: {0}")]
    Corrupt(String),
    /// Any other database failure; usually a bug.
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl StoreError {
    /// Sorts a sqlx error. `what` names the record being written (for example
    /// `user "agent.deurne"`), so a duplicate can say what was duplicated.
    pub(crate) fn from_sqlx(err: sqlx::Error, what: &str) -> Self {
        match &err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::Configuration(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Self::Unavailable(err),
            sqlx::Error::ColumnDecode { index, source } => {
                Self::Corrupt(format!("column {index} does not decode: {source}"))
            }
            sqlx::Error::Database(db) => {
                if db.is_unique_violation() {
                    Self::Duplicate(format!("{what} ({})", rule_name(db.as_ref())))
                } else if db.is_foreign_key_violation() {
                    Self::NotFound(format!("a record that {what} refers to ({})", rule_name(db.as_ref())))
                } else if is_unavailable(db.as_ref()) {
                    Self::Unavailable(err)
                } else {
                    Self::Database(err)
                }
            }
            _ => Self::Database(err),
        }
    }

    /// For reads, where no record is being written.
    pub(crate) fn read(err: sqlx::Error) -> Self {
        Self::from_sqlx(err, "the record read")
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Self::Migration(err)
    }
}

/// The broken rule: PostgreSQL names the constraint; SQLite only says it in its
/// message ("UNIQUE constraint failed: users.username_key").
fn rule_name(db: &dyn DatabaseError) -> String {
    if let Some(constraint) = db.constraint() {
        return constraint.to_owned();
    }
    let message = db.message();
    message.split_once("constraint failed: ").map_or(message, |(_, rule)| rule).to_owned()
}

/// Errors that say the server or file is out of reach rather than the query wrong.
fn is_unavailable(db: &dyn DatabaseError) -> bool {
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        let code = pg.code();
        // 08: connection exception, 53: insufficient resources, 57: operator
        // intervention (shutdown), 28: authentication, 3D000: no such database.
        return ["08", "53", "57", "28"].iter().any(|class| code.starts_with(class)) || code == "3D000";
    }
    // SQLite reports extended result codes; the low byte is the primary code:
    // BUSY 5, LOCKED 6, IOERR 10, FULL 13, CANTOPEN 14.
    db.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| matches!(code & 0xff, 5 | 6 | 10 | 13 | 14))
}
