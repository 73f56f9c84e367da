"""The plain JSON match view as FHIR: a searchset Bundle of ResearchStudy, one entry per trial,
with ``search.mode = match`` and ``search.score``, and the explanation in extensions.

Extensions (documented in docs/fhir.md), base ``EXT``:
- ``match-result``: valueCode eligible | possible | ineligible
- ``criterion`` (complex, one per top-level criterion and per arm criterion): ``id``, ``text``,
  ``verdict`` (met | not_met | unknown), ``reason``, ``evidence`` (valueReference, repeating),
  ``missing`` (valueString, repeating) with ``missingKind`` (missing | to_confirm), ``arm``
- ``nearest-site``: ``name`` (valueString), ``distance`` (valueQuantity in [mi_i]), or
  ``distance-unknown`` valueBoolean true
- ``versions`` (on the Bundle): ``engine``, ``catalogue``, ``service``
"""

from __future__ import annotations

EXT = "http://trialmatch.dev/fhir/StructureDefinition/"
CTGOV = "http://clinicaltrials.gov"

# ClinicalTrials.gov overall status -> FHIR R4 ResearchStudy.status. The catalogue holds trials
# offered for matching, so an absent status is read as "active" (documented in docs/fhir.md).
STATUS = {
    "RECRUITING": "active", "NOT_YET_RECRUITING": "approved", "ENROLLING_BY_INVITATION": "active",
    "ACTIVE_NOT_RECRUITING": "closed-to-accrual", "SUSPENDED": "temporarily-closed-to-accrual",
    "TEMPORARILY_NOT_AVAILABLE": "temporarily-closed-to-accrual", "COMPLETED": "completed",
    "TERMINATED": "administratively-completed", "WITHDRAWN": "withdrawn",
}


def fhir_status(status: str | None) -> str:
    if not status:
        return "active"
    return STATUS.get(status.upper().replace(" ", "_").replace(",", ""), "active")


def _criterion_extension(outcome: dict, arm: str | None) -> dict:
    ext = [{"url": "verdict", "valueCode": outcome["verdict"]}]
    for key in ("id", "text", "reason"):
        if outcome.get(key):
            ext.append({"url": key, "valueString": outcome[key]})
    if arm:
        ext.append({"url": "arm", "valueString": arm})
    for evidence in outcome.get("evidence", []):
        ext.append({"url": "evidence", "valueReference": {"reference": evidence["reference"],
                                                           **({"display": evidence["value"]} if evidence.get("value") else {})}})
    for missing in outcome.get("missing", []):
        ext.append({"url": "missing", "valueString": missing["item"]})
        ext.append({"url": "missingKind", "valueCode": missing["kind"]})
    return {"url": EXT + "criterion", "extension": ext}


def _top_level(outcome: dict) -> list[dict]:
    return outcome["children"] if outcome.get("type") == "all" and outcome.get("children") else [outcome]


def research_study(result: dict) -> dict:
    extensions = [{"url": EXT + "match-result", "valueCode": result["result_class"]}]
    extensions += [_criterion_extension(o, None) for o in _top_level(result["criteria"])]
    for arm in result.get("arms", []):
        extensions += [_criterion_extension(o, arm["arm_id"]) for o in _top_level(arm["criteria"])]
    if "distance" in result:  # a distance filter or origin was given
        site = result.get("nearest_site")
        if site is None:
            sub = [{"url": "distance-unknown", "valueBoolean": True}]
        else:
            sub = [{"url": "name", "valueString": site.get("name") or "site"},
                   {"url": "distance", "valueQuantity": {"value": site["miles"], "unit": "mi",
                                                         "system": "http://unitsofmeasure.org", "code": "[mi_i]"}}]
        extensions.append({"url": EXT + "nearest-site", "extension": sub})
    study = {"resourceType": "ResearchStudy", "id": result["trial_id"],
             "identifier": [{"system": CTGOV, "value": result["trial_id"]}],
             "title": result.get("title") or result["trial_id"], "status": fhir_status(result.get("status")),
             "extension": extensions}
    if result.get("phase"):
        study["phase"] = {"text": result["phase"]}
    return study


def searchset(view: dict) -> dict:
    entries = [{"fullUrl": f"urn:trialmatch:ResearchStudy:{r['trial_id']}", "resource": research_study(r),
                "search": {"mode": "match", "score": r["score"]}} for r in view["results"]]
    versions = [{"url": "engine", "valueString": str(view.get("engine_version"))},
                {"url": "catalogue", "valueString": str(view.get("catalogue_version"))},
                {"url": "service", "valueString": str(view.get("service_version"))}]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries),
            "meta": {"extension": [{"url": EXT + "versions", "extension": versions}]}, "entry": entries}
