"""Rescreens in-process over the real catalogue and test bundles: results equal matching each
patient one by one; chunks are idempotent; changes are recorded as events."""

from __future__ import annotations

from sqlalchemy import select

from tests.unit.rescreen.conftest import AS_OF, NOW
from trialmatch import rescreen
from trialmatch.matching import match_patient
from trialmatch.mcode import extract_facts
from trialmatch.rescreen_run import change_kind
from trialmatch.store import registry as reg
from trialmatch.store import trials as trial_store


def expected_records(bundles, vocab, catalogue) -> dict:
    out = {}
    for patient_id, bundle in bundles.items():
        result = match_patient(extract_facts(bundle, vocab), catalogue.index, as_of=AS_OF)
        for r in result.results:
            if r.result_class in ("eligible", "possible"):
                out[(patient_id, r.trial_id)] = r.result_class
    return out


def stored(registry) -> dict:
    with registry.sessions() as session:
        return reg.all_records(session)


def register_all(registry, bundles):
    for patient_id, bundle in bundles.items():
        registry.save(patient_id, bundle)


def test_a_rescreen_gives_the_results_of_matching_each_patient_one_by_one(registry, bundles, vocab):
    assert len(bundles) >= 20
    register_all(registry, bundles)
    registry.dispatch()
    expected = expected_records(bundles, vocab, registry.catalogue())
    assert stored(registry) == expected
    rescreen_id = rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW)
    registry.dispatch(chunk_size=3)
    status = rescreen.rescreen_status(sessionmaker=registry.sessions, rescreen_id=rescreen_id)
    n_trials = len(registry.catalogue().trials)
    assert status["status"] == "done"
    assert status["chunks"] == {"done": -(-len(bundles) // 3), "total": -(-len(bundles) // 3)}
    counts = status["counts"]
    assert counts["patients"] == len(bundles) and counts["pairs"] == len(bundles) * n_trials
    assert counts["eligible"] + counts["possible"] == len(expected)
    assert counts["ineligible"] == len(bundles) * n_trials - len(expected)
    assert status["errors"] == []
    # the same rescreen again reports no change and changes nothing
    assert {k: counts[k] for k in ("newly_eligible", "newly_possible", "no_longer_eligible",
                                   "no_longer_possible")} == dict.fromkeys(
        ("newly_eligible", "newly_possible", "no_longer_eligible", "no_longer_possible"), 0)
    assert rescreen.rescreen_events(sessionmaker=registry.sessions, rescreen_id=rescreen_id) == []
    assert stored(registry) == expected


def test_a_chunk_run_twice_changes_nothing_the_second_time(registry, bundles):
    register_all(registry, dict(list(bundles.items())[:6]))
    rescreen_id = rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW)
    registry.dispatch(run=False, chunk_size=6)
    first = registry.run(rescreen_id, 0)
    before = stored(registry)
    with registry.sessions() as session:
        events = [rescreen.event_json(e) for e in reg.events_of(session, rescreen_id)]
    assert first["status"] == "done" and first["rescreen_finished"] is True
    assert registry.run(rescreen_id, 0) == {"status": "already_done"}
    assert stored(registry) == before
    assert rescreen.rescreen_events(sessionmaker=registry.sessions, rescreen_id=rescreen_id) == events
    assert len(events) == sum(first["counts"][k] for k in ("newly_eligible", "newly_possible"))


def test_only_one_of_two_claims_of_a_chunk_wins(registry, bundles):
    register_all(registry, dict(list(bundles.items())[:2]))
    rescreen_id = rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW)
    registry.dispatch(run=False)
    with registry.sessions.begin() as session:
        assert reg.claim_chunk(session, rescreen_id, 0, now=NOW) is True
    with registry.sessions.begin() as session:
        assert reg.claim_chunk(session, rescreen_id, 0, now=NOW) is False


def test_patient_registration_plans_a_rescreen_of_that_patient_only(registry, bundles):
    (first_id, first), (second_id, second) = list(bundles.items())[:2]
    saved = registry.save(first_id, first)
    assert saved.created and saved.changed and saved.rescreen_id
    registry.dispatch()
    again = registry.save(first_id, first)
    assert not again.created and not again.changed and again.rescreen_id is None and again.data_version == 1
    status = rescreen.rescreen_status(sessionmaker=registry.sessions, rescreen_id=saved.rescreen_id)
    assert status["trigger"] == "patient" and status["patients"] == [first_id]
    assert status["counts"]["patients"] == 1
    changed = registry.save(first_id, second)  # new data for the same patient
    assert changed.changed and changed.data_version == 2 and changed.rescreen_id


