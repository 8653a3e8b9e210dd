//! Turning a result row into a domain value, shared by both backends.
//!
//! Each backend says how to read one column of its own row type (SQLite keeps ids
//! and moments as text, PostgreSQL natively) by implementing [`Columns`]; everything
//! above that (codes, locations, whole records) is written once, here, so both
//! backends refuse bad data in the same way: with [`StoreError::Corrupt`], never a panic.

use chrono::{DateTime, Utc};
use domain::{
    ContactKind, ContactOutcome, ContactReason, District, GeoPoint, Location, Mobility, Neighbourhood,
    NeighbourhoodSignal, PartnerKind, PartnerOrganisation, PhotoRef, Role, SignalCategory, SignalStatus, StreetContact,
    Team, Urgency, User,
};
use domain::{NeighbourhoodId, TeamId, UserId};
use uuid::Uuid;

use crate::{AccessLogEntry, Credentials, Device, Session, StoreError};

/// The most records one listing returns, whatever was asked.
pub(crate) const MAX_LIMIT: i64 = 500;
/// What a listing returns when no (or a nonsensical) limit was asked.
pub(crate) const DEFAULT_LIMIT: i64 = 100;

/// The row limit actually applied for a requested one.
pub(crate) fn effective_limit(requested: i64) -> i64 {
    if requested <= 0 {
        DEFAULT_LIMIT
    } else {
        requested.min(MAX_LIMIT)
    }
}

/// The form a username is compared in: log-in ignores case and stray spaces.
/// Done here rather than with SQL's lower(), which in SQLite only folds ASCII.
pub(crate) fn username_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Reads one column of a backend's row.
pub(crate) trait Columns {
    fn uuid(&self, column: &str) -> Result<Uuid, StoreError>;
    fn opt_uuid(&self, column: &str) -> Result<Option<Uuid>, StoreError>;
    /// A typed id (`TeamId`, `OrgId`, …): the one place a stored uuid becomes one, so
    /// the record readers below say which id a column holds and nothing else.
    fn id<T: From<Uuid>>(&self, column: &str) -> Result<T, StoreError> {
        self.uuid(column).map(T::from)
    }
    fn opt_id<T: From<Uuid>>(&self, column: &str) -> Result<Option<T>, StoreError> {
        Ok(self.opt_uuid(column)?.map(T::from))
    }
    fn moment(&self, column: &str) -> Result<DateTime<Utc>, StoreError>;
    fn opt_moment(&self, column: &str) -> Result<Option<DateTime<Utc>>, StoreError>;
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn opt_f64(&self, column: &str) -> Result<Option<f64>, StoreError>;
    fn opt_i64(&self, column: &str) -> Result<Option<i64>, StoreError>;
}

/// Parses a uuid stored as text.
pub(crate) fn parse_uuid(raw: &str, column: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|_| StoreError::Corrupt(format!("{column} is not a uuid: {raw:?}")))
}

/// Parses a moment stored as RFC 3339 text.
pub(crate) fn parse_moment(raw: &str, column: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("{column} is not a moment: {raw:?}")))
}

/// A code column, parsed by the code list's own `from_code`.
fn code<T>(row: &impl Columns, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    let raw = row.text(column)?;
    parse(&raw).ok_or_else(|| StoreError::Corrupt(format!("unknown {column} code {raw:?}")))
}

/// The `lat`, `lon`, `accuracy_m` and `street` columns.
fn location(row: &impl Columns) -> Result<Location, StoreError> {
    let point = match (row.opt_f64("lat")?, row.opt_f64("lon")?) {
        (None, None) => None,
        (Some(lat), Some(lon)) => Some(
            GeoPoint::new(lat, lon)
                .ok_or_else(|| StoreError::Corrupt(format!("lat/lon out of range: {lat}, {lon}")))?,
        ),
        _ => return Err(StoreError::Corrupt("half a coordinate is stored".to_owned())),
    };
    Ok(Location { point, accuracy_m: row.opt_f64("accuracy_m")?, street: row.opt_text("street")? })
}

pub(crate) fn district(row: &impl Columns) -> Result<District, StoreError> {
    Ok(District { id: row.id("id")?, name: row.text("name")? })
}

pub(crate) fn team(row: &impl Columns) -> Result<Team, StoreError> {
    Ok(Team { id: row.id("id")?, district_id: row.id("district_id")?, name: row.text("name")? })
}

pub(crate) fn neighbourhood(row: &impl Columns) -> Result<Neighbourhood, StoreError> {
    Ok(Neighbourhood {
        id: row.id("id")?,
        district_id: row.id("district_id")?,
        name: row.text("name")?,
        boundary_geojson: row.text("boundary_geojson")?,
    })
}

pub(crate) fn street(row: &impl Columns) -> Result<domain::Street, StoreError> {
    Ok(domain::Street {
        id: row.id("id")?,
        neighbourhood_id: row.id("neighbourhood_id")?,
        name: row.text("name")?,
        line_geojson: row.text("line_geojson")?,
    })
}

pub(crate) fn neighbourhood_team(row: &impl Columns) -> Result<(NeighbourhoodId, TeamId), StoreError> {
    Ok((row.id("neighbourhood_id")?, row.id("team_id")?))
}

pub(crate) fn partner_organisation(row: &impl Columns) -> Result<PartnerOrganisation, StoreError> {
    Ok(PartnerOrganisation {
        id: row.id("id")?,
        name: row.text("name")?,
        kind: code(row, "kind", PartnerKind::from_code)?,
        district_id: row.opt_id("district_id")?,
    })
}

