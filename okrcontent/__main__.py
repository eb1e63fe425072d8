"""``python -m okrcontent``."""

import sys

from .cli import main

sys.exit(main())