def test_a_retired_trial_withdraws_its_results_with_events(registry, bundles):
    register_all(registry, bundles)
    registry.dispatch()
    before = stored(registry)
    trial_id = sorted({t for _p, t in before})[0]
    with registry.sessions.begin() as session:
        trial_store.retire_trial(session, trial_id, now=NOW)
    dispatched = registry.dispatch()
    with registry.sessions() as session:
        planned = [reg.get_rescreen(session, r) for r in dispatched]
        events = [rescreen.event_json(e) for r in dispatched for e in reg.events_of(session, r)]
    assert [(r.trigger, r.trial_ids) for r in planned] == [("trial", [trial_id])]
    gone = {k: v for k, v in before.items() if k[1] == trial_id}
    assert stored(registry) == {k: v for k, v in before.items() if k[1] != trial_id}
    assert sorted((e["patient_id"], e["trial_id"], e["before"], e["after"], e["change"]) for e in events) == sorted(
        (p, t, cls, "ineligible", "no_longer_eligible" if cls == "eligible" else "no_longer_possible")
        for (p, t), cls in gone.items())


def test_an_unchanged_catalogue_plans_no_trial_rescreen(registry):
    registry.dispatch()
    with registry.sessions() as session:
        states = reg.trial_states(session)
    assert sorted(states) == sorted(t.trial_id for t in registry.catalogue().trials)
    assert registry.dispatch() == []


def test_deleting_a_patient_removes_every_stored_result(registry, bundles):
    register_all(registry, dict(list(bundles.items())[:3]))
    registry.dispatch()
    victim = next(p for p, _t in stored(registry))
    rescreen.delete_patient(sessionmaker=registry.sessions, patient_id=victim, now=NOW)
    with registry.sessions() as session:
        assert session.scalars(select(reg.MatchEvent).where(reg.MatchEvent.patient_id == victim)).all() == []
        assert reg.get_patient(session, victim) is None
    assert [p for p, _t in stored(registry) if p == victim] == []


def test_change_kinds():
    table = {(b, a): change_kind(b, a) for b in ("eligible", "possible", "ineligible")
             for a in ("eligible", "possible", "ineligible")}
    assert table == {
        ("eligible", "eligible"): None, ("eligible", "possible"): "no_longer_eligible",
        ("eligible", "ineligible"): "no_longer_eligible", ("possible", "eligible"): "newly_eligible",
        ("possible", "possible"): None, ("possible", "ineligible"): "no_longer_possible",
        ("ineligible", "eligible"): "newly_eligible", ("ineligible", "possible"): "newly_possible",
        ("ineligible", "ineligible"): None,
    }


def test_pending_chunks_of_a_stale_rescreen_are_sent_again(registry, bundles):
    from datetime import timedelta

    register_all(registry, dict(list(bundles.items())[:3]))
    rescreen_id = rescreen.request_rescreen(sessionmaker=registry.sessions, now=NOW)
    registry.dispatch(run=False, chunk_size=1)  # the patient rescreens and this one: nothing runs
    registry.run(rescreen_id, 1)
    registry.sent.clear()
    later = NOW + timedelta(hours=3)

    def resend(stale_after):
        return rescreen.dispatch(sessionmaker=registry.sessions, send=lambda r, c: registry.sent.append((r, c)),
                                 today=AS_OF, now=later, chunk_size=1, stale_after=stale_after)

    assert resend(timedelta(hours=4)) == [] and registry.sent == []
    assert rescreen_id in resend(timedelta(hours=2))
    assert [c for r, c in registry.sent if r == rescreen_id] == [0, 2]


def test_a_recruitment_status_change_plans_a_trial_rescreen_and_is_verified(registry):
    from datetime import timedelta

    registry.dispatch()
    trial_id = registry.catalogue().trials[0].trial_id
    with registry.sessions.begin() as session:
        trial_store.get_trial(session, trial_id).status = "SUSPENDED"
    later = NOW + timedelta(minutes=5)
    with registry.sessions.begin() as session:
        planned = rescreen.trial_changed(session, now=later)
        assert session.get(reg.Rescreen, planned).trial_ids == [trial_id]
    with registry.sessions() as session:
        states = reg.trial_states(session)
    assert states[trial_id].status == "SUSPENDED"
    assert {s.verified_at.replace(tzinfo=None) for s in states.values()} == {later.replace(tzinfo=None)}
