"""Run argv[1:] as a child, pass its output and exit code through, and write the child's peak
resident memory (KiB, getrusage of the one child) to the file named by $MAXRSS_FILE."""
import os
import resource
import subprocess
import sys

code = subprocess.call(sys.argv[1:])
with open(os.environ["MAXRSS_FILE"], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
