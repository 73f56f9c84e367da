"""render(node) -> str: a readable rendering of a criteria node, for criteria that carry no
source text ("ECOG ≤ 1", "PD-L1 TPS ≥ 50", "not: HIV").

``display_text(node)`` is what results show for a node: its source text when it has one,
else its rendering (shortened to ``MAX_DISPLAY`` characters).
"""

from __future__ import annotations

from trialmatch.domain import criteria as c

SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
MAX_DISPLAY = 200


def _num(x) -> str:
    return f"{x:g}"


def _words(key: str) -> str:
    return key.replace("_", " ")


def render(node: c.Node) -> str:
    fn = _RENDERERS.get(type(node))
    if fn is None:
        raise TypeError(f"not a criteria node: {type(node).__name__}")
    return fn(node)


def display_text(node: c.Node) -> str:
    if node.text:
        return node.text
    hit = _DISPLAY.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    text = render(node)
    text = text if len(text) <= MAX_DISPLAY else text[: MAX_DISPLAY - 1] + "…"
    if len(_DISPLAY) >= _DISPLAY_MAX:
        _DISPLAY.clear()
    _DISPLAY[id(node)] = (node, text)  # the node is kept alive, so its id is not reused
    return text


# renderings of nodes without source text, by node identity (bounded; cleared when full)
_DISPLAY: dict[int, tuple] = {}
_DISPLAY_MAX = 500_000


def _range(name, lo, hi, lo_inc=True, hi_inc=True) -> str:
    if lo is not None and hi is not None and lo_inc and hi_inc:
        return f"{name} {_num(lo)}–{_num(hi)}"
    parts = []
    if lo is not None:
        parts.append(f"{'≥' if lo_inc else '>'} {_num(lo)}")
    if hi is not None:
        parts.append(f"{'≤' if hi_inc else '<'} {_num(hi)}")
    return f"{name} " + " and ".join(parts) if parts else f"any {name}"


def _age(n: c.Age) -> str:
    return _range("age", n.min, n.max, n.min_inclusive, n.max_inclusive)


def _cancer_type(n: c.CancerType) -> str:
    role = " (primary or secondary)" if n.role == "any" else ""
    return "cancer type " + " or ".join(n.codes) + role


def _histology(n: c.Histology) -> str:
    return "histology " + " or ".join([*map(_words, n.keys), *(x.display or x.code or "?" for x in n.codes)])


def _metastasis(n: c.Metastasis) -> str:
    if n.site:
        return f"{n.qualifier + ' ' if n.qualifier else ''}{_words(n.site)} metastases"
    return f"{_words(n.extent or 'metastatic')} disease"


def _biomarker(n: c.Biomarker) -> str:
    parts = [n.marker]
    if n.status:
        parts.append("/".join(n.status))
    if n.comparator is not None and n.value is not None:
        parts.append(f"{n.scale + ' ' if n.scale else ''}{SYMBOLS[n.comparator]} {_num(n.value)}")
    return " ".join(parts)


def _variant(n: c.Variant) -> str:
    parts = [n.gene]
    if n.wild_type:
        parts.append("wild type")
    parts += [x for x in (n.protein_change, n.protein_prefix and f"{n.protein_prefix}*", n.category,
                          n.classification, n.copy_number and n.copy_number.replace("_", " ")) if x]
    if n.exon is not None:
        parts.append(f"exon {n.exon}")
    if n.fusion_partner:
        parts.append(f"with {n.fusion_partner}")
    if n.source != "any":
        parts.append(f"({n.source})")
    return " ".join(parts)


def _lab(n: c.Lab) -> str:
    if n.uln_multiple is not None:
        text = f"{n.analyte} {SYMBOLS[n.comparator]} {_num(n.uln_multiple)} × ULN"
    else:
        value = _num(n.value) if n.value is not None else "?"
        text = f"{n.analyte} {SYMBOLS[n.comparator]} {value}{' ' + n.unit if n.unit else ''}"
    return text + (f" (within {n.within_days} days)" if n.within_days is not None else "")


def _prior(n: c.PriorTherapy) -> str:
    what = " or ".join([*n.drugs, *(_words(k) for k in n.classes)]) or "systemic therapy"
    if n.min_lines is not None or n.max_lines is not None:
        return _range(f"prior lines of {what}", n.min_lines, n.max_lines)
    return f"prior {what}" + (f" within {n.within_days} days" if n.within_days is not None else "")


