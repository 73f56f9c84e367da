"""Cancer codes -> OncoTree: the crosswalk table plus ICD site-prefix rules.

Data:
- ``data/cancer_crosswalk.tsv``: one row per (system, code): the OncoTree code it maps to
  (empty = reviewed and deliberately left unmapped), the method that produced the row
  ("curated", "exact-name", "umls", "ncit", "site+histology rule", "fuzzy-reviewed",
  "icd10-site-rule", "unmapped") and the code's display as found in the mCODE value sets.
- ``data/cancer_site_rules.yaml``: ICD-10-CM / ICD-O-3 topography prefixes -> OncoTree
  node at tissue level (or a more specific node where the category defines the histology,
  e.g. C22.0 liver cell carcinoma -> HCC). The longest matching prefix wins; a rule with an
  empty ``oncotree`` blocks its shorter parents (e.g. C22.9 liver, not specified as primary
  or secondary).

Lookup order: an exact row of the table, then (ICD-10-CM and ICD-O-3 only) the site rules.
ICD-O-3 topography names a site, not a histology: a lymphoma of the stomach has topography
C16; rules marked ``icdo3: false`` never apply to it, and callers should prefer the
condition code over the body site whenever both exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.domain.facts import ICD10CM, ICDO3, ONCOTREE, SNOMED, Coding
from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import DataDir, check_mapping, check_str, read_tsv, read_yaml
from trialmatch.vocab.oncotree import LIQUID, SOLID, OncoTree

TABLE = "cancer_crosswalk.tsv"
RULES = "cancer_site_rules.yaml"
BODY_SITES = "cancer_body_sites.tsv"
BODY_SITE_COLUMNS = ("code", "oncotree", "display")
COLUMNS = ("system", "code", "oncotree", "method", "display", "note")
SYSTEMS = {"snomed": SNOMED, "icd10cm": ICD10CM, "icdo3": ICDO3}
SYSTEM_ALIASES = {
    SNOMED: "snomed",
    "urn:oid:2.16.840.1.113883.6.96": "snomed",
    ICD10CM: "icd10cm",
    "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
    ICDO3: "icdo3",
    "urn:oid:2.16.840.1.113883.6.43.1": "icdo3",
}
METHODS = (
    "curated",
    "exact-name",
    "umls",
    "ncit",
    "site+histology rule",
    "fuzzy-reviewed",
    "icd10-site-rule",
    "unmapped",
)
_ICD_PREFIX = re.compile(r"^[A-Z][0-9][0-9A-Z]?(\.[0-9A-Z]{0,4})?$")


@dataclass(frozen=True)
class CrosswalkRow:
    system: str  # "snomed" | "icd10cm" | "icdo3"
    code: str
    oncotree: str | None
    method: str
    display: str
    note: str = ""


@dataclass(frozen=True)
class SiteRule:
    prefix: str
    oncotree: str | None
    site: str
    icdo3: bool = True


def system_key(system: str | None) -> str | None:
    return SYSTEM_ALIASES.get(system or "")


def normalise_icd(code: str) -> str:
    code = code.strip().upper()
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


@dataclass(frozen=True, eq=False, repr=False)
class CancerCrosswalk:
    rows: dict[tuple[str, str], CrosswalkRow]
    rules: tuple[SiteRule, ...]  # longest prefix first
    body_sites: dict[str, str]  # SNOMED body structure -> OncoTree tissue node

    def row(self, system: str, code: str) -> CrosswalkRow | None:
        return self.rows.get((system, code))

    def rule_for(self, system: str, code: str) -> SiteRule | None:
        code = normalise_icd(code)
        for rule in self.rules:
            if code.startswith(rule.prefix) and (system != "icdo3" or rule.icdo3):
                return rule
        return None

    def cancer_type_for(self, coding: Coding, oncotree: OncoTree) -> str | None:
        if coding.code is None:
            return None
        if coding.system == ONCOTREE:
            code = coding.code.strip().upper()
            return code if code in oncotree else None
        system = system_key(coding.system)
        if system is None:
            return None
        code = coding.code.strip()
        if system != "snomed":
            code = normalise_icd(code)
        row = self.rows.get((system, code))
        if row is not None:
            return row.oncotree
        if system == "snomed":
            return None
        rule = self.rule_for(system, code)
        return rule.oncotree if rule else None


    def cancer_type_for_site(self, coding: Coding) -> str | None:
        """SNOMED CT body structure of a *primary* cancer -> OncoTree tissue node. For a
        condition code that names no site (363346000 "Malignant neoplastic disease");
        never use it for a secondary cancer's site."""
        if coding.code is None or system_key(coding.system) != "snomed":
            return None
        return self.body_sites.get(coding.code.strip())


