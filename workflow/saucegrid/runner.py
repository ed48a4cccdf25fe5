"""Glue for the thin entry-point scripts under workflow/scripts/.

``run(snakemake, func)`` logs to the rule's log file and to stderr, and turns an InputError into
one clear message and exit status 1 instead of a traceback; any other failure is logged with
its traceback, so the rule's log says why. Snakemake then deletes the job's outputs, so nothing
half-written stays behind.
"""

from __future__ import annotations

import logging
import sys
import time

from saucegrid.fileio import InputError

log = logging.getLogger("saucegrid")


def setup_logging(logfile: str | None = None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if logfile:
        handlers.append(logging.FileHandler(logfile, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s saucegrid %(message)s",
                        datefmt="%H:%M:%S", handlers=handlers, force=True)


def run(smk, func) -> None:
    setup_logging(smk.log[0] if len(smk.log) else None)
    t0 = time.perf_counter()
    try:
        func(smk)
    except InputError as e:
        log.error("input error: %s", e)
        sys.exit(1)
    except Exception:  # anything else: the traceback goes to the rule's log too
        log.exception("%s failed", smk.rule)
        raise
    log.info("%s done in %.2f s", smk.rule, time.perf_counter() - t0)
