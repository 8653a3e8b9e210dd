//! The role homes (issue 10): what each person needs first, on one screen. Which
//! parts a person gets follows the policy's capabilities, not the role's name.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::homes::HomeScreen;

/// How many of the day's entries one page lists; older ones are a page further.
pub const DAY_PAGE: i64 = 50;

/// How many signals each of a home's short lists shows; the lists have the rest.
#[cfg(feature = "ssr")]
const SHORT_LIST: usize = 10;

/// The logged-in person's home. `before` is the day's paging cursor (from the
/// "earlier today" link); `wijk`, `lat` and `lon` are the partner's neighbourhood
/// finder, a plain GET form.
#[server(prefix = "/api", endpoint = "home_page")]
pub async fn home_page(
    before: Option<String>,
    wijk: Option<String>,
    lat: Option<String>,
    lon: Option<String>,
) -> Result<HomeScreen, AppError> {
    use crate::ssr::{actor_and_services, read_purpose};

    let (actor, services) = actor_and_services().await?;
    let can = domain::capabilities(&actor);
    let purpose = read_purpose("home_page");
    let names = server_side::Names::load(&services, &actor).await?;
    let mut screen = HomeScreen { overdue_days: domain::homes::REFERRAL_OVERDUE_DAYS, ..HomeScreen::default() };
    if actor.team_id.is_some() {
        if can.log_contacts || can.review_team_sync {
            let before = before.as_deref().and_then(server_side::parse_cursor);
            screen.today = Some(server_side::today(&services, &actor, &names, before).await?);
        }
        if can.review_team_sync {
            screen.decisions = Some(server_side::decisions(&services, &actor, &names, purpose).await?);
        } else if can.log_contacts {
            let open = services.open_signals_urgent_first(&actor, purpose, SHORT_LIST, false).await?;
            screen.open_signals = Some(open.into_iter().map(|s| names.signal_row(&actor, s)).collect());
        }
        if can.read_contacts && !can.read_contact_notes {
            screen.briefing = Some(server_side::briefing(&services, &actor, &names, purpose).await?);
        }
    } else if actor.org_id.is_some() {
        if can.file_signals {
            let finder = server_side::finder(&names, wijk, lat, lon);
            screen.partner = Some(server_side::partner(&services, &actor, &names, purpose, finder).await?);
        } else if can.read_signals {
            let referred = services.referred_to_us(&actor, purpose, SHORT_LIST * 3).await?;
            screen.referred = Some(referred.into_iter().map(|r| names.referral_row(&actor, r)).collect());
        }
    }
    Ok(screen)
}

#[cfg(feature = "ssr")]
#[path = "home_server.rs"]
mod server_side;
