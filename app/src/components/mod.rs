//! Pieces shared by several screens.

mod fields;
mod header;
mod session;

pub use fields::{code_choices, FieldMessage, SelectField};
pub use header::Header;
pub use session::{provide_session, use_session, Session};
