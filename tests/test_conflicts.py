"""Claims compared across documents, and entities linked across the store."""

from __future__ import annotations

import json

import pytest

from factx.cli import main


def _extract(runner, *paths):
    result = runner.invoke(main, ["extract", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _claims(facts):
    return [(f["text"], f["measure"]) for f in facts if f["type"] in ("money", "quantity")]


def _groups(runner, *args):
    result = runner.invoke(main, ["conflicts", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_seeds_have_one_conflict_and_agree_on_the_cost(runner, workdir):
    _extract(runner, "seeds/")
    (conflict,) = _groups(runner)
    assert conflict["status"] == "conflict" and conflict["dimensionality"] == "[length] ** 3 / [time]"
    values = sorted(claim["value"]["base_magnitude"] for claim in conflict["claims"])
    year = 365.25 * 86400
    assert values == pytest.approx([1.23e10 / year, 1.6e10 / year])
    assert len({claim["doc"] for claim in conflict["claims"]}) == 2
    assert {c["doc_date"] for c in conflict["claims"]} == {None, "2022-02-06"}

    agreed = [g for g in _groups(runner, "--all") if g["status"] == "agreed"]
    cost = next(g for g in agreed if g["currency"] == "USD")
    assert [c["common_value"] for c in cost["claims"]] == [2.5e9, 2.5e9]
    assert cost["documents"] == 2


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_same_number_about_different_things_is_not_grouped(runner, workdir):
    a = _write(workdir, "a.txt", "The Nord Stream pipeline will carry 55 billion cubic meters of gas per year.")
    b = _write(workdir, "b.txt", "The TurkStream pipeline will carry 31.5 billion cubic meters of gas per year.")
    # Both claims are read, of the same measure: only what they are about tells them apart.
    assert _claims(_extract(runner, a, b)) == [("55 billion cubic meters of gas per year", "gas"),
                                               ("31.5 billion cubic meters of gas per year", "gas")]
    assert _groups(runner, "--all") == []


def test_same_thing_in_different_years_is_a_series(runner, workdir):
    a = _write(workdir, "a.txt", "Exports of Acme Corp reached $790 million in 2020, the company said.")
    b = _write(workdir, "b.txt", "Exports of Acme Corp reached $1 billion in 2021, the company said.")
    _extract(runner, a, b)
    assert _groups(runner) == []  # not a conflict
    groups = _groups(runner, "--all")
    assert [g["status"] for g in groups] == ["series"]


def test_alias_and_shorter_names_join_one_entity(runner, workdir):
    _extract(runner, "seeds/")
    result = runner.invoke(main, ["entities", "--format", "json"])
    rows = json.loads(result.stdout)
    pipeline = next(r for r in rows if r["name"] == "Pakistan Stream Gas Pipeline")
    assert {"Stream Gas Pipeline", "North South Pipeline"} <= set(pipeline["aliases"])
    assert len(pipeline["documents"]) == 2
    pakistan = next(r for r in rows if r["name"] == "Pakistan")
    assert pakistan["entity_id"] != pipeline["entity_id"]
    khan = next(r for r in rows if r["name"] == "Imran Khan")
    assert khan["label"] == "PERSON" and len(khan["documents"]) == 2


def test_identity_rules_without_a_model():
    from factx.facts import Fact
    from factx.identity import EntityIndex, name_key

    def entity(doc, name, label="ORG", **value):
        return Fact(doc=doc, type="entity", label=label, text=name, start=0, end=len(name), sentence=name,
                    sentence_start=0, value={"canonical": name, **value})

    assert name_key("the Pakistan Stream Gas Pipeline project") == "pakistan stream gas pipeline"
    index = EntityIndex([
        entity("a", "British Foreign Office"), entity("b", "Pakistan Foreign Office"),
        entity("c", "Foreign Office"), entity("d", "Gas Pipeline Co"), entity("d", "Pakistan", "GPE"),
        entity("e", "Pakistan Stream Gas Pipeline"),
    ])
    # Two longer names end with "Foreign Office": ambiguous, so it joins neither.
    assert len({index.lookup(n).entity_id for n in ("British Foreign Office", "Pakistan Foreign Office",
                                                    "Foreign Office")}) == 3
    assert index.lookup("Pakistan").entity_id != index.lookup("Pakistan Stream Gas Pipeline").entity_id


def test_sales_to_different_places_are_different_things(runner, workdir):
    a = _write(workdir, "a.txt", "date 1987-06-02\nThe Commodity Credit Corporation sold 15,000 tonnes of "
                                 "frozen poultry to Iraq.")
    b = _write(workdir, "b.txt", "date 1987-06-02\nThe Commodity Credit Corporation sold 10,000 tonnes of "
                                 "frozen poultry to Egypt.")
    c = _write(workdir, "c.txt", "date 1987-06-02\nThe Commodity Credit Corporation sold 12,000 tonnes of "
                                 "frozen poultry.")
    # Both sales are read, of the same measure: only the place they went tells them apart.
    assert _claims(_extract(runner, a, b)) == [("15,000 tonnes", "frozen poultry"), ("10,000 tonnes", "frozen poultry")]
    assert _groups(runner, "--all") == []
    # names no place: compared with each, and the key now holds two places
    assert _claims(_extract(runner, c)) == [("12,000 tonnes", "frozen poultry")]
    assert _groups(runner, "--all") == []


def test_reports_weeks_apart_are_a_series_not_a_conflict(runner, workdir):
    text = ("date {}\nOfficials signed the Acme Gas Pipeline project. "
            "The pipeline will carry {} billion cubic meters of natural gas per year.")
    a = _write(workdir, "a.txt", text.format("1987-03-04", 16))
    b = _write(workdir, "b.txt", text.format("1987-03-11", 12))
    c = _write(workdir, "c.txt", text.format("1987-03-12", 12.5))
    _extract(runner, a, b)
    assert [g["status"] for g in _groups(runner, "--all")] == ["series"]
    _extract(runner, c)  # a day after b, and 4 % off it: the two agree, a is history
    groups = {g["status"]: g for g in _groups(runner, "--all")}
    assert sorted(groups) == ["agreed", "series"]
    assert sorted(c["doc"][-5:] for c in groups["agreed"]["claims"]) == ["b.txt", "c.txt"]
    assert groups["agreed"]["reason"]["period"] == "reported within 3 days"
    assert len(groups["series"]["claims"]) == 3


def test_a_profit_corrected_to_a_loss_is_a_conflict(runner, workdir):
    table = "date 1987-04-0{}\nACME CORP <ACM> 4TH QTR\n\nShr {} 56 cts vs profit 71 cts\n    Revs 5.3 mln vs 5.1 mln\n"
    a = _write(workdir, "a.txt", table.format(1, "profit"))
    b = _write(workdir, "b.txt", table.format(2, "loss"))  # the correction: a loss, not a profit
    _extract(runner, a, b)
    groups = _groups(runner, "--all")
    (conflict,) = [g for g in groups if g["status"] == "conflict"]
    assert conflict["measure"] == "shr" and sorted(c["common_value"] for c in conflict["claims"]) == [-0.56, 0.56]
    statuses = {(g["measure"], g["status"]) for g in groups}
    assert ("shr", "agreed") in statuses  # the year-earlier profit of 71 cts, a year before
    assert ("revenue", "agreed") in statuses
