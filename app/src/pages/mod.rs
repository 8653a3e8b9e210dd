//! One module per screen.

mod access_log;
mod admin;
mod contact_form;
mod contacts;
mod home;
mod login;
mod not_found;
mod password;
mod signals;
mod team;

pub use access_log::AccessLogPage;
pub use admin::AdminPage;
pub use contacts::ContactsPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use password::PasswordPage;
pub use signals::SignalsPage;
pub use team::TeamPage;
