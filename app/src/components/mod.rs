//! Pieces shared by several screens.

mod access_log;
mod devices;
mod fields;
mod header;
mod queued;
mod refusal;
mod session;
mod status_change;
mod sync_bar;

pub use access_log::AccessLogTable;
pub use devices::{revoke_question, DeviceItem, RevokeButton, ThisPhone};
pub use fields::{code_choices, ChipChoice, FieldMessage, SelectField};
pub use header::Header;
pub use queued::{confirm, QueuedItem, UnsentEntries};
pub use refusal::{page_or_refusal, Refusal};
pub use session::{provide_session, use_session, Session};
pub use status_change::StatusChange;
pub use sync_bar::SyncBar;
