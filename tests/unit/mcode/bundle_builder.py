"""Small hand-made FHIR resources for focused extraction tests, and real Bundles with resources added."""

import copy
import json

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


def bundle(*resources, btype="collection"):
    return {"resourceType": "Bundle", "type": btype,
            "entry": [{"fullUrl": f"urn:uuid:{r.get('id', i)}", "resource": r} for i, r in enumerate(resources)]}


def patient(pid="p1", birth="1970-05-01", gender="female"):
    return {"resourceType": "Patient", "id": pid, "birthDate": birth, "gender": gender,
            "address": [{"postalCode": "02139", "country": "US"}]}


def cc(system, code, display=None):
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def condition(cid, code, profile=None, verification="confirmed", **extra):
    r = {"resourceType": "Condition", "id": cid, "code": cc(SNOMED, code), "subject": {"reference": "Patient/p1"},
         "verificationStatus": cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification)}
    if profile:
        r["meta"] = {"profile": [MCODE + profile]}
    r.update(extra)
    return r


def observation(oid, loinc, profile=None, focus=None, date="2026-11-01", **value):
    r = {"resourceType": "Observation", "id": oid, "status": "final", "code": cc(LOINC, loinc),
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": date}
    if profile:
        r["meta"] = {"profile": [MCODE + profile]}
    if focus:
        r["focus"] = [{"reference": focus}]
    r.update(value)
    return r


def load_bundle(path) -> dict:
    """A real Bundle of tests/data, as JSON."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def added_to(real: dict, *resources, resource_type: str, prefix: str, reference: str = "patient") -> dict:
    """A copy of a real Bundle with ``resources`` appended as ``resource_type`` resources, each with an
    id ``<prefix>-<i>`` and its ``reference`` field ("patient", "subject") pointing at the Bundle's Patient."""
    out = copy.deepcopy(real)
    ref = next(e["fullUrl"] for e in out["entry"] if e["resource"]["resourceType"] == "Patient")
    for i, r in enumerate(resources):
        resource = {"resourceType": resource_type, **copy.deepcopy(r), "id": f"{prefix}-{i}", reference: {"reference": ref}}
        out["entry"].append({"fullUrl": f"urn:uuid:{prefix}-{i}", "resource": resource})
    return out
