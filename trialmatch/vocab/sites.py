"""Metastatic sites: site key ("brain", "liver", "bone", ...) <- SNOMED CT body structures,
SNOMED CT secondary-neoplasm disorders and ICD-10-CM secondary-neoplasm prefixes.

Data: ``data/metastatic_sites.yaml`` (keys, names, synonyms, ``part_of``, ICD-10-CM
prefixes, the patterns the maintainer tool applies) and ``data/metastatic_site_codes.tsv``
(SNOMED codes, built by ``trialmatch.vocab.tools.build_site_table`` and reviewed).
``site_is_a("brain", "cns")`` is True: brain and leptomeningeal metastases are CNS ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.conditions import CodeIndex, build_index
from trialmatch.vocab.crosswalk import normalise_icd
from trialmatch.vocab.data_file import (
    DataDir,
    check_dict,
    check_mapping,
    check_str,
    check_str_list,
    read_tsv,
    read_yaml,
)

FILE = "metastatic_sites.yaml"
CODES = "metastatic_site_codes.tsv"
CODE_COLUMNS = ("code", "site", "kind", "method", "display")
KINDS = ("body structure", "secondary disorder")
METHODS = ("pattern", "curated")


@dataclass(frozen=True)
class SiteConcept:
    key: str
    name: str
    synonyms: tuple[str, ...]
    part_of: str | None


def load_sites(data_dir: DataDir) -> tuple[dict[str, SiteConcept], CodeIndex]:
    document = check_mapping(read_yaml(data_dir, FILE), FILE, required=("sites", "icd10cm"))
    sites: dict[str, SiteConcept] = {}
    for key, body in check_dict(document["sites"], f"{FILE}: sites").items():
        where = f"{FILE}: sites.{key}"
        check_mapping(body, where, required=("name", "pattern"), optional=("synonyms", "part_of"))
        try:
            re.compile(check_str(body["pattern"], f"{where}.pattern"))
        except re.error as exc:
            raise RuleFileError(f"{where}.pattern: not a regular expression: {exc}") from exc
        sites[key] = SiteConcept(
            key=key,
            name=check_str(body["name"], f"{where}.name"),
            synonyms=check_str_list(body.get("synonyms"), f"{where}.synonyms"),
            part_of=body.get("part_of"),
        )
    for key, site in sites.items():
        if site.part_of is not None and site.part_of not in sites:
            raise RuleFileError(f"{FILE}: sites.{key}.part_of: {site.part_of!r} is not a site key")
    if not isinstance(document["icd10cm"], list):
        raise RuleFileError(f"{FILE}: icd10cm: expected a list")
    icd: list[tuple[str, str]] = []
    for index, item in enumerate(document["icd10cm"]):
        where = f"{FILE}: icd10cm[{index}]"
        check_mapping(item, where, required=("prefix", "site", "display"))
        site = item["site"] or ""
        if site and site not in sites:
            raise RuleFileError(f"{where}.site: {site!r} is not a site key")
        icd.append((normalise_icd(check_str(item["prefix"], f"{where}.prefix")), site))
    snomed: list[tuple[str, str]] = []
    for number, row in enumerate(read_tsv(data_dir, CODES, CODE_COLUMNS), start=2):
        where = f"{CODES}: line {number}"
        if not row["code"].isdigit():
            raise RuleFileError(f"{where}: field code {row['code']!r} is not a SNOMED CT code")
        if row["site"] not in sites:
            raise RuleFileError(f"{where}: field site {row['site']!r} is not a site key")
        if row["kind"] not in KINDS:
            raise RuleFileError(f"{where}: field kind {row['kind']!r} is not one of {list(KINDS)}")
        if row["method"] not in METHODS:
            raise RuleFileError(f"{where}: field method {row['method']!r} is not one of {list(METHODS)}")
        snomed.append((row["code"], row["site"]))
    return sites, build_index(snomed, icd, f"{FILE}/{CODES}")


def site_is_a(sites: dict[str, SiteConcept], site: str, ancestor: str) -> bool:
    current: str | None = site
    while current is not None and current in sites:
        if current == ancestor:
            return True
        current = sites[current].part_of
    return False
