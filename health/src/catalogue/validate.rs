//! The rules of a catalogue file, checked on every entry so that the operator gets every mistake
//! at once, each with its line ("ligne 12 : catégorie inconnue « Sport » ; attendues : …").

use std::collections::HashMap;

use super::LineError;
use super::model::{Audience, Category, Service};
use super::parse::{Entry, Field, Value};
use super::search::fold;

/// The keys of a service, in the order the documentation gives them.
pub const KEYS: [&str; 8] = [
    "identifiant",
    "nom",
    "editeur",
    "categorie",
    "description",
    "url",
    "tarif",
    "public",
];

const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 1000;
const MAX_URL: usize = 2000;
const MAX_ID: usize = 64;

/// Checks every entry; the services in file order, or every error sorted by line.
pub(crate) fn validate(entries: Vec<Entry>) -> Result<Vec<Service>, Vec<LineError>> {
    let mut errors = Vec::new();
    if entries.is_empty() {
        errors.push(LineError {
            line: None,
            message: "le fichier ne contient aucun service ([[service]] en TOML, tableau \
                      d’objets en JSON)"
                .into(),
        });
    }
    let mut services = Vec::with_capacity(entries.len());
    // Key → line of its first use, to refuse a service given twice.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        let before = errors.len();
        let service = check_entry(&entry, &mut errors);
        if let Some(s) = service
            && errors.len() == before
        {
            if let Some(first) = seen.get(&s.key) {
                errors.push(LineError::at(
                    entry.line,
                    format!(
                        "le service « {} » reprend l’identifiant ou l’adresse du service de la \
                         ligne {first}",
                        s.name
                    ),
                ));
            } else {
                seen.insert(s.key.clone(), entry.line);
                services.push(s);
            }
        }
    }
    if errors.is_empty() {
        Ok(services)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn check_entry(entry: &Entry, errors: &mut Vec<LineError>) -> Option<Service> {
    for f in &entry.fields {
        if !KEYS.contains(&f.key.as_str()) {
            errors.push(LineError::at(
                f.line,
                format!(
                    "champ inconnu « {} » ; champs possibles : {}",
                    f.key,
                    KEYS.join(", ")
                ),
            ));
        }
    }
    let field = |key: &str| entry.fields.iter().find(|f| f.key == key);
    // The name, when readable, makes the other messages easier to place.
    let label = match field("nom").map(|f| &f.value) {
        Some(Value::Text(n)) if !n.trim().is_empty() => format!("service « {} » : ", n.trim()),
        _ => String::new(),
    };
    let name = required_text(entry, &label, "nom", MAX_NAME, errors);
    let publisher = required_text(entry, &label, "editeur", MAX_NAME, errors);
    let description = required_text(entry, &label, "description", MAX_DESCRIPTION, errors);
    let category =
        required_text(entry, &label, "categorie", MAX_NAME, errors).and_then(|(c, line)| {
            let found = Category::parse(&c);
            if found.is_none() {
                let expected: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
                errors.push(LineError::at(
                    line,
                    format!(
                        "catégorie inconnue « {c} » ; attendues : {}",
                        expected.join(", ")
                    ),
                ));
            }
            found
        });
    let url =
        required_text(entry, &label, "url", MAX_URL, errors).and_then(|(u, line)| match check_url(
            &u,
        ) {
            Ok(u) => Some(u),
            Err(m) => {
                errors.push(LineError::at(line, m));
                None
            }
        });
    let free = required_text(entry, &label, "tarif", MAX_NAME, errors).and_then(|(t, line)| {
        match fold(&t).as_str() {
            "gratuit" => Some(true),
            "payant" => Some(false),
            _ => {
                errors.push(LineError::at(
                    line,
                    format!("tarif inconnu « {t} » ; attendu : gratuit ou payant"),
                ));
                None
            }
        }
    });
    let audience = audience(entry, &label, errors);
    let id = match field("identifiant") {
        None => None,
        Some(f) => match &f.value {
            Value::Text(t) if is_identifier(t) => Some(t.clone()),
            Value::Text(t) => {
                errors.push(LineError::at(
                    f.line,
                    format!(
                        "identifiant « {t} » invalide ; attendu : lettres minuscules sans \
                         accent, chiffres et tirets ({MAX_ID} au plus)"
                    ),
                ));
                None
            }
            other => {
                errors.push(type_error(f, other, "un texte"));
                None
            }
        },
    };
    let url = url?;
    Some(Service {
        key: id.unwrap_or_else(|| url.clone()),
        name: name?.0,
        publisher: publisher?.0,
        category: category?,
        description: description?.0,
        url,
        free: free?,
        audience: audience?,
    })
}

/// A required text field: present, a text, not empty, not too long. Its value and line.
fn required_text(
    entry: &Entry,
    label: &str,
    key: &str,
    max: usize,
    errors: &mut Vec<LineError>,
) -> Option<(String, usize)> {
    let Some(f) = entry.fields.iter().find(|f| f.key == key) else {
        errors.push(LineError::at(
            entry.line,
            format!("{label}champ « {key} » manquant"),
        ));
        return None;
    };
    match &f.value {
        Value::Text(t) => {
            let t = one_line(t);
            if t.is_empty() {
                errors.push(LineError::at(f.line, format!("« {key} » est vide")));
                None
            } else if t.chars().count() > max {
                errors.push(LineError::at(
                    f.line,
                    format!("« {key} » dépasse {max} caractères"),
                ));
                None
            } else {
                Some((t, f.line))
            }
        }
        other => {
            errors.push(type_error(f, other, "un texte"));
            None
        }
    }
}

fn audience(entry: &Entry, label: &str, errors: &mut Vec<LineError>) -> Option<Vec<Audience>> {
    let Some(f) = entry.fields.iter().find(|f| f.key == "public") else {
        errors.push(LineError::at(
            entry.line,
            format!("{label}champ « public » manquant"),
        ));
        return None;
    };
    let items: Vec<String> = match &f.value {
        Value::Text(t) => vec![t.clone()],
        Value::Texts(t) => t.clone(),
        other => {
            errors.push(type_error(f, other, "un texte ou une liste de textes"));
            return None;
        }
    };
    let mut found = Vec::new();
    let mut ok = true;
    for item in &items {
        match Audience::parse(item) {
            Some(a) => found.push(a),
            None => {
                ok = false;
                let expected: Vec<&str> = Audience::ALL.iter().map(|a| a.slug()).collect();
                errors.push(LineError::at(
                    f.line,
                    format!(
                        "public inconnu « {item} » ; attendus : {}",
                        expected.join(", ")
                    ),
                ));
            }
        }
    }
    found.sort();
    found.dedup();
    if ok && found.is_empty() {
        errors.push(LineError::at(f.line, "« public » est vide".to_string()));
        return None;
    }
    if ok && found.len() > 1 && found.contains(&Audience::Tous) {
        errors.push(LineError::at(
            f.line,
            "« tous » s’emploie seul dans « public »".to_string(),
        ));
        return None;
    }
    ok.then_some(found)
}

fn type_error(f: &Field, got: &Value, want: &str) -> LineError {
    let got = match got {
        Value::Other(what) => what,
        Value::Texts(_) => "une liste",
        Value::Text(_) => "un texte",
    };
    LineError::at(f.line, format!("« {} » doit être {want}, pas {got}", f.key))
}

/// Trimmed, with runs of whitespace (line breaks of a long TOML string) made one space, and
/// control characters dropped: the pages show one paragraph.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_identifier(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= MAX_ID
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An `https://` address of a named host (no IP address, no credentials), returned normalised
/// (IDNA host, explicit path): the citizen leaves our site for it, so it must be plainly what it
/// says.
pub fn check_url(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("l’adresse « {t} » contient des espaces"));
    }
    let parsed = url::Url::parse(t).map_err(|_| format!("adresse « {t} » invalide"))?;
    if parsed.scheme() != "https" {
        return Err(format!("l’adresse « {t} » doit commencer par https://"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "l’adresse « {t} » ne doit contenir ni identifiant ni mot de passe"
        ));
    }
    match parsed.host() {
        Some(url::Host::Domain(d)) if d.contains('.') && !d.ends_with('.') => {}
        _ => {
            return Err(format!(
                "l’adresse « {t} » doit désigner un nom de domaine (pas une adresse IP)"
            ));
        }
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_https_to_a_named_host() {
        let cases = [
            ("https://www.example.fr", Ok("https://www.example.fr/")),
            ("https://exemple.fr/a?b=c", Ok("https://exemple.fr/a?b=c")),
            (
                "https://santé.example/",
                Ok("https://xn--sant-epa.example/"),
            ),
            ("http://exemple.fr", Err("https://")),
            ("javascript:alert(1)", Err("https://")),
            ("https://user:pw@exemple.fr", Err("identifiant")),
            ("https://192.168.0.1/", Err("nom de domaine")),
            ("https://localhost/", Err("nom de domaine")),
            ("https://exemple .fr", Err("espaces")),
            ("exemple.fr", Err("invalide")),
        ];
        for (input, want) in cases {
            match (check_url(input), want) {
                (Ok(got), Ok(w)) => assert_eq!(got, w, "{input}"),
                (Err(got), Err(w)) => assert!(got.contains(w), "{input}: {got}"),
                (got, w) => panic!("{input}: {got:?} vs {w:?}"),
            }
        }
    }

    #[test]
    fn identifiers_and_whitespace() {
        for (id, ok) in [
            ("mon-service-2", true),
            ("Mon-Service", false),
            ("é", false),
            ("", false),
        ] {
            assert_eq!(is_identifier(id), ok, "{id}");
        }
        assert_eq!(
            one_line("  Une\n  description\tlongue "),
            "Une description longue"
        );
    }
}
