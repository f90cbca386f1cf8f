"""The surge benchmark behind `make bench` (issue 4): see run.py.

Importing this package needs no Django settings; only the server-side modules
(urls.py, views.py) import Django, and only the server loads them.
"""
