"""mCODE (FHIR R4) Bundle -> PatientFacts. ``extract_facts(bundle, vocab)`` is the one
entry point; fhir.resources (R4B models) stays behind it."""

from trialmatch.mcode.extract import extract_facts

__all__ = ["extract_facts"]
