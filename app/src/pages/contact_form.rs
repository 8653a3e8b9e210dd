use domain::contact::NOTE_MAX_CHARS;
use domain::{ContactKind, ContactOutcome, ContactReason, Mobility};
use leptos::html;
use leptos::prelude::*;

use leptos::server_fn::ServerFn;

use super::capture::PlaceFields;
use crate::components::{code_choices, FieldMessage, SelectField};
use crate::error::AppError;
use crate::i18n::{use_i18n, use_phone_i18n, Label};
use crate::model::Choice;
use crate::server_fns::contacts::SaveContact;

/// The street-contact form, offline first. With JavaScript (the phone), a submit is
/// checked by the same rules the server applies, saved on the phone and shown at once
/// as "not yet sent"; the sync engine sends it. Without JavaScript it is a plain form
/// that posts to the server and comes back with the outcome.
#[component]
pub fn ContactForm(save: ServerAction<SaveContact>, neighbourhoods: Vec<Choice>, now_local: String) -> impl IntoView {
    let m = use_i18n();
    let t = use_phone_i18n();
    let form = NodeRef::<html::Form>::new();
    // Refusals found on the phone, before anything is stored.
    let local = RwSignal::new(None::<AppError>);
    let outcome = RwSignal::new(None::<Result<(), ()>>);
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            local.get().or_else(|| save.value().get().and_then(Result::err)).and_then(|e| e.field_message(m, field))
        })
    };
    let form_error = move || {
        let error = local.get().or_else(|| save.value().get().and_then(Result::err)).map(|e| e.message(m));
        error.or_else(|| (outcome.get() == Some(Err(()))).then(|| t.save_failed.to_owned()))
    };
    let saved = move || {
        let on_phone = (outcome.get() == Some(Ok(()))).then_some(t.saved_on_phone);
        on_phone.or_else(|| matches!(save.value().get(), Some(Ok(_))).then_some(m.contact_saved))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        offline::submit(form, local, outcome);
    };

    let note_length = RwSignal::new(0usize);
    let only = neighbourhoods.len() == 1;
    let neighbourhood_choices: Vec<(String, String)> = neighbourhoods.into_iter().map(|n| (n.id, n.name)).collect();
    let selected_neighbourhood = only.then(|| neighbourhood_choices[0].0.clone());

    view! {
        <section class="card" aria-labelledby="new-contact-title">
            <h2 id="new-contact-title">{m.contacts_new}</h2>
            <p class="form-error" role="alert" data-testid="form-error">{form_error}</p>
            <p class="form-success" role="status" data-testid="form-success">{saved}</p>
            <form action=SaveContact::url() method="post" node_ref=form novalidate=true class="entry-form"
                data-testid="contact-form" on:submit=on_submit>
                <SelectField
                    required=true
                    name="neighbourhood_id"
                    label=m.field_neighbourhood
                    choices=neighbourhood_choices
                    selected=selected_neighbourhood.unwrap_or_default()
                    error=error_for("neighbourhood_id")
                />
                <div class="field">
                    <label for="field-occurred_at">{m.field_occurred_at}</label>
                    <input id="field-occurred_at" name="occurred_at" type="datetime-local" value=now_local
                        aria-describedby="field-occurred_at-error" />
                    <FieldMessage id="field-occurred_at-error".into() message=error_for("occurred_at") />
                </div>
                <MobilityChoice error=error_for("mobility") />
                <SelectField required=true name="kind" label=m.field_kind
                    choices=code_choices(ContactKind::all(), ContactKind::code, Label::Kind)
                    error=error_for("kind") />
                <SelectField required=true name="reason" label=m.field_reason
                    choices=code_choices(ContactReason::all(), ContactReason::code, Label::Reason)
                    error=error_for("reason") />
                <SelectField required=true name="outcome" label=m.field_outcome
                    choices=code_choices(ContactOutcome::all(), ContactOutcome::code, Label::Outcome)
                    error=error_for("outcome") />
                <PlaceFields street_error=error_for("street") />
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
                <button type="submit" class="button primary wide">{m.save}</button>
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
    use crate::pages::capture::Submitted;

    pub fn submit(
        form: NodeRef<html::Form>,
        local: RwSignal<Option<AppError>>,
        outcome: RwSignal<Option<Result<(), ()>>>,
    ) {
        let Some(element) = form.get_untracked() else { return };
        let Some(values) = Submitted::read(&element) else { return };
        outcome.set(None);
        let mut errors = ValidationErrors::default();
        let occurred_at = values.moment("occurred_at").unwrap_or_else(|()| {
            errors.push("occurred_at", Problem::Malformed);
            None
        });
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
        #[expect(clippy::disallowed_methods, reason = "the phone's own clock: this runs in the browser")]
        let now = chrono::Utc::now();
        if let Err(more) = draft.check(now) {
            errors.errors.extend(more.errors);
        }
        if !errors.is_empty() {
            local.set(Some(AppError::Invalid(errors)));
            return;
        }
        local.set(None);
        spawn_local(async move {
            match crate::phone::save_entry(MutationBody::CreateContact(draft), None).await {
                Ok(_) => {
                    element.reset();
                    outcome.set(Some(Ok(())));
                }
                Err(_) => outcome.set(Some(Err(()))),
            }
        });
    }
}

/// On foot or by bike as two large radio buttons: one tap, no list to open.
#[component]
fn MobilityChoice(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let m = use_i18n();
    view! {
        <fieldset class="field segmented" aria-describedby="field-mobility-error">
            <legend>{m.field_mobility}</legend>
            {Mobility::all()
                .map(|mobility| {
                    let id = format!("mobility-{}", mobility.code());
                    view! {
                        <input type="radio" id=id.clone() name="mobility" value=mobility.code() />
                        <label for=id>{(m.label)(Label::Mobility(mobility))}</label>
                    }
                })
                .collect_view()}
            <FieldMessage id="field-mobility-error".into() message=error />
        </fieldset>
    }
}
