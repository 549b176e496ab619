#!/usr/bin/env python
"""Django's usual entry point; `accord` (accord/cli.py) is the same with friendlier names."""

from accord.cli import main

if __name__ == "__main__":
    main()
