//! What the capture forms keep for the shift: the neighbourhood and the way of moving
//! (on foot, by bike) of the last entry, so the next contact starts with them. Kept on
//! the phone (`localStorage`, so a closed and reopened app still has them), for one
//! person, for at most a shift's length, and forgotten at log-out. Browser only: the
//! server renders the forms without them.

/// Longer than any shift: a choice older than this is from another day.
const SHIFT_MS: f64 = 12.0 * 60.0 * 60.0 * 1000.0;
const KEY: &str = "wijkpost.shift";

/// The kept choices; each empty when none was made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub neighbourhood_id: String,
    pub mobility: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// This person's kept choices, if made this shift.
///
/// Stored as one line, `user␉saved-at-ms␉neighbourhood␉mobility`, not as JSON: ids
/// and codes hold no tab, and a serde struct more costs the phone's bundle kilobytes.
pub fn kept(user: domain::UserId) -> Kept {
    let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten()).unwrap_or_default();
    let mut parts = stored.split('\t');
    let (Some(who), Some(at), Some(neighbourhood_id), Some(mobility)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Kept::default();
    };
    let fresh = at.parse::<f64>().is_ok_and(|at| js_sys::Date::now() - at < SHIFT_MS);
    if who != user.to_string() || !fresh {
        return Kept::default();
    }
    Kept { neighbourhood_id: neighbourhood_id.to_owned(), mobility: mobility.to_owned() }
}

/// Keeps what is not empty in `new`; an empty field leaves what was kept.
pub fn keep(user: domain::UserId, new: Kept) {
    let Some(storage) = storage() else { return };
    let old = kept(user);
    let pick = |new: String, old: String| if new.is_empty() { old } else { new };
    let (neighbourhood_id, mobility) =
        (pick(new.neighbourhood_id, old.neighbourhood_id), pick(new.mobility, old.mobility));
    if [&neighbourhood_id, &mobility].iter().any(|v| v.contains('\t')) {
        return;
    }
    let line = format!("{user}\t{}\t{neighbourhood_id}\t{mobility}", js_sys::Date::now());
    let _ = storage.set_item(KEY, &line);
}

/// At log-out: the next person starts from nothing.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
