//! One module per screen.

mod access_log;
mod admin;
mod capture;
mod contact_form;
mod contacts;
mod home;
mod login;
mod not_found;
mod outbox;
mod password;
mod signal_form;
mod signals;
mod team;

pub use access_log::AccessLogPage;
pub use admin::AdminPage;
pub use contacts::ContactsPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use outbox::OutboxPage;
pub use password::PasswordPage;
pub use signals::SignalsPage;
pub use team::{TeamMembersPage, TeamPage, TeamPhonesPage};
