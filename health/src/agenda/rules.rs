//! Prevention proposals: the national vaccination calendar, the organised cancer screenings, the
//! child's compulsory health examinations and "Mon bilan prévention", as one table of data
//! ([`RULES`]). [`proposals`] picks the rules that apply at an age and sex, minus those the
//! citizen dismissed. Pure: no database, no clock.
//!
//! Ages are counted in completed months so that infants' rules (2 months, 11 months…) and adults'
//! (50 to 74 years) live in the same table. A window is `[from, until)`: "50 to 74 years" is
//! `from: years(50), until: Some(years(75))`.

use time::{Date, Month};

/// Sex for the rules that depend on it (screenings of the cervix and the breast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    /// From the register's `sex` column ("F"/"M", or "2"/"1"), else from the NIR's first digit
    /// (1, 3, 7: male; 2, 4, 8: female). `None` when neither says.
    pub fn of(column: Option<&str>, nir: &str) -> Option<Sex> {
        let from_code = |c: &str| match c {
            "F" | "f" | "2" => Some(Sex::Female),
            "M" | "m" | "H" | "h" | "1" => Some(Sex::Male),
            _ => None,
        };
        column
            .map(str::trim)
            .and_then(from_code)
            .or_else(|| match nir.trim().chars().next() {
                Some('1' | '3' | '7') => Some(Sex::Male),
                Some('2' | '4' | '8') => Some(Sex::Female),
                _ => None,
            })
    }
}

/// What kind of prevention a rule proposes (a heading on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Screening,
    Vaccination,
    ChildExamination,
    PreventionCheckup,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Screening => "Dépistage",
            Kind::Vaccination => "Vaccination",
            Kind::ChildExamination => "Examen de santé de l’enfant",
            Kind::PreventionCheckup => "Bilan de prévention",
        }
    }
}

/// Who says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The yearly "Calendrier des vaccinations et recommandations vaccinales".
    VaccinationCalendar,
    /// Haute Autorité de santé recommendations.
    Has,
    /// The national organised screening programmes.
    OrganisedScreening,
    /// The child's compulsory examinations (code de la santé publique, carnet de santé).
    ChildHealthBook,
    /// "Mon bilan prévention" (ministère de la Santé, Assurance Maladie).
    MonBilanPrevention,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::VaccinationCalendar => "Calendrier des vaccinations (ministère de la Santé)",
            Source::Has => "Haute Autorité de santé (HAS)",
            Source::OrganisedScreening => {
                "Programme national de dépistage organisé (Institut national du cancer, HAS)"
            }
            Source::ChildHealthBook => "Examens obligatoires de l’enfant (carnet de santé)",
            Source::MonBilanPrevention => "Mon bilan prévention (ministère de la Santé)",
        }
    }
}

/// One line of the table.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable slug: URLs, dismissals and appointments refer to it.
    pub id: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    /// One or two plain French sentences.
    pub explanation: &'static str,
    pub source: Source,
    /// `None`: everyone.
    pub sex: Option<Sex>,
    /// First age, in completed months, at which the rule applies.
    pub from_months: u32,
    /// Age in months from which it no longer applies; `None`: for life.
    pub until_months: Option<u32>,
    /// For a periodic rule, how often: a dismissal lasts that long, then the rule comes back.
    /// `None`: once in the window (a dismissal is for good).
    pub every_months: Option<u32>,
}

impl Rule {
    /// "tous les 2 ans", "chaque année"; empty for a one-off.
    pub fn rhythm(&self) -> String {
        match self.every_months {
            None => String::new(),
            Some(12) => "chaque année".into(),
            Some(m) if m % 12 == 0 => format!("tous les {} ans", m / 12),
            Some(m) => format!("tous les {m} mois"),
        }
    }

    fn applies(&self, age_months: u32, sex: Option<Sex>) -> bool {
        let in_window =
            age_months >= self.from_months && self.until_months.is_none_or(|u| age_months < u);
        // A rule for one sex is only proposed when the sex is known to match.
        in_window && self.sex.is_none_or(|s| sex == Some(s))
    }
}

const fn years(n: u32) -> u32 {
    n * 12
}

#[path = "rules_table.rs"]
mod table;
pub use table::RULES;

/// The rule of a slug.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A proposal the citizen dismissed, and the day they did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dismissal {
    pub rule: String,
    pub on: Date,
}

/// One proposal on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub rule: &'static Rule,
}

/// Completed months between `birth` and `today`; `None` before birth.
pub fn age_months(birth: Date, today: Date) -> Option<u32> {
    if today < birth {
        return None;
    }
    let mut months = (today.year() - birth.year()) * 12 + i32::from(u8::from(today.month()))
        - i32::from(u8::from(birth.month()));
    if today.day() < birth.day() {
        months -= 1;
    }
    u32::try_from(months).ok()
}

/// `date` plus `months` (the day clamped to the month's length).
fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let Ok(month) = Month::try_from(month) else {
        return date;
    };
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

fn still_dismissed(rule: &Rule, dismissals: &[Dismissal], today: Date) -> bool {
    dismissals.iter().any(|d| {
        d.rule == rule.id
            && match rule.every_months {
                None => true,
                Some(m) => today < add_months(d.on, m),
            }
    })
}

/// The rules that apply to someone born on `birth_date`, of `sex` (if known), on `today`, minus
/// the dismissed ones still in force; in table order (youngest ages first).
pub fn proposals(
    birth_date: Date,
    sex: Option<Sex>,
    today: Date,
    dismissed: &[Dismissal],
) -> Vec<Proposal> {
    let Some(age) = age_months(birth_date, today) else {
        return Vec::new();
    };
    RULES
        .iter()
        .filter(|r| r.applies(age, sex) && !still_dismissed(r, dismissed, today))
        .map(|rule| Proposal { rule })
        .collect()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
