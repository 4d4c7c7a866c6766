"""A process that runs ``mcsim`` command lines for the hostile-input tests, each in a child
forked from it, so that each case costs the command's own work and not a fresh interpreter
importing pydantic, numpy and the scenario schema again (about 0.3 s a case, over 400 cases).

Started by :mod:`support.hostile` with the environment a user's ``mcsim`` would have. It
imports what nearly every command imports (not pandas, scipy or simpy: a larger process
forks slower, and that cost more than it saved), then reads one request a line on stdin (JSON:
``args``, ``cwd``, ``stdout``, ``stderr``, ``memory``, ``seconds``) and answers each with
one line: the child's exit status (negative: the signal that ended it).

The child leaves the serving loop and ends as ``python -c "sys.exit(main())" ARGS`` does:
in ``cwd``, stdin from ``/dev/null``, stdout and stderr into the given files, its address
space limited to ``memory`` bytes and killed by SIGALRM after ``seconds``; an exception
prints its traceback and exits 1, and the interpreter shuts down normally (threads joined,
``atexit`` run, buffers flushed). What differs from a fresh interpreter: modules imported
here are imported already, so a warning raised while importing them is not shown
(tests/hostile/test_harness.py compares the two ways on a sample of cases).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys


def _serve() -> dict:
    """Answer requests until stdin closes (then exit); in a forked child, return its
    request."""
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            return request
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)
    sys.exit(0)


def _become(request: dict) -> None:
    """Turn this forked child into the command's process."""
    os.chdir(request["cwd"])
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    signal.alarm(request["seconds"])
    sys.argv = ["-c", *request["args"]]
    sys.path[0] = ""  # as for ``python -c``: the working folder, not this file's


if __name__ == "__main__":
    import threading

    import simlib.scenario  # noqa: F401  (the schema, pydantic, numpy, yaml)
    from simlib.cli.main import build_parser, main

    build_parser()  # every command's module
    assert threading.active_count() == 1, "a thread would not survive the fork"
    _become(_serve())
    sys.exit(main())
