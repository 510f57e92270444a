"""Names as written: the small normalizations every name comparison shares."""


def strip_article(name: str) -> str:
    """"the Foreign Office" -> "Foreign Office": a leading article is not part of a name."""
    name = name.strip()
    return name[4:] if name[:4].lower() == "the " else name
