"""Worker configuration of the rescreen tasks."""

from workers.rescreen_tasks import BEAT_SCHEDULE, transport_options


def test_transport_options_fit_the_visibility_timeout_and_keep_the_others():
    assert transport_options({"x": 1}, 3) == {"x": 1, "visibility_timeout": 3, "unacked_restore_interval": 1,
                                              "unacked_restore_throttle": 1, "unacked_mutex_expire": 3}
    assert transport_options(None, 3600)["unacked_restore_interval"] == 10


def test_a_dead_sweepers_lock_lapses_within_the_visibility_timeout():
    # kombu keeps the sweep lock 300 s by default; a worker killed holding it must not stall the others longer
    assert transport_options(None, 3)["unacked_mutex_expire"] == 3
    assert transport_options(None, 0.5)["unacked_mutex_expire"] == 1
    assert transport_options(None, 3600)["unacked_mutex_expire"] == 300


def test_the_beat_schedule_names_the_dispatch_and_daily_tasks():
    assert sorted(entry["task"] for entry in BEAT_SCHEDULE.values()) == [
        "trialmatch.rescreen.daily", "trialmatch.rescreen.dispatch"]
