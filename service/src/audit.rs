//! The access log: who was shown which personal-data field, when, and on which
//! screen. Written whenever a note, a signal's text or a photo is shown; read by team
//! leads for their team and by partners for their own organisation's signals.

use domain::UserId;
use domain::{OrgId, TeamId};
use store::{AccessLogEntry, AccessLogQuery, RecordKind};
use uuid::Uuid;

use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// One personal-data field shown to the actor.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub field: &'a str,
    pub team_id: TeamId,
    pub org_id: Option<OrgId>,
}

/// Whose log to read.
#[derive(Debug, Clone, Copy)]
pub enum LogScope {
    Team(TeamId),
    Organisation(OrgId),
}

impl Services {
    /// Records that `actor` was shown these fields for `purpose`. Called before the
    /// data leaves the server: if the log cannot be written, the data is not shown.
    pub async fn log_shown(&self, actor: &Actor, purpose: &str, shown: &[Shown<'_>]) -> Result<(), ServiceError> {
        if shown.is_empty() {
            return Ok(());
        }
        let at = self.now();
        let entries: Vec<AccessLogEntry> = shown
            .iter()
            .map(|s| AccessLogEntry {
                id: Uuid::now_v7(),
                at,
                reader_id: actor.user_id,
                record_kind: s.kind,
                record_id: s.record_id,
                field: s.field.to_owned(),
                purpose: purpose.to_owned(),
                team_id: s.team_id,
                org_id: s.org_id,
            })
            .collect();
        Ok(self.store.append_access_log(&entries).await?)
    }

    pub async fn access_log(
        &self,
        actor: &Actor,
        scope: LogScope,
        limit: i64,
    ) -> Result<Vec<AccessLogEntry>, ServiceError> {
        let query = match scope {
            LogScope::Team(team_id) => {
                authorize(actor, Action::Read, &Resource::TeamAccessLog { team_id })?;
                AccessLogQuery { team_id: Some(team_id), limit, ..AccessLogQuery::default() }
            }
            LogScope::Organisation(org_id) => {
                authorize(actor, Action::Read, &Resource::OrganisationAccessLog { org_id })?;
                AccessLogQuery { org_id: Some(org_id), limit, ..AccessLogQuery::default() }
            }
        };
        Ok(self.store.access_log(&query).await?)
    }

    /// The log of [`Services::access_log`] with the people who read: a log says who,
    /// so whoever may read it may know the readers' names (which a partner could not
    /// otherwise list).
    pub async fn access_log_with_readers(
        &self,
        actor: &Actor,
        scope: LogScope,
        limit: i64,
    ) -> Result<(Vec<AccessLogEntry>, Vec<domain::User>), ServiceError> {
        let log = self.access_log(actor, scope, limit).await?;
        let readers: std::collections::HashSet<UserId> = log.iter().map(|e| e.reader_id).collect();
        let users = self.store.users().await?.into_iter().filter(|u| readers.contains(&u.id)).collect();
        Ok((log, users))
    }
}
