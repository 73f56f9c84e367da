import pytest

from trialmatch.mcode.lab_units import UnitError, conversion, parse


@pytest.mark.parametrize("src, dst, molar_mass, factor", [
    ("10*3/uL", "10*9/L", None, 1.0),
    ("/uL", "10*9/L", None, 0.001),
    ("{cells}/uL", "10*9/L", None, 0.001),
    ("g/L", "g/dL", None, 0.1),
    ("g/dl", "g/dL", None, 1.0),
    ("umol/L", "mg/dL", 113.12, 0.011312),
    ("mmol/L", "mg/dL", 180.16, 18.016),
    ("ng/mL", "ng/dL", None, 100.0),
    ("mL/min/{1.73_m2}", "mL/min/{1.73_m2}", None, 1.0),
    ("m[IU]/L", "m[IU]/L", None, 1.0),
    ("U/L", "U/L", None, 1.0),
])
def test_conversion_factors(src, dst, molar_mass, factor):
    assert conversion(src, dst, molar_mass) == pytest.approx(factor)


@pytest.mark.parametrize("src, dst, molar_mass", [
    ("mg/dL", "U/L", None),          # different dimensions
    ("umol/L", "mg/dL", None),       # needs a molar mass
    ("furlong", "mg/dL", None),      # not UCUM
    ("mg//dL", "mg/dL", None),
])
def test_impossible_conversions_raise(src, dst, molar_mass):
    with pytest.raises(UnitError):
        conversion(src, dst, molar_mass)


def test_parse_moves_powers_of_ten_into_the_factor():
    assert parse("10*9/L") == (1e9, "(dimensionless)/(liter)")
