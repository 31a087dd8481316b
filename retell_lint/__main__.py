"""``python -m retell_lint``: the same as the ``retell-lint`` command."""

import sys

from retell_lint.entry import main

sys.exit(main())
