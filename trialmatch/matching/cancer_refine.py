"""Recorded histology narrows a broad cancer code (issue #4).

A Condition coded "breast cancer" or "NSCLC" often carries its histology separately
(mCODE ``histologyMorphologyBehavior``). ``refine_cancers`` reads each cancer's histology
codes (never its type) as the keys of ``histology.yaml``, and when exactly one of those keys
lists a refinement for the coded type (``refines``: BREAST + infiltrating duct carcinoma ->
IDC, NSCLC + adenocarcinoma -> LUAD) the cancer is read as that type. Nothing else: a
histology that gives two different refinements (adenosquamous, ductal and lobular codes),
an unknown histology, or a pair the data does not list keeps the coded type, so subtype
criteria stay UNKNOWN. Pure; the PatientView applies it once per patient.
"""

from __future__ import annotations

from dataclasses import replace

from trialmatch.domain import facts as f


def histology_code_keys(rules, codings) -> set[str]:
    """``histology.yaml`` keys shown by ICD-O-3 morphology or SNOMED CT codes."""
    keys = set()
    for key, h in rules.histology.items():
        for coding in codings:
            if coding.system == f.SNOMED and coding.code in h.snomed:
                keys.add(key)
            if coding.system == f.ICDO3 and coding.code and coding.code[:4].isdigit():
                number = int(coding.code[:4])
                if any(lo <= number <= hi for lo, hi in h.icdo3):
                    keys.add(key)
    return keys


def refined_type(rules, cancer: f.Cancer) -> str | None:
    """The narrower OncoTree type the cancer's recorded histology shows, or None."""
    if not cancer.cancer_type or not cancer.histology:
        return None
    keys = histology_code_keys(rules, cancer.histology)
    targets = {rules.histology[k].refines[cancer.cancer_type] for k in keys
               if cancer.cancer_type in rules.histology[k].refines}
    return targets.pop() if len(targets) == 1 else None


def refine_cancers(rules, facts: f.PatientFacts) -> tuple[f.PatientFacts, dict[str, str]]:
    """``facts`` with refined cancer types, and {cancer evidence: coded type} of those refined."""
    coded: dict[str, str] = {}
    cancers = []
    for cancer in facts.cancers:
        narrow = refined_type(rules, cancer)
        if narrow is not None and narrow != cancer.cancer_type:
            coded[cancer.evidence] = cancer.cancer_type
            cancer = replace(cancer, cancer_type=narrow)
        cancers.append(cancer)
    if not coded:
        return facts, coded
    return replace(facts, cancers=tuple(cancers)), coded
