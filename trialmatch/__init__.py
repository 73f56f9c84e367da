"""trialmatch: clinical trial matching for oncology over mCODE (FHIR R4) patient data."""

__version__ = "0.1.0"
