"""Which mCODE element a resource holds: by meta.profile when it names a known mCODE
profile (the profile decides), otherwise by content (codes and value sets).

Content rules, in order (each documented in ``data/content_rules.yaml``):
- Condition: secondary when coded in the mCODE secondary cancer value set (ICD-10-CM
  C77-C79, C7B), listed SNOMED codes, or a SNOMED display that says "secondary malignant
  neoplasm" / "metastasis to"; primary when coded in the mCODE primary cancer value set
  (ICD-10-CM), the vocabulary maps a coding to a cancer type, the code is a listed root of
  the primary value set, or a histology-morphology-behavior extension is present; else
  comorbid.
- Observation: staging, genomics, performance status, disease status and pregnancy by
  their codes; tumor markers by the vocabulary or the mCODE tumor marker test value set;
  labs by the vocabulary (the caller asks it); else nothing.
- Medication*: cancer-related when the vocabulary puts an ingredient in a drug class.
- Procedure: cancer-related when its reason is a cancer condition of the bundle.
"""

from __future__ import annotations

from trialmatch.domain.facts import SNOMED
from trialmatch.mcode.fhir_read import code_keys, codings, extensions
from trialmatch.mcode.mcode_rules import McodeRules


def profile_kind(resource: dict, rules: McodeRules) -> str | None:
    meta = resource.get("meta")
    for url in (meta.get("profile") or ()) if isinstance(meta, dict) else ():
        if not isinstance(url, str):
            continue
        url = url.split("|")[0]
        for base in rules.profile_bases:
            if url.startswith(base):
                kind = rules.profile_kinds.get(url[len(base):])
                if kind is not None:
                    return kind
    return None


def condition_kind(resource: dict, rules: McodeRules, vocab) -> str:
    code = resource.get("code")
    keys = code_keys(code)
    if any(k in rules.value_sets.get("secondary_cancer", ()) for k in keys):
        return "secondary_cancer"
    for c in codings(code):
        if c.system == SNOMED and c.code in rules.secondary_snomed:
            return "secondary_cancer"
        if c.system == SNOMED and (c.display or "").lower().startswith(rules.secondary_prefixes):
            return "secondary_cancer"
    if any(k in rules.value_sets.get("primary_cancer", ()) for k in keys):
        return "primary_cancer"
    if any(c.system == SNOMED and c.code in rules.primary_snomed for c in codings(code)):
        return "primary_cancer"
    if extensions(resource, "mcode-histology-morphology-behavior"):
        return "primary_cancer"
    if vocab is not None and any(vocab.cancer_type_for(c) for c in codings(code)):
        return "primary_cancer"
    return "comorbid_condition"


def observation_kind(resource: dict, rules: McodeRules, vocab) -> str | None:
    keys = code_keys(resource.get("code"))
    for k in keys:
        if k in rules.observation_kinds:
            return rules.observation_kinds[k]
    loincs = [k.split("|", 1)[1] for k in keys if k.startswith("http://loinc.org|")]
    if vocab is not None and any(vocab.marker_for_loinc(code) for code in loincs):
        return "tumor_marker"
    if any(k in rules.value_sets.get("tumor_marker_test", ()) for k in keys):
        return "tumor_marker"
    if vocab is not None and any(vocab.lab_for_loinc(code) for code in loincs):
        return "lab"
    return None
