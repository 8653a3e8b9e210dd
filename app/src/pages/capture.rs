//! What the capture forms share: the place (GPS with its accuracy, which picks the
//! neighbourhood and nearest street on the phone, or a street by hand), the bar that
//! holds "Opslaan" within thumb reach and says what became of the entry, reading a
//! submitted form in the browser, and what the form keeps for the shift.

use domain::area::{locate, MappedNeighbourhood, Whereabouts};
use domain::place::{GeoPoint, ACCURACY_WARNING_METRES};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::FieldMessage;
use crate::i18n::{use_i18n, use_phone_i18n};
use crate::phone::{EntryState, Phone};

/// A GPS fix as the form holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
}

#[derive(Debug, Clone, PartialEq)]
enum GpsState {
    Off,
    Locating,
    /// With where the fix falls on the phone's map (`None` without a map).
    Fixed(Fix, Option<Whereabouts>),
    Failed,
}

/// GPS on request (a tap, so the permission prompt comes when the person expects it),
/// the accuracy shown, a warning above 50 m; the neighbourhood whose boundary holds
/// the fix chosen in the form (`on_place`) and the nearest known street filled in,
/// both still the person's to change; and the street field, always there for when
/// GPS is off or useless. The fix travels in hidden inputs, so the same form works
/// without JavaScript (then without GPS). `reset` clears the place after a save.
#[component]
pub fn PlaceFields(
    #[prop(into)] street_error: Signal<Option<String>>,
    /// Set when a fix arrives or is cleared, for the duplicates check.
    #[prop(optional)]
    on_fix: Option<Callback<Option<Fix>>>,
    /// The form's neighbourhoods with their boundaries and streets.
    #[prop(optional)]
    map: Vec<MappedNeighbourhood>,
    /// (id, name) of the form's neighbourhoods, to say which one was picked.
    #[prop(optional)]
    names: Vec<(String, String)>,
    /// Told the neighbourhood the fix lies in.
    #[prop(optional)]
    on_place: Option<Callback<String>>,
    #[prop(optional, into)] reset: Signal<usize>,
) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let gps = RwSignal::new(GpsState::Off);
    let street = RwSignal::new(String::new());
    Effect::new(move |_| {
        reset.track();
        gps.set(GpsState::Off);
        street.set(String::new());
        if let Some(on_fix) = on_fix {
            on_fix.run(None);
        }
    });
    let map = StoredValue::new(map);
    let fix = move || match gps.get() {
        GpsState::Fixed(fix, _) => Some(fix),
        _ => None,
    };
    let value = move |f: fn(Fix) -> f64| move || fix().map(|x| f(x).to_string()).unwrap_or_default();
    let locate_here = move |_| {
        gps.set(GpsState::Locating);
        locate_once(move |result| {
            let found = result
                .and_then(|f| GeoPoint::new(f.lat, f.lon))
                .and_then(|point| map.with_value(|map| (!map.is_empty()).then(|| locate(map, point))));
            if let Some(Whereabouts::Inside { neighbourhood_id, street: found_street }) = &found {
                if let Some(on_place) = on_place {
                    on_place.run(neighbourhood_id.to_string());
                }
                if let Some(name) = found_street {
                    street.set(name.clone());
                }
            }
            gps.set(result.map(|f| GpsState::Fixed(f, found)).unwrap_or(GpsState::Failed));
            if let Some(on_fix) = on_fix {
                on_fix.run(result);
            }
        });
    };
    let clear = move |_| {
        gps.set(GpsState::Off);
        if let Some(on_fix) = on_fix {
            on_fix.run(None);
        }
    };
    let names = StoredValue::new(names);
    let place_found = move |whereabouts: Option<Whereabouts>| match whereabouts {
        None => None,
        Some(Whereabouts::Outside) => {
            Some(view! { <p class="warning" role="alert" data-testid="gps-outside">{t.gps_outside}</p> }.into_any())
        }
        Some(Whereabouts::Inside { neighbourhood_id, street }) => {
            let id = neighbourhood_id.to_string();
            let name = names.with_value(|n| n.iter().find(|(i, _)| *i == id).map(|(_, name)| name.clone()));
            let place = [name, street].into_iter().flatten().collect::<Vec<_>>().join(", ");
            Some(view! { <p class="hint" role="status" data-testid="gps-found">{(t.gps_found)(&place)}</p> }.into_any())
        }
    };
    let status = move || match gps.get() {
        GpsState::Off => None,
        GpsState::Locating => Some(view! { <p class="hint" role="status">{t.gps_locating}</p> }.into_any()),
        GpsState::Failed => Some(view! { <p class="warning" role="alert">{t.gps_failed}</p> }.into_any()),
        GpsState::Fixed(fix, whereabouts) => {
            let metres = fix.accuracy_m.round().clamp(0.0, 99_999.0) as u32;
            let imprecise = fix.accuracy_m > ACCURACY_WARNING_METRES;
            Some(
                view! {
                    <p class="hint" role="status" data-testid="gps-accuracy">{(t.gps_accuracy)(metres)}</p>
                    {imprecise.then(|| view! {
                        <p class="warning" role="alert" data-testid="gps-imprecise">{t.gps_imprecise}</p>
                    })}
                    {place_found(whereabouts)}
                }
                .into_any(),
            )
        }
    };
    view! {
        <div class="field place">
            <input type="hidden" name="lat" prop:value=value(|f| f.lat) />
            <input type="hidden" name="lon" prop:value=value(|f| f.lon) />
            <input type="hidden" name="accuracy_m" prop:value=value(|f| f.accuracy_m) />
            <div class="place-actions">
                <button type="button" class="button" data-testid="use-gps" on:click=locate_here>{t.use_gps}</button>
                {move || fix().map(|_| view! { <button type="button" class="link-button" on:click=clear>{t.gps_clear}</button> })}
            </div>
            {status}
        </div>
        <div class="field">
            <label for="field-street">{m.field_street}</label>
            <input id="field-street" name="street" autocomplete="off" maxlength="120"
                aria-describedby="field-street-error" prop:value=move || street.get()
                on:input=move |ev| street.set(event_target_value(&ev)) />
            <FieldMessage id="field-street-error".into() message=street_error />
        </div>
    }
}

