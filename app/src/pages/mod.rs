//! One module per screen.

mod contacts;
mod home;
mod login;
mod not_found;

pub use contacts::ContactsPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
mod contact_form;
