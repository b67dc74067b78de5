import sys

from ks_data.cli import main

sys.exit(main())
