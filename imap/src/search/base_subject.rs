//! The base subject of RFC 5256 §2.1, used by SORT SUBJECT and THREAD (subject grouping).
//!
//! Input is the subject already decoded from RFC 2047 (step 1 asks for UTF-8). The grammar
//! (§5): `subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`, `subj-blob = "[" *BLOBCHAR
//! "]" *WSP`, `subj-trailer = "(fwd)" / WSP`, `subj-fwd = "[fwd:" … "]"`.

/// The base subject, and whether the subject was a reply or forward (RFC 5256 §2.1 note:
/// "the subject is a reply or forward if it had a subj-refwd, subj-fwd-hdr or a trailer").
pub fn base_subject(subject: &str) -> (String, bool) {
    // Step 1: tabs and line breaks to spaces, runs of spaces to one.
    let mut s = String::with_capacity(subject.len());
    for c in subject.chars() {
        let c = if c == '\t' || c == '\r' || c == '\n' {
            ' '
        } else {
            c
        };
        if c == ' ' && s.ends_with(' ') {
            continue;
        }
        s.push(c);
    }
    let mut reply = false;
    loop {
        // Step 2: trailing "(fwd)" and white space.
        loop {
            let t = s.trim_end_matches(' ');
            let changed = t.len() != s.len();
            s.truncate(t.len());
            if ends_with_ignore_case(&s, "(fwd)") {
                s.truncate(s.len() - 5);
                reply = true;
                continue;
            }
            if !changed {
                break;
            }
        }
        // Steps 3–5: leaders and blobs, until nothing changes.
        loop {
            let before = s.len();
            let t = s.trim_start_matches(' ').to_string();
            s = t;
            if let Some(rest) = strip_refwd(&s) {
                s = rest;
                reply = true;
            }
            if let Some(rest) = strip_blob(&s)
                && !rest.trim().is_empty()
            {
                s = rest;
            }
            if s.len() == before {
                break;
            }
        }
        // Step 6: "[fwd: … ]" wrapper.
        if starts_with_ignore_case(&s, "[fwd:") && s.ends_with(']') {
            s = s[5..s.len() - 1].to_string();
            reply = true;
            continue;
        }
        break;
    }
    (s, reply)
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// `subj-blob` at the start: returns the rest (after the blob and its white space).
fn blob_end(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let close = rest.find(['[', ']'])?;
    if rest.as_bytes().get(close) != Some(&b']') {
        return None;
    }
    let mut end = 1 + close + 1;
    while s.as_bytes().get(end) == Some(&b' ') {
        end += 1;
    }
    Some(end)
}

fn strip_blob(s: &str) -> Option<String> {
    blob_end(s).map(|e| s[e..].to_string())
}

/// `subj-leader = (*subj-blob subj-refwd)`: blobs then "re", "fw" or "fwd", white space, an
/// optional blob and a colon.
fn strip_refwd(s: &str) -> Option<String> {
    let mut i = 0;
    while let Some(e) = blob_end(&s[i..]) {
        i += e;
    }
    let rest = &s[i..];
    let word = if starts_with_ignore_case(rest, "fwd") {
        3
    } else if starts_with_ignore_case(rest, "fw") || starts_with_ignore_case(rest, "re") {
        2
    } else {
        return None;
    };
    let mut j = i + word;
    while s.as_bytes().get(j) == Some(&b' ') {
        j += 1;
    }
    if let Some(e) = blob_end(&s[j..]) {
        j += e;
    }
    if s.as_bytes().get(j) == Some(&b':') {
        Some(s[j + 1..].to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::base_subject;

    #[test]
    fn table() {
        let cases = [
            ("Ordonnance", "Ordonnance", false),
            ("Re: Ordonnance", "Ordonnance", true),
            ("RE: re: Fwd: Ordonnance", "Ordonnance", true),
            ("Re[2]: Ordonnance", "Ordonnance", true),
            ("[santé] Re: Ordonnance", "Ordonnance", true),
            ("[santé] Ordonnance", "Ordonnance", false),
            ("[santé]", "[santé]", false),
            ("Ordonnance (fwd)", "Ordonnance", true),
            ("Ordonnance (FWD)  (fwd) ", "Ordonnance", true),
            ("[Fwd: Re: Résultats]", "Résultats", true),
            ("Fw:  Résultats\t d'analyse", "Résultats d'analyse", true),
            ("Réponse", "Réponse", false),
            ("Re:", "", true),
            ("", "", false),
            ("Re: [x] [y] Re: z", "z", true),
            ("fwd z", "fwd z", false),
        ];
        for (input, want, reply) in cases {
            assert_eq!(base_subject(input), (want.to_string(), reply), "{input:?}");
        }
    }
}
