"""Run each case's SETUP and CELL in plain Python (no kerashape) and print what the cell raises.

Usage: python tests/cases_fresh2/tools/plain_run.py tests/cases_fresh2/*.py
"""

import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore")


def main(paths):
    for p in sorted(paths):
        case = {}
        exec(open(p).read(), case)
        g = {}
        name = os.path.basename(p)
        try:
            exec(case["SETUP"], g)
        except Exception as e:
            print("%-50s SETUP FAILED: %s: %s" % (name, type(e).__name__, str(e)[:300]))
            continue
        try:
            exec(case.get("CELL", ""), g)
            print("%-50s CELL DID NOT FAIL" % name)
        except Exception as e:
            print("%-50s %s: %s" % (name, type(e).__name__, " ".join(str(e).split())[:400]))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
