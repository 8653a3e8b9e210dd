//! What the capture forms share: the place (GPS with its accuracy, or a street by
//! hand), reading a submitted form in the browser, and the outcome line.

use domain::place::ACCURACY_WARNING_METRES;
use leptos::prelude::*;

use crate::components::FieldMessage;
use crate::i18n::{use_i18n, use_phone_i18n};

/// A GPS fix as the form holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum GpsState {
    Off,
    Locating,
    Fixed(Fix),
    Failed,
}

/// GPS on request (a tap, so the permission prompt comes when the person expects it),
/// the accuracy shown, a warning above 50 m; and the street field, always there for
/// when GPS is off or useless. The fix travels in hidden inputs, so the same form
/// works without JavaScript (then without GPS).
#[component]
pub fn PlaceFields(
    #[prop(into)] street_error: Signal<Option<String>>,
    /// Set when a fix arrives or is cleared, for the duplicates check.
    #[prop(optional)]
    on_fix: Option<Callback<Option<Fix>>>,
) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let gps = RwSignal::new(GpsState::Off);
    let fix = move || match gps.get() {
        GpsState::Fixed(fix) => Some(fix),
        _ => None,
    };
    let value = move |f: fn(Fix) -> f64| move || fix().map(|x| f(x).to_string()).unwrap_or_default();
    let locate = move |_| {
        gps.set(GpsState::Locating);
        locate_once(move |result| {
            gps.set(result.map(GpsState::Fixed).unwrap_or(GpsState::Failed));
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
    let status = move || match gps.get() {
        GpsState::Off => None,
        GpsState::Locating => Some(view! { <p class="hint" role="status">{t.gps_locating}</p> }.into_any()),
        GpsState::Failed => Some(view! { <p class="warning" role="alert">{t.gps_failed}</p> }.into_any()),
        GpsState::Fixed(fix) => {
            let metres = fix.accuracy_m.round().clamp(0.0, 99_999.0) as u32;
            let imprecise = fix.accuracy_m > ACCURACY_WARNING_METRES;
            Some(
                view! {
                    <p class="hint" role="status" data-testid="gps-accuracy">{(t.gps_accuracy)(metres)}</p>
                    {imprecise.then(|| view! {
                        <p class="warning" role="alert" data-testid="gps-imprecise">{t.gps_imprecise}</p>
                    })}
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
                <button type="button" class="button" data-testid="use-gps" on:click=locate>{t.use_gps}</button>
                {move || fix().map(|_| view! { <button type="button" class="link-button" on:click=clear>{t.gps_clear}</button> })}
            </div>
            {status}
        </div>
        <div class="field">
            <label for="field-street">{m.field_street}</label>
            <input id="field-street" name="street" autocomplete="off" maxlength="120"
                aria-describedby="field-street-error" />
            <FieldMessage id="field-street-error".into() message=street_error />
        </div>
    }
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
        options.set_maximum_age(30_000);
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
