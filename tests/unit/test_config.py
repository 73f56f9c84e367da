import pytest

from trialmatch.config import DEFAULT_DATABASE_URL, Settings
from trialmatch.errors import ConfigurationError


def test_defaults_are_the_embedded_ones():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.redis_url is None
    assert settings.match_wait_seconds == 10.0
    assert settings.max_body_bytes == 10 * 1024 * 1024
    assert settings.queue == "trialmatch"


def test_environment_overrides_each_setting():
    settings = Settings.from_env({
        "TRIALMATCH_DATABASE_URL": "postgresql://x@h/db", "TRIALMATCH_REDIS_URL": "redis://h:1/2",
        "TRIALMATCH_CATALOGUE_DIR": "criteria", "TRIALMATCH_MATCH_WAIT_SECONDS": "2.5",
        "TRIALMATCH_CACHE_TTL_SECONDS": "60", "TRIALMATCH_MAX_BODY_BYTES": "100",
        "TRIALMATCH_BROKER_TIMEOUT_SECONDS": "0.1", "TRIALMATCH_QUEUE": "q",
    })
    assert settings == Settings("postgresql://x@h/db", "redis://h:1/2", "criteria", 2.5, 60, 100, 0.1, "q")


def test_a_bad_number_is_a_configuration_error_naming_the_value():
    with pytest.raises(ConfigurationError, match="TRIALMATCH_"):
        Settings.from_env({"TRIALMATCH_MATCH_WAIT_SECONDS": "soon"})


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().redis_url = "redis://elsewhere"
