//! Search in the catalogue: free text over name, publisher and description, ignoring case and
//! accents ("sante" finds "Santé"), then an optional category. The catalogue is small (tens or
//! hundreds of services), so it is searched in memory after one query: the matching rule is then
//! the same on SQLite and PostgreSQL, whose collations and accent handling differ.

use unicode_normalization::UnicodeNormalization;

use super::model::{Category, Service};

/// Lower case, without accents or ligatures: the form both sides of a comparison take.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            // Combining marks left by the decomposition: the accents.
            '\u{300}'..='\u{36f}' => {}
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' | 'ʼ' | '‘' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Does `service` match every word of the query? An empty query matches everything.
pub fn matches(service: &Service, query: &str) -> bool {
    let haystack = fold(&format!(
        "{} {} {}",
        service.name, service.publisher, service.description
    ));
    fold(query)
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .all(|w| haystack.contains(w))
}

/// The result of a search: the services shown, and how many services of each category match the
/// text (whatever the chosen category, so the citizen sees where else to look).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResult {
    pub services: Vec<Service>,
    /// Every category, in page order, with its count for the text query (zeros included).
    pub counts: Vec<(Category, usize)>,
    /// Services matching the text, all categories together.
    pub total: usize,
}

/// Filters `all` (already in display order) by text, then by category.
pub fn search(all: &[Service], query: &str, category: Option<Category>) -> SearchResult {
    let by_text: Vec<&Service> = all.iter().filter(|s| matches(s, query)).collect();
    let counts = Category::ALL
        .into_iter()
        .map(|c| (c, by_text.iter().filter(|s| s.category == c).count()))
        .collect();
    let services = by_text
        .iter()
        .filter(|s| category.is_none_or(|c| s.category == c))
        .map(|s| (*s).clone())
        .collect();
    SearchResult {
        services,
        counts,
        total: by_text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::Audience;

    fn service(name: &str, publisher: &str, description: &str, category: Category) -> Service {
        Service {
            key: name.to_lowercase(),
            name: name.into(),
            publisher: publisher.into(),
            category,
            description: description.into(),
            url: "https://example.fr/".into(),
            free: true,
            audience: vec![Audience::Tous],
        }
    }

    #[test]
    fn folding_removes_case_accents_and_ligatures() {
        let cases = [
            ("Santé", "sante"),
            ("ÉLÈVE", "eleve"),
            ("Cœur", "coeur"),
            ("l’hôpital", "l'hopital"),
            ("Ça va", "ca va"),
            ("déjà", "deja"),
        ];
        for (text, want) in cases {
            assert_eq!(fold(text), want, "{text:?}");
        }
    }

    #[test]
    fn text_search_ignores_case_and_accents_and_needs_every_word() {
        let s = service(
            "Mon Cœur en forme",
            "Association Cardio Santé",
            "Programme d’activité physique après un infarctus.",
            Category::SuiviMaladieChronique,
        );
        let cases = [
            ("", true),
            ("   ", true),
            ("coeur", true),
            ("CŒUR", true),
            ("sante", true),
            ("SANTÉ cardio", true),
            ("activite physique", true),
            ("infarctus diabète", false),
            ("pharmacie", false),
        ];
        for (q, want) in cases {
            assert_eq!(matches(&s, q), want, "{q:?}");
        }
    }

    #[test]
    fn counts_follow_the_text_and_the_category_filters_the_list() {
        let all = vec![
            service(
                "Bouger",
                "Ville",
                "Marche en groupe",
                Category::ActivitePhysique,
            ),
            service("Nager", "Ville", "Piscine", Category::ActivitePhysique),
            service(
                "Écoute",
                "Asso",
                "Soutien psychologique",
                Category::SanteMentale,
            ),
        ];
        let r = search(&all, "ville", None);
        assert_eq!(r.total, 2);
        assert_eq!(r.services.len(), 2);
        let count = |r: &SearchResult, c| r.counts.iter().find(|(k, _)| *k == c).map(|x| x.1);
        assert_eq!(count(&r, Category::ActivitePhysique), Some(2));
        assert_eq!(count(&r, Category::SanteMentale), Some(0));
        assert_eq!(r.counts.len(), Category::ALL.len());

        let r = search(&all, "", Some(Category::SanteMentale));
        assert_eq!(r.total, 3);
        assert_eq!(r.services.len(), 1);
        assert_eq!(r.services[0].name, "Écoute");
        assert_eq!(count(&r, Category::ActivitePhysique), Some(2));

        let r = search(&all, "introuvable", None);
        assert!(r.services.is_empty());
        assert_eq!(r.total, 0);
    }
}
