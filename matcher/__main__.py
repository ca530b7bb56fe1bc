"""`python -m matcher rank|allocate ...`: see matcher/cli.py."""

import sys

from matcher.cli import main

sys.exit(main())
