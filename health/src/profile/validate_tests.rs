use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 12 - 06);

fn form(f: impl FnOnce(&mut EntryForm)) -> EntryForm {
    let mut x = EntryForm {
        title: "Asthme".into(),
        ..Default::default()
    };
    f(&mut x);
    x
}

#[test]
fn dates() {
    let cases = [
        ("05/03/2024", Some(date!(2024 - 03 - 05))),
        ("5/3/2024", Some(date!(2024 - 03 - 05))),
        ("05-03-2024", Some(date!(2024 - 03 - 05))),
        ("05.03.2024", Some(date!(2024 - 03 - 05))),
        (" 2024-03-05 ", Some(date!(2024 - 03 - 05))),
        ("29/02/2024", Some(date!(2024 - 02 - 29))),
        ("29/02/2023", None),
        ("31/04/2024", None),
        ("2024/03/05", None),
        ("05/03/24", None),
        ("5 mars 2024", None),
        ("", None),
        ("+5/03/2024", None),
        ("005/03/2024", None),
    ];
    for (input, want) in cases {
        assert_eq!(parse_date(input), want, "{input:?}");
    }
    assert_eq!(french_date("2024-03-05"), "05/03/2024");
    assert_eq!(iso(date!(2024 - 03 - 05)), "2024-03-05");
}

#[test]
fn errors_name_their_field() {
    // (section, form, field in error, message)
    let cases: Vec<(Section, EntryForm, &str, &str)> = vec![
        (
            Section::Diseases,
            form(|f| f.title = "  ".into()),
            "title",
            "Le champ « Maladie ou sujet de santé » est obligatoire.",
        ),
        (
            Section::Diseases,
            form(|f| f.start_date = "2024-13-01".into()),
            "start_date",
            "La date de début doit être au format JJ/MM/AAAA.",
        ),
        (
            Section::Diseases,
            form(|f| f.start_date = "01/01/2030".into()),
            "start_date",
            "La date de début ne peut pas être dans le futur.",
        ),
        (
            Section::Diseases,
            form(|f| f.start_date = "01/01/1850".into()),
            "start_date",
            "La date de début est trop ancienne.",
        ),
        (
            Section::Diseases,
            form(|f| {
                f.start_date = "01/06/2020".into();
                f.end_date = "01/01/2020".into();
            }),
            "end_date",
            "La date de fin ne peut pas précéder la date de début.",
        ),
        (
            Section::Hospitalisations,
            form(|f| f.end_date = "01/01/2030".into()),
            "end_date",
            "La date de sortie ne peut pas être dans le futur.",
        ),
        (
            Section::Diseases,
            form(|f| f.title = "x".repeat(201)),
            "title",
            "Le champ « Maladie ou sujet de santé » ne doit pas dépasser 200 caractères.",
        ),
        (
            Section::Diseases,
            form(|f| f.notes = "x".repeat(2001)),
            "notes",
            "Le champ « Remarques » ne doit pas dépasser 2000 caractères.",
        ),
        (
            Section::Diseases,
            form(|f| f.status = "fini".into()),
            "status",
            "La valeur de « Statut » n'est pas reconnue.",
        ),
        (
            Section::Vaccinations,
            form(|_| {}),
            "start_date",
            "La date de l'injection est obligatoire.",
        ),
        (
            Section::Vaccinations,
            form(|f| {
                f.start_date = "01/01/2020".into();
                f.dose_number = "0".into();
            }),
            "dose_number",
            "Le numéro de dose doit être un nombre entre 1 et 20.",
        ),
        (
            Section::FamilyHistory,
            form(|_| {}),
            "relation",
            "Choisissez « Lien de parenté ».",
        ),
        (
            Section::Entourage,
            form(|_| {}),
            "kind",
            "Choisissez « Type ».",
        ),
        (
            Section::Entourage,
            form(|f| {
                f.kind = "personne".into();
                f.title = String::new();
            }),
            "title",
            "Le champ « Nom ou intitulé » est obligatoire.",
        ),
        (
            Section::Entourage,
            form(|f| {
                f.kind = "personne".into();
                f.phone = "appelle-moi".into();
            }),
            "phone",
            "Le numéro de téléphone n'est pas valide (par exemple 06 12 34 56 78).",
        ),
        (
            Section::Entourage,
            form(|f| f.kind = "don-organes".into()),
            "consent",
            "Indiquez oui ou non.",
        ),
        (
            Section::Entourage,
            form(|f| {
                f.kind = "directives".into();
                f.title = String::new();
            }),
            "notes",
            "Décrivez vos volontés dans « Remarques ».",
        ),
        (
            Section::Treatments,
            form(|f| f.dose = "1\u{0}".into()),
            "dose",
            "Le champ « Dose » contient des caractères invalides.",
        ),
    ];
    for (section, f, field, message) in cases {
        let errors = validate(section, &f, TODAY).expect_err(field);
        assert_eq!(
            errors.get(field),
            Some(message),
            "{section:?} {f:?}: {errors:?}"
        );
    }
}

#[test]
fn valid_entries() {
    let d = validate(
        Section::Treatments,
        &form(|f| {
            f.title = " Metformine ".into();
            f.dose = "500 mg".into();
            f.start_date = "01/02/2020".into();
            // A treatment may have a planned end.
            f.end_date = "01/02/2027".into();
            f.relation = "ignored".into();
        }),
        TODAY,
    )
    .expect("valid");
    assert_eq!(d.title, "Metformine");
    assert_eq!(d.start_date.as_deref(), Some("2020-02-01"));
    assert_eq!(d.end_date.as_deref(), Some("2027-02-01"));
    assert_eq!(d.status, Some(Status::Current), "not ended yet");
    assert_eq!(
        d.relation, None,
        "a field the section does not ask is dropped"
    );

    let d = validate(
        Section::Diseases,
        &form(|f| f.end_date = "01/01/2020".into()),
        TODAY,
    )
    .expect("valid");
    assert_eq!(d.status, Some(Status::Past), "ended, so past");

    let d = validate(
        Section::Entourage,
        &form(|f| {
            f.kind = "don-organes".into();
            f.title = String::new();
            f.consent = "oui".into();
            f.phone = "0612345678".into();
        }),
        TODAY,
    )
    .expect("valid");
    assert_eq!(d.consent, Some(true));
    assert_eq!(d.phone, "", "phone is for persons only");

    let d = validate(
        Section::FamilyHistory,
        &form(|f| f.relation = "mere".into()),
        TODAY,
    )
    .expect("valid");
    assert_eq!(d.relation, Some(Relation::Mother));
    // Back to the form and through validation again: the same data.
    let again = validate(Section::FamilyHistory, &form_of(&d), TODAY).expect("round trip");
    assert_eq!(again, d);
}