/// What became of the last save, as the save bar says it.
#[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "only the browser saves on the phone"))]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Saved {
    /// Kept on the phone as this outbox entry; the bar follows it until it is sent.
    OnPhone(Uuid),
    /// A plain form post (no JavaScript) the server stored.
    OnServer,
}

/// The words for an entry saved on the phone: `on_phone` while it waits, `sent` once
/// the sync engine has sent it (it stays among the phone's entries as sent).
pub fn saved_words(
    phone: Phone,
    saved: Saved,
    on_phone: &'static str,
    sent: &'static str,
    on_server: &'static str,
) -> &'static str {
    match saved {
        Saved::OnServer => on_server,
        Saved::OnPhone(id) => {
            let state = phone.entries.with(|entries| entries.iter().find(|e| e.id == id).map(|e| e.state.clone()));
            if state == Some(EntryState::Sent) {
                sent
            } else {
                on_phone
            }
        }
    }
}

/// "Opslaan" in a bar that stays at the bottom of the screen, above the navigation,
/// with what became of the entry (or why it was not saved) right above the button:
/// where the thumb is. `testid` names the two messages (`{testid}-error`, `-success`).
#[component]
pub fn SaveBar(
    testid: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] success: Signal<Option<&'static str>>,
    #[prop(optional, into)] busy: Signal<bool>,
) -> impl IntoView {
    let m = use_i18n();
    view! {
        <div class="save-bar" data-testid="save-bar">
            <p class="form-error" role="alert" data-testid=format!("{testid}-error")>{move || error.get()}</p>
            <p class="form-success" role="status" data-testid=format!("{testid}-success")>{move || success.get()}</p>
            <button type="submit" class="button primary wide" disabled=move || busy.get()>{m.save}</button>
        </div>
    }
}

/// Whether the page came back from a plain form post that saved `what` (the server
/// sends it back with `?saved=<what>`, see `server_fns::back_after_save`).
pub fn plain_post_saved(what: &str) -> bool {
    leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved").as_deref() == Some(what))
}

/// Chooses the neighbourhood the place fields found (from the phone's location) in
/// the form's neighbourhood field; the person can still change it.
pub fn choose_neighbourhood(form: NodeRef<leptos::html::Form>) -> Callback<String> {
    Callback::new(move |_id: String| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = form.get_untracked() {
            dom::choose(&element, "neighbourhood_id", &_id);
        }
        // The server renders the form but never runs the callback.
        #[cfg(not(feature = "hydrate"))]
        let _ = form;
    })
}

