//! The neighbourhood-signal form, offline first, for police and partners alike. It
//! has no field about a person at all: a signal is about a place and a situation.
//! Before saving, open signals of the same kind within 50 m (from the last pull) are
//! offered: "is it one of these?", so a known problem is not filed twice.

use domain::signal::DESCRIPTION_MAX_CHARS;
use domain::{SignalCategory, Urgency};
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::capture::{plain_post_saved, saved_words, Fix, PlaceFields, SaveBar, Saved};
use crate::components::{code_choices, ChipChoice, FieldMessage, SelectField};
use crate::error::AppError;
use crate::i18n::{use_i18n, use_phone_i18n, Label};
use crate::model::SignalFormChoices;
use crate::phone::use_phone;
use crate::server_fns::signals::SaveSignal;

/// A likely duplicate, as offered.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: domain::RecordId,
    pub distance_m: u32,
    pub description: String,
}

/// How the person wants the signal filed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filing {
    Ask,
    New,
    Link(domain::RecordId),
}

/// Where the form stands.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser's save reaches Asking, Saving and Failed")
)]
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Editing,
    /// Likely duplicates were found; the person says whether theirs is one of them.
    Asking(Vec<Candidate>),
    Saving,
    Saved(Saved),
    /// Saved as another report of a known signal.
    Linked(Saved),
    Failed(&'static str),
}

#[component]
pub fn SignalForm(choices: SignalFormChoices) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let phone = use_phone();
    let save = ServerAction::<SaveSignal>::new();
    let form = NodeRef::<html::Form>::new();
    let local = RwSignal::new(None::<AppError>);
    let step = RwSignal::new(if plain_post_saved("signal") { Step::Saved(Saved::OnServer) } else { Step::Editing });
    let fix = RwSignal::new(None::<Fix>);
    let description_length = RwSignal::new(0usize);
    // The chosen photo, shown before saving (an object URL of the file itself).
    let preview = RwSignal::new(None::<String>);
    // Counts saves: the place fields clear themselves on each.
    let saves = RwSignal::new(0usize);
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            local.get().or_else(|| save.value().get().and_then(Result::err)).and_then(|e| e.field_message(m, field))
        })
    };
    let form_error = Signal::derive(move || match step.get() {
        Step::Failed(message) => Some(message.to_owned()),
        _ => local.get().or_else(|| save.value().get().and_then(Result::err)).map(|e| e.message(m)),
    });
    let done = Signal::derive(move || match step.get() {
        Step::Saved(saved) => {
            Some(saved_words(phone, saved, t.signal_saved, t.signal_saved_and_sent, t.signal_saved_server))
        }
        Step::Linked(saved) => {
            Some(saved_words(phone, saved, t.duplicate_linked, t.duplicate_linked_and_sent, t.signal_saved_server))
        }
        _ => None,
    });
    // `Ask`: offer likely duplicates first; `New`: file it as new; `Link(id)`: file it
    // as another report of that signal.
    let submit = move |choice: Filing| {
        #[cfg(feature = "hydrate")]
        offline::submit(
            offline::Form { form, local, step, description_length, preview, saves },
            fix.get_untracked(),
            choice,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (choice, fix);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(Filing::Ask);
    };
    // The shift's neighbourhood, once the page is the phone's.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = form.get() {
            offline::restore_kept(&element);
        }
    });
    let on_place = super::capture::choose_neighbourhood(form);
    let on_photo = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        offline::show_preview(&_ev, preview);
    };
    let only = choices.neighbourhoods.len() == 1;
    let neighbourhoods: Vec<(String, String)> = choices.neighbourhoods.into_iter().map(|n| (n.id, n.name)).collect();
    // The partner's home finds the neighbourhood by name or place and links here with it.
    let asked = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("neighbourhood"));
    let selected = match asked.filter(|id| neighbourhoods.iter().any(|(n, _)| n == id)) {
        Some(id) => id,
        None if only => neighbourhoods[0].0.clone(),
        None => String::new(),
    };

    view! {
        <section class="card" aria-labelledby="new-signal-title">
            <h2 id="new-signal-title">{t.signal_new}</h2>
            <form action=SaveSignal::url() method="post" node_ref=form novalidate=true class="entry-form"
                data-testid="signal-form" on:submit=on_submit>
                <SelectField required=true name="neighbourhood_id" label=m.field_neighbourhood
                    choices=neighbourhoods.clone() selected=selected error=error_for("neighbourhood_id") />
                <ChipChoice name="category" legend=t.field_category
                    choices=code_choices(SignalCategory::all(), SignalCategory::code, Label::Category)
                    error=error_for("category") />
                <ChipChoice name="urgency" legend=t.field_urgency
                    choices=code_choices(Urgency::all(), Urgency::code, Label::Urgency)
                    checked=Urgency::Normal.code() error=error_for("urgency") />
                <PlaceFields street_error=error_for("street") on_fix=Callback::new(move |f| fix.set(f))
                    map=choices.map names=neighbourhoods on_place reset=saves />
                <div class="field">
                    <label for="field-description">{t.field_description}</label>
                    <p class="hint" id="field-description-hint">{t.description_hint}</p>
                    <textarea id="field-description" name="description" rows="3"
                        aria-describedby="field-description-hint field-description-error"
                        on:input=move |ev| description_length.set(event_target_value(&ev).chars().count())
                    ></textarea>
                    <p class="counter" data-testid="description-counter" aria-live="polite">
                        {move || format!("{} / {DESCRIPTION_MAX_CHARS}", description_length.get())}
                    </p>
                    <FieldMessage id="field-description-error".into() message=error_for("description") />
                </div>
                <div class="field">
                    <label for="field-photo">{t.field_photo}</label>
                    <p class="hint" id="field-photo-hint">{t.photo_hint}</p>
                    <input id="field-photo" name="photo" type="file" accept="image/*" capture="environment"
                        aria-describedby="field-photo-hint" on:change=on_photo />
                    {move || preview.get().map(|src| view! {
                        <img class="photo-preview" src=src alt=t.photo_preview data-testid="photo-preview" />
                    })}
                </div>
                <Duplicates step on_choice=submit />
                <SaveBar testid="signal-form" error=form_error success=done busy=Signal::derive(move || step.get() == Step::Saving) />
            </form>
        </section>
    }
}

