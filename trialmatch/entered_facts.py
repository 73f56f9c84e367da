"""Clinician-entered facts: what a clinician types beside the bundle ("HER2 positive on
2026-11-01", "ECOG 1 today") to decide criteria the record leaves UNKNOWN.

They use the facts JSON form (``trialmatch.domain.facts_json``) of a few fact kinds, each with
a date, and become evidence marked ``entered:<kind>[i]`` so every explanation shows that the
clinician, not the record, said it. They are added to the extracted facts, never replace them:
when both speak, the matcher's latest-date rule decides, as for any two facts.

    {"bundle": {... Bundle ...},
     "entered_facts": {"markers": [{"marker": "HER2", "status": "positive", "date": "2026-11-01"}],
                       "performance": [{"scale": "ECOG", "value": 1, "date": "2026-11-20"}]}}

Allergies and vaccines the record lacks can be entered too: ``allergies``
(``{"no_known": "drug_allergy", "date": ...}`` for a "no known drug allergy" statement, or
``"allergy"`` for no known allergy at all; or ``{"substances": ["carboplatin"], "date": ...}``
for an allergy to drugs of the vocabulary, ``kind`` "allergy" (default) or "intolerance") and
``immunizations`` (``{"codes": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "03"}],
"date": ...}``, a vaccine given that day: status "completed"). The matcher reads them as it
reads AllergyIntolerance and Immunization records (docs/matching.md): a fresh "no known drug
allergy" rules a drug allergy out; an entered vaccine is never evidence that no other was given.

``residual_toxicity`` (``{"max_grade": 1, "date": ...}``) is the clinician's assessment of the
worst toxicity of prior anticancer therapy the patient still has (CTCAE grade, 0 = none): no record
says that none persists, so without it a "recovered to grade <= 1" criterion never decides in the
patient's favour (docs/matching.md, residual toxicity).

Two kinds exist only as entered facts, since no mCODE element records them:
``measurable_disease`` (``{"value": true, "criteria": "RECIST 1.1", "date": ...}``; criteria
optional, one of the names of ``matching/data/assessment.yaml``) and ``life_expectancy``
(``{"days": 120, "date": ...}`` or ``{"months": 6, "date": ...}``; months are 30.4375 days
rounded down, the rounding the parser uses for criteria, so "6 months" meets "at least 6 months").
"""

from __future__ import annotations

import dataclasses
from datetime import date

from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json
from trialmatch.errors import PatientDataError
from trialmatch.matching.match_rules import load_rules

ALLOWED_KINDS = ("markers", "variants", "genes_tested", "performance", "stages", "pregnancy", "conditions",
                 "measurable_disease", "life_expectancy", "allergies", "immunizations", "residual_toxicity")
DAYS_PER_MONTH = 30.4375  # 365.25 / 12
MARKER_STATUSES = frozenset({"positive", "negative", "equivocal", "high", "low", "deficient", "proficient",
                             "stable"})
WHERE = "entered_facts"
CVX = "http://hl7.org/fhir/sid/cvx"
NO_KNOWN = ("allergy", "drug_allergy")
ALLERGY_KINDS = ("allergy", "intolerance")


def parse_entered_facts(data, *, as_of: date, vocab=None) -> f.PatientFacts:
    """Validate entered facts into a PatientFacts holding only them; PatientDataError names
    every problem's location (``entered_facts.markers[0].status``). With ``vocab``, an entered
    allergy's substances must be drug keys of the vocabulary (a misspelt drug would match nothing)."""
    if data is None:
        return f.PatientFacts()
    if not isinstance(data, dict):
        raise _error(WHERE, "expected an object of fact lists")
    unknown = sorted(set(data) - set(ALLOWED_KINDS))
    if unknown:
        raise _error(f"{WHERE}.{unknown[0]}", f"not a kind a clinician can enter; allowed: {', '.join(ALLOWED_KINDS)}")
    with_evidence = {}
    for kind, items in data.items():
        if not isinstance(items, list):
            raise _error(f"{WHERE}.{kind}", "expected a list")
        with_evidence[kind] = []
        for i, item in enumerate(items):
            where = f"{WHERE}.{kind}[{i}]"
            if not isinstance(item, dict):
                raise _error(where, "expected an object")
            if "evidence" in item:
                raise _error(f"{where}.evidence", "set by trialmatch (entered:<kind>[i]), not by the caller")
            if not isinstance(item.get("date"), str):
                raise _error(f"{where}.date", "an entered fact needs the date it was observed (YYYY-MM-DD)")
            if kind == "life_expectancy":
                item = _life_expectancy_days(item, where)
            if kind == "measurable_disease" and not isinstance(item.get("value"), bool):
                raise _error(f"{where}.value", "expected true or false (does the patient have measurable disease?)")
            if kind == "allergies":
                item = _allergy(item, where, vocab)
            if kind == "immunizations":
                item = _immunization(item, where)
            if kind == "residual_toxicity":
                extra = sorted(set(item) - {"max_grade", "date"})
                if extra:
                    raise _error(f"{where}.{extra[0]}", "not a field of an entered residual toxicity; allowed: date, "
                                                        "max_grade")
                grade = item.get("max_grade")
                if type(grade) is not int or not 0 <= grade <= 5:
                    raise _error(f"{where}.max_grade", "expected the worst CTCAE grade (a whole number 0-5) of the "
                                                       "toxicities of prior therapy the patient still has (0: none)")
            with_evidence[kind].append({**item, "evidence": f"entered:{kind}[{i}]"})
    try:
        facts = facts_from_json(with_evidence)
    except (ValueError, TypeError) as exc:
        message = str(exc).replace("facts.", f"{WHERE}.", 1)
        location, _, detail = message.partition(": ")
        raise _error(location, detail or message) from None
    _check_values(facts, as_of)
    return _with_ecog(facts)


