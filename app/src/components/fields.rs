//! Accessible form fields: a visible label, the error next to the field and tied to it
//! with `aria-describedby`, large touch targets (see style/main.css).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Label};

/// (code, label) pairs for a select, in the code list's order.
pub fn code_choices<T: Copy>(all: impl Iterator<Item = T>, code: fn(T) -> &'static str, label: fn(T) -> Label) -> Vec<(String, String)> {
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

/// A required select with a "choose…" placeholder.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] selected: Option<String>,
) -> impl IntoView {
    let m = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let selected = selected.unwrap_or_default();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-required="true"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            >
                <option value="">{m.choose}</option>
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
