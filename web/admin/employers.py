"""Admin: verify newly registered employers (see `web.review`)."""

from web import review
from web.admin.blueprint import bp

review.register(bp)
