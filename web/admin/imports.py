"""Admin: import files into a unit (see `web.imports`)."""

from web import imports
from web.admin.blueprint import bp

imports.register(bp)
