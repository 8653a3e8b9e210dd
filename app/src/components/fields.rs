//! Accessible form fields: a visible label, the error next to the field and tied to it
//! with `aria-describedby`, large touch targets (see style/main.css).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Label};

/// (code, label) pairs for a select, in the code list's order.
pub fn code_choices<T: Copy>(
    all: impl Iterator<Item = T>,
    code: fn(T) -> &'static str,
    label: fn(T) -> Label,
) -> Vec<(String, String)> {
    let m = use_i18n();
    all.map(|v| (code(v).to_owned(), (m.label)(label(v)).to_owned())).collect()
}

/// The error text under a field, announced to screen readers when it appears.
#[component]
pub fn FieldMessage(id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id role="alert">
            {move || message.get()}
        </p>
    }
}

/// A select with a "nothing chosen" first option. `id` defaults to `field-<name>`;
/// give one when two forms on a page share field names. `empty` words the first
/// option (default "Kies…"; "Geen" for an optional link).
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] empty: Option<&'static str>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let m = use_i18n();
    let id = id.map(str::to_owned).unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                <option value="">{empty.unwrap_or(m.choose)}</option>
                {choices
                    .into_iter()
                    .map(|(code, text)| {
                        let is_selected = code == selected;
                        view! { <option value=code selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id message=error />
        </div>
    }
}

/// A short code list as large radio chips, two to a row: one tap, no list to open,
/// and every choice visible at once. A plain radio group, so it posts without
/// JavaScript too. `checked` preselects a code (e.g. the usual urgency).
#[component]
pub fn ChipChoice(
    name: &'static str,
    legend: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] checked: String,
) -> impl IntoView {
    let error_id = format!("field-{name}-error");
    let described_by = error_id.clone();
    view! {
        <fieldset class="field segmented chips" id=format!("field-{name}") aria-describedby=described_by
            aria-invalid=move || error.get().is_some().then_some("true")>
            <legend>{legend}</legend>
            {choices
                .into_iter()
                .map(|(code, text)| {
                    let id = format!("{name}-{code}");
                    let is_checked = code == checked;
                    view! {
                        <input type="radio" id=id.clone() name=name value=code checked=is_checked />
                        <label for=id>{text}</label>
                    }
                })
                .collect_view()}
            <FieldMessage id=error_id message=error />
        </fieldset>
    }
}
