"""render(node): readable text for structured criteria."""

from trialmatch.domain import criteria as c
from trialmatch.matching import render
from trialmatch.matching.render import display_text
from tests.unit.domain.test_criteria_json import EXAMPLES


def test_render_every_example_atom():
    assert [render(n) for n in EXAMPLES] == [
        "age ≥ 18 and < 75",
        "sex female",
        "cancer type NSCLC or _SOLID_ (primary or secondary)",
        "histology adenocarcinoma or Adenocarcinoma",
        "stage IIIB or IV",
        "active brain metastases",
        "metastatic disease",
        "PDL1 TPS ≥ 50",
        "HER2 low/negative",
        "EGFR L858R (somatic)",
        "KRAS G12* mutation exon 2",
        "ALK fusion with EML4",
        "BRCA1 wild type (germline)",
        "EGFR mutation In_Frame_Del exon 19",
        "CDKN2A CNV homozygous deletion",
        "ECOG ≤ 1",
        "Karnofsky ≥ 70",
        "ANC ≥ 1.5 10*9/L (within 14 days)",
        "AST ≤ 2.5 × ULN",
        "prior pembrolizumab or anti pd1 within 28 days",
        "prior lines of platinum 1–2",
        "radiation of brain (108290001) within 14 days",
        "hiv or hepatitis b or 86406008",
        "breastfeeding",
        "measurable disease per RANO",
        "life expectancy > 12 weeks",
        "hypersensitivity to pembrolizumab or anti pd1 or the study treatment",
        "live vaccine within 30 days",
        "investigational agent (study of a drug) within 4 weeks",
        "participation in another interventional study (treatment study) now",
        "toxicity of chemotherapy above CTCAE grade 1 (baseline accepted), except alopecia, peripheral neuropathy ≤ grade 2",
        "Able to swallow tablets",
    ]


def test_render_trees_and_display_text_prefers_source_text():
    tree = c.All((c.Age(min=18), c.Not(c.Condition(keys=("hiv",))),
                  c.Any((c.Biomarker("MSI", status=("high",)), c.Biomarker("MMR", status=("deficient",))))))
    assert render(tree) == "all of: age ≥ 18; not: active hiv; any of: MSI high | MMR deficient"
    assert display_text(c.Age(min=18, text="Adults")) == "Adults"
    assert len(display_text(c.All(tuple(c.Age(min=i) for i in range(40))))) == 200


def test_render_condition_window():
    assert render(c.Condition(keys=("myocardial_infarction",), active_only=False, within_days=183)) == \
        "myocardial infarction within 183 days"
