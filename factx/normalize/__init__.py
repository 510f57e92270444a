"""Pure, spaCy-free normalizers: numbers, units, currencies and dates.

Nothing here imports spaCy, so each piece can be tested and reused on its own.
"""
