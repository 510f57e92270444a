"""Money in context: which currency an article's "$", "dollars", "francs" mean (issue 15
part 6, "never confidently wrong"). Sentences written for these tests."""

from __future__ import annotations

import pytest

import factx
from factx.normalize.currencies import Clues, article_clues, dateline_territory, lookup_currency


def money(text: str) -> list[tuple[str, float, float | None, str | None]]:
    return [(f.text, f.value["amount"], f.value.get("amount_high"), f.value["currency"])
            for f in factx.extract(text) if f.type == "money"]


def currencies(text: str) -> list[str | None]:
    return [c for *_, c in money(text)]


# --------------------------------------------------------------------------- "$"

@pytest.mark.parametrize(("text", "expected"), [
    # no pointer to another dollar: USD
    ("The startup raised $40 million from investors.", ["USD"]),
    # the rupee is not a dollar: a dollar figure in a story about Pakistan stays USD
    ("Pakistan's central bank said imports cost $3 billion in March.", ["USD"]),
    # the country the claim is about has a dollar
    ("Canada's trade deficit widened to $2.1 billion in May.", ["CAD"]),
    ("The New Zealand government will spend $800 million on rail.", ["NZD"]),
    # a country elsewhere in the sentence, not what the amount is about, is no evidence
    ("Crude traded at $61 a barrel, well above prices seen before the storms in Canada.", ["USD"]),
    # a dateline
    ("MELBOURNE (Reuters) - The miner posted a profit of $1.2 billion.", ["AUD"]),
    ("TORONTO, June 4 - The bank earned $950 million in the quarter.", ["CAD"]),
    ("LAGOS, June 4 - The bank earned $950 million in the quarter.", ["USD"]),
    # a qualified dollar with an amount elsewhere in the article
    ("The council paid A$3 million for the land. Its neighbour sold for $2.5 million.", ["AUD", "AUD"]),
    # evidence for two different dollars: null
    ("WELLINGTON, May 2 - The insurer sold a C$40 million stake. It kept $12 million.", ["CAD", None]),
    # a conversion in brackets after another currency is USD
    ("The fine was 9 million Australian dollars ($6.1 million) last year.", ["AUD", "USD"]),
    ("Turnover reached 2.4 billion shekels ($650 million).", ["ILS", "USD"]),
])
def test_dollar_sign_follows_the_article(text: str, expected: list[str | None]) -> None:
    assert currencies(text) == expected


def test_two_dollar_signs_keep_the_written_form() -> None:
    text = "WELLINGTON, May 2 - The insurer sold a C$40 million stake. It kept $12 million."
    kept = [f for f in factx.extract(text) if f.type == "money"][-1]
    assert kept.value["currency"] is None
    assert kept.value["currency_text"] == "$"


def test_a_dollar_name_without_an_amount_is_no_evidence() -> None:
    assert article_clues("Reserves held in Canadian dollars rose to $200 billion.").dollars == frozenset()
    assert article_clues("It paid 5 mln Canadian dlrs and A$ 4 and $NZ5.").dollars == {"CAD", "AUD", "NZD"}


# --------------------------------------------------------------------------- datelines

@pytest.mark.parametrize(("text", "territory"), [
    ("SYDNEY (Reuters) - Shares rose.", "AU"),
    ("OTTAWA, March 3 - The minister said.", "CA"),
    ("WELLINGTON, Oct 9 - Rates held.", "NZ"),  # a capital wins over smaller namesakes
    ("PORTLAND, Maine (AP) -- Police said.", "US"),  # the region settles the city
    ("KUALA LUMPUR, Jan 2 - Palm oil fell.", "MY"),
    ("date 2021-05-01\nBANK RESULTS\n\nNAIROBI, May 1 - Tea prices rose.", "KE"),
    ("HAMILTON, Oct 3 - Rain fell.", None),  # Canada, New Zealand, Bermuda...: unsettled
    ("The company said profits rose.", None),
    ("PROFIT RISES 5 PCT ON SALES", None),  # a headline in capitals is not a dateline
])
def test_dateline(text: str, territory: str | None) -> None:
    assert dateline_territory(text) == territory


# --------------------------------------------------------------------------- shared names

@pytest.mark.parametrize(("text", "expected"), [
    # an organisation of the country
    ("The Reserve Bank of Kenya said tea earned 40 mln shillings.", ["KES"]),
    ("The Central Bank of Kuwait sold 300 mln dinars of bonds.", ["KWD"]),
    # a big city inside an organisation's name
    ("Shares on the Paris Bourse cost 455 francs at the close.", ["FRF"]),
    # a headline in capitals names the country
    ("date 1987-03-05\nFRANCE ISSUES BONDS\n\nThe coupon of 455 francs will be paid in May.", ["FRF"]),
    # a dateline settles them too
    ("date 2020-05-01\nBANK RESULTS\n\nSTOCKHOLM, May 1 - Profit was 2.1 billion crowns.", ["SEK"]),
    # a dollar name in a story about a country without a dollar is USD
    ("Tea fetched 300 shillings (3.5 dollars) a kilo in Kenya.", ["KES", "USD"]),
    # nothing to go by: null
    ("Tickets cost 20 francs each.", [None]),
])
def test_shared_names_settled_by_the_article(text: str, expected: list[str | None]) -> None:
    assert currencies(text) == expected


def test_dollar_names_with_and_without_countries() -> None:
    assert lookup_currency("dollars", "Coffee sold well in Kenya.") == "USD"
    assert lookup_currency("dollars", "Sales rose.") is None
    assert lookup_currency("dollars", "Sales rose.", clues=Clues(dateline="AU")) == "AUD"
    assert lookup_currency("$", "Sales rose.", clues=Clues(dateline="AU", dollars=frozenset({"NZD"}))) is None
    assert lookup_currency("$", "Sales rose.", clues=Clues(dollars=frozenset({"USD"}))) == "USD"


# --------------------------------------------------------------------------- forms

@pytest.mark.parametrize(("text", "expected"), [
    ("SMITH PLANS 4.5 MLN DLR NOTE ISSUE", [("4.5 MLN DLR", 4.5e6, None, "USD")]),
    ("Profit rose to 45 MLN STG last year.", [("45 MLN STG", 45e6, None, "GBP")]),
    ("Sales rose to 12 U.S. Dlrs a share.", [("12 U.S. Dlrs", 12.0, None, "USD")]),
])
def test_currency_words_in_any_case(text: str, expected) -> None:
    assert money(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a currency symbol after its amount, decimal comma and all
    ("Lunch costs 14,50 € at the station.", [("14,50 €", 14.5, None, "EUR")]),
    ("A bowl of pho is 45,000 ₫ near the market.", [("45,000 ₫", 45000.0, None, "VND")]),
    # an ISO code beside a symbol says more than the symbol
    ("The plan costs $ SGD12.90 in stores.", [("$ SGD12.90", 12.9, None, "SGD")]),
])
def test_symbol_after_amount_and_code_beside_symbol(text: str, expected) -> None:
    assert [m[:4] for m in money(text)] == expected


def test_pence_on_the_number_in_a_sterling_story():
    import factx

    story = "LONDON - Shares in Acme rose 12.5p to 345p, valuing the company at 2.1 billion stg."
    money = {f.text: f.value for f in factx.extract(story) if f.type == "money"}
    assert money["12.5p"] == {"amount": 0.125, "currency": "GBP"}
    assert money["345p"] == {"amount": 3.45, "currency": "GBP"}
    # without sterling in the story, "12p" is no amount of money
    assert not [f for f in factx.extract("The page count rose to 12p in the draft.") if f.type == "money"]
