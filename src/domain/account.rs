//! Rules for usernames and passwords.

use super::text;

/// Usernames are 3 to 64 characters of `a-z 0-9 . _ @ -`, compared in lower case. The text
/// rules come first, so invisible or direction-changing characters are named as such; the
/// alphabet is checked before lower-casing, so no other script folds into it (KELVIN SIGN
/// would become `k`).
pub fn normalize_username(input: &str) -> Result<String, String> {
    let name = text::single_line(input, 64)?;
    let ok_len = (3..=64).contains(&name.len());
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b));
    if ok_len && ok_chars {
        Ok(name.to_ascii_lowercase())
    } else {
        Err("3 to 64 characters: letters a-z, digits, '.', '_', '@' or '-'".into())
    }
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Passwords are 12 to 128 characters (OWASP ASVS: length over composition rules).
pub fn check_password(password: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&chars) {
        Ok(())
    } else {
        Err("12 to 128 characters")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(
            normalize_username("Cadre.Li@411602").unwrap(),
            "cadre.li@411602"
        );
        for bad in [
            "ab",
            "has space",
            "名字很长",
            &"x".repeat(65),
            "\u{212A}admin",
            "ad\u{200B}min",
            "\u{200B}\u{200B}\u{200B}",
            "admin\u{202E}",
        ] {
            assert!(normalize_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert!(check_password("short").is_err());
        assert!(check_password("密码密码密码密码密码密码").is_ok());
        assert!(check_password(&"a".repeat(129)).is_err());
    }
}
