//! Rules for free text: trimmed, bounded in characters, no control characters (multi-line text
//! may hold newlines and tabs). Any script round-trips as sent.

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
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > max_chars {
        return Err(format!("at most {max_chars} characters"));
    }
    if text.chars().any(forbidden) {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_owned())
}

/// An optional field: absent or blank is `None`.
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
}
