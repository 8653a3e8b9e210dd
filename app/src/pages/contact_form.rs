use domain::area::MappedNeighbourhood;
use domain::contact::NOTE_MAX_CHARS;
use domain::{ContactKind, ContactOutcome, ContactReason, Mobility};
use leptos::html;
use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use super::capture::{plain_post_saved, saved_words, PlaceFields, SaveBar, Saved};
use crate::components::{code_choices, ChipChoice, FieldMessage, SelectField};
use crate::error::AppError;
use crate::i18n::{use_i18n, use_phone_i18n, Label};
use crate::model::Choice;
use crate::phone::use_phone;
use crate::server_fns::contacts::SaveContact;

/// The street-contact form, offline first, built for a routine contact in a few taps:
/// the short code lists are one-tap chips, the time is "now" (the moment of saving)
/// unless edited, and the neighbourhood and way of moving are kept for the shift.
/// With JavaScript (the phone), a submit is checked by the same rules the server
/// applies, saved on the phone and shown at once as "not yet sent"; the sync engine
/// sends it. Without JavaScript it is a plain form that posts to the server and comes
/// back with the outcome.
#[component]
pub fn ContactForm(
    save: ServerAction<SaveContact>,
    neighbourhoods: Vec<Choice>,
    now_local: String,
    #[prop(optional)] map: Vec<MappedNeighbourhood>,
) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let form = NodeRef::<html::Form>::new();
    // Refusals found on the phone, before anything is stored.
    let local = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(plain_post_saved("contact").then_some(Saved::OnServer));
    let failed = RwSignal::new(false);
    // The time stays "now" until the person edits it.
    let time_edited = RwSignal::new(false);
    let note_length = RwSignal::new(0usize);
    // Counts saves: the place fields clear themselves on each.
    let saves = RwSignal::new(0usize);
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            local.get().or_else(|| save.value().get().and_then(Result::err)).and_then(|e| e.field_message(m, field))
        })
    };
    let form_error = Signal::derive(move || {
        let error = local.get().or_else(|| save.value().get().and_then(Result::err)).map(|e| e.message(m));
        error.or_else(|| failed.get().then(|| t.save_failed.to_owned()))
    });
    let phone = use_phone();
    let success = Signal::derive(move || {
        saved.get().map(|s| saved_words(phone, s, t.saved_on_phone, t.saved_and_sent, t.contact_saved_server))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        offline::submit(offline::Form { form, local, saved, failed, time_edited, note_length, saves });
    };
    // The shift's neighbourhood and way of moving, once the page is the phone's.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = form.get() {
            offline::restore_kept(&element);
        }
    });
    let on_place = super::capture::choose_neighbourhood(form);

    let only = neighbourhoods.len() == 1;
    let neighbourhood_choices: Vec<(String, String)> = neighbourhoods.into_iter().map(|n| (n.id, n.name)).collect();
    let selected_neighbourhood = only.then(|| neighbourhood_choices[0].0.clone());
    let mobility_choices = code_choices(Mobility::all(), Mobility::code, Label::Mobility);

    view! {
        <section class="card" aria-labelledby="new-contact-title">
            <h2 id="new-contact-title">{m.contacts_new}</h2>
            <form action=SaveContact::url() method="post" node_ref=form novalidate=true class="entry-form"
                data-testid="contact-form" on:submit=on_submit>
                <SelectField
                    required=true
                    name="neighbourhood_id"
                    label=m.field_neighbourhood
                    choices=neighbourhood_choices.clone()
                    selected=selected_neighbourhood.unwrap_or_default()
                    error=error_for("neighbourhood_id")
                />
                <ChipChoice name="mobility" legend=m.field_mobility choices=mobility_choices error=error_for("mobility") />
                <ChipChoice name="kind" legend=m.field_kind
                    choices=code_choices(ContactKind::all(), ContactKind::code, Label::Kind) error=error_for("kind") />
                <ChipChoice name="reason" legend=m.field_reason
                    choices=code_choices(ContactReason::all(), ContactReason::code, Label::Reason)
                    error=error_for("reason") />
                <ChipChoice name="outcome" legend=m.field_outcome
                    choices=code_choices(ContactOutcome::all(), ContactOutcome::code, Label::Outcome)
                    error=error_for("outcome") />
                <PlaceFields street_error=error_for("street") map names=neighbourhood_choices on_place reset=saves />
                <div class="field">
                    <label for="field-occurred_at">{m.field_occurred_at}</label>
                    <p class="hint" id="field-occurred_at-hint">{t.time_now_hint}</p>
                    <input id="field-occurred_at" name="occurred_at" type="datetime-local" value=now_local
                        aria-describedby="field-occurred_at-hint field-occurred_at-error"
                        on:input=move |_| time_edited.set(true) />
                    <FieldMessage id="field-occurred_at-error".into() message=error_for("occurred_at") />
                </div>
                <div class="field">
                    <label for="field-note">{m.field_note}</label>
                    <p class="hint" id="field-note-hint">{m.note_no_names}</p>
                    <textarea id="field-note" name="note" rows="3"
                        aria-describedby="field-note-hint field-note-error"
                        on:input=move |ev| note_length.set(event_target_value(&ev).chars().count())
                    ></textarea>
                    <p class="counter" data-testid="note-counter" aria-live="polite">
                        {move || format!("{} / {NOTE_MAX_CHARS}", note_length.get())}
                    </p>
                    <FieldMessage id="field-note-error".into() message=error_for("note") />
                </div>
                <SaveBar testid="form" error=form_error success />
            </form>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod offline {
    use domain::sync::MutationBody;
    use domain::{ContactDraft, Problem, ValidationErrors};
    use leptos::html;
    use leptos::prelude::*;
    use leptos::task::spawn_local;

    use crate::error::AppError;
    use crate::pages::capture::{dom, Saved, Submitted};
    use crate::phone::shift::{self, Kept};

    /// The form's element and the signals a save reads and resets.
    #[derive(Clone, Copy)]
    pub struct Form {
        pub form: NodeRef<html::Form>,
        pub local: RwSignal<Option<AppError>>,
        pub saved: RwSignal<Option<Saved>>,
        pub failed: RwSignal<bool>,
        pub time_edited: RwSignal<bool>,
        pub note_length: RwSignal<usize>,
        pub saves: RwSignal<usize>,
    }

    /// Puts the shift's neighbourhood and way of moving into the form.
    pub fn restore_kept(element: &web_sys::HtmlFormElement) {
        let Some(user) = dom::current_user() else { return };
        let kept = shift::kept(user);
        dom::choose(element, "neighbourhood_id", &kept.neighbourhood_id);
        dom::choose(element, "mobility", &kept.mobility);
    }

    pub fn submit(f: Form) {
        let Some(element) = f.form.get_untracked() else { return };
        // "Now" is the moment of saving, not of opening the form: shown as saved.
        if !f.time_edited.get_untracked() {
            dom::set_input(&element, "occurred_at", &dom::now_local_input());
        }
        let Some(values) = Submitted::read(&element) else { return };
        f.saved.set(None);
        f.failed.set(false);
        let mut errors = ValidationErrors::default();
        #[expect(clippy::disallowed_methods, reason = "the phone's own clock: this runs in the browser")]
        let now = chrono::Utc::now();
        let occurred_at = if f.time_edited.get_untracked() {
            values.moment("occurred_at").unwrap_or_else(|()| {
                errors.push("occurred_at", Problem::Malformed);
                None
            })
        } else {
            Some(now)
        };
        let draft = ContactDraft {
            neighbourhood_id: values.text("neighbourhood_id").unwrap_or_default(),
            occurred_at,
            mobility: values.text("mobility").unwrap_or_default(),
            kind: values.text("kind").unwrap_or_default(),
            reason: values.text("reason").unwrap_or_default(),
            outcome: values.text("outcome").unwrap_or_default(),
            lat: values.number("lat"),
            lon: values.number("lon"),
            accuracy_m: values.number("accuracy_m"),
            street: values.text("street"),
            note: values.text("note"),
        };
        // The draft's own rules, as the server checks them; the author and team are
        // the server's to add.
        if let Err(more) = draft.check(now) {
            errors.errors.extend(more.errors);
        }
        if !errors.is_empty() {
            f.local.set(Some(AppError::Invalid(errors)));
            return;
        }
        f.local.set(None);
        let kept = Kept { neighbourhood_id: draft.neighbourhood_id.clone(), mobility: draft.mobility.clone() };
        spawn_local(async move {
            match crate::phone::save_entry(MutationBody::CreateContact(draft), None).await {
                Ok(id) => {
                    if let Some(user) = dom::current_user() {
                        shift::keep(user, kept.clone());
                    }
                    // Every field and counter back to empty, but for what the shift keeps.
                    element.reset();
                    dom::choose(&element, "neighbourhood_id", &kept.neighbourhood_id);
                    dom::choose(&element, "mobility", &kept.mobility);
                    dom::set_input(&element, "occurred_at", &dom::now_local_input());
                    f.time_edited.set(false);
                    f.note_length.set(0);
                    f.saves.update(|n| *n += 1);
                    f.saved.set(Some(Saved::OnPhone(id)));
                }
                Err(_) => f.failed.set(true),
            }
        });
    }
}
