import time_machine

from mockri.lib.cache import ProcessMemoryCache


def a_cache(name):
    return ProcessMemoryCache(name, {"OPTIONS": {"MAX_ENTRIES": 10}})


def test_a_hit_is_the_value_kept_not_a_copy():
    cache = a_cache("test-same-object")
    page = ("<p>times</p>", (1, 2, 3))

    cache.set("page", page, 60)

    assert cache.get("page") is page
    assert cache.get_many(["page", "missing"]) == {"page": page}


def test_values_run_out_like_djangos_local_memory_cache():
    cache = a_cache("test-expiry")
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        cache.set_many({"a": 1, "b": 2}, 5)
        assert cache.add("a", 9, 5) is False
        clock.shift(6)

        assert cache.get("a") is None
        assert cache.add("a", 9, 5) is True
        assert cache.get("a") == 9


def test_counting_and_culling_still_work():
    cache = a_cache("test-incr")
    cache.set("hits", 1, 60)

    assert cache.incr("hits", 2) == 3
    for n in range(20):
        cache.set(f"key-{n}", n, 60)
    assert len(cache._cache) <= 10
    assert cache.get("key-19") == 19