pub(crate) fn user(row: &impl Columns) -> Result<User, StoreError> {
    Ok(User {
        id: row.id("id")?,
        username: row.text("username")?,
        display_name: row.text("display_name")?,
        role: code(row, "role", Role::from_code)?,
        team_id: row.opt_id("team_id")?,
        partner_org_id: row.opt_id("partner_org_id")?,
    })
}

pub(crate) fn credentials(row: &impl Columns) -> Result<Credentials, StoreError> {
    Ok(Credentials { user: user(row)?, password_hash: row.text("password_hash")? })
}

pub(crate) fn session(row: &impl Columns) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash: row.text("token_hash")?,
        user_id: row.id("user_id")?,
        created_at: row.moment("created_at")?,
        expires_at: row.moment("expires_at")?,
        device_id: row.opt_id("device_id")?,
    })
}

pub(crate) fn contact(row: &impl Columns) -> Result<StreetContact, StoreError> {
    Ok(StreetContact {
        id: row.id("id")?,
        author_id: row.id("author_id")?,
        team_id: row.id("team_id")?,
        neighbourhood_id: row.id("neighbourhood_id")?,
        occurred_at: row.moment("occurred_at")?,
        received_at: row.moment("received_at")?,
        mobility: code(row, "mobility", Mobility::from_code)?,
        kind: code(row, "kind", ContactKind::from_code)?,
        reason: code(row, "reason", ContactReason::from_code)?,
        outcome: code(row, "outcome", ContactOutcome::from_code)?,
        location: location(row)?,
        note: row.opt_text("note")?,
    })
}

pub(crate) fn signal(row: &impl Columns) -> Result<NeighbourhoodSignal, StoreError> {
    Ok(NeighbourhoodSignal {
        id: row.id("id")?,
        author_id: row.id("author_id")?,
        team_id: row.id("team_id")?,
        neighbourhood_id: row.id("neighbourhood_id")?,
        occurred_at: row.moment("occurred_at")?,
        received_at: row.moment("received_at")?,
        category: code(row, "category", SignalCategory::from_code)?,
        urgency: code(row, "urgency", Urgency::from_code)?,
        status: code(row, "status", SignalStatus::from_code)?,
        description: row.text("description")?,
        location: location(row)?,
        author_org_id: row.opt_id("author_org_id")?,
        referred_to_org_id: row.opt_id("referred_to_org_id")?,
        feedback: row.opt_text("feedback")?,
        photo: photo_ref(row)?,
        duplicate_of: row.opt_id("duplicate_of")?,
    })
}

/// The `photo_id` and `photo_arrived_at` columns of a signal.
fn photo_ref(row: &impl Columns) -> Result<Option<PhotoRef>, StoreError> {
    let arrived = row.opt_moment("photo_arrived_at")?.is_some();
    Ok(row.opt_id("photo_id")?.map(|id| PhotoRef { id, complete: arrived }))
}

pub(crate) fn device(row: &impl Columns) -> Result<Device, StoreError> {
    Ok(Device {
        id: row.id("id")?,
        user_id: row.id("user_id")?,
        label: row.text("label")?,
        credential_hash: row.text("credential_hash")?,
        created_at: row.moment("created_at")?,
        last_seen_at: row.opt_moment("last_seen_at")?,
        revoked_at: row.opt_moment("revoked_at")?,
        revoked_by: row.opt_id("revoked_by")?,
        // Nullable on SQLite (added by ALTER TABLE), filled by the migration.
        issued_at: row.opt_moment("issued_at")?.map_or_else(|| row.moment("created_at"), Ok)?,
    })
}

/// An access-log entry; `shown` is read as text on both stores.
pub(crate) fn access_log_entry(row: &impl Columns) -> Result<AccessLogEntry, StoreError> {
    let id = row.id("id")?;
    let shown = crate::access_log::decode_shown(&row.text("shown")?)
        .map_err(|why| StoreError::Corrupt(format!("access log entry {id}: {why}")))?;
    Ok(AccessLogEntry {
        id,
        at: row.moment("at")?,
        reader_id: row.id("reader_id")?,
        purpose: row.text("purpose")?,
        team_id: row.id("team_id")?,
        org_id: row.opt_id("org_id")?,
        shown,
    })
}

/// The `at` column alone: the moment of a failed log-in.
pub(crate) fn at(row: &impl Columns) -> Result<DateTime<Utc>, StoreError> {
    row.moment("at")
}

/// The `user_id` column alone: whose password token was used.
pub(crate) fn user_id(row: &impl Columns) -> Result<UserId, StoreError> {
    row.id("user_id")
}

/// Maps every row, stopping at the first that does not convert.
pub(crate) fn all<R, T>(rows: &[R], convert: fn(&R) -> Result<T, StoreError>) -> Result<Vec<T>, StoreError> {
    rows.iter().map(convert).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordKind;

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(effective_limit(0), DEFAULT_LIMIT);
        assert_eq!(effective_limit(-3), DEFAULT_LIMIT);
        assert_eq!(effective_limit(7), 7);
        assert_eq!(effective_limit(10_000), MAX_LIMIT);
    }

    #[test]
    fn username_keys_fold_case_beyond_ascii() {
        assert_eq!(username_key(" Agent.Borgerhout "), "agent.borgerhout");
        assert_eq!(username_key("ÉLODIE"), "élodie");
    }

    #[test]
    fn record_kinds_read_back_what_they_write() {
        for kind in [RecordKind::Contact, RecordKind::Signal] {
            assert_eq!(RecordKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(RecordKind::from_code("photo"), None);
    }

    #[test]
    fn bad_stored_text_is_corrupt_not_a_panic() {
        assert!(matches!(parse_uuid("12", "id"), Err(StoreError::Corrupt(_))));
        assert!(matches!(parse_moment("yesterday", "occurred_at"), Err(StoreError::Corrupt(_))));
    }
}
