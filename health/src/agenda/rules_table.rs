//! The table itself: one entry per proposal, youngest ages first. Sources: the calendrier des
//! vaccinations (ministère de la Santé, after the HAS), the HAS recommendations for the shingles,
//! pneumococcal and COVID-19 vaccines from 65, the national organised screening programmes, the
//! child's 20 compulsory examinations up to 16 years, and "Mon bilan prévention" at its four ages.
//! Changing a window or a rhythm here is the whole change: the pages and the tests read this.

use super::{Kind, Rule, Sex, Source, years};

/// A rule proposed once while the age is in `[from_months, until_months)`, for everyone.
const fn once(
    id: &'static str,
    kind: Kind,
    title: &'static str,
    explanation: &'static str,
    source: Source,
    from_months: u32,
    until_months: u32,
) -> Rule {
    Rule {
        id,
        kind,
        title,
        explanation,
        source,
        sex: None,
        from_months,
        until_months: Some(until_months),
        every_months: None,
    }
}

pub static RULES: &[Rule] = &[
    // The child's compulsory examinations (20 up to 16 years, covered in full).
    once(
        "examens-nourrisson",
        Kind::ChildExamination,
        "Examens de santé du nourrisson",
        "Avant 3 ans, 14 examens de santé sont obligatoires et pris en charge à 100 %, dont ceux \
         des 8 premiers jours, du 9e et du 24e mois, qui donnent lieu à un certificat de santé. \
         Leurs dates sont dans le carnet de santé.",
        Source::ChildHealthBook,
        0,
        years(3),
    ),
    Rule {
        id: "examen-3-6-ans",
        kind: Kind::ChildExamination,
        title: "Examen de santé annuel de 3 à 6 ans",
        explanation: "Jusqu’à 6 ans, un examen de santé par an chez le médecin ou à la PMI, pris \
                      en charge à 100 % : croissance, vue, audition, langage et vaccins.",
        source: Source::ChildHealthBook,
        sex: None,
        from_months: years(3),
        until_months: Some(years(7)),
        every_months: Some(12),
    },
    once(
        "examen-8-9-ans",
        Kind::ChildExamination,
        "Examen de santé entre 8 et 9 ans",
        "L’un des examens obligatoires de l’enfant, pris en charge à 100 % : croissance, vue, \
         audition et vaccins à jour.",
        Source::ChildHealthBook,
        years(8),
        years(10),
    ),
    once(
        "examen-11-13-ans",
        Kind::ChildExamination,
        "Examen de santé entre 11 et 13 ans",
        "L’un des examens obligatoires de l’enfant, pris en charge à 100 % : croissance, puberté, \
         vue, audition et vaccins à jour.",
        Source::ChildHealthBook,
        years(11),
        years(14),
    ),
    once(
        "examen-15-16-ans",
        Kind::ChildExamination,
        "Examen de santé entre 15 et 16 ans",
        "Le dernier des examens obligatoires de l’enfant, pris en charge à 100 %.",
        Source::ChildHealthBook,
        years(15),
        years(17),
    ),
    // Infants' compulsory vaccines.
    once(
        "vaccins-2-mois",
        Kind::Vaccination,
        "Vaccins de 2 mois",
        "Vaccins obligatoires : diphtérie, tétanos, poliomyélite, coqueluche, Haemophilus \
         influenzae b et hépatite B (en une seule injection), et pneumocoque.",
        Source::VaccinationCalendar,
        2,
        4,
    ),
    once(
        "vaccins-4-mois",
        Kind::Vaccination,
        "Vaccins de 4 mois",
        "Deuxième injection des vaccins de 2 mois (diphtérie, tétanos, poliomyélite, coqueluche, \
         Haemophilus influenzae b, hépatite B) et du pneumocoque.",
        Source::VaccinationCalendar,
        4,
        11,
    ),
    once(
        "vaccins-11-mois",
        Kind::Vaccination,
        "Rappels de 11 mois",
        "Rappel des vaccins de 2 et 4 mois (diphtérie, tétanos, poliomyélite, coqueluche, \
         Haemophilus influenzae b, hépatite B) et du pneumocoque.",
        Source::VaccinationCalendar,
        11,
        12,
    ),
    once(
        "vaccins-12-mois",
        Kind::Vaccination,
        "Vaccins de 12 mois",
        "Première dose du vaccin contre la rougeole, les oreillons et la rubéole (ROR) et vaccin \
         contre les méningocoques, obligatoires.",
        Source::VaccinationCalendar,
        12,
        16,
    ),
    once(
        "ror-2e-dose",
        Kind::Vaccination,
        "Deuxième dose du ROR",
        "Deuxième dose du vaccin contre la rougeole, les oreillons et la rubéole, entre 16 et \
         18 mois.",
        Source::VaccinationCalendar,
        16,
        24,
    ),
    once(
        "rappel-6-ans",
        Kind::Vaccination,
        "Rappel de 6 ans",
        "Rappel du vaccin contre la diphtérie, le tétanos, la coqueluche et la poliomyélite.",
        Source::VaccinationCalendar,
        years(6),
        years(8),
    ),
    once(
        "rappel-11-13-ans",
        Kind::Vaccination,
        "Rappel entre 11 et 13 ans",
        "Rappel du vaccin contre la diphtérie, le tétanos, la coqueluche et la poliomyélite.",
        Source::VaccinationCalendar,
        years(11),
        years(14),
    ),
    once(
        "hpv-11-14-ans",
        Kind::Vaccination,
        "Vaccination contre les papillomavirus (HPV)",
        "Recommandée pour les filles et les garçons de 11 à 14 ans, en 2 doses : elle protège de \
         plusieurs cancers (col de l’utérus, anus, gorge).",
        Source::VaccinationCalendar,
        years(11),
        years(15),
    ),
    once(
        "hpv-rattrapage",
        Kind::Vaccination,
        "Rattrapage de la vaccination HPV",
        "Si la vaccination contre les papillomavirus n’a pas été faite, elle peut être rattrapée \
         de 15 à 19 ans, en 3 doses.",
        Source::VaccinationCalendar,
        years(15),
        years(20),
    ),
    // "Mon bilan prévention": free, at four ages.
    once(
        "bilan-prevention-18-25-ans",
        Kind::PreventionCheckup,
        "Mon bilan prévention (18 à 25 ans)",
        "Un rendez-vous pris en charge à 100 % avec un médecin, une sage-femme, un infirmier ou \
         un pharmacien pour faire le point sur vos habitudes de vie, vos dépistages et vos \
         vaccins.",
        Source::MonBilanPrevention,
        years(18),
        years(26),
    ),
    once(
        "dtp-25-ans",
        Kind::Vaccination,
        "Rappel diphtérie, tétanos, poliomyélite à 25 ans",
        "Rappel de l’adulte à 25 ans, avec la coqueluche.",
        Source::VaccinationCalendar,
        years(25),
        years(30),
    ),
    Rule {
        id: "depistage-col-uterus-25-29-ans",
        kind: Kind::Screening,
        title: "Dépistage du cancer du col de l’utérus",
        explanation: "De 25 à 29 ans : un examen cytologique (frottis) tous les 3 ans, après deux \
                      premiers examens à un an d’intervalle. Il peut être fait par un médecin, \
                      un gynécologue ou une sage-femme.",
        source: Source::OrganisedScreening,
        sex: Some(Sex::Female),
        from_months: years(25),
        until_months: Some(years(30)),
        every_months: Some(36),
    },
    Rule {
        id: "depistage-col-uterus-30-65-ans",
        kind: Kind::Screening,
        title: "Dépistage du cancer du col de l’utérus (test HPV)",
        explanation: "De 30 à 65 ans : un test HPV tous les 5 ans, à partir de 3 ans après le \
                      dernier frottis normal.",
        source: Source::OrganisedScreening,
        sex: Some(Sex::Female),
        from_months: years(30),
        until_months: Some(years(66)),
        every_months: Some(60),
    },
    once(
        "dtp-45-ans",
        Kind::Vaccination,
        "Rappel diphtérie, tétanos, poliomyélite à 45 ans",
        "Rappel de l’adulte à 45 ans.",
        Source::VaccinationCalendar,
        years(45),
        years(50),
    ),
    once(
        "bilan-prevention-45-50-ans",
        Kind::PreventionCheckup,
        "Mon bilan prévention (45 à 50 ans)",
        "Un rendez-vous pris en charge à 100 % avec un médecin, une sage-femme, un infirmier ou \
         un pharmacien pour faire le point sur vos habitudes de vie, vos dépistages et vos \
         vaccins.",
        Source::MonBilanPrevention,
        years(45),
        years(51),
    ),
    Rule {
        id: "depistage-sein",
        kind: Kind::Screening,
        title: "Dépistage du cancer du sein",
        explanation: "De 50 à 74 ans : une mammographie et un examen clinique des seins tous les \
                      2 ans, pris en charge à 100 %. L’Assurance Maladie vous envoie une \
                      invitation.",
        source: Source::OrganisedScreening,
        sex: Some(Sex::Female),
        from_months: years(50),
        until_months: Some(years(75)),
        every_months: Some(24),
    },
    Rule {
        id: "depistage-colorectal",
        kind: Kind::Screening,
        title: "Dépistage du cancer colorectal",
        explanation: "De 50 à 74 ans : un test à faire chez soi tous les 2 ans, qui recherche du \
                      sang dans les selles. Le kit est remis par votre médecin ou votre \
                      pharmacien, ou commandé en ligne.",
        source: Source::OrganisedScreening,
        sex: None,
        from_months: years(50),
        until_months: Some(years(75)),
        every_months: Some(24),
    },
    once(
        "bilan-prevention-60-65-ans",
        Kind::PreventionCheckup,
        "Mon bilan prévention (60 à 65 ans)",
        "Un rendez-vous pris en charge à 100 % pour faire le point sur vos habitudes de vie, vos \
         dépistages, vos vaccins et la prévention de la perte d’autonomie.",
        Source::MonBilanPrevention,
        years(60),
        years(66),
    ),
    once(
        "dtp-65-ans",
        Kind::Vaccination,
        "Rappel diphtérie, tétanos, poliomyélite à 65 ans",
        "Rappel de l’adulte à 65 ans ; ensuite, un rappel tous les 10 ans.",
        Source::VaccinationCalendar,
        years(65),
        years(70),
    ),
    Rule {
        id: "grippe",
        kind: Kind::Vaccination,
        title: "Vaccination contre la grippe",
        explanation: "Chaque automne à partir de 65 ans, la vaccination contre la grippe est \
                      recommandée et prise en charge à 100 %.",
        source: Source::VaccinationCalendar,
        sex: None,
        from_months: years(65),
        until_months: None,
        every_months: Some(12),
    },
    Rule {
        id: "covid-19",
        kind: Kind::Vaccination,
        title: "Vaccination contre le Covid-19",
        explanation: "À partir de 65 ans, un rappel chaque automne est recommandé, selon les \
                      recommandations en vigueur ; il peut être fait en même temps que celui de \
                      la grippe.",
        source: Source::Has,
        sex: None,
        from_months: years(65),
        until_months: None,
        every_months: Some(12),
    },
    Rule {
        id: "zona",
        kind: Kind::Vaccination,
        title: "Vaccination contre le zona",
        explanation: "Recommandée à partir de 65 ans, en 2 doses à 2 mois d’intervalle.",
        source: Source::Has,
        sex: None,
        from_months: years(65),
        until_months: None,
        every_months: None,
    },
    Rule {
        id: "pneumocoque",
        kind: Kind::Vaccination,
        title: "Vaccination contre le pneumocoque",
        explanation: "Recommandée à partir de 65 ans : elle protège des pneumonies et des \
                      méningites à pneumocoque.",
        source: Source::Has,
        sex: None,
        from_months: years(65),
        until_months: None,
        every_months: None,
    },
    once(
        "bilan-prevention-70-75-ans",
        Kind::PreventionCheckup,
        "Mon bilan prévention (70 à 75 ans)",
        "Un rendez-vous pris en charge à 100 % pour faire le point sur vos habitudes de vie, vos \
         vaccins et la prévention des chutes et de la perte d’autonomie.",
        Source::MonBilanPrevention,
        years(70),
        years(76),
    ),
    Rule {
        id: "dtp-75-ans-et-plus",
        kind: Kind::Vaccination,
        title: "Rappel diphtérie, tétanos, poliomyélite tous les 10 ans",
        explanation: "Après 65 ans, le rappel se fait tous les 10 ans : à 75 ans, 85 ans, etc.",
        source: Source::VaccinationCalendar,
        sex: None,
        from_months: years(75),
        until_months: None,
        every_months: Some(120),
    },
];