/// "Is it one of these?": the likely duplicates, each with a big "yes, this one",
/// and one "no, something else".
#[component]
fn Duplicates(step: RwSignal<Step>, on_choice: impl Fn(Filing) + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_phone_i18n();
    move || {
        let Step::Asking(candidates) = step.get() else { return None };
        Some(view! {
            <div class="duplicates" role="group" aria-labelledby="duplicates-title" data-testid="duplicates">
                <h3 id="duplicates-title">{t.duplicates_title}</h3>
                <p>{t.duplicates_intro}</p>
                <ul class="records">
                    {candidates.into_iter().map(|c| view! {
                        <li data-id=c.id.to_string()>
                            <p class="record-head">{(t.metres_away)(c.distance_m)}</p>
                            <p class="record-note">{c.description}</p>
                            <button type="button" class="button wide" data-testid="duplicate-same"
                                on:click=move |_| on_choice(Filing::Link(c.id))>{t.duplicate_same}</button>
                        </li>
                    }).collect_view()}
                </ul>
                <button type="button" class="button primary wide" data-testid="duplicate-new"
                    on:click=move |_| on_choice(Filing::New)>{t.duplicate_new_anyway}</button>
            </div>
        })
    }
}

#[cfg(feature = "hydrate")]
mod offline {
    use domain::place::GeoPoint;
    use domain::sync::MutationBody;
    use domain::{PhotoId, SignalCategory, SignalDraft};
    use leptos::html;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;

    use super::{Candidate, Filing, Step};
    use crate::error::AppError;
    use crate::i18n::use_phone_i18n;
    use crate::pages::capture::{dom, Fix, Saved, Submitted};
    use crate::phone::shift::{self, Kept};
    use crate::phone::{nearby_open_signals, prepare_photo, save_entry};

    /// The form's element and the signals a save reads and resets.
    #[derive(Clone, Copy)]
    pub struct Form {
        pub form: NodeRef<html::Form>,
        pub local: RwSignal<Option<AppError>>,
        pub step: RwSignal<Step>,
        pub description_length: RwSignal<usize>,
        pub preview: RwSignal<Option<String>>,
        pub saves: RwSignal<usize>,
    }

