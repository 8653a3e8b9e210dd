use domain::contact::NOTE_MAX_CHARS;
use domain::{ContactKind, ContactOutcome, ContactReason, Mobility};
use leptos::html;
use leptos::prelude::*;

use crate::api::contacts::SaveContact;
use crate::components::{code_choices, FieldMessage, SelectField};
use crate::i18n::{use_i18n, Label};
use crate::model::Choice;

/// The online street-contact form. A plain HTML form underneath: without JavaScript it
/// posts and the page comes back; with it, it saves in place and the list refreshes.
#[component]
pub fn ContactForm(save: ServerAction<SaveContact>, neighbourhoods: Vec<Choice>, now_local: String) -> impl IntoView {
    let m = use_i18n();
    let form = NodeRef::<html::Form>::new();
    let error_for = move |field: &'static str| {
        Signal::derive(move || save.value().get().and_then(Result::err).and_then(|e| e.field_message(m, field)))
    };
    let form_error = move || save.value().get().and_then(Result::err).map(|e| e.message(m));
    let saved = move || matches!(save.value().get(), Some(Ok(_))).then_some(m.contact_saved);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });

    let note_length = RwSignal::new(0usize);
    let only = neighbourhoods.len() == 1;
    let neighbourhood_choices: Vec<(String, String)> = neighbourhoods.into_iter().map(|n| (n.id, n.name)).collect();
    let selected_neighbourhood = only.then(|| neighbourhood_choices[0].0.clone());

    view! {
        <section class="card" aria-labelledby="new-contact-title">
            <h2 id="new-contact-title">{m.contacts_new}</h2>
            <p class="form-error" role="alert" data-testid="form-error">{form_error}</p>
            <p class="form-success" role="status" data-testid="form-success">{saved}</p>
            <ActionForm action=save node_ref=form attr:novalidate=true attr:class="entry-form">
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
                <div class="field">
                    <label for="field-street">{m.field_street}</label>
                    <input id="field-street" name="street" autocomplete="off" maxlength="120"
                        aria-describedby="field-street-error" />
                    <FieldMessage id="field-street-error".into() message=error_for("street") />
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
                <button type="submit" class="button primary wide" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { m.saving } else { m.save }}
                </button>
            </ActionForm>
        </section>
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
