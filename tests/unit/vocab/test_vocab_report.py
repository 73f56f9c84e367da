from trialmatch.vocab import load_vocabulary
from trialmatch.vocab.report import crosswalk_coverage, render


def test_crosswalk_coverage_figures():
    """The figures docs/vocabulary.md reports (golden: update both together)."""
    assert crosswalk_coverage(load_vocabulary()) == {
        "icd10cm": {"total": 1238, "mapped": 1032, "tissue_level": 611,
                    "method:icd10-site-rule": 1032, "method:unmapped": 206},
        "snomed": {"total": 4019, "mapped": 2328, "tissue_level": 1340, "method:curated": 25,
                   "method:exact-name": 131, "method:fuzzy-reviewed": 28,
                   "method:site+histology rule": 2144, "method:unmapped": 1691},
    }


def test_render_names_every_section():
    text = render(load_vocabulary())
    assert "snomed: 2328/4019 mapped (57.9%)" in text
    assert "icd10cm: 1032/1238 mapped (83.4%)" in text
    assert "Drugs: 280 ingredients" in text  # round 7: eleven moderate CYP3A drugs
