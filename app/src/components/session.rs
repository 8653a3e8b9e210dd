//! Who is logged in, shared by the header and every page. Refetched when someone
//! logs in or out, so the navigation follows without a reload.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::CurrentUser;
use crate::server_fns::auth::{who_am_i, LogIn, LogOut};

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub log_in: ServerAction<LogIn>,
    pub log_out: ServerAction<LogOut>,
}

pub fn provide_session() {
    let log_in = ServerAction::<LogIn>::new();
    let log_out = ServerAction::<LogOut>::new();
    let user = Resource::new(move || (log_in.version().get(), log_out.version().get()), |_| who_am_i());
    provide_context(Session { user, log_in, log_out });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
