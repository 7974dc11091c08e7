"""The built program's entry point: the same as ``python -m ptdesk``."""

import sys

from ptdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
