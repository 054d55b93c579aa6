//! Keeping text that others wrote (a server, a catalogue author, a hire)
//! from acting on whoever reads it: on a terminal it must not send control
//! sequences, and in JSON it must not hide or reorder what it says. A leaf
//! every layer may use.

/// Bidirectional overrides, isolates and marks, zero-width characters and
/// similar ones that make text lie about itself: they reorder or hide what a
/// reader sees without showing themselves.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Replaces control characters so a refused value can be shown safely.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Keeps catalogue, user and server text from sending control sequences to a
/// terminal: escape sequences (CSI, OSC and the like) are dropped whole,
/// other control characters (C0, DEL and C1) become spaces, invisible
/// formatting characters go, line breaks stay.
pub(crate) fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC, DCS and friends: up to BEL or the string terminator.
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\n' => out.push('\n'),
            c if c.is_control() => out.push(' '),
            c if is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Serialised JSON with every control character (C0, DEL, C1) and every
/// invisible formatting character written as a `\uXXXX` escape, so a
/// terminal or an editor showing the JSON shows what the strings hold. Such
/// characters can only appear inside JSON strings, where the escape means
/// the same character, so the data read back is unchanged.
pub(crate) fn json_escaped(json: String) -> String {
    if !json
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_invisible_format(c))
    {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if (c.is_control() && c != '\n') || is_invisible_format(c) {
            // Every such character is in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_loses_escape_sequences() {
        assert_eq!(terminal_safe("red\u{1b}[31m text\u{202E}"), "red text");
        assert_eq!(
            terminal_safe("a\u{1b}]0;owned\u{7}b\u{1b}]2;x\u{1b}\\c\td"),
            "abc d"
        );
        assert_eq!(terminal_safe("c1\u{9b}31m\u{2067}x"), "c1 31mx");
    }

    #[test]
    fn json_shows_hidden_characters_as_escapes() {
        let json = serde_json::to_string_pretty(&serde_json::json!({
            "name": "evil\u{202E}gnp.exe\u{9b}\u{7f}\u{2066}\u{200f}"
        }))
        .unwrap();
        let escaped = json_escaped(json);
        assert_eq!(
            escaped,
            "{\n  \"name\": \"evil\\u202egnp.exe\\u009b\\u007f\\u2066\\u200f\"\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(
            back["name"],
            "evil\u{202E}gnp.exe\u{9b}\u{7f}\u{2066}\u{200f}"
        );
        assert_eq!(json_escaped("{}\n".to_string()), "{}\n");
    }
}
