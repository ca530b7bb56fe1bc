"""Coach: import files into a unit (see `web.imports`)."""

from web import imports
from web.coach.blueprint import bp

imports.register(bp)
