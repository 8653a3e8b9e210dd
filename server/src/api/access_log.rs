//! The access log: who was shown which personal fields, one entry per screen (or API
//! answer) and per team and organisation whose records it showed.

use app::error::AppError;
use app::ssr::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use domain::{OrgId, RecordId, TeamId, UserId};
use serde::{Deserialize, Serialize};
use service::access_log::LogScope;
use store::{AccessLogEntry, ShownFields};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use super::caller::Caller;
use super::devices::one_of_two;
use super::error::{ApiError, ApiResult, Filter};
use super::openapi::{at_most_one_of, uuid, ErrorBody};

/// What one screen showed of one team's (and partner organisation's) records.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub reader_id: UserId,
    /// The screen or API call that showed it, e.g. `contacts_page`, `api_signal`.
    pub purpose: String,
    pub team_id: TeamId,
    /// For signals a partner filed: that organisation.
    pub org_id: Option<OrgId>,
    /// One element per kind of record and field; never empty.
    pub shown: Vec<ShownView>,
}

/// One field of some records of one kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShownView {
    /// `contact` or `signal`.
    #[schema(pattern = "^(contact|signal)$")]
    pub kind: &'static str,
    /// `note`, `description` or `photo`.
    pub field: String,
    /// In the order they were shown.
    pub records: Vec<RecordId>,
}

impl From<ShownFields> for ShownView {
    fn from(s: ShownFields) -> Self {
        Self { kind: s.kind.code(), field: s.field, records: s.records }
    }
}

impl From<AccessLogEntry> for AccessLogView {
    fn from(e: AccessLogEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            reader_id: e.reader_id,
            purpose: e.purpose,
            team_id: e.team_id,
            org_id: e.org_id,
            shown: e.shown.into_iter().map(ShownView::from).collect(),
        }
    }
}

/// Whose log: `team` or `org`, at most one; neither means the caller's team, else
/// the caller's organisation. Unknown parameters are refused, as the schema says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFilter {
    pub team: Option<TeamId>,
    pub org: Option<OrgId>,
    /// At most this many, newest first (default 100, at most 500).
    pub limit: Option<i64>,
}

impl PartialSchema for LogFilter {
    fn schema() -> RefOr<Schema> {
        let limit = serde_json::json!({ "type": "integer", "format": "int64",
            "description": "At most this many, newest first (default 100, at most 500)" });
        at_most_one_of(
            &[("team", uuid("The team's log")), ("org", uuid("The organisation's log"))],
            &[("limit", limit)],
        )
    }
}

impl ToSchema for LogFilter {}

#[utoipa::path(get, path = "/access-log", tag = "devices",
    params(("filter" = inline(LogFilter), Query, style = Form, explode,
        description = "`team` or `org`, at most one; neither: the caller's team, else their organisation \
            (an account with neither, such as an administrator, must name one: 400 otherwise)")),
    responses((status = 200, body = [AccessLogView]), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn access_log(
    State(app): State<AppState>,
    caller: Caller,
    Filter(filter): Filter<LogFilter>,
) -> ApiResult<Json<Vec<AccessLogView>>> {
    let scope = match (filter.team, filter.org, caller.actor.team_id, caller.actor.org_id) {
        (Some(_), Some(_), ..) => return Err(one_of_two("access log", "team", "org")),
        (Some(team), None, ..) | (None, None, Some(team), _) => LogScope::Team(team),
        (None, Some(org), ..) | (None, None, None, Some(org)) => LogScope::Organisation(org),
        (None, None, None, None) => {
            return Err(ApiError(AppError::BadRequest { detail: "access log: give `team` or `org`".into() }))
        }
    };
    let entries = app.services.access_log(&caller.actor, scope, filter.limit.unwrap_or(100)).await?;
    Ok(Json(entries.into_iter().map(AccessLogView::from).collect()))
}
