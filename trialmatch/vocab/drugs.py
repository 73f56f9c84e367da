"""Drugs: RxNorm ingredient keys, their synonyms and brands, RxNorm codes, and drug classes.

Data:
- ``data/drugs.yaml``: ingredient key (RxNorm ingredient name, lower case) -> brands, synonyms;
- ``data/drug_classes.yaml``: class key -> name, source, members, included classes, whether it
  is an oncology class (``oncology: false``: concurrent medications such as systemic
  corticosteroids, never a cancer therapy) and whether it means systemic use only
  (``route: systemic``), and the dose-form words that tell a record's route (``dose_forms``);
- ``data/drug_rxnorm.tsv``: RxNorm code (ingredient or product) -> ingredient keys, built by
  ``trialmatch.vocab.tools.build_drug_rxnorm`` from the shared data and the CPIC ingredient codes
  of ``tools/rxnorm_ingredients.tsv`` (source column ``cpic-schema``).

A product with two curated ingredients (pertuzumab/trastuzumab, the ribociclib + letrozole
pack) maps to both through ``ingredients_for_rxnorm``; ``ingredient_for_rxnorm`` returns a
single ingredient or ``None`` and never picks one of two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import (
    DataDir,
    check_dict,
    check_mapping,
    check_str,
    check_str_list,
    read_tsv,
    read_yaml,
)

DRUGS = "drugs.yaml"
CLASSES = "drug_classes.yaml"
RXNORM = "drug_rxnorm.tsv"
RXNORM_COLUMNS = ("code", "ingredients", "display", "source")
RXNORM_SOURCES = ("medications.json", "mcode-example", "cpic-schema")
_CLASS_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class DrugConcept:
    key: str
    brands: tuple[str, ...]
    synonyms: tuple[str, ...]
    rxnorm: tuple[str, ...]  # codes whose display names only this ingredient
    classes: frozenset[str]


@dataclass(frozen=True)
class DrugClass:
    key: str
    name: str
    source: str
    members: frozenset[str]  # closed over included classes
    synonyms: tuple[str, ...] = ()
    oncology: bool = True  # False: a concurrent medication class, never a cancer therapy
    # members that count only in a systemic dose form (members of a ``route: systemic`` class,
    # closed over included classes)
    systemic_only: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DoseForms:
    """Dose-form words of RxNorm displays: ``route(display)`` is "local", "systemic" or None."""

    local: tuple[str, ...]
    systemic: tuple[str, ...]

    def route(self, display: str | None) -> str | None:
        text = f" {re.sub(r'[^a-z0-9-]+', ' ', (display or '').lower())} "
        if any(f" {word} " in text for word in self.local):
            return "local"
        if any(f" {form} " in text for form in self.systemic):
            return "systemic"
        return None


@dataclass(frozen=True, eq=False, repr=False)
class DrugTable:
    drugs: dict[str, DrugConcept]
    classes: dict[str, DrugClass]
    by_rxnorm: dict[str, tuple[str, ...]]
    dose_forms: DoseForms = DoseForms((), ())
    # names (key, synonyms, brands) of the drugs only in non-oncology classes, longest first
    concurrent_names: tuple[tuple[re.Pattern[str], str], ...] = ()

    def ingredients_for_rxnorm(self, code: str) -> tuple[str, ...]:
        return self.by_rxnorm.get(code.strip(), ())

    def concurrent_drugs_in(self, display: str | None) -> tuple[str, ...]:
        """The concurrent medications (drugs only in non-oncology classes) a product display names
        ("apixaban 5 MG Oral Tablet"), none for a local form: a fallback for RxNorm codes the table
        does not hold. Oncology drugs are never read from a display (the examples carry codes with
        wrong displays; their codes are checked by the build)."""
        if not display or self.dose_forms.route(display) == "local":
            return ()
        found: list[str] = []
        for pattern, key in self.concurrent_names:
            if key not in found and pattern.search(display):
                found.append(key)
        return tuple(sorted(found))

    def ingredient_for_rxnorm(self, code: str) -> str | None:
        found = self.ingredients_for_rxnorm(code)
        return found[0] if len(found) == 1 else None


_ROUTES = ("systemic",)


def _load_dose_forms(document: dict) -> DoseForms:
    body = check_mapping(document.get("dose_forms"), f"{CLASSES}: dose_forms", required=("local", "systemic"))
    local = check_str_list(body["local"], f"{CLASSES}: dose_forms.local")
    systemic = check_str_list(body["systemic"], f"{CLASSES}: dose_forms.systemic")
    for word in (*local, *systemic):
        if word != word.lower().strip() or not re.fullmatch(r"[a-z0-9 -]+", word):
            raise RuleFileError(f"{CLASSES}: dose_forms: {word!r} must be lower-case words")
    return DoseForms(local, systemic)


def _load_classes(data_dir: DataDir, drug_keys: set[str]) -> tuple[dict, dict[str, tuple[str, ...]], dict, DoseForms]:
    document = check_mapping(read_yaml(data_dir, CLASSES), CLASSES, required=("classes", "dose_forms"))
    raw = {}
    synonyms: dict[str, tuple[str, ...]] = {}
    flags: dict[str, tuple[bool, str | None]] = {}
    for key, body in check_dict(document["classes"], f"{CLASSES}: classes").items():
        where = f"{CLASSES}: classes.{key}"
        if not isinstance(key, str) or not _CLASS_KEY.match(key):
            raise RuleFileError(f"{where}: class key must be snake_case")
        check_mapping(body, where, required=("name", "source"),
                      optional=("members", "includes", "synonyms", "oncology", "route"))
        oncology = body.get("oncology", True)
        if not isinstance(oncology, bool):
            raise RuleFileError(f"{where}.oncology: must be true or false")
        route = body.get("route")
        if route is not None and route not in _ROUTES:
            raise RuleFileError(f"{where}.route: {route!r} is not one of {list(_ROUTES)}")
        flags[key] = (oncology, route)
        members = set(check_str_list(body.get("members"), f"{where}.members"))
        unknown = sorted(members - drug_keys)
        if unknown:
            raise RuleFileError(f"{where}.members: {unknown} not in {DRUGS}")
        includes = check_str_list(body.get("includes"), f"{where}.includes")
        if not members and not includes:
            raise RuleFileError(f"{where}: needs members or includes")
        raw[key] = (check_str(body["name"], f"{where}.name"), check_str(body["source"], f"{where}.source"), members, includes)
        synonyms[key] = check_str_list(body.get("synonyms"), f"{where}.synonyms")
    for key, (_, _, _, includes) in raw.items():
        for included in includes:
            if included not in raw:
                raise RuleFileError(f"{CLASSES}: classes.{key}.includes: {included!r} is not a class")
            if flags[included][0] != flags[key][0]:
                raise RuleFileError(f"{CLASSES}: classes.{key}.includes: {included!r} is not an oncology class "
                                    f"like {key!r} (or the other way round): the two kinds never mix")
    return raw, synonyms, flags, _load_dose_forms(document)


def _systemic_only(key: str, raw: dict, flags: dict) -> set[str]:
    """Members of ``key`` that count only in a systemic dose form: every member of a ``route:
    systemic`` class, and those reached through one."""
    if flags[key][1] == "systemic":
        return _closure(key, raw)
    found: set[str] = set()
    for included in raw[key][3]:
        found |= _systemic_only(included, raw, flags)
    return found - raw[key][2]


def _closure(key: str, raw: dict, path: tuple[str, ...] = ()) -> set[str]:
    if key in path:
        raise RuleFileError(f"{CLASSES}: classes.{key}.includes: cycle {' -> '.join((*path, key))}")
    _, _, members, includes = raw[key]
    result = set(members)
    for included in includes:
        result |= _closure(included, raw, (*path, key))
    return result


def load_drugs(data_dir: DataDir) -> DrugTable:
    document = check_mapping(read_yaml(data_dir, DRUGS), DRUGS, required=("drugs",))
    entries = {}
    for key, body in check_dict(document["drugs"], f"{DRUGS}: drugs").items():
        where = f"{DRUGS}: drugs.{key}"
        if not isinstance(key, str) or key != key.strip() or key.lower() != key:
            raise RuleFileError(f"{where}: ingredient key must be the lower-case RxNorm name")
        check_mapping(body, where, optional=("brands", "synonyms"))
        entries[key] = (check_str_list(body.get("brands"), f"{where}.brands"), check_str_list(body.get("synonyms"), f"{where}.synonyms"))
    raw_classes, class_synonyms, flags, dose_forms = _load_classes(data_dir, set(entries))
    classes = {
        key: DrugClass(
            key=key,
            name=name,
            source=source,
            members=frozenset(_closure(key, raw_classes)),
            synonyms=class_synonyms[key],
            oncology=flags[key][0],
            systemic_only=frozenset(_systemic_only(key, raw_classes, flags)),
        )
        for key, (name, source, _, _) in raw_classes.items()
    }
    by_rxnorm: dict[str, tuple[str, ...]] = {}
    for number, row in enumerate(read_tsv(data_dir, RXNORM, RXNORM_COLUMNS), start=2):
        where = f"{RXNORM}: line {number}"
        if not row["code"].isdigit():
            raise RuleFileError(f"{where}: field code {row['code']!r} is not an RxNorm code")
        if row["code"] in by_rxnorm:
            raise RuleFileError(f"{where}: field code {row['code']} is duplicated")
        if row["source"] not in RXNORM_SOURCES:
            raise RuleFileError(f"{where}: field source {row['source']!r} is not one of {list(RXNORM_SOURCES)}")
        ingredients = tuple(part for part in row["ingredients"].split(";") if part)
        unknown = [i for i in ingredients if i not in entries]
        if not ingredients or unknown:
            raise RuleFileError(f"{where}: field ingredients {unknown or row['ingredients']!r} not in {DRUGS}")
        by_rxnorm[row["code"]] = ingredients
    drugs = {
        key: DrugConcept(
            key=key,
            brands=brands,
            synonyms=synonyms,
            rxnorm=tuple(code for code, found in by_rxnorm.items() if found == (key,)),
            classes=frozenset(c for c, cls in classes.items() if key in cls.members),
        )
        for key, (brands, synonyms) in entries.items()
    }
    names = sorted(((name, key) for key, concept in drugs.items()
                    if concept.classes and not any(classes[k].oncology for k in concept.classes)
                    for name in (key, *concept.synonyms, *concept.brands)), key=lambda item: -len(item[0]))
    concurrent_names = tuple((re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.IGNORECASE), key)
                             for name, key in names)
    return DrugTable(drugs=drugs, classes=classes, by_rxnorm=by_rxnorm, dose_forms=dose_forms,
                     concurrent_names=concurrent_names)
