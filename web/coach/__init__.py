"""Coach pages: `blueprint.bp` and the handler modules that register their routes on it.

They are imported here, by the package, rather than at the foot of `blueprint.py`, so that
whichever of these modules is imported first, `bp` exists before any handler asks for it.
"""

from web.coach import (
    employer_log,  # noqa: F401
    employers,  # noqa: F401
    follow_along,  # noqa: F401
    hub,  # noqa: F401
    imports,  # noqa: F401
    messages,  # noqa: F401
    participants,  # noqa: F401
    placements,  # noqa: F401
    plan,  # noqa: F401
    planning,  # noqa: F401
    profile,  # noqa: F401
    progression,  # noqa: F401
    subject_access,  # noqa: F401
    suggestions,  # noqa: F401
    views,  # noqa: F401
)
