"""A secondary cancer of lymph nodes only may be regional spread (N category) or distant (M1): it
proves neither "metastatic" nor its absence (audit of session 6: counted as metastatic, a stage III M0
melanoma patient with nodal spread coded C77 read ineligible for a stage III trial excluding distant
metastases, NCT03567889)."""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Verdict
from tests.unit.matching.helpers import BREAST, outcome, patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NODES = f.Cancer("Condition/nodes", "secondary", codes=(f.Coding(ICD10, "C77.3", "Secondary malignant neoplasm of axilla "
                                                                              "and upper limb lymph nodes"),),
                 onset=date(2026, 9, 1))
LIVER = f.Cancer("Condition/liver", "secondary", codes=(f.Coding(ICD10, "C78.7", "Secondary malignant neoplasm of "
                                                                              "liver"),), onset=date(2026, 9, 1))
M0 = f.Stage("Observation/stage", group="IIIA", m="M0", date=date(2026, 10, 1))
METASTATIC = c.Metastasis(extent="metastatic")


def test_nodal_secondary_alone_is_neither_metastatic_nor_not():
    out = outcome(METASTATIC, patient(cancers=(BREAST, NODES)))
    assert out.verdict is Verdict.UNKNOWN
    assert out.reason == "lymph node metastasis (regional or distant is not stated) recorded"
    # an exclusion of distant metastases: to confirm, not "ineligible"
    assert outcome(c.Not(METASTATIC), patient(cancers=(BREAST, NODES), stages=(M0,))).verdict is Verdict.UNKNOWN


def test_a_distant_site_beside_the_nodes_is_metastatic():
    out = outcome(METASTATIC, patient(cancers=(BREAST, NODES, LIVER)))
    assert out.verdict is Verdict.MET
    assert outcome(METASTATIC, patient(cancers=(BREAST, NODES), stages=(f.Stage("Observation/s2", group="IV", m="M1",
                                                                                 date=date(2026, 10, 1)),))).verdict \
        is Verdict.MET
