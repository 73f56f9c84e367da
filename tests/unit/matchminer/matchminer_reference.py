"""A small, independent reading of MatchMiner's DFCI matching semantics over raw CTML and raw
documents (two-valued: missing data is "no"), used to check that trialmatch finds at least
MatchMiner's matches. Where MatchMiner's exact query is unclear it reads permissively (matches
more), which only makes the check stricter:
- structural variants match structured partners (either side, "intergenic" as None or the
  string) or a free-text comment naming the gene, whatever the report date;
- a WILDTYPE document matches only ``wildtype`` leaves (assumption: a wild-type record is not
  a variant).
"""

from __future__ import annotations

import re
from datetime import date

CNV = {"High Amplification": "High level amplification", "Homozygous Deletion": "Homozygous deletion",
       "Low Amplification": "Gain", "Heterozygous Deletion": "Heterozygous deletion"}
MMR = {"MMR-Proficient": "Proficient (MMR-P / MSS)", "MMR-Deficient": "Deficient (MMR-D / MSI-H)",
       "MSI-H": "Deficient (MMR-D / MSI-H)", "MSI-L": "Proficient (MMR-P / MSS)", "MSS": "Proficient (MMR-P / MSS)"}
CATEGORY = {"mutation": {"MUTATION"}, "copy number variation": {"CNV"}, "cnv": {"CNV"},
            "any variation": {"MUTATION", "CNV"}, "structural variation": {"SV"}}
SIGNATURES = {"apobec_signature": "APOBEC_STATUS", "pole_signature": "POLE_STATUS",
              "tobacco_signature": "TABACCO_STATUS", "temozolomide_signature": "TEMOZOLOMIDE_STATUS",
              "uva_signature": "UVA_STATUS"}
_OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
        "==": lambda a, b: a == b}


def _split(value):
    if isinstance(value, str) and value.startswith("!"):
        return value[1:], True
    return value, False


def _op(value: str):
    m = re.match(r"^(>=|<=|==|>|<)(\d+(?:\.\d+)?)$", value.strip())
    return m.group(1), float(m.group(2))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Reference:
    def __init__(self, oncotree_mapping: dict, as_of: date):
        self.mapping = oncotree_mapping
        self.as_of = as_of

    def clause(self, match, clinical: dict, genomic: list[dict]) -> bool:
        return bool(match) and all(self._obj(item, clinical, genomic) for item in match)

    def _obj(self, obj, clinical, genomic) -> bool:
        results = []
        for key, value in obj.items():
            if key == "and":
                results.append(all(self._obj(v, clinical, genomic) for v in value))
            elif key == "or":
                results.append(any(self._obj(v, clinical, genomic) for v in value))
            elif key == "clinical":
                results.append(self._clinical(value, clinical))
            else:
                results.append(self._genomic(value, genomic))
        return all(results)

    def _clinical(self, fields, doc) -> bool:
        for key, raw in fields.items():
            value, negate = _split(raw)
            if key == "age_numerical":
                op, years = _op(value)
                birth = doc.get("BIRTH_DATE")
                threshold = _years_before(self.as_of, int(years))
                ok = birth is not None and (birth <= threshold if op in (">=", ">") else birth >= threshold)
            elif key == "oncotree_primary_diagnosis":
                ok = doc.get("ONCOTREE_PRIMARY_DIAGNOSIS_NAME") in self.mapping.get(value, [value])
            elif key == "gender":
                ok = doc.get("GENDER") == value
            elif key == "tmb_numerical":
                op, number = _op(value)
                tmb = doc.get("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE")
                ok = tmb is not None and _OPS[op](tmb, number)
            else:  # er/pr/her2_status, disease_status: ignored by the DFCI configuration
                ok = True
            if ok == negate:
                return False
        return True

    def _genomic(self, fields, docs) -> bool:
        negate = any(_split(v)[1] for v in fields.values())
        plain = {k: _split(v)[0] for k, v in fields.items() if k != "display_name"}
        found = any(self._doc(plain, d) for d in docs)
        return not found if negate else found

    def _doc(self, fields, d) -> bool:
        if d.get("WILDTYPE") is True and fields.get("wildtype") is not True:
            return False
        markers = {k for k in fields if k in SIGNATURES or k in ("mmr_status", "ms_status")}
        gene = None if markers else fields.get("hugo_symbol")
        category = str(fields.get("variant_category", "")).lower()
        if category == "structural variation":
            return d.get("VARIANT_CATEGORY") == "SV" and self._sv(gene, fields.get("fusion_partner_hugo_symbol"), d)
        if category and d.get("VARIANT_CATEGORY") not in CATEGORY[category]:
            return False
        checks = {
            "hugo_symbol": lambda v: gene is None or d.get("TRUE_HUGO_SYMBOL") == v,
            "protein_change": lambda v: d.get("TRUE_PROTEIN_CHANGE") == v,
            "wildcard_protein_change": lambda v: bool(re.match(rf"^{re.escape(v)}[ACDEFGHIKLMNPQRSTVWY]$",
                                                               d.get("TRUE_PROTEIN_CHANGE") or "", re.I)),
            "variant_classification": lambda v: d.get("TRUE_VARIANT_CLASSIFICATION") == v,
            "true_variant_classification": lambda v: d.get("TRUE_VARIANT_CLASSIFICATION") == v,
            "cnv_call": lambda v: d.get("CNV_CALL") == CNV.get(v, v),
            "wildtype": lambda v: d.get("WILDTYPE") == v,
            "exon": lambda v: d.get("TRUE_TRANSCRIPT_EXON") == v,
            "mmr_status": lambda v: d.get("MMR_STATUS") == MMR[v],
            "ms_status": lambda v: d.get("MMR_STATUS") == MMR[v],
            "variant_category": lambda v: True,
        }
        for key, value in fields.items():
            check = checks.get(key) or (lambda v, k=key: d.get(SIGNATURES[k]) == v)
            if not check(value):
                return False
        return True

    @staticmethod
    def _sv(gene, partner, d) -> bool:
        left, right = d.get("LEFT_PARTNER_GENE"), d.get("RIGHT_PARTNER_GENE")

        def side(want, have) -> bool:
            if want is None:
                return True
            if want.lower() == "intergenic":
                return have is None or str(have).lower() == "intergenic"
            if want.lower() == "any_gene":
                return have is not None
            return have == want

        if d.get("STRUCTURED_SV"):
            return (side(gene, left) and side(partner, right)) or (side(gene, right) and side(partner, left))
        comment = d.get("STRUCTURAL_VARIANT_COMMENT") or ""
        return bool(gene) and bool(re.search(rf"(^|\W){re.escape(gene)}(\W|$)", comment, re.I))