def _check_oncotree(value: str, where: str, oncotree: OncoTree) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value not in oncotree.nodes and value not in (SOLID, LIQUID):
        raise RuleFileError(f"{where}: field oncotree {value!r} is not an OncoTree code")
    return value


def load_crosswalk(data_dir: DataDir, oncotree: OncoTree) -> CancerCrosswalk:
    rows: dict[tuple[str, str], CrosswalkRow] = {}
    for number, raw in enumerate(read_tsv(data_dir, TABLE, COLUMNS), start=2):
        where = f"{TABLE}: line {number}"
        if raw["system"] not in SYSTEMS:
            raise RuleFileError(f"{where}: field system {raw['system']!r} is not one of {sorted(SYSTEMS)}")
        if raw["method"] not in METHODS:
            raise RuleFileError(f"{where}: field method {raw['method']!r} is not one of {list(METHODS)}")
        code = raw["code"].strip()
        if not code:
            raise RuleFileError(f"{where}: field code is empty")
        if raw["system"] != "snomed":
            code = normalise_icd(code)
        target = _check_oncotree(raw["oncotree"], where, oncotree)
        if (target is None) != (raw["method"] == "unmapped"):
            raise RuleFileError(f"{where}: field method must be 'unmapped' exactly when oncotree is empty")
        key = (raw["system"], code)
        if key in rows:
            raise RuleFileError(f"{where}: field code {code} is duplicated for system {raw['system']}")
        rows[key] = CrosswalkRow(raw["system"], code, target, raw["method"], raw["display"], raw["note"])
    document = check_mapping(read_yaml(data_dir, RULES), RULES, required=("rules",))
    if not isinstance(document["rules"], list):
        raise RuleFileError(f"{RULES}: rules: expected a list")
    rules = []
    for index, item in enumerate(document["rules"]):
        where = f"{RULES}: rules[{index}]"
        check_mapping(item, where, required=("prefix", "oncotree", "site"), optional=("icdo3",))
        prefix = normalise_icd(check_str(item["prefix"], f"{where}.prefix"))
        if not _ICD_PREFIX.match(prefix):
            raise RuleFileError(f"{where}.prefix: {prefix!r} is not an ICD code prefix")
        icdo3 = item.get("icdo3", True)
        if not isinstance(icdo3, bool):
            raise RuleFileError(f"{where}.icdo3: expected true or false")
        target = _check_oncotree(item["oncotree"] or "", f"{where}.oncotree", oncotree)
        rules.append(SiteRule(prefix, target, check_str(item["site"], f"{where}.site"), icdo3))
    rules.sort(key=lambda rule: -len(rule.prefix))
    body_sites: dict[str, str] = {}
    for number, raw in enumerate(read_tsv(data_dir, BODY_SITES, BODY_SITE_COLUMNS), start=2):
        where = f"{BODY_SITES}: line {number}"
        if not raw["code"].isdigit() or raw["code"] in body_sites:
            raise RuleFileError(f"{where}: field code {raw['code']!r} is not a new SNOMED CT code")
        target = _check_oncotree(raw["oncotree"], where, oncotree)
        if target is None or oncotree.nodes[target].level != 1:
            raise RuleFileError(f"{where}: field oncotree must be a tissue-level node, got {raw['oncotree']!r}")
        body_sites[raw["code"]] = target
    return CancerCrosswalk(rows=rows, rules=tuple(rules), body_sites=body_sites)
