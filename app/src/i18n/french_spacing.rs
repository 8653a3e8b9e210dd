//! French typography: a no-break space before `:` `;` `?` `!` and inside « ».
//! Checked on the French catalogues' source text, so every message is covered,
//! including the parts of messages built with `format!`.

/// The French parts of the catalogues: (file, where the French starts, where it ends).
const FRENCH: [(&str, &str, &str, &str); 4] = [
    ("fr.rs", include_str!("fr.rs"), "pub static MESSAGES", "\u{0}"),
    ("phone.rs", include_str!("phone.rs"), "pub static FR", "\u{0}"),
    ("refusals.rs", include_str!("refusals.rs"), "static FR: Refus", "#[cfg(test)]"),
    ("homes.rs", include_str!("homes.rs"), "pub static FR", "\u{0}"),
];

/// The string literals of Rust source text, with their escapes still written out.
fn literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = source.chars();
    let mut current: Option<String> = None;
    while let Some(c) = chars.next() {
        match (&mut current, c) {
            (None, '"') => current = Some(String::new()),
            (None, '\'') => {
                // A char literal such as '"' must not open a string.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\"'") {
                    chars.next();
                    chars.next();
                }
            }
            (None, _) => {}
            (Some(text), '\\') => {
                text.push('\\');
                if let Some(next) = chars.next() {
                    text.push(next);
                }
            }
            (Some(_), '"') => out.extend(current.take()),
            (Some(text), c) => text.push(c),
        }
    }
    out
}

/// What breaks the rule in one literal, if anything.
fn faults(text: &str) -> Vec<String> {
    // A no-break space may be written as the character or as its escape.
    let text = text.replace("\\u{a0}", "\u{a0}").replace("\\u{202f}", "\u{202f}");
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(i + 1).copied();
        let spaced = matches!(before, Some('\u{a0}' | '\u{202f}'));
        let bad = match c {
            // Clock times (07:50) and addresses (https://) keep their colon tight.
            ':' if before.is_some_and(|b| b.is_ascii_digit()) && after.is_some_and(|a| a.is_ascii_digit()) => false,
            ':' if after == Some('/') => false,
            ':' | ';' | '?' | '!' => !spaced,
            '«' => !matches!(after, Some('\u{a0}' | '\u{202f}')),
            '»' => !spaced,
            _ => false,
        };
        if bad {
            let from = i.saturating_sub(25);
            found.push(chars.get(from..(i + 2).min(chars.len())).unwrap_or_default().iter().collect());
        }
    }
    found
}

#[test]
fn every_french_message_has_a_no_break_space_before_high_punctuation() {
    let mut wrong = Vec::new();
    for (file, source, start, end) in FRENCH {
        let from = source.find(start).unwrap();
        let to = source[from..].find(end).map_or(source.len(), |to| from + to);
        for literal in literals(&source[from..to]) {
            wrong.extend(faults(&literal).into_iter().map(|f| format!("{file}: …{f}")));
        }
    }
    assert!(wrong.is_empty(), "French punctuation without a no-break space:\n{}", wrong.join("\n"));
}

#[test]
fn the_check_finds_what_it_should() {
    assert_eq!(faults("Dernier envoi : jamais").len(), 1);
    assert_eq!(faults("privée?").len(), 1);
    assert_eq!(faults("« tel »").len(), 2);
    assert!(faults("Dernier envoi\\u{a0}: jamais à 07:50, voir https://x").is_empty());
    assert_eq!(literals(r#"x: "a \"b\" c", y: '"', z: "d""#), vec![r#"a \"b\" c"#, "d"]);
}

#[test]
fn composed_colons_follow_the_language() {
    use super::{colon, Locale};
    assert_eq!(colon(Locale::Nl), ": ");
    assert_eq!(colon(Locale::En), ": ");
    assert!(faults(&format!("Dernier envoi{}jamais", colon(Locale::Fr))).is_empty());
}
