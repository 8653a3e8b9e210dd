//! Counts as each language writes them: the plural form (CLDR's cardinal rules) and
//! the number with the language's thousands separator.
//!
//! Hand-written rather than a crate (`intl_pluralrules`, ICU4X): the three languages
//! need three one-line rules for whole numbers, whereas those crates bring the rules
//! and data of every language into the browser bundle, which has a size budget. The
//! unit tests below pin the rules to CLDR's examples (checked against `Intl.PluralRules`).

use super::Locale;

/// CLDR's plural categories that Dutch, English and French use for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    /// French only: a whole number of millions ("1 000 000 de photos").
    Many,
    Other,
}

/// The plural category of a whole number `n` in `locale` (CLDR cardinal rules, integers:
/// nl and en `one` is i = 1 and v = 0; fr `one` is i = 0,1, `many` is i ≠ 0 and
/// i % 1000000 = 0).
pub fn category(locale: Locale, n: u64) -> Plural {
    match locale {
        Locale::Nl | Locale::En if n == 1 => Plural::One,
        Locale::Nl | Locale::En => Plural::Other,
        Locale::Fr if n <= 1 => Plural::One,
        Locale::Fr if n.is_multiple_of(1_000_000) => Plural::Many,
        Locale::Fr => Plural::Other,
    }
}

/// `n` with the language's grouping of thousands: nl "1.234", en "1,234",
/// fr "1 234" (a narrow no-break space, so a number never breaks over two lines).
pub fn number(locale: Locale, n: u64) -> String {
    let separator = match locale {
        Locale::Nl => '.',
        Locale::En => ',',
        Locale::Fr => '\u{202f}',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// The form of `n` in `locale`, with `{n}` in it replaced by the formatted number.
/// `many` is used by French only; Dutch and English take `other` there.
pub fn pick(locale: Locale, n: u64, one: &str, many: &str, other: &str) -> String {
    let form = match category(locale, n) {
        Plural::One => one,
        Plural::Many => many,
        Plural::Other => other,
    };
    form.replace("{n}", &number(locale, n))
}

/// For counts held as `usize`: a count shown on a screen always fits in `u64`.
pub fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_have_one_and_other() {
        for locale in [Locale::Nl, Locale::En] {
            assert_eq!(category(locale, 1), Plural::One);
            for n in [0, 2, 5, 11, 21, 100, 1_000_000] {
                assert_eq!(category(locale, n), Plural::Other, "{locale:?} {n}");
            }
        }
    }

    #[test]
    fn french_counts_zero_as_one_and_has_many_for_millions() {
        assert_eq!(category(Locale::Fr, 0), Plural::One);
        assert_eq!(category(Locale::Fr, 1), Plural::One);
        for n in [2, 17, 100, 1000, 999_999, 1_000_001] {
            assert_eq!(category(Locale::Fr, n), Plural::Other, "{n}");
        }
        for n in [1_000_000, 2_000_000, 1_000_000_000] {
            assert_eq!(category(Locale::Fr, n), Plural::Many, "{n}");
        }
    }

    #[test]
    fn numbers_group_thousands_per_language() {
        assert_eq!(number(Locale::Nl, 0), "0");
        assert_eq!(number(Locale::Nl, 999), "999");
        assert_eq!(number(Locale::Nl, 1000), "1.000");
        assert_eq!(number(Locale::Nl, 1_234_567), "1.234.567");
        assert_eq!(number(Locale::En, 12_345), "12,345");
        assert_eq!(number(Locale::Fr, 123_456), "123\u{202f}456");
        assert_eq!(
            number(Locale::Fr, u64::MAX),
            "18\u{202f}446\u{202f}744\u{202f}073\u{202f}709\u{202f}551\u{202f}615"
        );
    }

    #[test]
    fn pick_fills_in_the_formatted_number() {
        let photos = |locale, n| pick(locale, n, "{n} photo", "{n} de photos", "{n} photos");
        assert_eq!(photos(Locale::Fr, 0), "0 photo");
        assert_eq!(photos(Locale::Fr, 2000), "2\u{202f}000 photos");
        assert_eq!(photos(Locale::Fr, 1_000_000), "1\u{202f}000\u{202f}000 de photos");
        assert_eq!(photos(Locale::En, 1_000_000), "1,000,000 photos");
    }
}