def _procedure(n: c.Procedure) -> str:
    what = ("major " if n.major else "") + n.kind + (f" of {_words(n.body_site)}" if n.body_site else "")
    if n.codes:
        what += " (" + ", ".join(x.display or x.code or "?" for x in n.codes) + ")"
    return what + (f" within {n.within_days} days" if n.within_days is not None else "")


def _condition(n: c.Condition) -> str:
    what = " or ".join([*(_words(k) for k in n.keys), *(x.display or x.code or "?" for x in n.codes)])
    window = f" within {n.within_days} days" if n.within_days is not None else ""
    state = f" ({n.qualifier.replace('_', ' ')})" if n.qualifier else ""
    return f"{'active ' if n.active_only else ''}{what}{state}{window}"


def _measurable(n: c.Measurable) -> str:
    return "measurable disease" + (f" per {n.criteria}" if n.criteria else "")


# months as the parser writes them: 30.4375 days rounded down (trialmatch.entered_facts)
_MONTH_DAYS = {int(k * 30.4375 + 1e-9): k for k in range(1, 61)}


def duration(days: int) -> str:
    """Days as written in criteria: "3 months" (a whole number of months, rounded down),
    "12 weeks" (a multiple of 7), else days."""
    if days in _MONTH_DAYS:
        k = _MONTH_DAYS[days]
        return f"{k} months" if k != 1 else "1 month"
    if days % 7 == 0:
        return f"{days // 7} weeks" if days != 7 else "1 week"
    return f"{days} days" if days != 1 else "1 day"


def _life_expectancy(n: c.LifeExpectancy) -> str:
    return f"life expectancy {'≥' if n.min_inclusive else '>'} {duration(n.min_days)}"


def _hypersensitivity(n: c.Hypersensitivity) -> str:
    names = [*n.drugs, *(_words(k) for k in n.classes)] + (["the study treatment"] if n.study_treatment else [])
    return "hypersensitivity to " + " or ".join(names)


def _vaccination(n: c.Vaccination) -> str:
    return ("live vaccine" if n.live else "vaccine") + (f" within {n.within_days} days" if n.within_days else "")


def _study_participation(n: c.StudyParticipation) -> str:
    what = "investigational agent (study of a drug)" if n.drug_only else "participation in another interventional study"
    if n.purpose:
        what += f" ({n.purpose} study)"
    when = f" within {duration(n.within_days)}" if n.within_days is not None else " now"
    return what + when


def _residual_toxicity(n: c.ResidualToxicity) -> str:
    cause = {"chemotherapy": "chemotherapy", "systemic": "systemic therapy", "radiotherapy": "radiotherapy",
             "surgery": "surgery"}.get(n.therapy or "", "prior anticancer therapy")
    out = f"toxicity of {cause} above CTCAE grade {n.above_grade}"
    if n.or_baseline:
        out += " (baseline accepted)"
    if n.exceptions:
        out += ", except " + ", ".join(e.term.replace("_", " ") + (f" ≤ grade {e.max_grade}" if e.max_grade is not None
                                                                     else "") for e in n.exceptions)
    return out


_RENDERERS = {
    c.All: lambda n: "all of: " + "; ".join(render(i) for i in n.items) if n.items else "no criteria",
    c.Any: lambda n: "any of: " + " | ".join(render(i) for i in n.items) if n.items else "none",
    c.Not: lambda n: f"not: {render(n.item)}",
    c.Age: _age,
    c.Sex: lambda n: f"sex {n.sex}",
    c.CancerType: _cancer_type,
    c.Histology: _histology,
    c.Stage: lambda n: "stage " + " or ".join(n.groups),
    c.Metastasis: _metastasis,
    c.Biomarker: _biomarker,
    c.Variant: _variant,
    c.PerformanceStatus: lambda n: _range(n.scale if n.scale != "ECOG" else "ECOG", n.min, n.max),
    c.Lab: _lab,
    c.PriorTherapy: _prior,
    c.Procedure: _procedure,
    c.Condition: _condition,
    c.Pregnancy: lambda n: n.status,
    c.Measurable: _measurable,
    c.LifeExpectancy: _life_expectancy,
    c.Hypersensitivity: _hypersensitivity,
    c.Vaccination: _vaccination,
    c.ResidualToxicity: _residual_toxicity,
    c.StudyParticipation: _study_participation,
    c.Unparsed: lambda n: n.text,
}
