//! Reading a catalogue file into plain entries that remember the line of everything, before any
//! rule is checked: TOML through `toml::Spanned`, JSON through borrowed `RawValue`s whose position
//! in the text gives the line. Syntax errors come back with the parser's own line.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use toml::Spanned;

use super::LineError;

/// The two accepted formats, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// `.toml` or `.json` (any case); anything else is not guessed.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A value as the rules see it, whatever the format.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    /// A list whose items are all texts.
    Texts(Vec<String>),
    /// Anything else, named in French for the error ("un nombre").
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub key: String,
    pub line: usize,
    pub value: Value,
}

/// One service as written: where it starts, and its fields in file order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// The 1-based line of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

pub(crate) fn parse(text: &str, format: Format) -> Result<Vec<Entry>, LineError> {
    match format {
        Format::Toml => parse_toml(text),
        Format::Json => parse_json(text),
    }
}

type TomlTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    service: Vec<Spanned<TomlTable>>,
}

fn parse_toml(text: &str) -> Result<Vec<Entry>, LineError> {
    let file: TomlFile = toml::from_str(text).map_err(|e| LineError {
        line: e.span().map(|s| line_at(text, s.start)),
        message: format!("TOML illisible : {}", e.message().trim()),
    })?;
    Ok(file
        .service
        .into_iter()
        .map(|table| {
            let line = line_at(text, table.span().start);
            let mut fields: Vec<Field> = table
                .into_inner()
                .into_iter()
                .map(|(key, value)| Field {
                    line: line_at(text, value.span().start),
                    key: key.into_inner(),
                    value: toml_value(value.into_inner()),
                })
                .collect();
            fields.sort_by_key(|f| f.line);
            Entry { line, fields }
        })
        .collect())
}

fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::Text(s),
        toml::Value::Array(items) => {
            let texts: Option<Vec<String>> = items
                .into_iter()
                .map(|i| match i {
                    toml::Value::String(s) => Some(s),
                    _ => None,
                })
                .collect();
            texts.map_or(
                Value::Other("une liste qui ne contient pas que du texte"),
                Value::Texts,
            )
        }
        toml::Value::Integer(_) | toml::Value::Float(_) => Value::Other("un nombre"),
        toml::Value::Boolean(_) => Value::Other("un booléen"),
        toml::Value::Datetime(_) => Value::Other("une date"),
        toml::Value::Table(_) => Value::Other("une table"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile<'a> {
    #[serde(borrow)]
    services: Vec<&'a RawValue>,
}

fn json_error(e: &serde_json::Error) -> LineError {
    // serde_json's text ends with " at line L column C": the line goes to our prefix instead.
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_string();
    LineError {
        line: (e.line() > 0).then_some(e.line()),
        message: format!("JSON illisible : {message}"),
    }
}

fn parse_json(text: &str) -> Result<Vec<Entry>, LineError> {
    // The top level is an array of services, or an object with a `services` array.
    let items: Vec<&RawValue> = if text.trim_start().starts_with('{') {
        serde_json::from_str::<JsonFile>(text)
            .map_err(|e| json_error(&e))?
            .services
    } else {
        serde_json::from_str(text).map_err(|e| json_error(&e))?
    };
    // A borrowed RawValue is a slice of `text`: its distance from the start is its offset.
    let line_of = |raw: &RawValue| {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        line_at(text, offset)
    };
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let line = line_of(item);
        if !item.get().starts_with('{') {
            return Err(LineError {
                line: Some(line),
                message: "chaque service doit être un objet JSON { … }".into(),
            });
        }
        let map: BTreeMap<String, &RawValue> =
            serde_json::from_str(item.get()).map_err(|e| LineError {
                line: Some(line),
                message: format!("JSON illisible : {e}"),
            })?;
        let mut fields: Vec<Field> = map
            .into_iter()
            .map(|(key, raw)| Field {
                line: line_of(raw),
                key,
                value: json_value(raw),
            })
            .collect();
        fields.sort_by_key(|f| f.line);
        entries.push(Entry { line, fields });
    }
    Ok(entries)
}

fn json_value(raw: &RawValue) -> Value {
    match serde_json::from_str::<serde_json::Value>(raw.get()) {
        Ok(serde_json::Value::String(s)) => Value::Text(s),
        Ok(serde_json::Value::Array(items)) => {
            let texts: Option<Vec<String>> = items
                .into_iter()
                .map(|i| match i {
                    serde_json::Value::String(s) => Some(s),
                    _ => None,
                })
                .collect();
            texts.map_or(
                Value::Other("une liste qui ne contient pas que du texte"),
                Value::Texts,
            )
        }
        Ok(serde_json::Value::Number(_)) => Value::Other("un nombre"),
        Ok(serde_json::Value::Bool(_)) => Value::Other("un booléen"),
        Ok(serde_json::Value::Null) => Value::Other("null"),
        Ok(serde_json::Value::Object(_)) => Value::Other("un objet"),
        Err(_) => Value::Other("une valeur illisible"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_entries_and_fields_carry_their_lines() {
        let text = "# Catalogue\n\n[[service]]\nnom = \"A\"\npublic = [\"tous\"]\n\n[[service]]\nnom = \"B\"\nnote = 3\n";
        let entries = parse(text, Format::Toml).expect("parsed");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[0].fields[0].key, "nom");
        assert_eq!(entries[0].fields[0].line, 4);
        assert_eq!(
            entries[0].fields[1].value,
            Value::Texts(vec!["tous".into()])
        );
        assert_eq!(entries[1].line, 7);
        assert_eq!(entries[1].fields[1].line, 9);
        assert_eq!(entries[1].fields[1].value, Value::Other("un nombre"));
    }

    #[test]
    fn json_entries_and_fields_carry_their_lines() {
        let array =
            "[\n  {\n    \"nom\": \"A\",\n    \"public\": [\"tous\"]\n  },\n  {\"nom\": 3}\n]\n";
        let wrapped = format!("{{\"services\": {array}}}");
        for text in [array.to_string(), wrapped] {
            let entries = parse(&text, Format::Json).expect("parsed");
            assert_eq!(entries.len(), 2);
            assert_eq!(entries[0].line, 2);
            assert_eq!(entries[0].fields[0].line, 3);
            assert_eq!(entries[0].fields[1].line, 4);
            assert_eq!(entries[1].line, 6);
            assert_eq!(entries[1].fields[0].value, Value::Other("un nombre"));
        }
    }

    #[test]
    fn syntax_errors_give_the_parser_line() {
        let cases = [
            ("[[service]]\nnom = \"A\"\nurl = \n", Format::Toml, 3),
            ("[[service]]\nnom = \"A\"\n[[services]]\n", Format::Toml, 3),
            (
                "[\n {\"nom\": \"A\"},\n {\"nom\" \"B\"}\n]",
                Format::Json,
                3,
            ),
            ("{\"service\": []}", Format::Json, 1),
            ("[\n 1\n]", Format::Json, 2),
        ];
        for (text, format, line) in cases {
            let err = parse(text, format).expect_err(text);
            assert_eq!(err.line, Some(line), "{text:?}: {}", err.message);
            assert!(!err.message.is_empty());
        }
    }

    #[test]
    fn formats_by_extension() {
        use std::path::Path;
        assert_eq!(Format::of_path(Path::new("a/b.toml")), Some(Format::Toml));
        assert_eq!(Format::of_path(Path::new("b.JSON")), Some(Format::Json));
        assert_eq!(Format::of_path(Path::new("b.yaml")), None);
        assert_eq!(Format::of_path(Path::new("b")), None);
    }
}
