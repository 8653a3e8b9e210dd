//! The access log: who was shown which personal-data field, when, and on which
//! screen. Written whenever a note, a signal's text or a photo is shown; read by team
//! leads for their team and by partners for their own organisation's signals.
//!
//! One entry per screen and per team and organisation whose records it showed: a
//! partner's log lists what was read of its own signals and nothing of others'.

use chrono::{DateTime, Utc};
use domain::UserId;
use domain::{ContactKind, NeighbourhoodId, OrgId, RecordId, SignalCategory, TeamId};
use store::{AccessLogEntry, AccessLogQuery, RecordKind, ShownFields};
use uuid::Uuid;

use crate::{authorize, Action, Actor, Resource, ServiceError, Services};

/// One personal-data field shown to the actor.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub kind: RecordKind,
    pub record_id: RecordId,
    pub field: &'a str,
    pub team_id: TeamId,
    pub org_id: Option<OrgId>,
}

/// What the reader of a log may know of a record one of its lines names: what kind of
/// record, where and when, never its text (the log must not become a way to read it).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRecord {
    pub id: RecordId,
    pub what: ReadWhat,
    pub neighbourhood_id: NeighbourhoodId,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWhat {
    Contact(ContactKind),
    Signal(SignalCategory),
}

/// At most this many records are named per request: a line that showed a whole list
/// is summed up by its counts instead.
pub const MAX_NAMED_RECORDS: usize = 100;

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
        let entries: Vec<AccessLogEntry> = by_owner(shown)
            .into_iter()
            .map(|((team_id, org_id), shown)| AccessLogEntry {
                id: Uuid::now_v7(),
                at,
                reader_id: actor.user_id,
                purpose: purpose.to_owned(),
                team_id,
                org_id,
                shown,
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

    /// The records named by `ids` that belong to the log of `scope`, for whoever may
    /// read that log: kind, place and date. Records deleted since (contacts are kept
    /// for a limited time) and records outside the scope are left out.
    pub async fn read_records(
        &self,
        actor: &Actor,
        scope: LogScope,
        ids: &[(RecordKind, RecordId)],
    ) -> Result<Vec<ReadRecord>, ServiceError> {
        match scope {
            LogScope::Team(team_id) => authorize(actor, Action::Read, &Resource::TeamAccessLog { team_id })?,
            LogScope::Organisation(org_id) => {
                authorize(actor, Action::Read, &Resource::OrganisationAccessLog { org_id })?
            }
        }
        let mut found = Vec::new();
        for &(kind, id) in ids.iter().take(MAX_NAMED_RECORDS) {
            let record = match kind {
                RecordKind::Contact => {
                    self.store.contact(id).await?.filter(|c| matches!(scope, LogScope::Team(t) if t == c.team_id)).map(
                        |c| ReadRecord {
                            id,
                            what: ReadWhat::Contact(c.kind),
                            neighbourhood_id: c.neighbourhood_id,
                            occurred_at: c.occurred_at,
                        },
                    )
                }
                RecordKind::Signal => self
                    .store
                    .signal(id)
                    .await?
                    .filter(|s| match scope {
                        LogScope::Team(t) => s.team_id == t,
                        LogScope::Organisation(o) => s.author_org_id == Some(o),
                    })
                    .map(|s| ReadRecord {
                        id,
                        what: ReadWhat::Signal(s.category),
                        neighbourhood_id: s.neighbourhood_id,
                        occurred_at: s.occurred_at,
                    }),
            };
            found.extend(record);
        }
        Ok(found)
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

/// Whose records: a team's and, for signals a partner filed, that organisation's.
type Owner = (TeamId, Option<OrgId>);

/// The fields shown, one list per owner, each grouped by kind and field; lists and
/// records keep the order they were shown in.
fn by_owner(shown: &[Shown<'_>]) -> Vec<(Owner, Vec<ShownFields>)> {
    let mut owners: Vec<(Owner, Vec<ShownFields>)> = Vec::new();
    for s in shown {
        let owner = (s.team_id, s.org_id);
        let position = match owners.iter().position(|(o, _)| *o == owner) {
            Some(i) => i,
            None => {
                owners.push((owner, Vec::new()));
                owners.len() - 1
            }
        };
        let fields = &mut owners[position].1;
        match fields.iter_mut().find(|f| f.kind == s.kind && f.field == s.field) {
            Some(f) if !f.records.contains(&s.record_id) => f.records.push(s.record_id),
            Some(_) => {}
            None => fields.push(ShownFields { kind: s.kind, field: s.field.to_owned(), records: vec![s.record_id] }),
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(kind: RecordKind, record_id: RecordId, field: &str, team_id: TeamId, org_id: Option<OrgId>) -> Shown<'_> {
        Shown { kind, record_id, field, team_id, org_id }
    }

    #[test]
    fn one_screen_is_one_entry_per_team_and_organisation() {
        let (team, org) = (TeamId::new_v7(), OrgId::new_v7());
        let (a, b, c) = (RecordId::new_v7(), RecordId::new_v7(), RecordId::new_v7());
        let grouped = by_owner(&[
            shown(RecordKind::Signal, a, "description", team, None),
            shown(RecordKind::Signal, b, "description", team, Some(org)),
            shown(RecordKind::Signal, c, "description", team, None),
            shown(RecordKind::Signal, a, "photo", team, None),
            // The same field of the same record twice on one screen is one mention.
            shown(RecordKind::Signal, c, "description", team, None),
        ]);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].0, (team, None));
        assert_eq!(
            grouped[0].1,
            vec![
                ShownFields { kind: RecordKind::Signal, field: "description".into(), records: vec![a, c] },
                ShownFields { kind: RecordKind::Signal, field: "photo".into(), records: vec![a] },
            ]
        );
        assert_eq!(grouped[1].0, (team, Some(org)));
        assert_eq!(grouped[1].1[0].records, vec![b]);
    }
}