    /// Puts the shift's neighbourhood into the form.
    pub fn restore_kept(element: &web_sys::HtmlFormElement) {
        let Some(user) = dom::current_user() else { return };
        dom::choose(element, "neighbourhood_id", &shift::kept(user).neighbourhood_id);
    }

    /// Shows the chosen photo as it is, from the phone's memory (nothing is sent).
    pub fn show_preview(ev: &leptos::ev::Event, preview: RwSignal<Option<String>>) {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let file = input.and_then(|i| i.files()).and_then(|files| files.get(0));
        let url = file.and_then(|f| web_sys::Url::create_object_url_with_blob(&f).ok());
        set_preview(preview, url);
    }

    /// Replaces the preview, giving the old one's memory back.
    fn set_preview(preview: RwSignal<Option<String>>, url: Option<String>) {
        if let Some(old) = preview.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        preview.set(url);
    }

    pub fn submit(f: Form, fix: Option<Fix>, choice: Filing) {
        let t = use_phone_i18n();
        let (local, step) = (f.local, f.step);
        let Some(element) = f.form.get_untracked() else { return };
        let Some(values) = Submitted::read(&element) else { return };
        let mut draft = SignalDraft {
            neighbourhood_id: values.text("neighbourhood_id").unwrap_or_default(),
            category: values.text("category").unwrap_or_default(),
            urgency: values.text("urgency").unwrap_or_default(),
            description: values.text("description").unwrap_or_default(),
            lat: values.number("lat"),
            lon: values.number("lon"),
            accuracy_m: values.number("accuracy_m"),
            street: values.text("street"),
            ..SignalDraft::default()
        };
        // The draft's own rules, as the server checks them; the author, team and any
        // link are the server's to settle.
        #[expect(clippy::disallowed_methods, reason = "the phone's own clock: this runs in the browser")]
        let now = chrono::Utc::now();
        if let Err(errors) = draft.check(now) {
            local.set(Some(AppError::Invalid(errors)));
            return;
        }
        local.set(None);
        let file = values.file("photo");
        spawn_local(async move {
            let category = SignalCategory::from_code(&draft.category);
            let point = fix.and_then(|f| GeoPoint::new(f.lat, f.lon));
            if let (Filing::Ask, Some(category), Some(point)) = (choice, category, point) {
                let nearby = nearby_open_signals(category, point).await;
                if !nearby.is_empty() {
                    let candidates = nearby
                        .into_iter()
                        .map(|n| Candidate {
                            id: n.id,
                            distance_m: n.distance_m.round() as u32,
                            description: n.description,
                        })
                        .collect();
                    step.set(Step::Asking(candidates));
                    return;
                }
            }
            step.set(Step::Saving);
            let photo = match file {
                Some(file) => match prepare_photo(file).await {
                    Ok(photo) => Some(photo),
                    Err(_) => {
                        step.set(Step::Failed(t.photo_failed));
                        return;
                    }
                },
                None => None,
            };
            draft.photo_id = photo.as_ref().map(|_| PhotoId::new_v7());
            let link = match choice {
                Filing::Link(id) => Some(id),
                Filing::Ask | Filing::New => None,
            };
            draft.duplicate_of = link;
            let neighbourhood_id = draft.neighbourhood_id.clone();
            match save_entry(MutationBody::CreateSignal(draft), photo).await {
                Ok(id) => {
                    if let Some(user) = dom::current_user() {
                        shift::keep(user, Kept { neighbourhood_id: neighbourhood_id.clone(), mobility: String::new() });
                    }
                    // Every field, counter and the preview back to empty, but for the
                    // neighbourhood the shift keeps.
                    element.reset();
                    dom::choose(&element, "neighbourhood_id", &neighbourhood_id);
                    f.description_length.set(0);
                    set_preview(f.preview, None);
                    f.saves.update(|n| *n += 1);
                    let saved = Saved::OnPhone(id);
                    step.set(if link.is_some() { Step::Linked(saved) } else { Step::Saved(saved) });
                }
                Err(_) => step.set(Step::Failed(t.save_failed)),
            }
        });
    }
}
