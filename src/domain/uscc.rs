//! Unified social credit codes (GB 32100-2015): 18 characters from a 31-symbol alphabet, the
//! last a check character over the first 17.

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidUscc {
    #[error("a unified social credit code has 18 characters")]
    Length,
    #[error("character {0} is not one of 0-9 and A-Y without I, O, S, V, Z")]
    Character(usize),
    #[error("characters 3 to 8 are the registering region's six-digit code")]
    Region,
    #[error("the check character (the 18th) does not match the first 17")]
    CheckDigit,
}

/// Validates a code as given (upper case; clients normalise before sending if they must).
pub fn validate(code: &str) -> Result<(), InvalidUscc> {
    let bytes = code.as_bytes();
    if code.chars().count() != 18 || bytes.len() != 18 {
        return Err(InvalidUscc::Length);
    }
    let mut values = [0u32; 18];
    for (i, byte) in bytes.iter().enumerate() {
        values[i] = value_of(*byte).ok_or(InvalidUscc::Character(i + 1))?;
    }
    if !bytes[2..8].iter().all(u8::is_ascii_digit) {
        return Err(InvalidUscc::Region);
    }
    let body: [u32; 17] = values[..17].try_into().expect("17 values");
    if check_value(&body) != values[17] {
        return Err(InvalidUscc::CheckDigit);
    }
    Ok(())
}

/// The check character for the first 17 characters (which must be from the alphabet).
pub fn check_character(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut body = [0u32; 17];
    for (i, byte) in bytes.iter().enumerate() {
        body[i] = value_of(*byte)?;
    }
    Some(ALPHABET[check_value(&body) as usize] as char)
}

fn value_of(byte: u8) -> Option<u32> {
    ALPHABET.iter().position(|&c| c == byte).map(|p| p as u32)
}

fn check_value(body: &[u32; 17]) -> u32 {
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes() {
        for code in [
            "91350100M000100Y43",
            "91440300708461136T",
            "91110108551385082Q",
            "91310000MA1FL1MMXL",
        ] {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn rejects_each_kind_of_mistake() {
        assert_eq!(validate("91350100M000100Y4"), Err(InvalidUscc::Length));
        assert_eq!(validate("91350100M000100Y44"), Err(InvalidUscc::CheckDigit));
        assert_eq!(
            validate("91350100M000100I43"),
            Err(InvalidUscc::Character(16))
        );
        assert_eq!(
            validate("9135010OM000100Y43"),
            Err(InvalidUscc::Character(8))
        );
        assert_eq!(validate("91A50100M000100Y43"), Err(InvalidUscc::Region));
        assert_eq!(
            validate("91350100m000100Y43"),
            Err(InvalidUscc::Character(9))
        );
        assert_eq!(validate("９1350100M000100Y43"), Err(InvalidUscc::Length));
    }

    #[test]
    fn check_character_completes_a_valid_code() {
        let body = "91411602MA0000001";
        let code = format!("{body}{}", check_character(body).unwrap());
        assert_eq!(validate(&code), Ok(()));
        assert_eq!(check_character("too short"), None);
    }
}
