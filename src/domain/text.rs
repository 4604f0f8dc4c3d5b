//! Rules for free text: trimmed, bounded in characters, no control characters (multi-line text
//! may hold newlines and tabs), not empty once invisible characters are set aside, and no
//! bidirectional overrides or isolates. Any script round-trips as sent.

/// Whether `c` is drawn as nothing: Unicode's default-ignorable code points (zero-width space
/// and joiners, word joiner, byte-order mark, soft hyphen, variation selectors, tags, the
/// Hangul fillers, ...; DerivedCoreProperties 15.1). Such characters are allowed inside
/// visible text (joiners build emoji and Persian words) but cannot make text on their own.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `c` overrides or isolates the direction of the text around it (LRE, RLE, PDF, LRO,
/// RLO; LRI, RLI, FSI, PDI): with them `invoice \u{202E}gpj.exe` reads as `invoice exe.jpg`.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Declares a text newtype that only `parse` makes, so holding one means the rules held (the
/// pattern of zero2prod's `SubscriberName`).
macro_rules! validated_text {
    ($(#[$doc:meta])* $name:ident, $rule:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: &str) -> Result<$name, String> {
                $rule(input, $max).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }
    };
}

validated_text!(
    /// A ticket's title: one line.
    Title,
    single_line,
    200
);
validated_text!(
    /// Long free text: a ticket's description, a resolution, a comment.
    LongText,
    multi_line,
    10_000
);
validated_text!(
    /// Why a move was made (escalate, reopen, withdraw), or a rating's comment.
    ShortText,
    multi_line,
    2_000
);
validated_text!(
    /// The name of a category or an API client: one line.
    Name,
    single_line,
    100
);

pub fn single_line(input: &str, max_chars: usize) -> Result<String, String> {
    checked(input, max_chars, |c| c.is_control())
}

pub fn multi_line(input: &str, max_chars: usize) -> Result<String, String> {
    checked(input, max_chars, |c| {
        c.is_control() && c != '\n' && c != '\t'
    })
}

fn checked(
    input: &str,
    max_chars: usize,
    forbidden: impl Fn(char) -> bool,
) -> Result<String, String> {
    let text = input.trim();
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err("must not be empty (invisible characters do not count)".into());
    }
    if text.chars().count() > max_chars {
        return Err(format!("at most {max_chars} characters"));
    }
    if text.chars().any(forbidden) {
        return Err("must not contain control characters".into());
    }
    if text.chars().any(is_bidi_control) {
        return Err(
            "must not contain bidirectional overrides or isolates (U+202A-U+202E, U+2066-U+2069)"
                .into(),
        );
    }
    Ok(text.to_owned())
}

/// An optional field: absent or blank is `None`; text of invisible characters only is refused
/// (it would look blank and be stored).
pub fn optional_line(input: Option<&str>, max_chars: usize) -> Result<Option<String>, String> {
    match input.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => single_line(text, max_chars).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_bounds_and_refuses_control_characters() {
        assert_eq!(single_line("  周口 ", 10).unwrap(), "周口");
        assert!(single_line("   ", 10).is_err());
        assert!(single_line("一二三", 2).is_err());
        assert!(single_line("a\nb", 10).is_err());
        assert_eq!(multi_line("a\n\tb", 10).unwrap(), "a\n\tb");
        assert!(multi_line("a\u{0}b", 10).is_err());
        assert_eq!(optional_line(Some("  "), 5).unwrap(), None);
    }

    #[test]
    fn text_of_invisible_characters_only_is_empty() {
        for empty in [
            "\u{200B}",
            " \u{200C} \u{200D} ",
            "\u{2060}",
            "\u{FEFF}",
            "\u{AD}\u{34F}",
            "\u{3164}",
            "\u{FE0F}",
            "\u{E0041}",
            "\u{3000}\u{200B}",
        ] {
            assert!(single_line(empty, 10).is_err(), "{empty:?}");
            assert!(multi_line(empty, 10).is_err(), "{empty:?}");
            assert!(optional_line(Some(empty), 10).is_err(), "{empty:?}");
        }
        // Inside visible text they stay, as sent.
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(single_line(family, 10).unwrap(), family);
        assert_eq!(
            single_line("می\u{200C}خواهم", 10).unwrap(),
            "می\u{200C}خواهم"
        );
    }

    #[test]
    fn direction_overrides_and_isolates_are_refused() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            let text = format!("invoice {c}gpj.exe");
            assert!(single_line(&text, 40).is_err(), "{c:?}");
            assert!(multi_line(&text, 40).is_err(), "{c:?}");
        }
        // Marks that only set the direction of neutral characters are not overrides.
        assert!(single_line("שלום\u{200F}!", 10).is_ok());
        assert!(!is_bidi_control('\u{200E}') && is_invisible('\u{200E}'));
    }

    #[test]
    fn the_newtypes_hold_only_text_that_passed_their_rule() {
        assert_eq!(Title::parse("  申请贷款 ").unwrap().as_str(), "申请贷款");
        assert!(Title::parse("a\nb").is_err(), "a title is one line");
        assert!(Title::parse(&"字".repeat(Title::MAX_CHARS + 1)).is_err());
        assert!(Title::parse(&"字".repeat(Title::MAX_CHARS)).is_ok());
        assert_eq!(String::from(LongText::parse("一\n二").unwrap()), "一\n二");
        assert!(LongText::parse(&"x".repeat(LongText::MAX_CHARS + 1)).is_err());
        assert!(ShortText::parse(&"x".repeat(ShortText::MAX_CHARS + 1)).is_err());
        assert!(Name::parse("\u{200B}").is_err(), "invisible only");
        assert!(Name::parse("Lab\u{7}").is_err());
    }
}
