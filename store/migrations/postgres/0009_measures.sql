-- Measures of the medical profile (health::measures, issue 9). PostgreSQL flavour; the SQLite
-- file has the same table and columns. Values are integer hundredths of the kind's unit
-- (37,5 °C is 3750): no floating point columns (docs/decisions.md). The date is the day the
-- measure was taken ('YYYY-MM-DD'), the time optional ('HH:MM'), both as the citizen typed them.

CREATE TABLE health_measure (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_ins   TEXT    NOT NULL,          -- 15-digit INS of the profile (a child's for a parent)
    kind          TEXT    NOT NULL,          -- slug of health::measures::Kind
    value_centi   BIGINT  NOT NULL,          -- systolic for blood pressure
    value2_centi  BIGINT,                    -- diastolic for blood pressure, else NULL
    measured_on   TEXT    NOT NULL,          -- YYYY-MM-DD
    measured_time TEXT,                      -- HH:MM
    note          TEXT,
    author_kind   TEXT    NOT NULL,          -- patient | guardian | professional
    author_id     TEXT    NOT NULL,          -- INS, guardian's NIR or RPPS
    author_name   TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL
);
CREATE INDEX health_measure_patient ON health_measure (patient_ins, kind, measured_on);
