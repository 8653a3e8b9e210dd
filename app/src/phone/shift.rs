//! What the capture forms keep for the shift: the neighbourhood and the way of moving
//! (on foot, by bike) of the last entry, so the next contact starts with them. Kept on
//! the phone (`localStorage`, so a closed and reopened app still has them), for one
//! person, for at most a shift's length, and forgotten at log-out. Browser only: the
//! server renders the forms without them.

use serde::{Deserialize, Serialize};

/// Longer than any shift: a choice older than this is from another day.
const SHIFT_MS: f64 = 12.0 * 60.0 * 60.0 * 1000.0;
const KEY: &str = "wijkpost.shift";

/// The kept choices; each empty when none was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub neighbourhood_id: String,
    pub mobility: String,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    user: domain::UserId,
    at_ms: f64,
    kept: Kept,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// This person's kept choices, if made this shift.
pub fn kept(user: domain::UserId) -> Kept {
    let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten());
    stored
        .and_then(|raw| serde_json::from_str::<Stored>(&raw).ok())
        .filter(|s| s.user == user && js_sys::Date::now() - s.at_ms < SHIFT_MS)
        .map(|s| s.kept)
        .unwrap_or_default()
}

/// Keeps what is not empty in `new`; an empty field leaves what was kept.
pub fn keep(user: domain::UserId, new: Kept) {
    let Some(storage) = storage() else { return };
    let old = kept(user);
    let pick = |new: String, old: String| if new.is_empty() { old } else { new };
    let kept = Kept {
        neighbourhood_id: pick(new.neighbourhood_id, old.neighbourhood_id),
        mobility: pick(new.mobility, old.mobility),
    };
    let stored = Stored { user, at_ms: js_sys::Date::now(), kept };
    if let Ok(raw) = serde_json::to_string(&stored) {
        let _ = storage.set_item(KEY, &raw);
    }
}

/// At log-out: the next person starts from nothing.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
