import redis

from trialmatch.cache import ResultCache, bundle_hash, match_key


def test_bundle_hash_ignores_key_order_and_whitespace():
    assert bundle_hash({"a": 1, "b": [1, 2]}) == bundle_hash({"b": [1, 2], "a": 1})
    assert bundle_hash({"a": 1}) != bundle_hash({"a": 2})


def test_key_changes_with_each_input():
    base = dict(bundle_digest="d", as_of="2026-11-26", filters={}, catalogue_version="v1")
    key = match_key(**base)
    for change in ({"bundle_digest": "e"}, {"as_of": "2026-11-27"}, {"filters": {"zip": "02115"}},
                   {"catalogue_version": "v2"}):
        assert match_key(**{**base, **change}) != key


class DictRedis:
    def __init__(self):
        self.data, self.ttl = {}, {}

    def get(self, key):
        return self.data.get(key)

    def set(self, key, value, ex=None):
        self.data[key], self.ttl[key] = value, ex


class DownRedis:
    def get(self, key):
        raise redis.ConnectionError("down")

    def set(self, key, value, ex=None):
        raise redis.ConnectionError("down")


def test_put_then_get_round_trips_with_the_ttl():
    client = DictRedis()
    cache = ResultCache(client, ttl_seconds=60)
    assert cache.put("k", '{"trials": [1]}')
    assert cache.get("k") == '{"trials": [1]}'
    assert client.ttl["k"] == 60


def test_a_redis_failure_is_a_miss_not_an_error():
    cache = ResultCache(DownRedis(), ttl_seconds=60)
    assert cache.put("k", "{}") is False
    assert cache.get("k") is None


def test_no_client_means_no_cache():
    cache = ResultCache(None, ttl_seconds=60)
    assert cache.put("k", "{}") is False and cache.get("k") is None
