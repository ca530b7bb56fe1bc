"""Participant portal: `blueprint.bp` and the handler modules that register their routes on it.

They are imported here, by the package, rather than at the foot of `blueprint.py`, so that
whichever of these modules is imported first, `bp` exists before any handler asks for it.
"""

from web.participant import (
    assessment,  # noqa: F401
    mydata,  # noqa: F401
    proposals,  # noqa: F401
    views,  # noqa: F401
)
