#!/usr/bin/env python
"""Django's manage.py, for those who expect it; `zicht` does the same."""

import sys

from zicht.cli import main

if __name__ == "__main__":
    main(sys.argv[1:])
