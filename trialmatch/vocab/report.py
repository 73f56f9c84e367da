"""Coverage report of the shipped vocabulary: ``python -m trialmatch.vocab.report``.

Prints, for the SNOMED CT and ICD-10-CM codes of the mCODE primary-cancer value set held in
``cancer_crosswalk.tsv``, how many map to an OncoTree node, by method, and how many of those
stop at the tissue level; then the sizes of the other tables.
"""

from __future__ import annotations

from collections import Counter

from trialmatch.vocab.vocabulary import Vocabulary, load_vocabulary


def crosswalk_coverage(vocab: Vocabulary) -> dict[str, dict[str, int]]:
    """{system: {"total": n, "mapped": n, "tissue_level": n, "method:<m>": n, ...}}."""
    result: dict[str, Counter] = {}
    for row in vocab.crosswalk.rows.values():
        counts = result.setdefault(row.system, Counter())
        counts["total"] += 1
        counts[f"method:{row.method}"] += 1
        if row.oncotree:
            counts["mapped"] += 1
            node = vocab.oncotree.node(row.oncotree)
            if node is None or node.level <= 1:
                counts["tissue_level"] += 1
    return {system: dict(counts) for system, counts in result.items()}


def render(vocab: Vocabulary) -> str:
    lines = ["Cancer crosswalk (mCODE Primary or Uncertain Behavior Cancer Disorder value set):"]
    for system, counts in sorted(crosswalk_coverage(vocab).items()):
        total, mapped = counts["total"], counts.get("mapped", 0)
        lines.append(
            f"  {system}: {mapped}/{total} mapped ({100 * mapped / total:.1f}%), "
            f"{counts.get('tissue_level', 0)} of them at tissue level or _SOLID_/_LIQUID_"
        )
        for key in sorted(k for k in counts if k.startswith("method:")):
            lines.append(f"    {key[7:]:<22} {counts[key]:>5}  ({100 * counts[key] / total:.1f}%)")
    lines += [
        f"OncoTree nodes: {len(vocab.oncotree.nodes)}",
        f"Tumor markers: {len(vocab.markers)} ({sum(len(m.loinc) for m in vocab.markers.values())} LOINC codes)",
        f"Lab analytes: {len(vocab.labs)} ({sum(len(lab.loinc) for lab in vocab.labs.values())} LOINC codes)",
        f"Drugs: {len(vocab.drugs.drugs)} ingredients, {len(vocab.drugs.by_rxnorm)} RxNorm codes, "
        f"{sum(1 for d in vocab.drugs.drugs.values() if not d.rxnorm)} ingredients by name only; "
        f"{len(vocab.drugs.classes)} classes",
        f"Primary-cancer body sites: {len(vocab.crosswalk.body_sites)} SNOMED body structures -> tissue",
        f"Conditions: {len(vocab.conditions)}; metastatic sites: {len(vocab.sites)} "
        f"({len(vocab._site_index.snomed)} SNOMED codes)",
    ]
    return "\n".join(lines)


def main() -> None:
    print(render(load_vocabulary()))


if __name__ == "__main__":
    main()
