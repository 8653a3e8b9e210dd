//! How the SQLite store writes and reads ids and moments: as text, in forms that
//! sort the way PostgreSQL's native types do (see the migration).

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::Uuid;

use crate::rows::{self, Columns};
use crate::StoreError;

/// The stored form of an id.
/// The stored form of an id, typed or not: the one place SQLite's store turns one into text.
pub(super) fn id(id: impl Into<Uuid>) -> String {
    id.into().hyphenated().to_string()
}

pub(super) fn opt_id(id: Option<impl Into<Uuid>>) -> Option<String> {
    id.map(self::id)
}

/// The stored form of a moment: always six fractional digits and a `Z`, so that text
/// order is time order. Sub-microsecond digits are cut, as PostgreSQL does.
pub(super) fn moment(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(super) fn opt_moment(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(moment)
}

impl Columns for SqliteRow {
    fn uuid(&self, column: &str) -> Result<Uuid, StoreError> {
        rows::parse_uuid(&self.text(column)?, column)
    }

    fn opt_uuid(&self, column: &str) -> Result<Option<Uuid>, StoreError> {
        self.opt_text(column)?.map(|raw| rows::parse_uuid(&raw, column)).transpose()
    }

    fn moment(&self, column: &str) -> Result<DateTime<Utc>, StoreError> {
        rows::parse_moment(&self.text(column)?, column)
    }

    fn opt_moment(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.opt_text(column)?.map(|raw| rows::parse_moment(&raw, column)).transpose()
    }

    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_f64(&self, column: &str) -> Result<Option<f64>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }

    fn opt_i64(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.try_get(column).map_err(StoreError::read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_have_one_width_so_text_order_is_time_order() {
        let whole = Utc.with_ymd_and_hms(2024, 5, 1, 8, 30, 0).single().unwrap_or_default();
        let later = whole + chrono::Duration::nanoseconds(1_500);
        assert_eq!(moment(whole), "2024-05-01T08:30:00.000000Z");
        assert_eq!(moment(later), "2024-05-01T08:30:00.000001Z");
        assert!(moment(whole) < moment(later));
    }
}
