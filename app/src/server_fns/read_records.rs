//! The records an access-log line read, named by kind, place and date, so the log says
//! what was read rather than only how much.

use std::collections::HashMap;

use domain::RecordId;
use service::access_log::{LogScope, ReadWhat};
use service::{Actor, Services};

use crate::error::AppError;
use crate::model::{ReadRecordRow, SyncedWhat};

/// A line that read at most this many records of a kind names them; one that showed
/// a whole list (a page of 50 contacts) is summed up by its counts.
const FEW: usize = 3;

/// The records named in `log`'s short lines, by id, as the reader of the log may see
/// them.
pub async fn named_records(
    services: &Services,
    actor: &Actor,
    scope: LogScope,
    log: &[store::AccessLogEntry],
) -> Result<HashMap<RecordId, ReadRecordRow>, AppError> {
    let mut ids: Vec<(store::RecordKind, RecordId)> = Vec::new();
    for shown in log.iter().flat_map(|e| &e.shown).filter(|s| s.records.len() <= FEW) {
        for id in &shown.records {
            if !ids.iter().any(|(_, known)| known == id) {
                ids.push((shown.kind, *id));
            }
        }
    }
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let records = services.read_records(actor, scope, &ids).await?;
    let places = services.neighbourhoods().await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let place = places.iter().find(|n| n.id == r.neighbourhood_id).map(|n| n.name.clone()).unwrap_or_default();
            let what = match r.what {
                ReadWhat::Contact(kind) => SyncedWhat::Contact(kind),
                ReadWhat::Signal(category) => SyncedWhat::Signal(category),
            };
            (r.id, ReadRecordRow { what, place, at_local: crate::ssr::format_local(r.occurred_at) })
        })
        .collect())
}
