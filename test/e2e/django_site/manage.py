#!/usr/bin/env python3
"""The reference Django site used by the end-to-end tests and the schema fixture."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
