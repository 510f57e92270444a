"""factx's spaCy components, registered with `@Language.factory`.

Importing this package registers `factx_layout`, `factx_entities`, `factx_dates` and `factx_quantities`
(also published through the `spacy_factories` entry point), so any pipeline can
`nlp.add_pipe("factx_quantities")`. Each component writes spans and extension
attributes; `factx.pipeline` turns them into facts.
"""

from factx.components import dates, entities, layout, quantities
from factx.components.extensions import DATES, MONEY, QUANTITIES, register_extensions

register_extensions()

__all__ = ["DATES", "MONEY", "QUANTITIES", "dates", "entities", "layout", "quantities", "register_extensions"]
