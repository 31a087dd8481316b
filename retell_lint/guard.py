"""Running one command so that nothing escapes: every failure becomes a message and exit 2.

Shared by the click command line (:mod:`retell_lint.cli`) and the plain ``check``
fast path (:mod:`retell_lint.entry`), which must fail alike. This module does not
import click: the fast path never loads it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from retell_lint import envelope
from retell_lint.errors import FatalError
from retell_lint.output import EXIT_ERROR, echo_error, protect_streams, set_stderr_style


def prepare_streams() -> None:
    """Each run starts from plain stderr lines (``check --format github`` switches),
    with lone surrogates printable and no JSON document promised yet."""
    set_stderr_style("text")
    protect_streams()
    envelope.expect_json(None)


def guarded(args: Sequence[str], run: Callable[[], int]) -> int:
    """``run()``'s exit code; FatalError, I/O failures, Ctrl-C and any other exception
    become one message on stderr (and a JSON document when one was promised) and 2."""
    debug = "--debug" in args
    from retell_lint.safe_io import interruptible

    try:
        # SIGTERM (a cancelled CI job) stops the run as Ctrl-C does: cleanup runs, so no
        # temporary file is left behind.
        with interruptible():
            code = run()
            # A full stdout fails here, not at exit (the server closes its own first).
            if sys.stdout is not None and not sys.stdout.closed:
                sys.stdout.flush()
    except FatalError as exc:
        echo_error(f"error: {exc}")
        envelope.write_failure(exc.message, exc.location)
        if debug:
            import traceback

            traceback.print_exc()
        return EXIT_ERROR
    except BrokenPipeError:
        drop_stdout()
        return EXIT_ERROR
    except OSError as exc:
        if not _stdout_failed(exc):
            return internal_error(exc, debug)
        drop_stdout()
        from retell_lint.safe_io import reason

        echo_error(f"error: cannot write to standard output: {reason(exc)}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        echo_error("interrupted")
        return EXIT_ERROR
    except Exception as exc:
        click = sys.modules.get("click")
        if click is not None and isinstance(exc, click.ClickException):
            # A usage error raised past click's own parsing (the fast path has none).
            echo_error(f"error: {exc.format_message()}")
            envelope.write_failure(exc.format_message())
            return EXIT_ERROR
        return internal_error(exc, debug)
    return code


def internal_error(exc: BaseException, debug: bool) -> int:
    echo_error(
        f"internal error: {type(exc).__name__}: {exc}"
        + ("" if debug else " (run with --debug for a traceback)")
    )
    envelope.write_failure(f"internal error: {type(exc).__name__}")
    if debug:
        import traceback

        traceback.print_exception(exc)
    return EXIT_ERROR


def _stdout_failed(exc: OSError) -> bool:
    """Whether ``exc`` is standard output refusing what was written (a full disk,
    /dev/full): files are written through safe_io, which reports its own errors."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)


def drop_stdout() -> None:
    """What is still buffered for standard output goes nowhere: Python's own flush at
    exit would fail again and print a traceback."""
    from retell_lint.safe_io import silence

    silence(sys.stdout)
