"""Property: the TrialIndex prefilter never drops a trial that full evaluation rates
eligible or possible."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialmatch.domain import facts as f
from trialmatch.matching import TrialIndex, compile_trial
from trialmatch.matching.match_result import evaluate_for_patient
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.synth import synth_catalogue, synth_patient
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB

# patient cancer types: specific, coarse (an ancestor of trial codes), the root, unknown, none
TYPES = ("IDC", "BREAST", "LUAD", "NSCLC", "LUNG", "COADREAD", "PRAD", "MEL", "AML", "TISSUE", "NOT_A_CODE", None)
CATALOGUES = {seed: [compile_trial(t, VOCAB) for t in synth_catalogue(VOCAB, 60, seed)] for seed in range(4)}


@st.composite
def patients(draw):
    base = synth_patient(VOCAB, draw(st.integers(0, 10_000)), AS_OF)
    cancers = [f.Cancer(f"Condition/p{i}", "primary", cancer_type=t)
               for i, t in enumerate(draw(st.lists(st.sampled_from(TYPES), max_size=2)))]
    cancers += [f.Cancer(f"Condition/s{i}", "secondary", cancer_type=t)
                for i, t in enumerate(draw(st.lists(st.sampled_from(TYPES), max_size=1)))]
    age = draw(st.one_of(st.none(), st.integers(10, 95)))
    return f.PatientFacts(
        patient_ref="Patient/h", birth_date=None if age is None else AS_OF - timedelta(days=365 * age + 30),
        sex=draw(st.sampled_from(("female", "male", "other", "unknown", None))), cancers=tuple(cancers),
        stages=base.stages, markers=base.markers, labs=base.labs, performance=base.performance,
        medications=base.medications, deceased=draw(st.sampled_from((None, False, False, True))),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(sorted(CATALOGUES)), facts=patients(), days=st.integers(0, 400))
def test_prefilter_never_drops_an_eligible_or_possible_trial(seed, facts, days):
    as_of = AS_OF + timedelta(days=days)
    index = TrialIndex(CATALOGUES[seed], VOCAB)
    view = PatientView(facts, VOCAB, RULES, as_of)
    kept = {ct.trial.trial_id for ct in index.candidates(view)}
    dropped = [ct for ct in index.trials if ct.trial.trial_id not in kept]
    wrongly = [(ct.trial.trial_id, r.result_class) for ct in dropped
               if (r := evaluate_for_patient(ct, view)).result_class != "ineligible"]
    assert wrongly == []


def test_prefilter_drops_something_on_a_real_mix():
    """The property above is not vacuous: the prefilter does drop trials."""
    index = TrialIndex(CATALOGUES[0], VOCAB)
    facts = f.PatientFacts(birth_date=date(1960, 1, 1), sex="male",
                           cancers=(f.Cancer("Condition/p", "primary", cancer_type="PRAD"),))
    kept = index.candidates(PatientView(facts, VOCAB, RULES, AS_OF))
    assert 0 < len(kept) < len(index)
