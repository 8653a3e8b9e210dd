//! Pieces shared by several screens.

mod access_log;
mod device;
mod fields;
mod header;
mod refusal;
mod session;

pub use access_log::AccessLogTable;
pub use device::{keep_device_identity, DEVICE_KEY};
pub use fields::{code_choices, FieldMessage, SelectField};
pub use header::Header;
pub use refusal::{page_or_refusal, Refusal};
pub use session::{provide_session, use_session, Session};
