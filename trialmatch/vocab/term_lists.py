"""The term lists behind ``Vocabulary.lookup``: which texts name which key, per kind."""

from __future__ import annotations

from collections import defaultdict

from trialmatch.errors import RuleFileError
from trialmatch.vocab.cancer_names import CancerNames
from trialmatch.vocab.conditions import ConditionConcept
from trialmatch.vocab.drugs import DrugTable
from trialmatch.vocab.fuzzy import FILE, FuzzySettings, TermIndex
from trialmatch.vocab.labs import LabConcept
from trialmatch.vocab.markers import MarkerConcept
from trialmatch.vocab.oncotree import OncoTree
from trialmatch.vocab.sites import SiteConcept


def cancer_type_terms(oncotree: OncoTree, names: CancerNames, settings: FuzzySettings) -> list[tuple[str, str]]:
    pairs = [(node.name, code) for code, node in oncotree.nodes.items() if code != "TISSUE"]
    pairs += [(name, code) for name, codes in names.by_name.items() for code in codes]  # shared names: ambiguous, refused
    # a main type ("Non-Small Cell Lung Cancer") names its shallowest node when that is unique
    by_main: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, node in oncotree.nodes.items():
        if node.main_type:
            by_main[node.main_type].append((node.level, code))
    for main_type, nodes in by_main.items():
        nodes.sort()
        if len(nodes) == 1 or nodes[0][0] < nodes[1][0]:
            pairs.append((main_type, nodes[0][1]))
    for text, code in settings.cancer_type_synonyms.items():
        if code not in oncotree:
            raise RuleFileError(f"{FILE}: cancer_type_synonyms.{text}: {code!r} is not an OncoTree code")
        pairs.append((text, code))
    return pairs


def build_term_indexes(
    settings: FuzzySettings,
    oncotree: OncoTree,
    names: CancerNames,
    drugs: DrugTable,
    conditions: dict[str, ConditionConcept],
    markers: dict[str, MarkerConcept],
    labs: dict[str, LabConcept],
    sites: dict[str, SiteConcept],
) -> dict[str, TermIndex]:
    def named(key: str, *texts: str) -> list[tuple[str, str]]:
        return [(text, key) for text in (key, *texts)]

    pairs: dict[str, list[tuple[str, str]]] = {
        "cancer_type": cancer_type_terms(oncotree, names, settings),
        "drug": [p for d in drugs.drugs.values() for p in named(d.key, *d.synonyms, *d.brands)],
        "drug_class": [p for c in drugs.classes.values() for p in named(c.key, c.name, *c.synonyms)],
        "condition": [p for c in conditions.values() for p in named(c.key, c.name, *c.synonyms)],
        "marker": [p for m in markers.values() for p in named(m.key, m.name, *m.synonyms)],
        "lab": [p for lab in labs.values() for p in named(lab.key, lab.name, *lab.synonyms)],
        "site": [p for s in sites.values() for p in named(s.key, s.name, *s.synonyms)],
    }
    return {kind: TermIndex.build(items, settings.thresholds[kind], settings) for kind, items in pairs.items()}
