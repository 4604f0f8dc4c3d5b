//! Substring search that behaves the same on both backends.

use diesel::sql_types::Text;

// SQLite's LIKE ignores the case of ASCII letters and PostgreSQL's does not: comparing
// `lower(column)` with a lower-cased pattern makes both ignore it.
diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// The character that escapes `%`, `_` and itself in [`contains_pattern`]s; pass it to
/// `.escape()`, since SQLite has no default escape character.
pub const ESCAPE: char = '\\';

/// A LIKE pattern for "contains `needle`", compared with `lower(column)`.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            pattern.push(ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_are_matched_literally() {
        assert_eq!(contains_pattern("Flour"), "%flour%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
        assert_eq!(contains_pattern("恒达"), "%恒达%");
    }
}
