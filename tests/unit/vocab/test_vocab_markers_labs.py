import pytest

from trialmatch.vocab import LabConcept, load_vocabulary


def test_marker_loinc_lookups():
    vocab = load_vocabulary()
    found = {code: vocab.marker_for_loinc(code) for code in
             ["48676-1", "85319-2", "85318-4", "16112-5", "85337-4", "16113-3", "85339-0",
              "83052-1", "81695-9", "94076-7", "2857-1", "10334-1", "2039-6", "1834-1", "24108-3"]}
    assert found == {
        "48676-1": "HER2", "85319-2": "HER2", "85318-4": "HER2", "16112-5": "ER", "85337-4": "ER",
        "16113-3": "PR", "85339-0": "PR", "83052-1": "PDL1", "81695-9": "MSI", "94076-7": "TMB",
        "2857-1": "PSA", "10334-1": "CA125", "2039-6": "CEA", "1834-1": "AFP", "24108-3": "CA19_9",
    }


def test_conservative_marker_exclusions():
    vocab = load_vocabulary()
    assert vocab.marker_for_loinc("10480-2") is None  # ER+PR combined: neither marker alone
    assert vocab.marker_for_loinc("32996-1") is None  # serum HER2, not tissue status
    assert vocab.marker_for_loinc("718-7") is None  # a lab, not a marker


def test_marker_keys_are_the_agreed_ones():
    assert set(load_vocabulary().markers) == {
        "HER2", "ER", "PR", "PDL1", "MSI", "MMR", "TMB", "KI67", "PSA", "CA125", "CEA", "AFP", "CA19_9"}


def test_lab_loinc_lookups_and_units():
    vocab = load_vocabulary()
    keys = {code: vocab.lab_for_loinc(code).key for code in
            ["751-8", "753-4", "26499-4", "777-3", "26515-7", "718-7", "2160-0", "38483-4", "14682-9",
             "1975-2", "42719-5", "14631-6", "1920-8", "1742-6", "1751-7", "6301-6", "33914-3",
             "48642-3", "62238-1", "98979-8", "2164-2", "6690-2", "26464-8", "731-0"]}
    assert keys == {
        "751-8": "ANC", "753-4": "ANC", "26499-4": "ANC", "777-3": "PLT", "26515-7": "PLT",
        "718-7": "HGB", "2160-0": "CREAT", "38483-4": "CREAT", "14682-9": "CREAT",
        "1975-2": "TBILI", "42719-5": "TBILI", "14631-6": "TBILI", "1920-8": "AST", "1742-6": "ALT",
        "1751-7": "ALB", "6301-6": "INR", "33914-3": "GFR", "48642-3": "GFR", "62238-1": "GFR",
        "98979-8": "GFR", "2164-2": "CRCL", "6690-2": "WBC", "26464-8": "WBC", "731-0": "LYMPH",
    }
    assert vocab.lab_for_loinc("99999-9") is None


def test_canonical_units_and_molar_masses():
    vocab = load_vocabulary()
    units = {key: lab.canonical_unit for key, lab in vocab.labs.items()}
    assert units == {
        "ANC": "10*9/L", "WBC": "10*9/L", "LYMPH": "10*9/L", "PLT": "10*9/L", "HGB": "g/dL",
        "CREAT": "mg/dL", "CRCL": "mL/min", "GFR": "mL/min/{1.73_m2}", "TBILI": "mg/dL",
        "DBILI": "mg/dL", "AST": "U/L", "ALT": "U/L", "ALP": "U/L", "ALB": "g/dL", "INR": "{ratio}",
        "APTT": "s", "K": "mmol/L", "NA": "mmol/L", "CA": "mg/dL", "MG": "mg/dL", "GLU": "mg/dL",
        "LDH": "U/L", "TSH": "m[IU]/L", "HBA1C": "%", "TESTOSTERONE": "ng/dL",
        "LVEF": "%", "QTC": "ms", "QTCF": "ms", "QTCB": "ms", "SPO2": "%", "LIPASE": "U/L", "AMYLASE": "U/L", "PT": "s",
    }
    masses = {key: lab.molar_mass for key, lab in vocab.labs.items() if lab.molar_mass is not None}
    assert masses == {"CREAT": 113.12, "TBILI": 584.66, "DBILI": 584.66, "CA": 40.08, "MG": 24.305,
                      "GLU": 180.16, "TESTOSTERONE": 288.42}
    assert vocab.lab("ANC").molar_mass is None


def test_cardiac_measurements_one_key_per_qtc_formula():
    """LOINC codes of LVEF and of QTc by formula (checked against the LOINC term descriptions:
    8636-3 names no method and points to 76634-5 Fridericia and 76635-2 Bazett)."""
    vocab = load_vocabulary()
    assert {code: vocab.lab_for_loinc(code).key for code in ("10230-1", "18043-0", "8636-3", "76634-5", "76635-2")} == {
        "10230-1": "LVEF", "18043-0": "LVEF", "8636-3": "QTC", "76634-5": "QTCF", "76635-2": "QTCB"}
    assert vocab.lab_for_loinc("8634-8") is None  # Q-T interval, not corrected: another measure


def test_lab_by_key():
    lab = load_vocabulary().lab("PLT")
    assert isinstance(lab, LabConcept)
    assert lab.loinc == ("777-3", "26515-7")
    with pytest.raises(KeyError, match="unknown lab analyte key"):
        load_vocabulary().lab("PLATELETS")
