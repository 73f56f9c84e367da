"""Worker configuration of the rescreen tasks."""

from trialmatch.api.celery import celery_config, transport_options
from workers.rescreen_tasks import BEAT_SCHEDULE


def test_transport_options_fit_the_visibility_timeout_and_keep_the_others():
    assert transport_options(3) == {"visibility_timeout": 3, "unacked_restore_interval": 1,
                                    "unacked_restore_throttle": 1, "unacked_mutex_expire": 3}
    assert transport_options(3600)["unacked_restore_interval"] == 10


def test_the_celery_configuration_carries_the_visibility_timeout():
    # in the configuration the app is built with, the same for the web, the CLI and the workers
    config = celery_config("redis://127.0.0.1:6379/0", result_ttl=60, queue="q", visibility_timeout=3)
    assert config["broker_transport_options"] == transport_options(3)


def test_a_dead_sweepers_lock_lapses_within_the_visibility_timeout():
    # kombu keeps the sweep lock 300 s by default; a worker killed holding it must not stall the others longer
    assert transport_options(3)["unacked_mutex_expire"] == 3
    assert transport_options(0.5)["unacked_mutex_expire"] == 1
    assert transport_options(3600)["unacked_mutex_expire"] == 300


def test_the_beat_schedule_names_the_dispatch_and_daily_tasks():
    assert sorted(entry["task"] for entry in BEAT_SCHEDULE.values()) == [
        "trialmatch.rescreen.daily", "trialmatch.rescreen.dispatch"]