/// Asks the phone for one position. Never a watch: one fix per entry is all a
/// contact needs, and the GPS is off again for the battery.
fn locate_once(done: impl Fn(Option<Fix>) + 'static) {
    #[cfg(feature = "hydrate")]
    browser::locate_once(done);
    #[cfg(not(feature = "hydrate"))]
    done(None);
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::Fix;

    pub fn locate_once(done: impl Fn(Option<Fix>) + 'static) {
        let done = Rc::new(done);
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            done(None);
            return;
        };
        let ok = done.clone();
        let on_fix = Closure::once_into_js(move |position: web_sys::Position| {
            let c = position.coords();
            // A fix worse than the server accepts (a laptop's guess from its network)
            // says nothing about the street: the person is asked for the street instead
            // of saving an entry the server would refuse.
            let usable = (0.0..=domain::place::MAX_ACCURACY_METRES).contains(&c.accuracy());
            ok(usable.then(|| Fix { lat: c.latitude(), lon: c.longitude(), accuracy_m: c.accuracy() }));
        });
        let on_error = Closure::once_into_js(move |_: JsValue| done(None));
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(20_000);
        // A fresh fix, never one kept from earlier: on a bike, 30 s ago is 150 m and
        // another street, and the fix now picks the neighbourhood and street.
        options.set_maximum_age(0);
        let _ = geolocation.get_current_position_with_error_callback_and_options(
            on_fix.unchecked_ref(),
            Some(on_error.unchecked_ref()),
            &options,
        );
    }
}

/// A submitted form's values, read in the browser.
#[cfg(feature = "hydrate")]
pub struct Submitted(web_sys::FormData);

#[cfg(feature = "hydrate")]
impl Submitted {
    pub fn read(form: &web_sys::HtmlFormElement) -> Option<Self> {
        web_sys::FormData::new_with_form(form).ok().map(Self)
    }

    /// The field's text; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).as_string().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    }

    pub fn number(&self, name: &str) -> Option<f64> {
        self.text(name).and_then(|s| s.parse().ok())
    }

    pub fn file(&self, name: &str) -> Option<web_sys::File> {
        use wasm_bindgen::JsCast;
        self.0.get(name).dyn_into::<web_sys::File>().ok().filter(|f| f.size() > 0.0)
    }

    /// A `datetime-local` value, read in the phone's own time zone. `Err(())` when it
    /// is there but unreadable.
    pub fn moment(&self, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, ()> {
        let Some(raw) = self.text(name) else { return Ok(None) };
        let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&raw)).get_time();
        if !millis.is_finite() {
            return Err(());
        }
        chrono::DateTime::from_timestamp_millis(millis as i64).map(Some).ok_or(())
    }
}

/// The forms' hands on their own fields in the browser: what a save resets and what
/// the shift keeps, set on the form's elements directly (they are plain form fields,
/// so a plain post and the browser's own reset see the same values).
#[cfg(feature = "hydrate")]
pub mod dom {
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement};

    /// Chooses `value` in the select or radio group `name`; an unknown value (a
    /// neighbourhood no longer the team's) leaves the field as it is.
    pub fn choose(form: &HtmlFormElement, name: &str, value: &str) {
        if value.is_empty() || value.contains(['"', '\\']) {
            return;
        }
        if let Some(select) = query::<HtmlSelectElement>(form, &format!("select[name=\"{name}\"]")) {
            // A select takes only a value one of its options has; otherwise it is
            // left without a choice, so the earlier one is put back.
            let before = select.value();
            select.set_value(value);
            if select.value() != value {
                select.set_value(&before);
            }
        } else if let Some(radio) =
            query::<HtmlInputElement>(form, &format!("input[name=\"{name}\"][value=\"{value}\"]"))
        {
            radio.set_checked(true);
        }
    }

    /// Sets an input's value (the time field back to "now").
    pub fn set_input(form: &HtmlFormElement, name: &str, value: &str) {
        if let Some(input) = query::<HtmlInputElement>(form, &format!("input[name=\"{name}\"]")) {
            input.set_value(value);
        }
    }

    fn query<T: JsCast>(form: &HtmlFormElement, selector: &str) -> Option<T> {
        form.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<T>().ok())
    }

    /// Now on the phone's clock, as a `datetime-local` value in its own time zone.
    pub fn now_local_input() -> String {
        let now = js_sys::Date::new_0();
        let pad = |n: u32| format!("{n:02}");
        format!(
            "{}-{}-{}T{}:{}",
            now.get_full_year(),
            pad(now.get_month() + 1),
            pad(now.get_date()),
            pad(now.get_hours()),
            pad(now.get_minutes())
        )
    }

    /// The logged-in person, once the session is known.
    pub fn current_user() -> Option<domain::UserId> {
        use leptos::prelude::GetUntracked;
        let session = crate::components::use_session();
        session.user.get_untracked().and_then(Result::ok).flatten().map(|u| u.id)
    }
}
