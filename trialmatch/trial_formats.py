"""The trial formats sponsors upload, recognised and turned into a trialmatch criteria document.

| format          | recognised by                         | criteria from |
|-----------------|---------------------------------------|---------------|
| trialmatch      | ``trial_id`` and ``criteria``         | the document itself (validated) |
| ctgov_v2        | ``protocolSection``                   | free text, parsed by trialmatch.nlp |
| ctgov_flat      | ``nct_id`` and ``eligibility``        | free text (the oncology-trials.jsonl export), parsed |
| research_study  | ``resourceType: ResearchStudy``       | free text in ``enrollment[].display`` (as the CodeX services write it), parsed |
| ctml            | ``treatment_list``                    | MatchMiner CTML, converted by trialmatch.matchminer |

Pure: no I/O. Parsing free text is slow (spaCy), so the API runs it in a Celery job.
"""

from __future__ import annotations

from trialmatch.errors import CriteriaError

FORMATS = ("trialmatch", "ctgov_v2", "ctgov_flat", "research_study", "ctml")
FREE_TEXT_FORMATS = ("ctgov_v2", "ctgov_flat", "research_study")


def detect_format(body: dict) -> str:
    if not isinstance(body, dict):
        raise CriteriaError("body: expected a JSON object")
    if "trial_id" in body and "criteria" in body:
        return "trialmatch"
    if "protocolSection" in body:
        return "ctgov_v2"
    if body.get("resourceType") == "ResearchStudy":
        return "research_study"
    if "treatment_list" in body:
        return "ctml"
    if "nct_id" in body and "eligibility" in body:
        return "ctgov_flat"
    raise CriteriaError("body: not a recognised trial format; send a trialmatch criteria document, a "
                        "ClinicalTrials.gov API v2 study record, a FHIR ResearchStudy or a MatchMiner CTML document")


def research_study_record(study: dict) -> dict:
    """A FHIR ResearchStudy as a flat ClinicalTrials.gov-style record (the parser's input)."""
    nct = next((i.get("value") for i in study.get("identifier", []) if "clinicaltrials" in (i.get("system") or "")), None)
    trial_id = nct or study.get("id")
    if not trial_id:
        raise CriteriaError("identifier: a ResearchStudy needs a ClinicalTrials.gov identifier or an id")
    texts = [e.get("display") for e in study.get("enrollment", []) if isinstance(e, dict) and e.get("display")]
    if not texts:
        raise CriteriaError("enrollment[0].display: the ResearchStudy carries no eligibility criteria text")
    phase = (study.get("phase") or {}).get("text")
    return {
        "nct_id": trial_id,
        "title": study.get("title") or trial_id,
        "phase": phase,
        "status": study.get("status"),
        "conditions": [c.get("text") for c in study.get("condition", []) if c.get("text")],
        "eligibility": {"raw_text": "\n".join(texts)},
    }


def to_document(body: dict, fmt: str, *, vocab) -> dict:
    """The trialmatch criteria document for an uploaded trial of format ``fmt``."""
    from trialmatch.trial_document import dump_document, load_document

    if fmt == "trialmatch":
        load_document(body, "body")
        return body
    if fmt == "ctml":
        from trialmatch.matchminer import ctml_to_trial

        return dump_document(ctml_to_trial(body, vocab))
    from trialmatch.nlp import trial_from_record

    record = research_study_record(body) if fmt == "research_study" else body
    trial, _parsed = trial_from_record(record, vocab)
    document = dump_document(trial)
    document.setdefault("study_type", record_study_type(record))
    return registry_fields(document, fmt)


def record_study_type(record: dict) -> str | None:
    """The study type a record states (flat export ``study_type``, API v2 designModule.studyType)."""
    if "protocolSection" in record:
        return ((record.get("protocolSection") or {}).get("designModule") or {}).get("studyType")
    return record.get("study_type")


def normalise_study_type(value: str | None) -> str | None:
    key = "_".join(str(value).upper().replace("-", " ").split()) if value else None
    return key if key in ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS") else None


STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED",
            "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN")
FHIR_STATUSES = {"active": "RECRUITING", "approved": "NOT_YET_RECRUITING", "closed-to-accrual": "ACTIVE_NOT_RECRUITING",
                 "temporarily-closed-to-accrual": "SUSPENDED", "completed": "COMPLETED", "withdrawn": "WITHDRAWN",
                 "administratively-completed": "TERMINATED"}


def normalise_status(value: str | None) -> str | None:
    """'Recruiting', 'Not yet recruiting', 'Active, not recruiting', a FHIR ResearchStudy status or
    the API v2 enum -> the API v2 enum; anything else -> None (left out, never guessed)."""
    if not value:
        return None
    if value in FHIR_STATUSES:
        return FHIR_STATUSES[value]
    key = "_".join(value.replace(",", " ").upper().split())
    return key if key in STATUSES else None


def normalise_phase(value: str | None) -> str | None:
    """'Phase 2', 'Phase 1/Phase 2', 'PHASE1_PHASE2', 'Early Phase 1', 'N/A' -> the API v2 enum."""
    if not value:
        return None
    text = value.upper().replace("/", " ").replace("_", " ").replace("-", " ")
    if text.strip() in ("NA", "N A", "NOT APPLICABLE"):
        return "NA"
    if "EARLY" in text:
        return "EARLY_PHASE1"
    numbers = sorted({n for n in text.replace("PHASE", " ").split() if n in ("1", "2", "3", "4")})
    joined = "_".join(f"PHASE{n}" for n in numbers)
    return joined if joined in ("PHASE1", "PHASE2", "PHASE3", "PHASE4", "PHASE1_PHASE2", "PHASE2_PHASE3") else None


def registry_fields(document: dict, fmt: str) -> dict:
    """Registry fields of a parsed record in the document's vocabulary: status, phase and study
    type as API v2 enums (dropped when not recognisable), the source naming registry and format."""
    out = dict(document)
    for key, normalise in (("status", normalise_status), ("phase", normalise_phase),
                           ("study_type", normalise_study_type)):
        value = normalise(out.get(key)) if key in out else None
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    source = dict(out.get("source") or {})
    source.setdefault("registry", "ClinicalTrials.gov")
    source.setdefault("format", fmt)
    out["source"] = source
    return out
