"""The one way commands read and write files.

Reading: regular files only. The path is looked at first and the opened descriptor
again (``O_NONBLOCK``, so a FIFO, device or socket never blocks the run: it is an
error in one line); each kind of input has a size cap; reading stops at a deadline.
With ``inside``, a path within that tree whose links lead out of it is not followed.

Writing: atomic (a temporary file in the same folder, then ``os.replace``, which
replaces the directory entry and never a link's target); never through a symbolic
link, nor into a linked folder that leaves ``inside``; the target's mode is kept; a
read-only file or folder is refused in one line. The temporary file is removed on
any exit, SIGINT and SIGTERM included (:func:`interruptible` turns SIGTERM into
``KeyboardInterrupt`` while it is active), and signals wait while a file is moved
into place, so a caller's record of what was written is always true.
"""

from __future__ import annotations

from retell_lint.safe_io.read import (
    MB,
    kind_of,
    leaves_tree,
    read_bytes,
    read_text,
    reason,
    regular_or_absent,
    under,
)
from retell_lint.safe_io.signals import interruptible
from retell_lint.safe_io.write import (
    TargetExists,
    check_target,
    make_folder,
    open_append,
    open_output,
    remove,
    silence,
    write_bytes,
    write_text,
)

__all__ = [
    "MB",
    "TargetExists",
    "check_target",
    "interruptible",
    "kind_of",
    "leaves_tree",
    "make_folder",
    "open_append",
    "open_output",
    "read_bytes",
    "read_text",
    "reason",
    "regular_or_absent",
    "remove",
    "silence",
    "under",
    "write_bytes",
    "write_text",
]
