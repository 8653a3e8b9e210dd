//! A phone's pull: the changes since its cursor that the caller may see. The store
//! narrows the feed to the caller's part (the team's signals and the caller's own
//! contacts; a partner's organisation's signals); every record is then checked against
//! the policy and redacted like any list, and each personal field shown is logged.

use std::collections::HashMap;

use domain::sync::pull::{cursor_at, cursor_position, pull_limit, BadCursor, MAX_PULL_LIMIT};
use domain::sync::{Change, ChangeState, PullPage, Tombstone};
use domain::{NeighbourhoodSignal, RecordId, StreetContact};
use store::{FeedRecord, PullQuery, PullScope};

use crate::records::may;
use crate::{Action, Actor, Resource, ServiceError, Services};

/// Why a pull was refused before anything was read.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(transparent)]
    BadCursor(#[from] BadCursor),
    #[error("limit must be between 1 and {MAX_PULL_LIMIT}, not {0}")]
    BadLimit(u32),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// The access log's purpose for what a pull shows.
const PURPOSE: &str = "api_sync_pull";

impl Services {
    pub async fn pull(&self, actor: &Actor, cursor: Option<&str>, limit: Option<u32>) -> Result<PullPage, PullError> {
        let after = cursor_position(cursor)?;
        let limit = pull_limit(limit).map_err(PullError::BadLimit)?;
        let scope = match (actor.team_id, actor.org_id) {
            (Some(team_id), _) => PullScope::Team { team_id, contacts_of: actor.user_id },
            (None, Some(org_id)) => PullScope::Organisation { org_id },
            // An admin runs accounts: no records to carry offline.
            (None, None) => return Err(ServiceError::Forbidden.into()),
        };
        let page = self.store.pull(&PullQuery { after, limit, scope }).await.map_err(ServiceError::from)?;

        // Redaction (and its access-log entry) works on whole lists, so records are
        // grouped by kind and put back in the feed's order (oldest change first) after.
        let order: HashMap<RecordId, usize> = page.changes.iter().enumerate().map(|(i, c)| (c.record_id, i)).collect();
        let mut changes = Vec::with_capacity(page.changes.len());
        let (mut contacts, mut signals) = (Vec::new(), Vec::new());
        for change in page.changes {
            match change.record {
                FeedRecord::Contact(Some(c)) if may(actor, Action::Read, &Resource::Contact { team_id: c.team_id }) => {
                    contacts.push((change.version, c))
                }
                FeedRecord::Signal(Some(s)) if may(actor, Action::Read, &Resource::from(&s)) => {
                    signals.push((change.version, s))
                }
                // The feed row said the caller could see it; the record now says
                // otherwise (say, referred elsewhere): left out, like any list does.
                FeedRecord::Contact(Some(_)) | FeedRecord::Signal(Some(_)) => {}
                FeedRecord::Contact(None) => changes.push(contact_change(change.record_id, change.version, None)),
                FeedRecord::Signal(None) => changes.push(signal_change(change.record_id, change.version, None)),
            }
        }
        let (versions, shown): (Vec<u64>, Vec<StreetContact>) = contacts.into_iter().unzip();
        let shown = self.redact_contacts(actor, PURPOSE, shown).await?;
        changes.extend(versions.into_iter().zip(shown).map(|(v, c)| contact_change(c.id, v, Some(c))));
        let (versions, shown): (Vec<u64>, Vec<NeighbourhoodSignal>) = signals.into_iter().unzip();
        let shown = self.redact_signals(actor, PURPOSE, shown).await?;
        changes.extend(versions.into_iter().zip(shown).map(|(v, s)| signal_change(s.id, v, Some(s))));
        changes.sort_by_key(|c| order.get(&c.id()).copied());
        Ok(PullPage { changes, cursor: cursor_at(page.position), more: page.more })
    }
}

fn state<T>(record: Option<T>) -> Box<ChangeState<T>> {
    Box::new(match record {
        Some(record) => ChangeState::Record { record },
        None => ChangeState::Deleted { deleted: Tombstone },
    })
}

fn contact_change(id: RecordId, version: u64, record: Option<StreetContact>) -> Change {
    Change::Contact { id, version, state: state(record) }
}

fn signal_change(id: RecordId, version: u64, record: Option<NeighbourhoodSignal>) -> Change {
    Change::Signal { id, version, state: state(record) }
}
