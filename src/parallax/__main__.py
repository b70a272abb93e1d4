"""``python -m parallax``."""

import sys

from parallax.cli import main

sys.exit(main())
