//! SMTP replies with enhanced status codes (RFC 5321 §4.2, RFC 3463).

use std::fmt;

/// One reply: basic code, enhanced status code and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub esc: [u8; 3],
    pub text: String,
}

impl Reply {
    pub fn new(code: u16, esc: [u8; 3], text: impl Into<String>) -> Self {
        Reply {
            code,
            esc,
            text: text.into(),
        }
    }

    pub fn is_positive(&self) -> bool {
        self.code < 400
    }

    /// Wire form; multi-line text becomes a multi-line reply (RFC 5321 §4.2.1).
    pub fn to_wire(&self) -> Vec<u8> {
        let lines: Vec<&str> = self.text.lines().collect();
        let lines = if lines.is_empty() { vec![""] } else { lines };
        let mut out = Vec::with_capacity(self.text.len() + 16 * lines.len());
        for (i, line) in lines.iter().enumerate() {
            let sep = if i + 1 == lines.len() { ' ' } else { '-' };
            let line = format!(
                "{}{}{}.{}.{} {}\r\n",
                self.code, sep, self.esc[0], self.esc[1], self.esc[2], line
            );
            out.extend_from_slice(line.as_bytes());
        }
        out
    }

    pub fn ok(text: impl Into<String>) -> Self {
        Reply::new(250, [2, 0, 0], text)
    }
    pub fn syntax(text: impl Into<String>) -> Self {
        Reply::new(501, [5, 5, 4], text)
    }
    pub fn bad_sequence(text: impl Into<String>) -> Self {
        Reply::new(503, [5, 5, 1], text)
    }
    pub fn tls_required() -> Self {
        Reply::new(530, [5, 7, 0], "Must issue a STARTTLS command first")
    }
    pub fn auth_required() -> Self {
        Reply::new(530, [5, 7, 0], "Authentication required")
    }
    pub fn temp_failure(text: impl Into<String>) -> Self {
        Reply::new(451, [4, 3, 0], text)
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}.{}.{} {}",
            self.code, self.esc[0], self.esc[1], self.esc[2], self.text
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_multi_line() {
        assert_eq!(Reply::ok("fine").to_wire(), b"250 2.0.0 fine\r\n");
        assert_eq!(
            Reply::new(550, [5, 7, 1], "a\nb").to_wire(),
            b"550-5.7.1 a\r\n550 5.7.1 b\r\n"
        );
    }
}