def _check_values(facts: f.PatientFacts, as_of: date) -> None:
    for kind in ALLOWED_KINDS:
        for i, fact in enumerate(getattr(facts, kind)):
            where = f"{WHERE}.{kind}[{i}]"
            if fact.date is not None and fact.date > as_of:
                raise _error(f"{where}.date", "is after the as-of date")
            if kind == "markers":
                if fact.status is not None and (not isinstance(fact.status, str) or fact.status not in MARKER_STATUSES):
                    raise _error(f"{where}.status", f"expected one of {', '.join(sorted(MARKER_STATUSES))}")
                if fact.status is None and fact.value is None:
                    raise _error(where, "a marker needs a status or a value")
            if kind == "measurable_disease":
                known = load_rules().response_criteria
                if fact.criteria is not None and fact.criteria not in known:
                    raise _error(f"{where}.criteria", f"expected one of {', '.join(known)}")
            if kind == "performance":
                if fact.scale != "ECOG" or not isinstance(fact.value, int) or not 0 <= fact.value <= 5:
                    raise _error(where, "enter performance status as ECOG 0-5 (scale \"ECOG\")")


def _allergy(item: dict, where: str, vocab) -> dict:
    """A "no known (drug) allergy" statement, or an allergy to named drugs: active and confirmed,
    as the clinician says it now (the date is when it was stated)."""
    allowed = {"no_known", "substances", "kind", "date"}
    extra = sorted(set(item) - allowed)
    if extra:
        raise _error(f"{where}.{extra[0]}", f"not a field of an entered allergy; allowed: {', '.join(sorted(allowed))}")
    if ("no_known" in item) == ("substances" in item):
        raise _error(where, "an entered allergy needs exactly one of \"no_known\" and \"substances\"")
    if "no_known" in item:
        if item["no_known"] not in NO_KNOWN or "kind" in item:
            raise _error(f"{where}.no_known", f"expected one of {', '.join(NO_KNOWN)} (and no kind)")
        return item
    substances = item["substances"]
    if not isinstance(substances, list) or not substances or not all(isinstance(x, str) and x for x in substances):
        raise _error(f"{where}.substances", "expected a non-empty list of drug names")
    substances = [x.strip().lower() for x in substances]
    if vocab is not None:
        unknown = [x for x in substances if x not in vocab.drugs.drugs]
        if unknown:
            raise _error(f"{where}.substances", f"{unknown[0]!r} is not a drug of the vocabulary (its generic name)")
    kind = item.get("kind", "allergy")
    if kind not in ALLERGY_KINDS:
        raise _error(f"{where}.kind", f"expected one of {', '.join(ALLERGY_KINDS)}")
    return {**item, "substances": substances, "kind": kind, "category": ["medication"],
            "clinical_status": "active", "verification_status": "confirmed"}


def _immunization(item: dict, where: str) -> dict:
    """A vaccine given on the date: CVX codes, status completed."""
    allowed = {"codes", "date"}
    extra = sorted(set(item) - allowed)
    if extra:
        raise _error(f"{where}.{extra[0]}", f"not a field of an entered vaccine; allowed: {', '.join(sorted(allowed))}")
    codes = item.get("codes")
    if not isinstance(codes, list) or not codes:
        raise _error(f"{where}.codes", "expected a non-empty list of CVX codings")
    for i, code in enumerate(codes):
        if not (isinstance(code, dict) and code.get("system") == CVX and isinstance(code.get("code"), str)
                and code["code"].isdigit()):
            raise _error(f"{where}.codes[{i}]", f"expected {{\"system\": \"{CVX}\", \"code\": \"<digits>\"}}")
    return {**item, "status": "completed"}


def months_to_days(months: float) -> int:
    """Months as days, 30.4375 days a month rounded down (3 -> 91, 6 -> 182, 12 -> 365)."""
    return int(months * DAYS_PER_MONTH + 1e-9)


def _life_expectancy_days(item: dict, where: str) -> dict:
    """``{"months": N}`` or ``{"days": N}`` as ``{"days": N}``: a positive whole number of days."""
    given = [k for k in ("days", "months") if k in item]
    if len(given) != 1:
        raise _error(where, "a life expectancy needs exactly one of \"days\" and \"months\"")
    value = item[given[0]]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 \
            or (given[0] == "days" and not float(value).is_integer()):
        raise _error(f"{where}.{given[0]}", "expected a positive number (days: a whole number)")
    days = int(value) if given[0] == "days" else months_to_days(value)
    return {**{k: v for k, v in item.items() if k != "months"}, "days": days}


def _with_ecog(facts: f.PatientFacts) -> f.PatientFacts:
    performance = tuple(p if p.ecog else dataclasses.replace(p, ecog=(p.value,)) for p in facts.performance)
    return dataclasses.replace(facts, performance=performance)


def merge(record: f.PatientFacts, entered: f.PatientFacts) -> f.PatientFacts:
    """The record's facts with the entered ones added."""
    changes = {kind: getattr(record, kind) + getattr(entered, kind) for kind in ALLOWED_KINDS
               if getattr(entered, kind)}
    return dataclasses.replace(record, **changes) if changes else record


def _error(location: str, message: str) -> PatientDataError:
    return PatientDataError(f"{location}: {message}", [(location, message)])
