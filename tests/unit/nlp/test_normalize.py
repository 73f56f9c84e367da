"""Each real-world spelling of comparators, exponents and limits comes out the same."""

import pytest

from trialmatch.nlp.normalize import normalize


@pytest.mark.parametrize("raw, expected", [
    ("ANC \\>= 1.5", "anc >= 1.5"),
    ("ANC ≥ 1.5", "anc >= 1.5"),
    ("ANC => 1.5", "anc >= 1.5"),
    ("ANC greater than or equal to 1.5", "anc >= 1.5"),
    ("ANC at least 1.5", "anc >= 1.5"),
    ("bilirubin =\\< 1.5", "bilirubin <= 1.5"),
    ("bilirubin no more than 1.5", "bilirubin <= 1.5"),
    ("age \\> 18", "age > 18"),
    ("age less than 30", "age < 30"),
    ("ANC\u00a0≥\u00a01.5", "anc >= 1.5"),
])
def test_comparators(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", [
    "1.5 x 109/L", "1.5 x 10^9/L", "1.5 × 10⁹/L", "1.5 x 10*9/L", "1.5 x 10\\^9/L", "1.5 X 10E9/L", "1.5x10^9/l",
])
def test_powers_of_ten(raw):
    assert normalize(raw) == "1.5 x10^9/l"


@pytest.mark.parametrize("raw, expected", [
    ("≤ 2.5 x ULN", "<= 2.5 x uln"),
    ("≤ 2.5 times the upper limit of normal", "<= 2.5 x uln"),
    ("≤ 2.5 × institutional upper limit of normal", "<= 2.5 x uln"),
    ("100,000/mm³", "100000/mm3"),
    ("1,500/mcL", "1500/ul"),
    ("100 cells/µL", "100 /ul"),
    ("88 µmol/L", "88 umol/l"),
])
def test_units_and_limits(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    # HTML entities left by an export (issue #5 review), escaped as the registry text has them
    ("QTcF \\&gt; 480 msec", "qtcf > 480 msec"),  # NCT06099769
    ("TNBC (ER/PgR \\&lt;1%)", "tnbc (er/pgr <1%)"),  # NCT06099769
    ("eGFR less than (\\&amp;amp;lt;) 30", "egfr < (<) 30"),  # NCT05645107, encoded twice
    ("ANC &ge; 1.5", "anc >= 1.5"),
    ("bilirubin &le; 1.5", "bilirubin <= 1.5"),
    ("H&amp;E staining", "h&e staining"),
    ("Crohn&#39;s disease", "crohn's disease"),
    # an ampersand that starts no entity is left alone
    ("R&D", "r&d"),
])
def test_html_entities(raw, expected):
    assert normalize(raw) == expected
