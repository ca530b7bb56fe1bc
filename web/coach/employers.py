"""Coach: verify newly registered employers (see `web.review`)."""

from web import review
from web.coach.blueprint import bp

review.register(bp)
