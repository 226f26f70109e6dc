"""Drives docs/examples/python/welkin_token.py for the example tests, one command per line on stdin.

  call N URL     N concurrent call_welkin("GET", URL); prints "statuses S1,S2,..." (or the first error once all have finished)
  headers URL    one call with a caller header (X-Probe: python); prints "statuses S"
  advance S      moves the example's clock S seconds ahead of real time; prints "advanced"
Errors print "error TYPE: MESSAGE". Nothing here prints a token.
"""
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "examples", "python"))
import welkin_token  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402


class Clock:
    """The example's clock (its module's datetime.now): real time plus what the test advanced it by."""

    offset = timedelta()

    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + cls.offset


welkin_token.datetime = Clock


def concurrent(n, url):
    start = threading.Barrier(n)

    def one(_):
        start.wait()
        return welkin_token.call_welkin("GET", url, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def main():
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.split()
        try:
            if command[0] == "call":
                statuses = concurrent(int(command[1]), command[2])
            elif command[0] == "headers":
                statuses = [welkin_token.call_welkin("GET", command[1], headers={"X-Probe": "python"}, timeout=30).status_code]
            elif command[0] == "advance":
                Clock.offset += timedelta(seconds=float(command[1]))
                print("advanced", flush=True)
                continue
            else:
                break
            print("statuses " + ",".join(str(s) for s in statuses), flush=True)
        except Exception as error:  # reported to the test, which fails with it
            print(f"error {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", flush=True)


main()
