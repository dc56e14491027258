"""`python -m wenming`: see wenming.cli."""

import sys

from wenming.cli import main

sys.exit(main())
