"""Registry services: raw bundles kept or not, re-extraction, named rescreens, the daily plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.rescreen.conftest import AS_OF, NOW
from trialmatch import rescreen
from trialmatch.errors import NotFoundError, PatientDataError
from trialmatch.store import registry as reg


def first(bundles, n=1):
    return list(bundles.items())[:n]


def test_raw_bundles_are_kept_unless_configured_off(registry, bundles):
    (a, bundle_a), (b, bundle_b) = first(bundles, 2)
    registry.save(a, bundle_a)
    registry.save(b, bundle_b, store_raw=False)
    with registry.sessions() as session:
        assert reg.get_patient(session, a).bundle == bundle_a
        assert reg.get_patient(session, b).bundle is None
    view = rescreen.patient_view(sessionmaker=registry.sessions, patient_id=b)
    assert view["raw_bundle_stored"] is False and view["data_version"] == 1


def test_reextract_updates_changed_facts_and_rescreens_them(registry, bundles):
    (a, bundle_a), (b, bundle_b) = first(bundles, 2)
    registry.save(a, bundle_a)
    registry.save(b, bundle_b, store_raw=False)
    assert rescreen.reextract(sessionmaker=registry.sessions, vocab=registry.vocab, now=NOW) == {
        "changed": 0, "unchanged": 1, "skipped_without_bundle": 1, "rescreen_id": None}
    with registry.sessions.begin() as session:  # as if an older extractor had missed the cancers
        patient = reg.get_patient(session, a)
        patient.facts = {**patient.facts, "cancers": []}
    summary = rescreen.reextract(sessionmaker=registry.sessions, vocab=registry.vocab, now=NOW)
    assert summary["changed"] == 1 and summary["rescreen_id"]
    status = rescreen.rescreen_status(sessionmaker=registry.sessions, rescreen_id=summary["rescreen_id"])
    assert (status["trigger"], status["patients"]) == ("reextract", [a])
    with registry.sessions() as session:
        assert reg.get_patient(session, a).data_version == 2


def test_a_bundle_that_is_not_usable_is_refused(registry):
    with pytest.raises(PatientDataError):
        registry.save("x", {"resourceType": "Bundle", "type": "collection", "entry": []})
    with registry.sessions() as session:
        assert reg.get_patient(session, "x") is None


def test_named_rescreens_refuse_unknown_names(registry, bundles):
    (a, bundle_a), = first(bundles)
    registry.save(a, bundle_a)
    with pytest.raises(NotFoundError, match="unknown trials: NCT00000000"):
        rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW, trial_ids=["NCT00000000"])
    with pytest.raises(NotFoundError, match="unknown patients: nobody"):
        rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW, patient_ids=["nobody", a])
    trial_id = registry.catalogue().trials[0].trial_id
    rescreen_id = rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW, trial_ids=[trial_id],
                                            patient_ids=[a])
    registry.dispatch()
    status = rescreen.rescreen_status(sessionmaker=registry.sessions, rescreen_id=rescreen_id)
    assert status["counts"]["pairs"] == 1 and status["status"] == "done"


def test_the_daily_plan_takes_the_patients_whose_review_date_has_come(registry, bundles):
    for patient_id, bundle in first(bundles, 5):
        registry.save(patient_id, bundle)
    registry.dispatch()
    with registry.sessions() as session:
        review = {p: reg.get_patient(session, p).review_on for p, _b in first(bundles, 5)}
    dated = {p: d for p, d in review.items() if d is not None}
    assert dated and all(d > AS_OF for d in dated.values())
    day = min(dated.values())
    assert rescreen.plan_daily(sessionmaker=registry.sessions, today=day - timedelta(days=1), now=NOW) is None
    rescreen_id = rescreen.plan_daily(sessionmaker=registry.sessions, today=day, now=NOW)
    registry.dispatch(today=day)
    status = rescreen.rescreen_status(sessionmaker=registry.sessions, rescreen_id=rescreen_id)
    assert status["patients"] == sorted(p for p, d in dated.items() if d == day)
    assert status["as_of"] == day.isoformat() and status["status"] == "done"
    with registry.sessions() as session:
        assert all(reg.get_patient(session, p).review_on > day for p in status["patients"]
                   if reg.get_patient(session, p).review_on is not None)
