import os
import sys

from bryggan.matching.engine.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# A national instance leaves a million small objects; tearing them down one by one at exit
# takes longer than the solve. The process is done, so leave without it.
os._exit(code)
